using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Tokens;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AuthFunctions.Core.MagmaKeys;

/// <summary>Remembers the <c>jti</c> of every accepted assertion until it expires, so none is used twice.</summary>
public interface IAssertionReplayStore
{
    /// <summary>True the first time <paramref name="tokenId"/> of <paramref name="keyName"/> is seen; false for a replay.</summary>
    Task<bool> TryUseAsync(string keyName, string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}

/// <summary>
/// SSO assertions (Ninchat's "jwt"-type keys, RFC 7523 claims): a JWT that a trusted server signs with
/// a key registered on its magma key — <c>iss</c> = the magma key's name, <c>aud</c> = our issuer,
/// at most 5 minutes long, single-use <c>jti</c> — becomes a delegated token under the delegated rules.
/// </summary>
public sealed partial class AssertionLogin(
    IMagmaKeyStore keys,
    IAssertionKeyStore assertionKeys,
    IAssertionReplayStore replays,
    ForeignTokenValidator validator,
    MagmaLogin delegation,
    IOptions<TokenOptions> tokenOptions,
    TimeProvider timeProvider,
    ILogger<AssertionLogin> logger)
{
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The one answer to every refusal before the signature is verified: whether the issuer is a key, holds
    /// <c>authenticate</c>, has the <c>kid</c>, or the token is malformed, nobody without the private key
    /// learns which (the log line says).
    /// </summary>
    public static readonly AuthError NotVerified = AuthError.InvalidGrant(
        "The assertion is refused: it is not a JWT for us, in its lifetime, signed by an assertion key registered on its issuer (a magma key that may sign assertions).");

    public async Task<Outcome<IssuedToken>> LoginAsync(string assertion, CancellationToken cancellationToken)
    {
        var (key, issuer) = await IssuerKeyAsync(assertion, cancellationToken);
        if (key is null)
        {
            return Unverified("its issuer is no magma key that may sign assertions");
        }

        var rules = new ForeignTokenRules { Issuer = issuer, Audience = tokenOptions.Value.Issuer };
        var validated = await validator.ValidateAsync(
            assertion,
            rules,
            async (kid, _, ct) => await assertionKeys.FindAsync(key.Name, kid, ct) is { } found && found.Serves(key) ? found.ToSecurityKey() : null,
            cancellationToken);
        if (!validated.Succeeded)
        {
            return Unverified(validated.Error.Detail);
        }

        // The signature verified: from here the caller holds the key, and each refusal may say why.
        var jwt = validated.Value;
        if (validator.CheckShortLived(jwt, MaxLifetime) is { } tooLong)
        {
            return Refused(tooLong.Detail);
        }

        if (!jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Jti, out var jti) || FieldRules.Text(jti, "jti", FieldRules.MaxExternalIdLength, required: true) is not null)
        {
            return Refused("it has no usable jti");
        }

        var user = ReadUser(jwt);
        if (!user.Succeeded)
        {
            return Refused(user.Error.Detail);
        }

        if (!await replays.TryUseAsync(key.Name, jti, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero), cancellationToken))
        {
            return Refused("its jti was used before (a replay)");
        }

        return await delegation.DelegateAsync(key, user.Value, cancellationToken);
    }

    /// <summary>
    /// The live magma key named by the (not yet verified) <c>iss</c>, holding <c>authenticate</c>, with that
    /// <c>iss</c> as written; null otherwise. <c>iss</c> names the key as a login does (NFKC, any case).
    /// </summary>
    private async Task<(MagmaKey? Key, string Issuer)> IssuerKeyAsync(string assertion, CancellationToken cancellationToken)
    {
        string? issuer;
        try
        {
            issuer = assertion.Length <= ForeignTokenValidator.MaxTokenLength ? new JsonWebToken(assertion).Issuer : null;
        }
        catch (ArgumentException)
        {
            return (null, string.Empty);
        }

        var key = Identifiers.TryName(issuer, out var name) ? await keys.FindAsync(name, cancellationToken) : null;
        return key is { Enabled: true } && key.Rights.HasFlag(Rights.Authenticate)
            && (key.ExpiresAt is not { } expiresAt || expiresAt > timeProvider.GetUtcNow())
            ? (key, issuer!)
            : (null, string.Empty);
    }

    /// <summary>The user the assertion speaks for, under the delegated login's field rules.</summary>
    private static Outcome<DelegatedUser> ReadUser(JsonWebToken jwt)
    {
        var rights = Rights.None;
        foreach (var claim in jwt.Claims.Where(c => c.Type == "rights"))
        {
            if (!RightNames.TryParse(claim.Value, out var right))
            {
                return AuthError.InvalidGrant("its rights are not an array of right names");
            }

            rights |= right;
        }

        var user = new DelegatedUser
        {
            Id = jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Sub, out var sub) ? sub : string.Empty,
            Name = jwt.TryGetPayloadValue<string>("name", out var name) ? name : string.Empty,
            Email = jwt.TryGetPayloadValue<string>("email", out var email) ? email : null,
            OrganisationName = jwt.TryGetPayloadValue<string>("org", out var org) ? org : null,
            Rights = rights,
        };
        return user.Validate() is { } invalid
            ? AuthError.InvalidGrant(invalid.Detail.Replace("'user.", "'", StringComparison.Ordinal))
            : user;
    }

    private AuthError Unverified(string why)
    {
        Log.Refused(logger, why);
        return NotVerified;
    }

    private AuthError Refused(string why)
    {
        Log.Refused(logger, why);
        return AuthError.InvalidGrant(why.StartsWith("The token", StringComparison.Ordinal) ? why : $"The assertion is refused: {why}.");
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1130, Level = LogLevel.Warning, Message = "SSO assertion refused: {Reason}")]
        public static partial void Refused(ILogger logger, string reason);
    }
}
