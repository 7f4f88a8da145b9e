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

        if (!DatesInRange(unverified))
        {
            return Refused("has a date claim (iat, nbf or exp) that is not a time in range");
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

        return jwt;
    }

    /// <summary>
    /// For a short-lived token that <see cref="ValidateAsync"/> accepted (SSO assertions: 5 minutes): on the
    /// clock, not on its own claims alone, so a future <c>iat</c> cannot stretch it. <c>iat</c> is required
    /// and at most 60 s ahead of now, <c>exp</c> at most <paramref name="max"/> (+ 60 s) from now, and
    /// <c>exp</c> − <c>iat</c> at most <paramref name="max"/>. Null when it holds.
    /// </summary>
    public AuthError? CheckShortLived(JsonWebToken token, TimeSpan max)
    {
        ArgumentNullException.ThrowIfNull(token);
        var now = timeProvider.GetUtcNow();
        if (!TryReadDate(token, JwtRegisteredClaimNames.Iat, out var issuedAt) || issuedAt is not { } iat)
        {
            return Refused("has no iat");
        }

        if (!TryReadDate(token, JwtRegisteredClaimNames.Exp, out var expiresAt) || expiresAt is not { } exp)
        {
            return Refused("has no exp");
        }

        if (iat > now + KeyRing.ClockSkew)
        {
            return Refused("is issued in the future");
        }

        return exp > now + max + KeyRing.ClockSkew || exp - iat > max
            ? Refused($"lives longer than {max.TotalMinutes:0} minutes")
            : null;
    }

    /// <summary>The latest time a NumericDate may name: 9999-12-31T23:59:59Z, the last second .NET represents.</summary>
    private static readonly long MaxNumericDate = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    /// <summary>RFC 7519 §2: a NumericDate is a number of seconds since 1970; anything else, or out of range, is refused before it is read.</summary>
    private static bool DatesInRange(JsonWebToken token) =>
        TryReadDate(token, JwtRegisteredClaimNames.Iat, out _)
        && TryReadDate(token, JwtRegisteredClaimNames.Nbf, out _)
        && TryReadDate(token, JwtRegisteredClaimNames.Exp, out _);

    /// <summary>True with the claim's time, or with null when the claim is absent; false when it is present but no time in range.</summary>
    private static bool TryReadDate(JsonWebToken token, string claim, out DateTimeOffset? value)
    {
        value = null;
        if (!token.TryGetPayloadValue<object>(claim, out var raw))
        {
            return true;
        }

        var seconds = raw switch
        {
            long whole => whole,
            int small => small,
            double fractional when double.IsFinite(fractional) && fractional >= 0 && fractional <= MaxNumericDate => (long)Math.Floor(fractional),
            decimal exact when exact >= 0 && exact <= MaxNumericDate => (long)Math.Floor(exact),
            _ => -1L,
        };
        if (seconds < 0 || seconds > MaxNumericDate)
        {
            return false;
        }

        value = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }

    private static AuthError Refused(string why) => AuthError.InvalidGrant($"The token {why}.");
}
