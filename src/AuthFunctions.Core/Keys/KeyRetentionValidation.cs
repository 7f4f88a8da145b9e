using AuthFunctions.Core.Tokens;
using Microsoft.Extensions.Options;

namespace AuthFunctions.Core.Keys;

/// <summary>
/// A key must stay in JWKS until every token it may have signed has expired: its retention
/// (<c>Keys:MaxTokenLifetime</c>) must cover the longest configured token lifetime. The key ring adds
/// the validation's clock skew to the retention itself, so covering the lifetime is enough.
/// </summary>
public sealed class KeyRetentionValidation(IOptions<TokenOptions> tokens) : IValidateOptions<KeyRingOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyRingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (setting, longest) = tokens.Value.Lifetimes.MaxBy(l => l.Lifetime);
        return options.MaxTokenLifetime >= longest
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Keys:MaxTokenLifetime ({options.MaxTokenLifetime}) must be at least the longest token lifetime, {setting} ({longest}): " +
                "a signing key has to stay in JWKS until every token it signed has expired.");
    }
}
