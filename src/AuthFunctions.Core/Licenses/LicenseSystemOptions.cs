using System.ComponentModel.DataAnnotations;
using AuthFunctions.Core.Principals;
using Microsoft.IdentityModel.Tokens;

namespace AuthFunctions.Core.Licenses;

/// <summary>
/// The external license system (section <c>LicenseSystem</c>): whose tokens we exchange, and with
/// which keys we verify them, inline (<c>Jwks</c>) or fetched (<c>JwksUri</c>). Unset: the license
/// login answers 503.
/// </summary>
public sealed class LicenseSystemOptions : IValidatableObject
{
    public const string Section = "LicenseSystem";

    public string? Issuer { get; set; }

    public string? Audience { get; set; }

    /// <summary>A JWKS document (JSON) with the license system's public keys.</summary>
    public string? Jwks { get; set; }

    /// <summary>Where the license system publishes its JWKS; fetched, cached, refreshed on an unknown kid at most once a minute.</summary>
    public string? JwksUri { get; set; }

    /// <summary>The most a license token can grant, as right names separated by spaces or commas; default <c>data index</c>.</summary>
    public string MaxRights { get; set; } = "data index";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Issuer) || !string.IsNullOrWhiteSpace(Audience)
        || !string.IsNullOrWhiteSpace(Jwks) || !string.IsNullOrWhiteSpace(JwksUri);

    /// <summary>The parsed <see cref="MaxRights"/> (valid after start-up validation).</summary>
    public Rights AllowedRights => RightNames.TryParse(MaxRights.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries), out var rights, out _) ? rights : Rights.None;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!RightNames.TryParse(MaxRights.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries), out var rights, out var unknown))
        {
            yield return new ValidationResult($"LicenseSystem:MaxRights names an unknown right '{unknown}'.", [nameof(MaxRights)]);
        }
        else if ((rights & (Rights.Authenticate | Rights.Administration)) != 0)
        {
            yield return new ValidationResult("LicenseSystem:MaxRights may not hold 'authenticate' or 'administration'.", [nameof(MaxRights)]);
        }

        if (!IsConfigured)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(Issuer) || string.IsNullOrWhiteSpace(Audience))
        {
            yield return new ValidationResult("LicenseSystem:Issuer and LicenseSystem:Audience are both required once the license system is configured.", [nameof(Issuer)]);
        }

        var inline = !string.IsNullOrWhiteSpace(Jwks);
        if (inline == !string.IsNullOrWhiteSpace(JwksUri))
        {
            yield return new ValidationResult("Set exactly one of LicenseSystem:Jwks (inline keys) or LicenseSystem:JwksUri.", [nameof(Jwks)]);
        }
        else if (inline && !TryParseJwks(Jwks!, out _))
        {
            yield return new ValidationResult("LicenseSystem:Jwks is not a JWKS document with at least one signing key.", [nameof(Jwks)]);
        }
        else if (!inline && (!Uri.TryCreate(JwksUri, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback)))
        {
            yield return new ValidationResult("LicenseSystem:JwksUri must be an absolute https URL (http only on loopback).", [nameof(JwksUri)]);
        }
    }

    /// <summary>The signing keys of a JWKS document; false when it is not one or has none.</summary>
    public static bool TryParseJwks(string json, out IList<SecurityKey> keys)
    {
        keys = [];
        try
        {
            keys = new JsonWebKeySet(json).GetSigningKeys();
            return keys.Count > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
