using System.ComponentModel.DataAnnotations;

namespace AuthFunctions.Core.Keys;

/// <summary>Signing-key settings (section <c>Keys</c>); the model is Duende IdentityServer's key management.</summary>
public sealed class KeyRingOptions : IValidatableObject
{
    public const string Section = "Keys";

    /// <summary><c>ES256</c> (P-256, default) or <c>RS256</c> (RSA 2048).</summary>
    [Required]
    [RegularExpression("^(ES256|RS256)$", ErrorMessage = "Keys:Algorithm must be ES256 or RS256.")]
    public string Algorithm { get; set; } = SigningAlgorithms.ES256;

    /// <summary>How long a new key is published in JWKS before it signs.</summary>
    public TimeSpan PropagationDelay { get; set; } = TimeSpan.FromDays(2);

    /// <summary>How long a key signs before its successor takes over.</summary>
    public TimeSpan RotationInterval { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// The longest lifetime of a token we sign; a key stays in JWKS this long (plus skew) after it stops
    /// signing. It must cover every configured token lifetime (checked at start-up): API tokens live up
    /// to a year by default, so this does too.
    /// </summary>
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>How often the in-memory key cache is reloaded from the store.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PropagationDelay < TimeSpan.Zero)
        {
            yield return new ValidationResult("Keys:PropagationDelay must not be negative.", [nameof(PropagationDelay)]);
        }

        if (RotationInterval <= PropagationDelay)
        {
            yield return new ValidationResult("Keys:RotationInterval must be longer than Keys:PropagationDelay.", [nameof(RotationInterval)]);
        }

        if (MaxTokenLifetime <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Keys:MaxTokenLifetime must be positive.", [nameof(MaxTokenLifetime)]);
        }

        if (RefreshInterval <= TimeSpan.Zero || RefreshInterval >= PropagationDelay && PropagationDelay > TimeSpan.Zero)
        {
            yield return new ValidationResult("Keys:RefreshInterval must be positive and shorter than Keys:PropagationDelay.", [nameof(RefreshInterval)]);
        }
    }
}

public static class SigningAlgorithms
{
    public const string ES256 = "ES256";
    public const string RS256 = "RS256";
}
