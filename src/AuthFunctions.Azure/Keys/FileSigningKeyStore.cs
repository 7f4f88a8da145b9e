using System.Globalization;
using System.Text.Json;
using AuthFunctions.Core.Keys;
using AuthFunctions.Core.Storage;
using Microsoft.Extensions.Options;

namespace AuthFunctions.Azure.Keys;

/// <summary>
/// Development key store in a folder: one JSON file per generation (<c>NNNNNNNNNN.key.json</c>),
/// published by one atomic call that fails when the name exists (the conditional write). Never used in Azure.
/// </summary>
public sealed class FileSigningKeyStore(IOptions<KeyStoreOptions> options) : ISigningKeyStore
{
    private readonly string folder = Path.GetFullPath(options.Value.DevelopmentFolder!);

    public string Description => $"development file store {folder}";

    public async Task<IReadOnlyList<SigningKeyRecord>> LoadAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var keys = new List<SigningKeyRecord>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.key.json"))
        {
            await using var stream = File.OpenRead(file);
            var tags = await JsonSerializer.DeserializeAsync<Dictionary<string, string>>(stream, cancellationToken: cancellationToken);
            if (tags is not null && tags.TryGetValue("pem", out var pem) && KeyRecordFormat.FromTags(tags, pem) is { } key)
            {
                keys.Add(key);
            }
        }

        return keys;
    }

    public async Task<WriteResult> TryAddAsync(SigningKeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        Directory.CreateDirectory(folder);
        var generation = key.Generation.ToString("D10", CultureInfo.InvariantCulture);
        var target = Path.Combine(folder, generation + ".key.json");
        if (File.Exists(target))
        {
            return WriteResult.Conflict;
        }

        var tags = KeyRecordFormat.ToTags(key);
        tags["pem"] = key.PrivateKeyPem;

        // The key is written whole under a name of its own, then published under the generation's name
        // by one call that fails when that name exists. File.Move(overwrite: false) is not that call on
        // Linux (it checks, then renames: two racing writers both "win"); symlink(2) is, and Windows'
        // MoveFileEx without REPLACE_EXISTING is.
        var content = Path.Combine(folder, generation + "." + Guid.NewGuid().ToString("N") + ".key.data");
        await File.WriteAllTextAsync(content, JsonSerializer.Serialize(tags), cancellationToken);
        var published = false;
        try
        {
            if (OperatingSystem.IsWindows())
            {
                File.Move(content, target, overwrite: false);
            }
            else
            {
                File.CreateSymbolicLink(target, Path.GetFileName(content));
            }

            published = true;
            return WriteResult.Written;
        }
        catch (IOException) when (File.Exists(target))
        {
            return WriteResult.Conflict;
        }
        finally
        {
            if (!published)
            {
                File.Delete(content);
            }
        }
    }
}
