using AuthFunctions.Core.Errors;
using AuthFunctions.Core.MagmaKeys;
using AuthFunctions.Core.Principals;
using Microsoft.Extensions.Logging;

namespace AuthFunctions.Core.Tokens;

/// <summary>
/// What a resource server (a magma key) may learn about a token (RFC 7662) and revoke (RFC 7009).
/// A realm key sees only the tokens of its own tenant: any other is "not active" to it.
/// </summary>
public sealed partial class TokenIntrospection(TokenValidator validator, ITokenRegistry registry, ILogger<TokenIntrospection> logger)
{
    /// <summary>
    /// The token's checks (signature, claims, its record and cut-offs), which do not depend on who asks:
    /// an endpoint may start them while it still reads the caller's key, then ask <see cref="Visible"/>.
    /// </summary>
    public Task<Outcome<ValidatedToken>> CheckAsync(string token, CancellationToken cancellationToken) =>
        validator.ValidateAsync(token, cancellationToken);

    /// <summary>
    /// True for a client that may introspect at all: a magma key holding <c>introspect</c> (a resource API's
    /// key) or <c>administration</c>. Any other key would learn every token's subject and rights (RFC 7662 §4).
    /// </summary>
    public static bool MayIntrospect(MagmaKey client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return (client.Rights & (Rights.Introspect | Rights.Administration)) != Rights.None;
    }

    /// <summary>The token's claims when it is live and the caller may see it; null otherwise (RFC 7662 §2.2 <c>active: false</c>).</summary>
    public static ValidatedToken? Visible(MagmaKey caller, Outcome<ValidatedToken> check)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return check.Succeeded && MaySee(caller, check.Value.Claims) ? check.Value : null;
    }

    /// <summary>
    /// Revokes a live token issued to the caller (its <c>client_id</c>), or any token when the caller is a
    /// system administrator. A token that is not live, or not ours, needs nothing done (RFC 7009 §2.2:
    /// still a success); a live token of another client is refused.
    /// </summary>
    public async Task<Outcome<bool>> RevokeAsync(MagmaKey caller, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var validated = await validator.ValidateAsync(token, cancellationToken);
        if (!validated.Succeeded || !MaySee(caller, validated.Value.Claims))
        {
            // Not live, or not the caller's to know of (another tenant's): the same answer as an unknown token.
            return false;
        }

        var claims = validated.Value.Claims;
        var isAdministrator = (caller.Rights & Rights.Administration) != 0 && caller.TenantId is null;
        if (!isAdministrator && !string.Equals(claims.ClientId, caller.Name, StringComparison.Ordinal))
        {
            return AuthError.AccessDenied("The token was not issued to this client.");
        }

        await registry.RevokeAsync(validated.Value.TokenId, validated.Value.ExpiresAt, cancellationToken);
        Log.Revoked(logger, validated.Value.TokenId, claims.Subject, caller.Name);
        return true;
    }

    private static bool MaySee(MagmaKey caller, AccessTokenClaims claims) =>
        caller.TenantId is null
        || (claims.TenantId is not null && Identifiers.KeyOf(claims.TenantId) == Identifiers.KeyOf(caller.TenantId));

    private static partial class Log
    {
        [LoggerMessage(EventId = 1240, Level = LogLevel.Information, Message = "Token {TokenId} of {Subject} revoked by client {Client}")]
        public static partial void Revoked(ILogger logger, string tokenId, string subject, string client);
    }
}
