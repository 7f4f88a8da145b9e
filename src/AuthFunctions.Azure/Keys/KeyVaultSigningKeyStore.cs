using AuthFunctions.Azure.Tables;
using AuthFunctions.Core.Keys;
using AuthFunctions.Core.Storage;
using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Options;

namespace AuthFunctions.Azure.Keys;

/// <summary>
/// Signing keys as versions of one Key Vault secret (PKCS#8 PEM), their dates in the version's tags.
/// Key Vault has no conditional write, so creation converges after the fact: a writer skips a
/// generation that exists, and when two writers raced, the version created first (then the
/// lower version id) wins; the loser disables its own version before anything is signed with it,
/// and every reader ignores a losing duplicate.
/// </summary>
public sealed class KeyVaultSigningKeyStore(SecretClient client, IOptions<KeyStoreOptions> options, TimeProvider timeProvider) : ISigningKeyStore
{
    private readonly string secretName = options.Value.SecretName;

    public string Description => $"Key Vault {client.VaultUri} secret '{secretName}'";

    public async Task<IReadOnlyList<SigningKeyRecord>> LoadAsync(CancellationToken cancellationToken)
    {
        var winners = await ListWinnersAsync(cancellationToken);
        var keys = new List<SigningKeyRecord>(winners.Count);
        foreach (var version in winners)
        {
            var secret = await Run(() => client.GetSecretAsync(secretName, version.Version, cancellationToken));
            if (KeyRecordFormat.FromTags(version.Tags.AsReadOnly(), secret.Value.Value) is { } key)
            {
                keys.Add(key);
            }
        }

        return keys;
    }

    public async Task<WriteResult> TryAddAsync(SigningKeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if ((await ListWinnersAsync(cancellationToken)).Any(v => GenerationOf(v) == key.Generation))
        {
            return WriteResult.Conflict;
        }

        var secret = new KeyVaultSecret(secretName, key.PrivateKeyPem);
        secret.Properties.ContentType = "application/x-pem-file";
        secret.Properties.ExpiresOn = key.RetiresAt;
        foreach (var (name, value) in KeyRecordFormat.ToTags(key))
        {
            secret.Properties.Tags[name] = value;
        }

        var written = await Run(() => client.SetSecretAsync(secret, cancellationToken));
        var winner = (await ListWinnersAsync(cancellationToken)).FirstOrDefault(v => GenerationOf(v) == key.Generation);
        if (winner is null || winner.Version == written.Value.Properties.Version)
        {
            return WriteResult.Written;
        }

        var mine = written.Value.Properties;
        mine.Enabled = false;
        await Run(() => client.UpdateSecretPropertiesAsync(mine, cancellationToken));
        return WriteResult.Conflict;
    }

    /// <summary>Enabled, unexpired, well-tagged versions; one per generation (the first created).</summary>
    private async Task<List<SecretProperties>> ListWinnersAsync(CancellationToken cancellationToken)
    {
        var versions = new List<SecretProperties>();
        try
        {
            await Run(async () =>
            {
                await foreach (var version in client.GetPropertiesOfSecretVersionsAsync(secretName, cancellationToken))
                {
                    if (version.Enabled == true && (version.ExpiresOn is null || version.ExpiresOn > timeProvider.GetUtcNow()) && GenerationOf(version) > 0)
                    {
                        versions.Add(version);
                    }
                }

                return true;
            });
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return [];
        }

        return versions
            .GroupBy(GenerationOf)
            .Select(g => g.OrderBy(v => v.CreatedOn).ThenBy(v => v.Version, StringComparer.Ordinal).First())
            .ToList();
    }

    private static int GenerationOf(SecretProperties version) =>
        KeyRecordFormat.TryInt(version.Tags.AsReadOnly(), KeyRecordFormat.Generation, out var generation) ? generation : 0;

    private static Task<T> Run<T>(Func<Task<T>> call) => AuthTables.Run(call);
}
