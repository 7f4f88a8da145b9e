namespace AuthFunctions.Core.Tokens;

/// <summary>The record of one issued token, so that it can be introspected and revoked.</summary>
public sealed record TokenRecord
{
    public required string TokenId { get; init; }

    public required string Subject { get; init; }

    public required string Grant { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>Also the storage bucket: a presented token's own <c>exp</c> finds its record with a point read.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    public string? ClientId { get; init; }

    public bool Revoked { get; init; }
}

/// <summary>Every issued token, by jti and expiry.</summary>
public interface ITokenRegistry
{
    Task RecordAsync(TokenRecord record, CancellationToken cancellationToken);

    /// <summary>The record of the token with this id and expiry, or null when there is none.</summary>
    Task<TokenRecord?> FindAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}
