using System.Globalization;
using System.Text;

namespace AuthFunctions.Core.Users;

/// <summary>
/// The mixed-script rule for new usernames, after Unicode's identifier profile (UTS #39 §5.2, "moderately
/// restrictive"): one script; or Latin with Han and Hiragana/Katakana (Japanese), with Han and Bopomofo
/// (Chinese), or with Han and Hangul (Korean); or Latin with any one other script but Cyrillic, Greek and
/// Cherokee, whose letters pass for Latin ones. So "аdmin" with a Cyrillic "а" is refused next to "admin".
/// Digits, punctuation and symbols (Common) and combining marks (Inherited) belong to every script.
/// </summary>
/// <remarks>
/// .NET exposes no Unicode Script property, so the table below names the blocks of the scripts the rule
/// turns on; any other letter counts as one further script ("Other"), which is allowed alone or with
/// Latin. Dotted and dotless i (İ, ı) are Latin: the rule cannot tell "admİn" from a Turkish name, and
/// names compare after NFKC and case folding, which is where such look-alikes meet their match.
/// </remarks>
public static class UsernameScripts
{
    public const string Rule =
        "'username' mixes scripts that pass for one another: use one script, or Latin with one other (not Cyrillic, Greek or Cherokee), or Latin with Han and Hiragana/Katakana, Bopomofo or Hangul (Unicode UTS #39, moderately restrictive).";

    private enum Script
    {
        Latin,
        Greek,
        Cyrillic,
        Armenian,
        Hebrew,
        Arabic,
        Devanagari,
        Thai,
        Georgian,
        Cherokee,
        Hangul,
        Hiragana,
        Katakana,
        Bopomofo,
        Han,
        Other,
    }

    /// <summary>Code point ranges (inclusive) of the scripts the rule names: their letters and digits.</summary>
    private static readonly (int First, int Last, Script Script)[] Ranges =
    [
        (0x0041, 0x005A, Script.Latin), (0x0061, 0x007A, Script.Latin), (0x00AA, 0x00AA, Script.Latin), (0x00BA, 0x00BA, Script.Latin),
        (0x00C0, 0x024F, Script.Latin), (0x0250, 0x02AF, Script.Latin), (0x1D00, 0x1D7F, Script.Latin), (0x1E00, 0x1EFF, Script.Latin),
        (0x2C60, 0x2C7F, Script.Latin), (0xA720, 0xA7FF, Script.Latin), (0xAB30, 0xAB6F, Script.Latin), (0xFF21, 0xFF3A, Script.Latin), (0xFF41, 0xFF5A, Script.Latin),
        (0x0370, 0x03FF, Script.Greek), (0x1F00, 0x1FFF, Script.Greek),
        (0x0400, 0x052F, Script.Cyrillic), (0x1C80, 0x1C8F, Script.Cyrillic), (0x2DE0, 0x2DFF, Script.Cyrillic), (0xA640, 0xA69F, Script.Cyrillic),
        (0x0530, 0x058F, Script.Armenian), (0xFB13, 0xFB17, Script.Armenian),
        (0x0590, 0x05FF, Script.Hebrew), (0xFB1D, 0xFB4F, Script.Hebrew),
        (0x0600, 0x06FF, Script.Arabic), (0x0750, 0x077F, Script.Arabic), (0x08A0, 0x08FF, Script.Arabic), (0xFB50, 0xFDFF, Script.Arabic), (0xFE70, 0xFEFF, Script.Arabic),
        (0x0900, 0x097F, Script.Devanagari),
        (0x0E00, 0x0E7F, Script.Thai),
        (0x10A0, 0x10FF, Script.Georgian), (0x1C90, 0x1CBF, Script.Georgian), (0x2D00, 0x2D2F, Script.Georgian),
        (0x13A0, 0x13FF, Script.Cherokee), (0xAB70, 0xABBF, Script.Cherokee),
        (0x1100, 0x11FF, Script.Hangul), (0x3130, 0x318F, Script.Hangul), (0xA960, 0xA97F, Script.Hangul), (0xAC00, 0xD7FF, Script.Hangul),
        (0x3040, 0x309F, Script.Hiragana),
        (0x30A0, 0x30FF, Script.Katakana), (0x31F0, 0x31FF, Script.Katakana), (0xFF66, 0xFF9F, Script.Katakana),
        (0x3100, 0x312F, Script.Bopomofo), (0x31A0, 0x31BF, Script.Bopomofo),
        (0x2E80, 0x2FDF, Script.Han), (0x3005, 0x3007, Script.Han), (0x3021, 0x3029, Script.Han), (0x3038, 0x303B, Script.Han),
        (0x3400, 0x4DBF, Script.Han), (0x4E00, 0x9FFF, Script.Han), (0xF900, 0xFAFF, Script.Han), (0x20000, 0x3134F, Script.Han),
    ];

    private static readonly Script[][] AllowedWithHan =
    [
        [Script.Latin, Script.Han, Script.Hiragana, Script.Katakana],
        [Script.Latin, Script.Han, Script.Bopomofo],
        [Script.Latin, Script.Han, Script.Hangul],
    ];

    /// <summary>True when <paramref name="username"/> keeps to the rule (see <see cref="Rule"/>).</summary>
    public static bool AreAllowed(string username)
    {
        ArgumentNullException.ThrowIfNull(username);
        var scripts = new HashSet<Script>();
        foreach (var rune in username.EnumerateRunes())
        {
            if (ScriptOf(rune) is { } script)
            {
                scripts.Add(script);
            }
        }

        if (scripts.Count <= 1 || AllowedWithHan.Any(allowed => scripts.IsSubsetOf(allowed)))
        {
            return true;
        }

        return scripts.Count == 2 && scripts.Contains(Script.Latin)
            && !scripts.Overlaps([Script.Cyrillic, Script.Greek, Script.Cherokee]);
    }

    /// <summary>The script of a letter or digit; null for what every script shares (Common, Inherited).</summary>
    private static Script? ScriptOf(Rune rune)
    {
        var category = Rune.GetUnicodeCategory(rune);
        var letterOrDigit = category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber;
        if (!letterOrDigit || (category == UnicodeCategory.DecimalDigitNumber && rune.IsAscii) || rune.Value == 0x30FC)
        {
            // Digits 0-9, punctuation, symbols, spaces and marks; U+30FC (ー) is Common to Hiragana and Katakana.
            return null;
        }

        foreach (var (first, last, script) in Ranges)
        {
            if (rune.Value >= first && rune.Value <= last)
            {
                return script;
            }
        }

        return category == UnicodeCategory.ModifierLetter ? null : Script.Other;
    }
}
