using System.Buffers;
using System.Buffers.Text;
using System.Numerics;
using System.Text.Json;
using AuthFunctions.Core.Keys;
using AuthFunctions.Core.Principals;

namespace AuthFunctions.Core.Tokens;

/// <summary>
/// The one canonical form of our tokens, so that one token has exactly one string and no parser
/// ambiguity reaches a decision: canonical base64url segments, no <c>crit</c> header, integer times,
/// a <c>rights</c> array of distinct known names, an <c>act</c> with a string <c>sub</c>, no repeated
/// member, and ECDSA signatures with a low S.
/// </summary>
public static class TokenForm
{
    private const int MaxSegmentBytes = 12 * 1024;

    // The order n of P-256 (FIPS 186-4 D.1.2.3), and n / 2: an ECDSA signature (r, s) verifies as
    // (r, n - s) too, so we sign with the low S and refuse the high one (the malleable twin).
    private static readonly BigInteger P256Order = BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
    private static readonly byte[] P256HalfOrder = (P256Order >> 1).ToByteArray(isUnsigned: true, isBigEndian: true);

    /// <summary>Three dot-separated segments, each canonical base64url: no padding, no stray bits in the last character.</summary>
    public static bool HasCanonicalEncoding(ReadOnlySpan<char> token)
    {
        var segments = 0;
        foreach (var range in token.Split('.'))
        {
            if (++segments > 3 || !IsCanonicalBase64Url(token[range]))
            {
                return false;
            }
        }

        return segments == 3;
    }

    /// <summary>
    /// True when the (signature-verified) token's header and payload have our shape: no <c>crit</c>
    /// (RFC 7515 §4.1.11: we understand no extension), no repeated member, <c>exp</c>, <c>nbf</c> and
    /// <c>iat</c> as JSON integers, <c>rights</c> as an array of distinct known names.
    /// </summary>
    public static bool HasWellFormedMembers(string encodedHeader, string encodedPayload) =>
        Scan(encodedHeader, header: true) && Scan(encodedPayload, header: false);

    /// <summary>An ES256 signature's S is at most n/2 (RS256 signatures are deterministic and pass).</summary>
    public static bool HasLowS(string algorithm, string encodedSignature)
    {
        if (algorithm != SigningAlgorithms.ES256)
        {
            return true;
        }

        Span<byte> signature = stackalloc byte[64];
        return Base64Url.TryDecodeFromChars(encodedSignature, signature, out var written)
            && written == 64
            && signature[32..].SequenceCompareTo(P256HalfOrder) <= 0;
    }

    /// <summary>The same ES256 token with its signature's S replaced by n − S when S is high; any other token as it is.</summary>
    public static string WithLowS(string token, string algorithm)
    {
        ArgumentNullException.ThrowIfNull(token);
        var dot = token.LastIndexOf('.');
        if (algorithm != SigningAlgorithms.ES256 || HasLowS(algorithm, token[(dot + 1)..]))
        {
            return token;
        }

        var signature = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        var s = new BigInteger(signature.AsSpan(32), isUnsigned: true, isBigEndian: true);
        var low = (P256Order - s).ToByteArray(isUnsigned: true, isBigEndian: true);
        Array.Clear(signature, 32, 32);
        low.CopyTo(signature.AsSpan(64 - low.Length));
        return string.Concat(token.AsSpan(0, dot + 1), Base64Url.EncodeToString(signature));
    }

    private static bool IsCanonicalBase64Url(ReadOnlySpan<char> segment)
    {
        if (segment.IsEmpty || segment.Length % 4 == 1)
        {
            return false;
        }

        foreach (var c in segment)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return false;
            }
        }

        // The bits of the last character beyond the encoded bytes must be zero: otherwise several
        // strings decode to the same bytes (RFC 4648 §3.5).
        var last = Sextet(segment[^1]);
        return (segment.Length % 4) switch
        {
            2 => (last & 0x0F) == 0,
            3 => (last & 0x03) == 0,
            _ => true,
        };
    }

    private static int Sextet(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '-' => 62,
        _ => 63,
    };

    private static bool Scan(string encoded, bool header)
    {
        if (encoded.Length > MaxSegmentBytes * 4 / 3)
        {
            return false;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Base64Url.GetMaxDecodedLength(encoded.Length));
        try
        {
            return Base64Url.TryDecodeFromChars(encoded, buffer, out var written) && ScanMembers(buffer.AsSpan(0, written), header);
        }
        catch (JsonException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool ScanMembers(ReadOnlySpan<byte> json, bool header)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 16 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            if (!seen.Add(name) || !reader.Read())
            {
                return false;
            }

            var valid = header
                ? name != "crit"
                : name switch
                {
                    "exp" or "nbf" or "iat" => reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out _),
                    TokenClaimNames.Rights => IsRightsArray(ref reader),
                    TokenClaimNames.Actor => IsActor(reader),
                    _ => true,
                };
            if (!valid)
            {
                return false;
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }
        }

        // Our tokens always carry all three times.
        return reader.TokenType == JsonTokenType.EndObject && !reader.Read()
            && (header || (seen.Contains("exp") && seen.Contains("nbf") && seen.Contains("iat")));
    }

    /// <summary>RFC 8693 §4.1: <c>act</c> is an object whose <c>sub</c> is a string (read on a copy; the caller skips it).</summary>
    private static bool IsActor(Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var depth = reader.CurrentDepth;
        var hasSub = false;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth + 1 && reader.ValueTextEquals("sub"))
            {
                if (hasSub || !reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    return false;
                }

                hasSub = true;
            }
        }

        return hasSub;
    }

    private static bool IsRightsArray(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        var rights = Rights.None;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String || !RightNames.TryParse(reader.GetString()!, out var right) || (rights & right) != 0)
            {
                return false;
            }

            rights |= right;
        }

        return reader.TokenType == JsonTokenType.EndArray;
    }
}
