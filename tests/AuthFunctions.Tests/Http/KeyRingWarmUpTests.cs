using AuthFunctions.Core.Keys;
using AuthFunctions.Http.Hosting;
using AuthFunctions.Tests.Fakes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AuthFunctions.Tests.Http;

/// <summary>The key ring loads at start-up beside the bootstrap, so the first token does not wait for it.</summary>
public sealed class KeyRingWarmUpTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_up_makes_the_first_signing_key_before_any_request()
    {
        using var kit = new TokenKit();
        using var warmUp = new KeyRingWarmUp(kit.KeyRing, NullLogger<KeyRingWarmUp>.Instance);

        await warmUp.StartAsync(Ct);
        await warmUp.Warming.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await warmUp.StopAsync(Ct);

        Assert.Single(kit.Store.Keys);
        Assert.Equal(1, kit.Store.Writes);
    }

    /// <summary>A key store that is down.</summary>
    private sealed class DownStore : ISigningKeyStore
    {
        public string Description => "a store that is down";

        public Task<IReadOnlyList<SigningKeyRecord>> LoadAsync(CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the key store is down");

        public Task<AuthFunctions.Core.Storage.WriteResult> TryAddAsync(SigningKeyRecord key, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the key store is down");
    }

    [Fact]
    public async Task A_key_store_that_is_down_at_start_up_stops_nothing_and_is_logged()
    {
        var logs = new ListLogger();
        using var ring = new KeyRing(new DownStore(), Options.Create(new KeyRingOptions()), new FakeTimeProvider(TokenKit.Start), NullLogger<KeyRing>.Instance);
        using var warmUp = new KeyRingWarmUp(ring, logs);

        await warmUp.StartAsync(Ct);
        await warmUp.Warming.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await warmUp.StopAsync(Ct);

        var entry = Assert.Single(logs.Entries);
        Assert.Equal((LogLevel.Warning, 1007), (entry.Level, entry.EventId));
    }

    private sealed class ListLogger : ILogger<KeyRingWarmUp>
    {
        public List<(LogLevel Level, int EventId)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries)
            {
                Entries.Add((logLevel, eventId.Id));
            }
        }
    }
}
