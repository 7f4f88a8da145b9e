namespace AuthFunctions.Core.Principals;

/// <summary>The rights a principal can hold; in tokens the lower-case names of the set flags.</summary>
[Flags]
public enum Rights
{
    None = 0,
    Data = 1 << 0,
    Index = 1 << 1,
    Modify = 1 << 2,
    Statistics = 1 << 3,
    Management = 1 << 4,
    Administration = 1 << 5,
    Authenticate = 1 << 6,

    /// <summary>A magma key's: it may ask <c>/oauth2/introspect</c> about tokens (RFC 7662 §4: not every client may).</summary>
    Introspect = 1 << 7,
}

/// <summary>Conversions between <see cref="Rights"/> and their wire names.</summary>
public static class RightNames
{
    private static readonly (Rights Right, string Name)[] All =
    [
        (Rights.Data, "data"),
        (Rights.Index, "index"),
        (Rights.Modify, "modify"),
        (Rights.Statistics, "statistics"),
        (Rights.Management, "management"),
        (Rights.Administration, "administration"),
        (Rights.Authenticate, "authenticate"),
        (Rights.Introspect, "introspect"),
    ];

    private static readonly string[][] NamesByValue = BuildNameTable();

    /// <summary>The names of the set flags, in the fixed order above (cached: no allocation per call).</summary>
    public static IReadOnlyList<string> ToNames(Rights rights) => NamesByValue[(int)rights & 0xFF];

    public static bool TryParse(string name, out Rights right)
    {
        foreach (var (value, text) in All)
        {
            if (string.Equals(text, name, StringComparison.Ordinal))
            {
                right = value;
                return true;
            }
        }

        right = Rights.None;
        return false;
    }

    /// <summary>Parses a list of names; the first unknown name is returned in <paramref name="unknown"/>.</summary>
    public static bool TryParse(IEnumerable<string> names, out Rights rights, out string? unknown)
    {
        rights = Rights.None;
        foreach (var name in names)
        {
            if (!TryParse(name, out var right))
            {
                unknown = name;
                return false;
            }

            rights |= right;
        }

        unknown = null;
        return true;
    }

    private static string[][] BuildNameTable()
    {
        var table = new string[256][];
        for (var value = 0; value < table.Length; value++)
        {
            table[value] = [.. All.Where(r => (value & (int)r.Right) != 0).Select(r => r.Name)];
        }

        return table;
    }
}
