using System.ComponentModel.DataAnnotations;

namespace AuthFunctions.Core.Tokens;

/// <summary>Token settings (section <c>Auth</c>).</summary>
public sealed class TokenOptions : IValidatableObject
{
    public const string Section = "Auth";

    /// <summary>The <c>iss</c> of every token and the base of discovery's URLs.</summary>
    [Required(ErrorMessage = "Auth:Issuer is required (an absolute http(s) URL).")]
    public string Issuer { get; set; } = "http://127.0.0.1:7071";

    /// <summary>The <c>aud</c> of every token.</summary>
    [Required(ErrorMessage = "Auth:Audience is required.")]
    public string Audience { get; set; } = "authfunctions";

    /// <summary>Lifetime of magma-key and delegated tokens (design: 1 h).</summary>
    public TimeSpan MagmaTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Lifetime of tokens from <c>/rs/authorise</c> (design: 30 min).</summary>
    public TimeSpan PasswordTokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The latest <c>expiresAt</c> an administrator may give a long-lived API token (design: 365 days).</summary>
    public TimeSpan MaxApiTokenLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Every configured token lifetime with its setting's name.</summary>
    public IEnumerable<(string Setting, TimeSpan Lifetime)> Lifetimes =>
    [
        ("Auth:MagmaTokenLifetime", MagmaTokenLifetime),
        ("Auth:PasswordTokenLifetime", PasswordTokenLifetime),
        ("Auth:MaxApiTokenLifetime", MaxApiTokenLifetime),
    ];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(Issuer, UriKind.Absolute, out var issuer) || (issuer.Scheme != Uri.UriSchemeHttps && issuer.Scheme != Uri.UriSchemeHttp))
        {
            yield return new ValidationResult("Auth:Issuer must be an absolute http(s) URL.", [nameof(Issuer)]);
        }

        foreach (var (setting, lifetime) in Lifetimes.Where(l => l.Lifetime <= TimeSpan.Zero))
        {
            yield return new ValidationResult($"{setting} must be positive.", [setting[(setting.IndexOf(':', StringComparison.Ordinal) + 1)..]]);
        }
    }

    /// <summary>The issuer without a trailing slash, for building endpoint URLs.</summary>
    public string IssuerBase => Issuer.TrimEnd('/');
}
