using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Keys;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthFunctions.Core.Tokens;

/// <summary>What a JWT from another issuer must satisfy, besides a signature by one of the keys we hold for it.</summary>
public sealed record ForeignTokenRules
{
    public required string Issuer { get; init; }

    public required string Audience { get; init; }

    /// <summary>When set, <c>exp</c> − <c>iat</c> may not exceed it (SSO assertions: 5 minutes), and <c>iat</c> is required.</summary>
    public TimeSpan? MaxLifetime { get; init; }
}

/// <summary>Finds the verification key of a foreign issuer by <c>kid</c>; <c>refresh</c> asks a remote source to look again.</summary>
public delegate Task<SecurityKey?> ForeignKeyLookup(string keyId, bool refresh, CancellationToken cancellationToken);

/// <summary>
/// The one validation path for JWTs that others sign (license tokens, SSO assertions): ES256 or RS256
/// only, a <c>kid</c> of a key we hold (never a key the token brings: <c>jwk</c>, <c>jku</c>, <c>x5u</c>,
/// <c>x5c</c> are refused), <c>typ</c> absent or JWT (never one of our access tokens), issuer,
/// audience, and lifetime with at most 60 s of skew. Every failure is <c>invalid_grant</c>.
/// </summary>
public sealed class ForeignTokenValidator(TimeProvider timeProvider)
{
    public const int MaxTokenLength = 16 * 1024;

    private static readonly string[] Algorithms = [SigningAlgorithms.ES256, SigningAlgorithms.RS256];
    private static readonly string[] KeyCarryingHeaders = ["jwk", "jku", "x5u", "x5c", "crit"];
    private static readonly JsonWebTokenHandler Handler = new() { MaximumTokenSizeInBytes = MaxTokenLength };
    private readonly LifetimeValidator lifetime = TokenLifetime.On(timeProvider);

    public async Task<Outcome<JsonWebToken>> ValidateAsync(string token, ForeignTokenRules rules, ForeignKeyLookup keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(keys);
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength || !Handler.CanReadToken(token))
        {
            return Refused("is not a JWT");
        }

        JsonWebToken unverified;
        try
        {
            unverified = new JsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return Refused("is not a JWT");
        }

        if (!Algorithms.Contains(unverified.Alg, StringComparer.Ordinal))
        {
            return Refused("is not signed with ES256 or RS256");
        }

        if (KeyCarryingHeaders.Any(h => unverified.TryGetHeaderValue<object>(h, out _)))
        {
            return Refused("carries a header we do not accept (jwk, jku, x5u, x5c or crit)");
        }

        if (!string.IsNullOrEmpty(unverified.Typ) && !string.Equals(unverified.Typ, "JWT", StringComparison.OrdinalIgnoreCase))
        {
            return Refused("has a typ other than JWT");
        }

        if (string.IsNullOrEmpty(unverified.Kid))
        {
            return Refused("names no kid");
        }

        var key = await keys(unverified.Kid, false, cancellationToken) ?? await keys(unverified.Kid, true, cancellationToken);
        if (key is null)
        {
            return Refused("is signed by a key we do not know");
        }

        var result = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = rules.Issuer,
            ValidAudience = rules.Audience,
            ValidAlgorithms = Algorithms,
            IssuerSigningKey = key,
            TryAllIssuerSigningKeys = false,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            LifetimeValidator = lifetime,
            ValidateTokenReplay = false,
            SaveSigninToken = false,
        });
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return Refused("is expired, not yet valid, for another audience or issuer, or its signature does not verify");
        }

        if (rules.MaxLifetime is { } max
            && (!jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out var iat) || jwt.ValidTo - DateTimeOffset.FromUnixTimeSeconds(iat).UtcDateTime > max))
        {
            return Refused($"lives longer than {max.TotalMinutes:0} minutes");
        }

        return jwt;
    }

    private static AuthError Refused(string why) => AuthError.InvalidGrant($"The token {why}.");
}
