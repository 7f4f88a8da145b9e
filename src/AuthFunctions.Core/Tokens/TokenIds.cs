using System.Buffers.Text;
using System.Security.Cryptography;

namespace AuthFunctions.Core.Tokens;

/// <summary>Token ids (<c>jti</c>): 128 random bits, base64url without padding.</summary>
public static class TokenIds
{
    /// <summary>The random bytes of an id.</summary>
    public const int RandomBytes = 16;

    /// <summary>The characters of an id: 16 bytes in base64url.</summary>
    public const int Length = 22;

    public static string NewRandom()
    {
        Span<byte> random = stackalloc byte[RandomBytes];
        RandomNumberGenerator.Fill(random);
        return Base64Url.EncodeToString(random);
    }
}
