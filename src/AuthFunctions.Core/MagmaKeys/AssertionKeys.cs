using System.Security.Cryptography;
using System.Text.Json;
using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Principals;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace AuthFunctions.Core.MagmaKeys;

/// <summary>A public key with which a trusted server (a magma key holding <c>authenticate</c>) signs SSO assertions.</summary>
public sealed record AssertionKey
{
    /// <summary>The magma key's name as created.</summary>
    public required string KeyName { get; init; }

    public required string KeyId { get; init; }

    /// <summary>The public JWK, as JSON (EC P-256 or RSA of at least 2048 bits; never private parts).</summary>
    public required string Jwk { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// The <see cref="MagmaKey.CreatedAt"/> of the magma key it was registered on: the key's version, since
    /// a name deleted and created again gets a new one. Null on rows stored before the binding existed.
    /// </summary>
    public DateTimeOffset? KeyCreatedAt { get; init; }

    /// <summary>
    /// True when it was registered on exactly this <paramref name="key"/>, not on an earlier key of the same
    /// name whose row was left behind. A row without <see cref="KeyCreatedAt"/> serves the key only when it
    /// was registered after the key was created (a leftover of an earlier key is dated before it).
    /// </summary>
    public bool Serves(MagmaKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return KeyCreatedAt is { } keyCreatedAt ? keyCreatedAt == key.CreatedAt : CreatedAt >= key.CreatedAt;
    }

    /// <summary>The verification key, or null when the stored JWK is not one we accept.</summary>
    public SecurityKey? ToSecurityKey() => AssertionKeys.TryReadPublicJwk(Jwk, KeyId, out var key, out _) ? key : null;
}

public interface IAssertionKeyStore
{
    Task<AssertionKey?> FindAsync(string keyName, string keyId, CancellationToken cancellationToken);

    /// <summary>Stores the key; true when it is new, false when it replaced one with the same kid.</summary>
    Task<bool> PutAsync(AssertionKey key, CancellationToken cancellationToken);

    /// <summary>False when there was none.</summary>
    Task<bool> DeleteAsync(string keyName, string keyId, CancellationToken cancellationToken);

    /// <summary>Every assertion key stored under the magma key's name (one partition; a key holds a handful), leftovers of an earlier key of that name included.</summary>
    Task<IReadOnlyList<AssertionKey>> ListAsync(string keyName, CancellationToken cancellationToken);

    /// <summary>Deletes every assertion key stored under the magma key's name; idempotent.</summary>
    Task DeleteAllAsync(string keyName, CancellationToken cancellationToken);
}

/// <summary>What an administrator may see of a magma key: never its secret or hash.</summary>
public sealed record MagmaKeyDetails(MagmaKey Key, IReadOnlyList<AssertionKey> AssertionKeys);

/// <summary>Registering and removing the SSO assertion keys of a magma key. No shared secret is ever stored.</summary>
public sealed partial class AssertionKeys(IMagmaKeyStore keys, IAssertionKeyStore store, TimeProvider timeProvider, ILogger<AssertionKeys> logger)
{
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"];

    /// <summary>Members that point at or carry other keys or certificates (RFC 7517 §4.6-4.8, RFC 7515 §4.1.2): a registered key is the bare key only.</summary>
    private static readonly string[] IndirectionMembers = ["x5c", "x5u", "jku"];

    /// <summary>RFC 8017 §3.1 allows any odd e ≥ 3; we take only F4, as every current RSA key generator uses it.</summary>
    private static readonly byte[] F4 = [1, 0, 1];

    /// <summary>Registers <paramref name="jwk"/> under <paramref name="keyId"/>: true when new, false when replaced.</summary>
    public async Task<Outcome<bool>> PutAsync(string keyName, string keyId, string jwk, string actor, CancellationToken cancellationToken)
    {
        if (!Identifiers.TryName(keyId, out var kid))
        {
            return AuthError.InvalidRequest("The kid must be 1-100 characters: letters, digits, '.', '_' or '-'.");
        }

        if (!TryReadPublicJwk(jwk, kid, out _, out var problem))
        {
            return AuthError.InvalidRequest(problem);
        }

        var key = Identifiers.TryName(keyName, out var name) ? await keys.FindAsync(name, cancellationToken) : null;
        if (key is null)
        {
            return AuthError.NotFound("There is no magma key with this name.");
        }

        if (!key.Rights.HasFlag(Rights.Authenticate))
        {
            return AuthError.InvalidRequest("Only a magma key with the 'authenticate' right may hold assertion keys.");
        }

        // A row left by an earlier key of this name is replaced, and the answer says "created".
        var existing = await store.FindAsync(key.Name, kid, cancellationToken);
        await store.PutAsync(new AssertionKey { KeyName = key.Name, KeyId = kid, Jwk = jwk, CreatedAt = timeProvider.GetUtcNow(), KeyCreatedAt = key.CreatedAt }, cancellationToken);
        Log.Registered(logger, kid, key.Name, actor);
        return existing is null || !existing.Serves(key);
    }

    /// <summary>The key with its assertion keys, or 404.</summary>
    public async Task<Outcome<MagmaKeyDetails>> DescribeAsync(string keyName, CancellationToken cancellationToken)
    {
        var key = Identifiers.TryName(keyName, out var name) ? await keys.FindAsync(name, cancellationToken) : null;
        return key is null
            ? AuthError.NotFound("There is no magma key with this name.")
            : new MagmaKeyDetails(key, [.. (await store.ListAsync(key.Name, cancellationToken)).Where(a => a.Serves(key))]);
    }

    public async Task<Outcome<bool>> DeleteAsync(string keyName, string keyId, string actor, CancellationToken cancellationToken)
    {
        var key = Identifiers.TryName(keyName, out var name) ? await keys.FindAsync(name, cancellationToken) : null;
        if (key is null || !Identifiers.TryName(keyId, out var kid) || !await store.DeleteAsync(key.Name, kid, cancellationToken))
        {
            return AuthError.NotFound("There is no such assertion key.");
        }

        Log.Removed(logger, kid, key.Name, actor);
        return true;
    }

    /// <summary>A public EC P-256 or RSA (≥ 2048 bits) JWK whose kid, if it names one, is <paramref name="keyId"/>.</summary>
    public static bool TryReadPublicJwk(string json, string keyId, out SecurityKey? key, out string problem)
    {
        key = null;
        problem = "The body is not a public JWK: EC P-256 (kty, crv, x, y) or RSA of at least 2048 bits (kty, n, e).";
        JsonWebKey jwk;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            if (PrivateMembers.Any(m => document.RootElement.TryGetProperty(m, out _)))
            {
                problem = "The JWK holds private key material: register the public key only.";
                return false;
            }

            if (IndirectionMembers.Any(m => document.RootElement.TryGetProperty(m, out _)))
            {
                problem = "The JWK carries x5c, x5u or jku: register the bare public key, without certificates or links.";
                return false;
            }

            jwk = new JsonWebKey(json);
        }
        catch (Exception exception) when (exception is JsonException or ArgumentException)
        {
            return false;
        }

        if (!string.IsNullOrEmpty(jwk.Kid) && jwk.Kid != keyId)
        {
            problem = "The JWK's kid differs from the kid in the path.";
            return false;
        }

        jwk.KeyId = keyId;
        try
        {
            switch (jwk.Kty)
            {
                case JsonWebAlgorithmsKeyTypes.EllipticCurve when jwk.Crv == JsonWebKeyECTypes.P256 && !string.IsNullOrEmpty(jwk.X) && !string.IsNullOrEmpty(jwk.Y):
                    using (var ec = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = Base64UrlEncoder.DecodeBytes(jwk.X), Y = Base64UrlEncoder.DecodeBytes(jwk.Y) } }))
                    {
                        ec.ExportSubjectPublicKeyInfo();
                    }

                    key = jwk;
                    return true;
                case JsonWebAlgorithmsKeyTypes.RSA when !string.IsNullOrEmpty(jwk.N) && !string.IsNullOrEmpty(jwk.E):
                    if (!TryCheckRsa(Unsigned(Base64UrlEncoder.DecodeBytes(jwk.N)), Unsigned(Base64UrlEncoder.DecodeBytes(jwk.E)), ref problem))
                    {
                        return false;
                    }

                    key = jwk;
                    return true;
                default:
                    return false;
            }
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>e = 65537; n of at least 2048 bits (counted from its first set bit) and odd, as every RSA modulus is.</summary>
    private static bool TryCheckRsa(byte[] modulus, byte[] exponent, ref string problem)
    {
        if (!exponent.AsSpan().SequenceEqual(F4))
        {
            problem = "The RSA key's public exponent (e) must be 65537 (\"AQAB\").";
            return false;
        }

        var bits = modulus.Length == 0 ? 0 : ((modulus.Length - 1) * 8) + 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)modulus[0]);
        if (bits < 2048)
        {
            problem = "The RSA key's modulus (n) must be at least 2048 bits.";
            return false;
        }

        if ((modulus[^1] & 1) == 0)
        {
            problem = "The RSA key's modulus (n) must be odd: an even number is no RSA modulus.";
            return false;
        }

        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters { Modulus = modulus, Exponent = exponent });
        return true;
    }

    /// <summary>A big-endian unsigned integer without its leading zero bytes.</summary>
    private static byte[] Unsigned(byte[] bigEndian) => bigEndian.AsSpan(bigEndian.AsSpan().IndexOfAnyExcept((byte)0) is var first and >= 0 ? first : bigEndian.Length).ToArray();

    private static partial class Log
    {
        [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "Assertion key {KeyId} registered on magma key {KeyName} by {Actor}")]
        public static partial void Registered(ILogger logger, string keyId, string keyName, string actor);

        [LoggerMessage(EventId = 1204, Level = LogLevel.Information, Message = "Assertion key {KeyId} removed from magma key {KeyName} by {Actor}")]
        public static partial void Removed(ILogger logger, string keyId, string keyName, string actor);
    }
}
