using System.Text.RegularExpressions;
using AuthFunctions.Core.Errors;

namespace AuthFunctions.Core.Principals;

/// <summary>
/// Bounds of the free-text fields we store or sign (ids of other systems, display names, emails,
/// organisations): each has a limit well under Table Storage's 32 K characters per property and a
/// token's size, and none may hold control characters. A field that breaks them is a 400 naming it.
/// </summary>
public static partial class FieldRules
{
    /// <summary>An id another system gives its user (delegated logins).</summary>
    public const int MaxExternalIdLength = 256;

    public const int MaxDisplayNameLength = 200;

    /// <summary>RFC 5321 §4.5.3.1.3: a path is at most 256 octets, so an address at most 254 characters.</summary>
    public const int MaxEmailLength = 254;

    public const int MaxPasswordLength = 1024;

    /// <summary>Null when <paramref name="value"/> is acceptable text for <paramref name="field"/>; a missing optional field is.</summary>
    public static AuthError? Text(string? value, string field, int maxLength, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return required || value is { Length: > 0 } ? AuthError.InvalidRequest($"'{field}' is required and may not be blank.") : null;
        }

        if (value.Length > maxLength)
        {
            return AuthError.InvalidRequest($"'{field}' is longer than {maxLength} characters.");
        }

        return ControlCharacters().IsMatch(value) ? AuthError.InvalidRequest($"'{field}' may not contain control characters.") : null;
    }

    /// <summary>Null when <paramref name="value"/> is absent or looks like an email address within the bound.</summary>
    public static AuthError? Email(string? value, string field) =>
        value is null ? null
        : Text(value, field, MaxEmailLength, required: true) is { } error ? error
        : EmailShape().IsMatch(value) ? null
        : AuthError.InvalidRequest($"'{field}' is not an email address.");

    [GeneratedRegex(@"\p{C}", RegexOptions.CultureInvariant)]
    private static partial Regex ControlCharacters();

    [GeneratedRegex(@"^[^\s@]+@[^\s@]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex EmailShape();
}
