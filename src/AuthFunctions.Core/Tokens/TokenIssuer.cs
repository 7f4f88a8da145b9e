using AuthFunctions.Core.Keys;
using AuthFunctions.Core.Principals;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthFunctions.Core.Tokens;

/// <summary>Signs access tokens (RFC 9068 <c>at+jwt</c>) with the key ring's current key and records each one.</summary>
public sealed class TokenIssuer(KeyRing keyRing, ITokenRegistry registry, IOptions<TokenOptions> options, TimeProvider timeProvider)
{
    public const string AccessTokenType = "at+jwt";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly TokenOptions options = options.Value;

    public Task<IssuedToken> IssueAsync(AccessTokenClaims claims, TimeSpan lifetime, CancellationToken cancellationToken) =>
        IssueAsync(claims, lifetime, notAfter: null, cancellationToken);

    /// <param name="notAfter">When the credential the token came from ends (a key's or a license token's expiry): the token never outlives it.</param>
    public async Task<IssuedToken> IssueAsync(AccessTokenClaims claims, TimeSpan lifetime, DateTimeOffset? notAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var snapshot = await keyRing.GetAsync(cancellationToken);

        // JWT times are whole seconds: truncate so that expiresAt in the response equals exp. The record
        // keeps the exact moment, which cut-offs are compared with.
        var exactly = timeProvider.GetUtcNow();
        var now = DateTimeOffset.FromUnixTimeSeconds(exactly.ToUnixTimeSeconds());
        var expiresAt = now + TimeSpan.FromSeconds(Math.Floor(lifetime.TotalSeconds));
        if (notAfter is { } end && end < expiresAt)
        {
            expiresAt = DateTimeOffset.FromUnixTimeSeconds(end.ToUnixTimeSeconds());
        }

        var tokenId = registry.NewTokenId();

        var payload = new Dictionary<string, object>(12, StringComparer.Ordinal)
        {
            [JwtRegisteredClaimNames.Sub] = claims.Subject,
            [JwtRegisteredClaimNames.Jti] = tokenId,
            [TokenClaimNames.Grant] = claims.Grant,
            [TokenClaimNames.Rights] = RightNames.ToNames(claims.Rights),
        };
        AddIfPresent(payload, TokenClaimNames.Name, claims.Name);
        AddIfPresent(payload, TokenClaimNames.Email, claims.Email);
        AddIfPresent(payload, TokenClaimNames.Organisation, claims.Organisation);
        AddIfPresent(payload, TokenClaimNames.TenantId, claims.TenantId);
        AddIfPresent(payload, TokenClaimNames.Role, claims.Role);
        AddIfPresent(payload, TokenClaimNames.ClientId, claims.ClientId);
        if (claims.ActorSubject is not null)
        {
            payload[TokenClaimNames.Actor] = new Dictionary<string, object>(1, StringComparer.Ordinal) { [JwtRegisteredClaimNames.Sub] = claims.ActorSubject };
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expiresAt.UtcDateTime,
            TokenType = AccessTokenType,
            SigningCredentials = snapshot.Signer.Credentials,
            Claims = payload,
        };
        var accessToken = TokenForm.WithLowS(Handler.CreateToken(descriptor), snapshot.Signer.Record.Algorithm);

        // Recorded before it is handed out: a token nobody can revoke never exists.
        await registry.RecordAsync(
            new TokenRecord
            {
                TokenId = tokenId,
                Subject = claims.Subject,
                Grant = claims.Grant,
                IssuedAt = exactly,
                ExpiresAt = expiresAt,
                ClientId = claims.ClientId,
                TenantId = claims.TenantId,
            },
            cancellationToken);

        return new IssuedToken(accessToken, tokenId, expiresAt, (int)(expiresAt - now).TotalSeconds);
    }

    private static void AddIfPresent(Dictionary<string, object> payload, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            payload[name] = value;
        }
    }
}

/// <summary>Claim names beyond the registered ones.</summary>
public static class TokenClaimNames
{
    public const string Grant = "grant";
    public const string Rights = "rights";
    public const string Name = "name";
    public const string Email = "email";
    public const string Organisation = "org";
    public const string TenantId = "tid";
    public const string Role = "role";
    public const string ClientId = "client_id";
    public const string Actor = "act";
}
