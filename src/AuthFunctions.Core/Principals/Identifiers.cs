using System.Text.RegularExpressions;

namespace AuthFunctions.Core.Principals;

/// <summary>
/// The shapes of names and ids we accept. They become Table Storage keys, which forbid
/// '/', '\', '#', '?' and control characters; the patterns allow far less than that.
/// </summary>
public static partial class Identifiers
{
    /// <summary>Magma key names and tenant ids: letters, digits, '.', '_', '-'; 1–100 characters.</summary>
    public static bool IsValidName(string? value) => value is not null && NamePattern().IsMatch(value);

    /// <summary>
    /// Usernames: 1–100 printable characters without ':' (RFC 7617 §2: the user-id of Basic
    /// credentials cannot contain a colon) and without the characters Table keys forbid.
    /// </summary>
    public static bool IsValidUsername(string? value) => value is not null && UsernamePattern().IsMatch(value);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[^\s:/\\#?\p{C}][^:/\\#?\p{C}]{0,98}[^\s:/\\#?\p{C}]$|^[^\s:/\\#?\p{C}]$", RegexOptions.CultureInvariant)]
    private static partial Regex UsernamePattern();
}
