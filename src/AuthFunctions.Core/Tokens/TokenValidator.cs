using System.Text.Json;
using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Keys;
using AuthFunctions.Core.Principals;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthFunctions.Core.Tokens;

/// <summary>
/// Validates our own access tokens: fixed algorithm list, a <c>kid</c> that the key ring knows,
/// <c>typ</c> at+jwt, issuer, audience, lifetime with 60 s skew; then the token's record, so a
/// revoked or unrecorded token is refused. Each failed check has its own <see cref="TokenRefusals"/>.
/// </summary>
public sealed class TokenValidator(KeyRing keyRing, ITokenRegistry registry, IOptions<TokenOptions> options, TimeProvider timeProvider)
{
    /// <summary>The only algorithms we accept: never <c>none</c>, never an HMAC (RS/HS confusion).</summary>
    public static readonly IReadOnlyList<string> Algorithms = [SigningAlgorithms.ES256, SigningAlgorithms.RS256];

    private static readonly JsonWebTokenHandler Handler = new() { MaximumTokenSizeInBytes = 16 * 1024 };
    private readonly TokenOptions options = options.Value;
    private readonly LifetimeValidator lifetime = TokenLifetime.NamingFailures(timeProvider);
    private volatile CachedParameters? cached;

    public async Task<Outcome<ValidatedToken>> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (!TokenForm.HasCanonicalEncoding(token))
        {
            return TokenRefusals.Malformed;
        }

        var snapshot = await keyRing.GetAsync(cancellationToken);
        var result = await Handler.ValidateTokenAsync(token, ParametersFor(snapshot));
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return RefusalFor(result, snapshot);
        }

        // Signed by us, so it can only be ours in the canonical form: anything else is a tampered twin.
        if (!TokenForm.HasWellFormedMembers(jwt.EncodedHeader, jwt.EncodedPayload))
        {
            return TokenRefusals.Malformed;
        }

        if (!TokenForm.HasLowS(jwt.Alg, jwt.EncodedSignature))
        {
            return TokenRefusals.BadSignature;
        }

        // The handler checks nbf; we issue iat = nbf, so a later iat is no token of ours either.
        if (jwt.IssuedAt - KeyRing.ClockSkew > timeProvider.GetUtcNow().UtcDateTime)
        {
            return TokenRefusals.NotYetValid;
        }

        var validated = Read(jwt);
        if (validated is null)
        {
            return TokenRefusals.Malformed;
        }

        // The record and the principal's cut-offs are independent point reads: read them at once. The
        // record's issue time is exact, where iat is whole seconds: a token issued just after a cut-off
        // in the same second lives, one issued just before it does not.
        var principal = TokenPrincipals.Of(validated.Claims);
        var scope = TokenPrincipals.ScopeOf(validated.Claims);
        var recordRead = registry.FindAsync(validated.TokenId, validated.ExpiresAt, cancellationToken);
        var cutoffRead = principal is null ? NoCutoff : registry.FindCutoffAsync(principal, cancellationToken);
        var scopeCutoffRead = scope is null ? NoCutoff : registry.FindCutoffAsync(scope, cancellationToken);
        await Task.WhenAll(recordRead, cutoffRead, scopeCutoffRead);
        var record = await recordRead;
        if (record is null || record.Revoked || record.Subject != validated.Claims.Subject
            || await cutoffRead is { } cutoff && record.IssuedAt < cutoff
            || await scopeCutoffRead is { } scopeCutoff && record.IssuedAt < scopeCutoff)
        {
            // One answer for every cut-off: which one (revoked, key or user deleted or disabled...) is
            // account state that the token's holder cannot see.
            return TokenRefusals.Revoked;
        }

        return validated;
    }

    private static readonly Task<DateTimeOffset?> NoCutoff = Task.FromResult<DateTimeOffset?>(null);

    /// <summary>
    /// The check that failed, told from the token's own header (which its holder can read) and the
    /// handler's exception: the form first, then the key, then the claims the handler named.
    /// </summary>
    private static AuthError RefusalFor(TokenValidationResult result, KeyRingSnapshot snapshot)
    {
        if (result.TokenOnFailedValidation is not JsonWebToken jwt)
        {
            return TokenRefusals.Malformed;
        }

        if (!Algorithms.Contains(jwt.Alg, StringComparer.Ordinal) || !string.Equals(jwt.Typ, TokenIssuer.AccessTokenType, StringComparison.Ordinal))
        {
            return TokenRefusals.UnsupportedType;
        }

        if (string.IsNullOrEmpty(jwt.Kid) || !snapshot.ValidationKeys.ContainsKey(jwt.Kid))
        {
            return TokenRefusals.UnknownKey;
        }

        return result.Exception switch
        {
            SecurityTokenExpiredException => TokenRefusals.Expired,
            SecurityTokenNotYetValidException => TokenRefusals.NotYetValid,
            SecurityTokenInvalidAudienceException => TokenRefusals.WrongAudience,
            SecurityTokenInvalidIssuerException => TokenRefusals.WrongIssuer,
            SecurityTokenSignatureKeyNotFoundException => TokenRefusals.UnknownKey,
            SecurityTokenInvalidSignatureException => TokenRefusals.BadSignature,
            SecurityTokenInvalidTypeException or SecurityTokenInvalidAlgorithmException => TokenRefusals.UnsupportedType,
            _ => TokenRefusals.Malformed,
        };
    }

    private TokenValidationParameters ParametersFor(KeyRingSnapshot snapshot)
    {
        var entry = cached;
        if (entry is not null && ReferenceEquals(entry.Snapshot, snapshot))
        {
            return entry.Parameters;
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuer = options.Issuer,
            ValidAudience = options.Audience,
            ValidAlgorithms = Algorithms,
            ValidTypes = [TokenIssuer.AccessTokenType],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = KeyRing.ClockSkew,
            TryAllIssuerSigningKeys = false,
            IssuerSigningKeyResolver = (_, _, kid, _) =>
                kid is not null && snapshot.ValidationKeys.TryGetValue(kid, out var key) ? [key] : [],
            LifetimeValidator = lifetime,
            SaveSigninToken = false,
            // The parsed token on failure, so that the refusal can name the check from its header.
            IncludeTokenOnFailedValidation = true,
        };
        cached = new CachedParameters(snapshot, parameters);
        return parameters;
    }


    private static ValidatedToken? Read(JsonWebToken jwt)
    {
        if (!jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Sub, out var subject)
            || !jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Jti, out var tokenId)
            || !jwt.TryGetPayloadValue<string>(TokenClaimNames.Grant, out var grant)
            || !jwt.TryGetPayloadValue<List<string>>(TokenClaimNames.Rights, out var rightNames)
            || !RightNames.TryParse(rightNames, out var rights, out _))
        {
            return null;
        }

        var claims = new AccessTokenClaims
        {
            Subject = subject,
            Grant = grant,
            Rights = rights,
            Name = Optional(jwt, TokenClaimNames.Name),
            Email = Optional(jwt, TokenClaimNames.Email),
            Organisation = Optional(jwt, TokenClaimNames.Organisation),
            TenantId = Optional(jwt, TokenClaimNames.TenantId),
            Role = Optional(jwt, TokenClaimNames.Role),
            ClientId = Optional(jwt, TokenClaimNames.ClientId),
            ActorSubject = ActorSubject(jwt),
        };
        return new ValidatedToken(claims, tokenId, new DateTimeOffset(jwt.IssuedAt, TimeSpan.Zero), new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero));
    }

    private static string? Optional(JsonWebToken jwt, string name) =>
        jwt.TryGetPayloadValue<string>(name, out var value) ? value : null;

    private static string? ActorSubject(JsonWebToken jwt)
    {
        if (!jwt.TryGetClaim(TokenClaimNames.Actor, out var actor) || actor.ValueType != JsonClaimValueTypes.Json)
        {
            return null;
        }

        using var document = JsonDocument.Parse(actor.Value);
        return document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty(JwtRegisteredClaimNames.Sub, out var sub)
            && sub.ValueKind == JsonValueKind.String
            ? sub.GetString()
            : null;
    }

    /// <summary>One reference, swapped atomically: the parameters always belong to their snapshot.</summary>
    private sealed record CachedParameters(KeyRingSnapshot Snapshot, TokenValidationParameters Parameters);
}
