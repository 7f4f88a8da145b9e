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
        Assert.Single(Directory.GetFiles(folder));
    }
}
