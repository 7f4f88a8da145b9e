using System.Globalization;
using System.Text.Json;
using AuthFunctions.Core.Keys;
using AuthFunctions.Core.Storage;
using Microsoft.Extensions.Options;

namespace AuthFunctions.Azure.Keys;

/// <summary>
/// Development key store in a folder: one JSON file per generation, published by an atomic
/// move that fails when the file exists (the conditional write). Never used in Azure.
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
        var target = Path.Combine(folder, key.Generation.ToString("D10", CultureInfo.InvariantCulture) + ".key.json");
        if (File.Exists(target))
        {
            return WriteResult.Conflict;
        }

        var tags = KeyRecordFormat.ToTags(key);
        tags["pem"] = key.PrivateKeyPem;
        var temporary = Path.Combine(folder, Guid.NewGuid().ToString("N") + ".tmp");
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(tags), cancellationToken);
        try
        {
            File.Move(temporary, target, overwrite: false);
            return WriteResult.Written;
        }
        catch (IOException) when (File.Exists(target))
        {
            return WriteResult.Conflict;
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
