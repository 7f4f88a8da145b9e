using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Tokens;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AuthFunctions.Core.Licenses;

/// <summary>
/// Exchanges a license-system token (Knowmax) for one of ours: <c>sub</c> namespaced as
/// <c>license:&lt;sub&gt;</c>, <c>name</c> and <c>email</c> carried over, rights = its <c>rights</c> ∩
/// <c>LicenseSystem:MaxRights</c>, one hour at most and never beyond the license token's own <c>exp</c>.
/// </summary>
public sealed partial class LicenseLogin(
    LicenseKeySource keys,
    ForeignTokenValidator validator,
    TokenIssuer issuer,
    IOptions<LicenseSystemOptions> licenseOptions,
    IOptions<TokenOptions> tokenOptions,
    ILogger<LicenseLogin> logger)
{
    public static readonly AuthError NotConfigured = new(ErrorCodes.ServiceUnavailable, "The license system is not configured here: set LicenseSystem__Issuer, LicenseSystem__Audience and LicenseSystem__Jwks or LicenseSystem__JwksUri.");

    public Task<Outcome<IssuedToken>> LoginAsync(string licenseToken, CancellationToken cancellationToken) =>
        LoginAsync(licenseToken, TokenGrants.License, cancellationToken);

    /// <summary>Our token for the license holder, with <paramref name="grant"/> (<c>license</c>, or <c>token_exchange</c> at <c>/oauth2/token</c>).</summary>
    public async Task<Outcome<IssuedToken>> LoginAsync(string licenseToken, string grant, CancellationToken cancellationToken)
    {
        var settings = licenseOptions.Value;
        if (!settings.IsConfigured)
        {
            return NotConfigured;
        }

        var rules = new ForeignTokenRules { Issuer = settings.Issuer!, Audience = settings.Audience! };
        var validated = await validator.ValidateAsync(licenseToken, rules, keys.FindAsync, cancellationToken);
        if (!validated.Succeeded)
        {
            Log.Refused(logger, validated.Error.Detail);
            return validated.Error;
        }

        var jwt = validated.Value;
        if (!jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Sub, out var subject)
            || FieldRules.Text(subject, "sub", FieldRules.MaxExternalIdLength, required: true) is not null)
        {
            Log.Refused(logger, "no usable sub");
            return AuthError.InvalidGrant("The license token has no usable 'sub'.");
        }

        var claims = new AccessTokenClaims
        {
            Subject = Subjects.License(subject),
            Grant = grant,
            Rights = GrantedRights(jwt) & settings.AllowedRights,
            Name = TextClaim(jwt, "name", FieldRules.MaxDisplayNameLength),
            Email = jwt.TryGetPayloadValue<string>("email", out var email) && FieldRules.Email(email, "email") is null ? email : null,
        };
        return await issuer.IssueAsync(claims, tokenOptions.Value.MagmaTokenLifetime, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero), cancellationToken);
    }

    /// <summary>The known right names of the token's <c>rights</c> array; anything else in it grants nothing.</summary>
    private static Rights GrantedRights(JsonWebToken jwt)
    {
        var rights = Rights.None;
        foreach (var claim in jwt.Claims.Where(c => c.Type == TokenClaimNames.Rights))
        {
            rights |= RightNames.TryParse(claim.Value, out var right) ? right : Rights.None;
        }

        return rights;
    }

    private static string? TextClaim(JsonWebToken jwt, string name, int maxLength) =>
        jwt.TryGetPayloadValue<string>(name, out var value) && FieldRules.Text(value, name, maxLength, required: true) is null ? value : null;

    private static partial class Log
    {
        [LoggerMessage(EventId = 1120, Level = LogLevel.Warning, Message = "License login refused: {Reason}")]
        public static partial void Refused(ILogger logger, string reason);
    }
}
