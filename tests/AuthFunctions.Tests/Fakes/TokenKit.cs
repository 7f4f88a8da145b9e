using AuthFunctions.Core.Keys;
using AuthFunctions.Core.Tokens;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AuthFunctions.Tests.Fakes;

/// <summary>A key ring, issuer and validator over in-memory stores and a fixed fake clock.</summary>
internal sealed class TokenKit : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 22, 18, 0, 0, TimeSpan.Zero);

    public TokenKit(KeyRingOptions? keyOptions = null, InMemorySigningKeyStore? store = null, FakeTimeProvider? time = null)
    {
        Time = time ?? new FakeTimeProvider(Start);
        Store = store ?? new InMemorySigningKeyStore();
        KeyOptions = keyOptions ?? new KeyRingOptions();
        KeyRing = new KeyRing(Store, Options.Create(KeyOptions), Time, NullLogger<KeyRing>.Instance);
        Issuer = new TokenIssuer(KeyRing, Registry, Options.Create(TokenOptions), Time);
        Validator = new TokenValidator(KeyRing, Registry, Options.Create(TokenOptions), Time);
    }

    public FakeTimeProvider Time { get; }

    public InMemorySigningKeyStore Store { get; }

    public KeyRingOptions KeyOptions { get; }

    public TokenOptions TokenOptions { get; } = new() { Issuer = "https://auth.example.test", Audience = "example-api" };

    public InMemoryTokenRegistry Registry { get; } = new();

    public KeyRing KeyRing { get; }

    public TokenIssuer Issuer { get; }

    public TokenValidator Validator { get; }

    public void Dispose() => KeyRing.Dispose();
}
