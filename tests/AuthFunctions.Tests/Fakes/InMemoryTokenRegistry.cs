using System.Collections.Concurrent;
using AuthFunctions.Core.Tokens;

namespace AuthFunctions.Tests.Fakes;

internal sealed class InMemoryTokenRegistry : ITokenRegistry
{
    public ConcurrentDictionary<string, TokenRecord> Records { get; } = new();

    /// <summary>Where the ids of new tokens come from; a random id each when unset.</summary>
    public Func<string>? NextTokenId { get; set; }

    public string NewTokenId() => NextTokenId?.Invoke() ?? TokenIds.NewRandom();

    public Task RecordAsync(TokenRecord record, CancellationToken cancellationToken)
    {
        Records[record.TokenId] = record;
        return Task.CompletedTask;
    }

    public Task<TokenRecord?> FindAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        Task.FromResult(Records.TryGetValue(tokenId, out var record) && record.ExpiresAt == expiresAt ? record : null);

    public ConcurrentDictionary<string, DateTimeOffset> Cutoffs { get; } = new(StringComparer.Ordinal);

    public Task<DateTimeOffset?> FindCutoffAsync(string principal, CancellationToken cancellationToken) =>
        Task.FromResult(Cutoffs.TryGetValue(principal, out var cutoff) ? cutoff : (DateTimeOffset?)null);

    public Task SetCutoffAsync(string principal, DateTimeOffset validAfter, CancellationToken cancellationToken)
    {
        Cutoffs.AddOrUpdate(principal, validAfter, (_, existing) => existing > validAfter ? existing : validAfter);
        return Task.CompletedTask;
    }

    public void Revoke(string tokenId) => Records[tokenId] = Records[tokenId] with { Revoked = true };

    public Task<bool> RevokeAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var found = Records.TryGetValue(tokenId, out var record) && record.ExpiresAt == expiresAt;
        if (found)
        {
            Revoke(tokenId);
        }

        return Task.FromResult(found);
    }
}
