using System.Collections.Concurrent;
using System.Security.Cryptography;
using AuthFunctions.Core.Storage;

namespace AuthFunctions.Azure.Tables;

/// <summary>
/// Server keys (table <c>serverkeys</c>, PartitionKey = purpose): the first instance to need one inserts
/// it if none exists; every other instance reads the one that won. They protect nothing a reader of
/// this storage account could not see anyway (continuation tokens name rows of the caller's own partition).
/// </summary>
public sealed class ServerKeyTable(AuthTables tables) : IServerKeyStore
{
    private readonly ConcurrentDictionary<string, byte[]> known = new(StringComparer.Ordinal);

    /// <summary>A key never changes once made, so each process reads it from storage once.</summary>
    public async Task<byte[]> GetOrCreateAsync(string purpose, CancellationToken cancellationToken)
    {
        if (known.TryGetValue(purpose, out var cached))
        {
            return cached;
        }

        var key = await LoadOrCreateAsync(purpose, cancellationToken);
        return known.GetOrAdd(purpose, key);
    }

    private async Task<byte[]> LoadOrCreateAsync(string purpose, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.ServerKeys, cancellationToken);
        if (await AuthTables.FindAsync<ServerKeyEntity>(table, purpose, string.Empty, cancellationToken) is { } existing)
        {
            return existing.Key;
        }

        var created = new ServerKeyEntity { PartitionKey = purpose, Key = RandomNumberGenerator.GetBytes(32) };
        if (await AuthTables.TryAddAsync(table, created, cancellationToken) == WriteResult.Written)
        {
            return created.Key;
        }

        return (await AuthTables.FindAsync<ServerKeyEntity>(table, purpose, string.Empty, cancellationToken))?.Key
            ?? throw new StoreUnavailableException("A server key was neither created nor found.");
    }

    internal sealed class ServerKeyEntity : EntityBase
    {
        public byte[] Key { get; set; } = [];
    }
}
