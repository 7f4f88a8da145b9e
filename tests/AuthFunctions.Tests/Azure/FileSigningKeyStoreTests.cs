using AuthFunctions.Azure.Keys;
using AuthFunctions.Core.Keys;
using AuthFunctions.Core.Storage;
using AuthFunctions.Tests.Fakes;
using Microsoft.Extensions.Options;

namespace AuthFunctions.Tests.Azure;

public sealed class FileSigningKeyStoreTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "authfn-keys-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Keys_persist_in_the_folder_one_per_generation()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new FileSigningKeyStore(Options.Create(new KeyStoreOptions { Store = KeyStoreOptions.DevelopmentFile, DevelopmentFolder = folder }));
        var now = new DateTimeOffset(2026, 11, 22, 18, 0, 0, TimeSpan.Zero);
        var key = TestKeys.Record(3, "kid-3", now, SigningAlgorithms.RS256);

        Assert.Empty(await store.LoadAsync(ct));
        Assert.Equal(WriteResult.Written, await store.TryAddAsync(key, ct));
        Assert.Equal(WriteResult.Conflict, await store.TryAddAsync(key with { KeyId = "other" }, ct));

        var reopened = new FileSigningKeyStore(Options.Create(new KeyStoreOptions { Store = KeyStoreOptions.DevelopmentFile, DevelopmentFolder = folder }));
        Assert.Equal(key, Assert.Single(await reopened.LoadAsync(ct)));
        Assert.Equal(["0000000003.key.json"], Directory.GetFiles(folder, "*.key.json").Select(Path.GetFileName));

        // The loser's copy is gone: one key file's content remains beside its name.
        Assert.Equal(OperatingSystem.IsWindows() ? 1 : 2, Directory.GetFiles(folder).Length);
    }

    /// <summary>
    /// The finding: File.Move(overwrite: false) checks, then renames on Linux, so two writers racing for
    /// one generation could both be told "written" (and the ring used a key the store then lost).
    /// </summary>
    [Fact]
    public async Task Writers_racing_for_a_generation_have_exactly_one_winner_whose_key_is_stored()
    {
        var ct = TestContext.Current.CancellationToken;
        var now = new DateTimeOffset(2026, 11, 22, 18, 0, 0, TimeSpan.Zero);
        for (var round = 1; round <= 100; round++)
        {
            var stores = Enumerable.Range(0, 4).Select(_ => new FileSigningKeyStore(Options.Create(new KeyStoreOptions { Store = KeyStoreOptions.DevelopmentFile, DevelopmentFolder = folder }))).ToList();
            using var start = new Barrier(stores.Count);
            var results = await Task.WhenAll(stores.Select((store, i) => Task.Run(
                async () =>
                {
                    start.SignalAndWait(ct);
                    return (Kid: $"kid-{round}-{i}", Result: await store.TryAddAsync(TestKeys.Record(round, $"kid-{round}-{i}", now, SigningAlgorithms.ES256), ct));
                },
                ct)));

            var winner = Assert.Single(results, r => r.Result == WriteResult.Written);
            Assert.Equal(winner.Kid, (await stores[0].LoadAsync(ct)).Single(k => k.Generation == round).KeyId);
        }
    }
}
