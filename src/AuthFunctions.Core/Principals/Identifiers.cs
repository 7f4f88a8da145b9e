using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;

namespace AuthFunctions.Core.Principals;

/// <summary>
/// The shapes of names and ids we accept, and how they compare. Names are taken in Unicode NFKC
/// (compatibility characters folded: fullwidth 'ｂｏｂ' is 'bob') and compare without regard to case,
/// so 'deleg', 'DELEG' and 'Ｄｅｌｅｇ' are one name. They become Table Storage keys, which forbid
/// '/', '\', '#', '?' and control characters; the patterns allow far less than that.
/// </summary>
public static partial class Identifiers
{
    /// <summary>The longest magma key name, tenant id or username.</summary>
    public const int MaxNameLength = 100;

    /// <summary>
    /// Magma key names and tenant ids: letters, digits, '.', '_', '-'; 1–100 characters, in NFKC.
    /// <paramref name="name"/> is the NFKC form (case kept, for display and token claims).
    /// </summary>
    public static bool TryName(string? value, [NotNullWhen(true)] out string? name) =>
        TryNormalize(value, out name) && NamePattern().IsMatch(name);

    /// <summary>
    /// Usernames: 1–100 printable characters in NFKC, without ':' (RFC 7617 §2: the user-id of Basic
    /// credentials cannot contain a colon) and without the characters Table keys forbid.
    /// </summary>
    public static bool TryUsername(string? value, [NotNullWhen(true)] out string? username) =>
        TryNormalize(value, out username) && UsernamePattern().IsMatch(username);

    /// <summary>
    /// Ids we generate (users <c>u_…</c>, plugins <c>p_…</c>, connections <c>c_…</c>): base64url after a
    /// short prefix. Anything else cannot name one of them, so it is "not found" without a storage read.
    /// </summary>
    public static bool IsGeneratedId(string? value) => value is not null && GeneratedIdPattern().IsMatch(value);

    /// <summary>Makes an id of <paramref name="prefix"/> and 96 random bits in base64url.</summary>
    public static string NewId(string prefix)
    {
        Span<byte> random = stackalloc byte[12];
        System.Security.Cryptography.RandomNumberGenerator.Fill(random);
        return prefix + System.Buffers.Text.Base64Url.EncodeToString(random);
    }

    /// <summary>What names compare by, and storage keys are made of: NFKC, then lower case (culture-invariant).</summary>
    public static string KeyOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return (TryNormalize(name, out var normalized) ? normalized : name).ToLowerInvariant();
    }

    /// <summary>True when NFKC normalisation works in this process (it needs ICU: not in invariant-globalization mode).</summary>
    public static bool NormalizationWorks => "\uFF42".Normalize(NormalizationForm.FormKC) == "b";

    private static bool TryNormalize(string? value, [NotNullWhen(true)] out string? normalized)
    {
        normalized = null;
        if (value is null || value.Length > 4 * MaxNameLength)
        {
            return false;
        }

        try
        {
            normalized = value.IsNormalized(NormalizationForm.FormKC) ? value : value.Normalize(NormalizationForm.FormKC);
            return true;
        }
        catch (ArgumentException)
        {
            // A lone surrogate: not text, so not a name.
            return false;
        }
    }

    // \z, not $: '$' also matches before a final newline, and "acme\n" is no tenant id.
    [GeneratedRegex(@"^[a-z]{1,4}_[A-Za-z0-9_-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex GeneratedIdPattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^(?:[^\s:/\\#?\p{C}][^:/\\#?\p{C}]{0,98}[^\s:/\\#?\p{C}]|[^\s:/\\#?\p{C}])\z", RegexOptions.CultureInvariant)]
    private static partial Regex UsernamePattern();
}
