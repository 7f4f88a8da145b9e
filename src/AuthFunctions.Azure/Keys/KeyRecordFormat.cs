using System.Globalization;
using AuthFunctions.Core.Keys;

namespace AuthFunctions.Azure.Keys;

/// <summary>The metadata of a key as string pairs: Key Vault tags, file and table properties alike.</summary>
internal static class KeyRecordFormat
{
    public const string KeyId = "kid";
    public const string Algorithm = "alg";
    public const string Generation = "generation";
    public const string CreatedAt = "createdAt";
    public const string SignsFrom = "signsFrom";
    public const string SignsUntil = "signsUntil";
    public const string RetiresAt = "retiresAt";

    public static Dictionary<string, string> ToTags(SigningKeyRecord key) => new(StringComparer.Ordinal)
    {
        [KeyId] = key.KeyId,
        [Algorithm] = key.Algorithm,
        [Generation] = key.Generation.ToString(CultureInfo.InvariantCulture),
        [CreatedAt] = key.CreatedAt.ToString("o", CultureInfo.InvariantCulture),
        [SignsFrom] = key.SignsFrom.ToString("o", CultureInfo.InvariantCulture),
        [SignsUntil] = key.SignsUntil.ToString("o", CultureInfo.InvariantCulture),
        [RetiresAt] = key.RetiresAt.ToString("o", CultureInfo.InvariantCulture),
    };

    /// <summary>The record, or null when a tag is missing or malformed (a foreign version is ignored, not fatal).</summary>
    public static SigningKeyRecord? FromTags(IReadOnlyDictionary<string, string> tags, string privateKeyPem)
    {
        if (!tags.TryGetValue(KeyId, out var kid) || !tags.TryGetValue(Algorithm, out var alg)
            || !TryInt(tags, Generation, out var generation)
            || !TryDate(tags, CreatedAt, out var createdAt) || !TryDate(tags, SignsFrom, out var signsFrom)
            || !TryDate(tags, SignsUntil, out var signsUntil) || !TryDate(tags, RetiresAt, out var retiresAt))
        {
            return null;
        }

        return new SigningKeyRecord
        {
            KeyId = kid,
            Algorithm = alg,
            Generation = generation,
            PrivateKeyPem = privateKeyPem,
            CreatedAt = createdAt,
            SignsFrom = signsFrom,
            SignsUntil = signsUntil,
            RetiresAt = retiresAt,
        };
    }

    public static bool TryInt(IReadOnlyDictionary<string, string> tags, string name, out int value)
    {
        value = 0;
        return tags.TryGetValue(name, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static bool TryDate(IReadOnlyDictionary<string, string> tags, string name, out DateTimeOffset value)
    {
        value = default;
        return tags.TryGetValue(name, out var text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out value);
    }
}
