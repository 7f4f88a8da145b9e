using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace AuthFunctions.Core.Keys;

/// <summary>Creates key pairs and turns stored PEM into signing and verification keys.</summary>
public static class SigningKeyMaterial
{
    /// <summary>Creates the PKCS#8 PEM of a new private key for <paramref name="algorithm"/>.</summary>
    public static string CreatePrivateKeyPem(string algorithm)
    {
        switch (algorithm)
        {
            case SigningAlgorithms.ES256:
                using (var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256))
                {
                    return ec.ExportPkcs8PrivateKeyPem();
                }

            case SigningAlgorithms.RS256:
                using (var rsa = RSA.Create(2048))
                {
                    return rsa.ExportPkcs8PrivateKeyPem();
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unsupported signing algorithm.");
        }
    }

    /// <summary>A fresh, never reused key id: 128 random bits, base64url.</summary>
    public static string NewKeyId()
    {
        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        return Base64Url.EncodeToString(random);
    }

    /// <summary>The private key as an IdentityModel key; kept alive for the life of the key ring snapshot.</summary>
    public static AsymmetricSecurityKey ToSecurityKey(SigningKeyRecord key)
    {
        ArgumentNullException.ThrowIfNull(key);
        AsymmetricSecurityKey securityKey = key.Algorithm switch
        {
            SigningAlgorithms.ES256 => new ECDsaSecurityKey(ImportEc(key.PrivateKeyPem)),
            SigningAlgorithms.RS256 => new RsaSecurityKey(ImportRsa(key.PrivateKeyPem)),
            _ => throw new InvalidOperationException($"Signing key {key.KeyId} has unsupported algorithm {key.Algorithm}."),
        };
        securityKey.KeyId = key.KeyId;
        return securityKey;
    }

    /// <summary>Writes the public half as a JWK (RFC 7517) with kid, alg and use=sig.</summary>
    public static void WritePublicJwk(Utf8JsonWriter writer, SigningKeyRecord key, AsymmetricSecurityKey securityKey)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(key);
        writer.WriteStartObject();
        switch (securityKey)
        {
            case ECDsaSecurityKey ec:
                var ecParameters = ec.ECDsa.ExportParameters(includePrivateParameters: false);
                writer.WriteString("kty", "EC");
                writer.WriteString("use", "sig");
                writer.WriteString("alg", key.Algorithm);
                writer.WriteString("kid", key.KeyId);
                writer.WriteString("crv", "P-256");
                writer.WriteString("x", Base64Url.EncodeToString(ecParameters.Q.X));
                writer.WriteString("y", Base64Url.EncodeToString(ecParameters.Q.Y));
                break;
            case RsaSecurityKey rsa:
                var rsaParameters = rsa.Rsa.ExportParameters(includePrivateParameters: false);
                writer.WriteString("kty", "RSA");
                writer.WriteString("use", "sig");
                writer.WriteString("alg", key.Algorithm);
                writer.WriteString("kid", key.KeyId);
                writer.WriteString("n", Base64Url.EncodeToString(rsaParameters.Modulus));
                writer.WriteString("e", Base64Url.EncodeToString(rsaParameters.Exponent));
                break;
            default:
                throw new InvalidOperationException($"Unsupported key type {securityKey?.GetType().Name}.");
        }

        writer.WriteEndObject();
    }

    private static ECDsa ImportEc(string pem)
    {
        var ec = ECDsa.Create();
        ec.ImportFromPem(pem);
        return ec;
    }

    private static RSA ImportRsa(string pem)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return rsa;
    }
}
