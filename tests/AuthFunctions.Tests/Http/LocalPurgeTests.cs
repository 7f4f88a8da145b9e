using AuthFunctions.Tests.Infrastructure;

namespace AuthFunctions.Tests.Http;

/// <summary>The local host runs the same purge as the Function app's timer, as a hosted service.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class LocalPurgeTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_local_host_runs_the_purge_on_its_interval()
    {
        await using var server = await LocalHostServer.StartAsync(azurite.ConnectionString, new Dictionary<string, string?> { ["Purge:LocalInterval"] = "00:00:01" });

        // A bounded wait for the hosted service's first run (event 1301), not a timing assertion.
        for (var i = 0; i < 100 && !server.Logs.GetSnapshot().Any(r => r.Id.Id == 1301); i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        var run = server.Logs.GetSnapshot().First(r => r.Id.Id == 1301);
        Assert.Contains("tokens", run.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Logs.GetSnapshot(), r => r.Id.Id == 1302);
    }
}
