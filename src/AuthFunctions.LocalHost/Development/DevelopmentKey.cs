using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace AuthFunctions.LocalHost.Development;

/// <summary>
/// A development signing key (EC P-256, ES256) kept as a private JWK file, made on first use:
/// what the walk-throughs need to play a license system or a server that signs SSO assertions.
/// Never used by the Function app. Shared, as a linked file, with <c>tools/DevKeys</c>.
/// </summary>
internal sealed class DevelopmentKey : IDisposable
{
    private readonly ECDsa key;

    private DevelopmentKey(string name, ECDsa key)
    {
        Name = name;
        this.key = key;
    }

    /// <summary>The key's name: its file name and its <c>kid</c>.</summary>
    public string Name { get; }

    /// <summary>Lower-case letters, digits and '-', 1 to 64: a name is a file name, never a path.</summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    /// <summary>The key in <paramref name="folder"/>, created there (readable by its owner only) when missing.</summary>
    public static DevelopmentKey LoadOrCreate(string folder, string name)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException($"A key name is 1 to 64 lower-case letters, digits or '-': '{name}' is not.", nameof(name));
        }

        var path = Path.Combine(folder, name + ".jwk");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(folder);
            using var created = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllText(temporary, Jwk(created.ExportParameters(includePrivateParameters: true), name).ToJsonString());
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            try
            {
                // The move is atomic: two processes creating the key at once end up with one of them.
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary);
            }
        }

        var jwk = JsonNode.Parse(File.ReadAllText(path))!;
        var key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars((string)jwk["x"]!), Y = Base64Url.DecodeFromChars((string)jwk["y"]!) },
            D = Base64Url.DecodeFromChars((string)jwk["d"]!),
        });
        return new DevelopmentKey(name, key);
    }

    /// <summary>The public JWK, with <c>kid</c>, <c>alg</c> and <c>use</c>.</summary>
    public JsonObject PublicJwk() => Jwk(key.ExportParameters(includePrivateParameters: false), Name);

    /// <summary>A JWKS document holding the public JWK.</summary>
    public string PublicJwks() => new JsonObject { ["keys"] = new JsonArray(PublicJwk()) }.ToJsonString();

    /// <summary>A compact JWS (header <c>alg</c> ES256, <c>typ</c> JWT, <c>kid</c>) over the payload, as is.</summary>
    public string Sign(JsonObject payload)
    {
        var header = new JsonObject { ["alg"] = "ES256", ["typ"] = "JWT", ["kid"] = Name };
        var signingInput = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header.ToJsonString()))
            + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString()));

        // RFC 7518 §3.4: R || S, 32 bytes each, which is what SignData gives by default.
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    public void Dispose() => key.Dispose();

    private static JsonObject Jwk(ECParameters parameters, string name)
    {
        var jwk = new JsonObject
        {
            ["kty"] = "EC",
            ["crv"] = "P-256",
            ["x"] = Base64Url.EncodeToString(parameters.Q.X),
            ["y"] = Base64Url.EncodeToString(parameters.Q.Y),
        };
        if (parameters.D is { } d)
        {
            jwk["d"] = Base64Url.EncodeToString(d);
        }

        jwk["kid"] = name;
        jwk["alg"] = "ES256";
        jwk["use"] = "sig";
        return jwk;
    }
}
