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

    public string? TenantId { get; init; }

    public bool Revoked { get; init; }
}

/// <summary>
/// Every issued token, by jti and expiry, and a "valid after" cut-off per principal: deleting or
/// disabling a key or user sets its cut-off, which ends every token issued through it before that
/// moment at once, without reading a single token record.
/// </summary>
public interface ITokenRegistry
{
    /// <summary>
    /// A new token id (<c>jti</c>): 16 random bytes, base64url. The registry draws it, so that it may place
    /// the records of tokens issued together side by side (see <c>TokenTable</c>, whose ids are random among
    /// those of one shard: 124 bits); by default, any random id (128 bits).
    /// </summary>
    string NewTokenId() => TokenIds.NewRandom();

    Task RecordAsync(TokenRecord record, CancellationToken cancellationToken);

    /// <summary>The record of the token with this id and expiry, or null when there is none.</summary>
    Task<TokenRecord?> FindAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Marks the token revoked (idempotent); false when there is no such record.</summary>
    Task<bool> RevokeAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>The principal's cut-off (see <see cref="TokenPrincipals"/>), or null when it has none.</summary>
    Task<DateTimeOffset?> FindCutoffAsync(string principal, CancellationToken cancellationToken);

    /// <summary>Ends every token of <paramref name="principal"/> issued before <paramref name="validAfter"/>; idempotent.</summary>
    Task SetCutoffAsync(string principal, DateTimeOffset validAfter, CancellationToken cancellationToken);
}

/// <summary>Which principal's cut-off governs a token.</summary>
public static class TokenPrincipals
{
    /// <summary>
    /// The key a token came through (its <c>client_id</c>: the magma key's own and delegated tokens),
    /// else the user it was issued to (password and API tokens); null when nothing of ours can end it early.
    /// </summary>
    public static string? Of(AccessTokenClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (claims.ClientId is { } client)
        {
            return MagmaKeys.MagmaKey.SubjectFor(client);
        }

        return claims.Grant is TokenGrants.Password or TokenGrants.ApiToken ? claims.Subject : null;
    }

    /// <summary>
    /// The second principal of a user's token scoped to one tenant: its membership there, cut off when
    /// the member is removed or demoted. Null for every other token.
    /// </summary>
    public static string? ScopeOf(AccessTokenClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        return claims.TenantId is { } tenant && claims.ClientId is null && claims.Grant is TokenGrants.Password or TokenGrants.ApiToken
            ? TenantMember(tenant, claims.Subject)
            : null;
    }

    /// <summary>The principal of a user's membership of a tenant (see <see cref="ScopeOf"/>).</summary>
    public static string TenantMember(string tenantId, string userId) => "member:" + Principals.Identifiers.KeyOf(tenantId) + ":" + userId;
}
