using System.Globalization;
using AuthFunctions.Azure.Tables;
using AuthFunctions.Core.Keys;
using AuthFunctions.Core.Storage;
using Azure;
using Azure.Data.Tables;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Options;

namespace AuthFunctions.Azure.Keys;

/// <summary>
/// Signing keys as versions of one Key Vault secret (PKCS#8 PEM), their dates in the version's tags.
/// Key Vault has no conditional write, so the single-writer rule takes a claim first: an
/// insert-if-none-exists of the generation in Table Storage. Only the claimant writes the version;
/// a claim whose writer died is taken over (ETag) once it is older than <see cref="ClaimTimeout"/>.
/// Should two versions of one generation exist anyway, the first created wins, the loser disables
/// its own, and every reader ignores a losing duplicate.
/// </summary>
public sealed class KeyVaultSigningKeyStore(SecretClient client, IOptions<KeyStoreOptions> options, TimeProvider timeProvider, AuthTables tables) : ISigningKeyStore
{
    /// <summary>How long a claim holds before another instance may take it over.</summary>
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromMinutes(1);

    private const string ClaimPartition = "keyvault-claims";

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
        if ((await ListWinnersAsync(cancellationToken)).Any(v => GenerationOf(v) == key.Generation)
            || await ClaimAsync(key, cancellationToken) == WriteResult.Conflict)
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

    /// <summary>The conditional write: claim the generation, or take over a claim whose writer has gone.</summary>
    private async Task<WriteResult> ClaimAsync(SigningKeyRecord key, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.SigningKeys, cancellationToken);
        var rowKey = key.Generation.ToString("D10", CultureInfo.InvariantCulture);
        var now = timeProvider.GetUtcNow();
        var claim = new TableEntity(ClaimPartition, rowKey) { ["KeyId"] = key.KeyId, ["ClaimedAt"] = now };
        if (await AuthTables.TryAddAsync(table, claim, cancellationToken) == WriteResult.Written)
        {
            return WriteResult.Written;
        }

        var existing = await AuthTables.FindAsync<TableEntity>(table, ClaimPartition, rowKey, cancellationToken);
        if (existing is null || existing.GetDateTimeOffset("ClaimedAt") is not { } claimedAt || now - claimedAt < ClaimTimeout)
        {
            return WriteResult.Conflict;
        }

        try
        {
            await AuthTables.Run(() => table.UpdateEntityAsync(claim, existing.ETag, TableUpdateMode.Replace, cancellationToken));
            return WriteResult.Written;
        }
        catch (RequestFailedException exception) when (exception.Status == 412)
        {
            return WriteResult.Conflict;
        }
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
