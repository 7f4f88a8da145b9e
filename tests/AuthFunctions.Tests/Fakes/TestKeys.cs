using AuthFunctions.Core.Keys;

namespace AuthFunctions.Tests.Fakes;

/// <summary>Signing-key records for store tests: a real private key, dates from <paramref name="now"/>.</summary>
internal static class TestKeys
{
    public static SigningKeyRecord Record(int generation, string kid, DateTimeOffset now, string algorithm = SigningAlgorithms.ES256) => new()
    {
        Generation = generation,
        KeyId = kid,
        Algorithm = algorithm,
        PrivateKeyPem = SigningKeyMaterial.CreatePrivateKeyPem(algorithm),
        CreatedAt = now,
        SignsFrom = now,
        SignsUntil = now.AddDays(90),
        RetiresAt = now.AddDays(91),
    };
}
