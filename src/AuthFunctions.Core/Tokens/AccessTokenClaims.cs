using AuthFunctions.Core.Principals;

namespace AuthFunctions.Core.Tokens;

/// <summary>What a token says about its holder; <see cref="TokenIssuer"/> adds iss, aud, times and jti.</summary>
public sealed record AccessTokenClaims
{
    public required string Subject { get; init; }

    public required string Grant { get; init; }

    public required Rights Rights { get; init; }

    public string? Name { get; init; }

    public string? Email { get; init; }

    public string? Organisation { get; init; }

    public string? TenantId { get; init; }

    /// <summary>The member's role in <see cref="TenantId"/> (<c>operator</c>, <c>admin</c>) for a tenant-scoped login.</summary>
    public string? Role { get; init; }

    /// <summary>The <c>act.sub</c> of a delegated token (RFC 8693 §4.1).</summary>
    public string? ActorSubject { get; init; }

    public string? ClientId { get; init; }
}

/// <summary>A token as handed out.</summary>
public sealed record IssuedToken(string AccessToken, string TokenId, DateTimeOffset ExpiresAt, int ExpiresIn);

/// <summary>A token that passed validation, with its claims and times.</summary>
public sealed record ValidatedToken(AccessTokenClaims Claims, string TokenId, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);
