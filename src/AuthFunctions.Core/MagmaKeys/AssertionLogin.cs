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

    public async Task<Outcome<IssuedToken>> LoginAsync(string assertion, CancellationToken cancellationToken)
    {
        var key = await IssuerKeyAsync(assertion, cancellationToken);
        if (key is null)
        {
            return Refused("its issuer is no magma key that may sign assertions");
        }

        var rules = new ForeignTokenRules { Issuer = key.Name, Audience = tokenOptions.Value.Issuer, MaxLifetime = MaxLifetime };
        var validated = await validator.ValidateAsync(
            assertion,
            rules,
            async (kid, _, ct) => (await assertionKeys.FindAsync(key.Name, kid, ct))?.ToSecurityKey(),
            cancellationToken);
        if (!validated.Succeeded)
        {
            return Refused(validated.Error.Detail);
        }

        var jwt = validated.Value;
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

    /// <summary>The live magma key named by the (not yet verified) <c>iss</c>, holding <c>authenticate</c>; null otherwise.</summary>
    private async Task<MagmaKey?> IssuerKeyAsync(string assertion, CancellationToken cancellationToken)
    {
        string? issuer;
        try
        {
            issuer = assertion.Length <= ForeignTokenValidator.MaxTokenLength ? new JsonWebToken(assertion).Issuer : null;
        }
        catch (ArgumentException)
        {
            return null;
        }

        var key = Identifiers.TryName(issuer, out var name) ? await keys.FindAsync(name, cancellationToken) : null;
        return key is { Enabled: true } && key.Rights.HasFlag(Rights.Authenticate)
            && (key.ExpiresAt is not { } expiresAt || expiresAt > timeProvider.GetUtcNow())
            && string.Equals(issuer, key.Name, StringComparison.Ordinal)
            ? key
            : null;
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
