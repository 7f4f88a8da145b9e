using System.Globalization;
using AuthFunctions.Azure.Tables;
using AuthFunctions.Core.Keys;
using AuthFunctions.Core.Storage;
using Azure.Data.Tables;

namespace AuthFunctions.Azure.Keys;

/// <summary>
/// Development key store in Table Storage (Azurite locally): one row per generation, so the
/// insert itself is the conditional write. Never used in Azure (refused at start-up).
/// </summary>
public sealed class TableSigningKeyStore(AuthTables tables) : ISigningKeyStore
{
    private const string Partition = "signing-keys";

    public string Description => "development table store (Azurite)";

    public async Task<IReadOnlyList<SigningKeyRecord>> LoadAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.SigningKeys, cancellationToken);
        return await AuthTables.Run(async () =>
        {
            var keys = new List<SigningKeyRecord>();
            await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken: cancellationToken))
            {
                var tags = entity.Where(p => p.Value is string).ToDictionary(p => p.Key, p => (string)p.Value, StringComparer.Ordinal);
                if (tags.TryGetValue("pem", out var pem) && KeyRecordFormat.FromTags(tags, pem) is { } key)
                {
                    keys.Add(key);
                }
            }

            return keys;
        });
    }

    public async Task<WriteResult> TryAddAsync(SigningKeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var table = await tables.GetAsync(AuthTables.SigningKeys, cancellationToken);
        var entity = new TableEntity(Partition, key.Generation.ToString("D10", CultureInfo.InvariantCulture)) { ["pem"] = key.PrivateKeyPem };
        foreach (var (name, value) in KeyRecordFormat.ToTags(key))
        {
            entity[name] = value;
        }

        return await AuthTables.TryAddAsync(table, entity, cancellationToken);
    }
}
