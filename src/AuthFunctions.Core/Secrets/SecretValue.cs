using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace AuthFunctions.Core.Secrets;

/// <summary>
/// Secrets we hand out (magma secrets, plugin and connection tokens): 256 random bits, base64url,
/// behind a readable prefix; stored only as their SHA-256.
/// </summary>
public static class SecretValue
{
    public const string MagmaPrefix = "mk_";
    public const string PluginPrefix = "plg_";
    public const string PluginConnectionPrefix = "plc_";

    private const int SecretBytes = 32;

    public static string Generate(string prefix)
    {
        Span<byte> random = stackalloc byte[SecretBytes];
        RandomNumberGenerator.Fill(random);
        return prefix + Base64Url.EncodeToString(random);
    }

    /// <summary>SHA-256 of the UTF-8 secret, base64url: what storage holds.</summary>
    public static string Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(secret), hash);
        return Base64Url.EncodeToString(hash);
    }

    /// <summary>Constant-time comparison of a presented secret with a stored hash.</summary>
    public static bool Matches(string presented, string storedHash)
    {
        ArgumentNullException.ThrowIfNull(presented);
        ArgumentNullException.ThrowIfNull(storedHash);
        Span<byte> presentedHash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), presentedHash);
        Span<byte> stored = stackalloc byte[SHA256.HashSizeInBytes];
        if (!Base64Url.IsValid(storedHash, out var length) || length != stored.Length
            || !Base64Url.TryDecodeFromChars(storedHash, stored, out _))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(presentedHash, stored);
    }
}
