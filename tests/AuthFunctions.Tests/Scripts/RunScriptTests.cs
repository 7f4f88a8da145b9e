using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using AuthFunctions.Tests.Infrastructure;

namespace AuthFunctions.Tests.Scripts;

/// <summary>A newcomer's first starts of <c>./run.sh</c>: a taken port, a restart with a new password, <c>--reset</c>.</summary>
[Collection(RunScript.Collection)]
public sealed class RunScriptTests : IDisposable
{
    private static readonly TimeSpan Start = TimeSpan.FromMinutes(3);

    private readonly string dataFolder = Path.Combine(Path.GetTempPath(), "authfn-run-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(dataFolder))
        {
            Directory.Delete(dataFolder, recursive: true);
        }
    }

    [Fact]
    public async Task A_taken_HTTP_port_stops_run_sh_before_anything_is_created_or_printed()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        await using var run = RunScript.Start(dataFolder, httpPort: port);

        Assert.Equal(1, await run.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains($"run.sh: port {port} is taken", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Created", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Azurite tables", run.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dataFolder), "run.sh created its data folder before it checked the port.");
    }

    [Fact]
    public async Task An_unknown_argument_is_refused_with_what_is_accepted()
    {
        await using var run = RunScript.Start(dataFolder, arguments: "--rest");

        Assert.Equal(2, await run.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains("unknown argument '--rest' (try --reset or --help)", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_set_on_a_restart_is_said_to_be_ignored_and_reset_starts_afresh_with_it()
    {
        const string Listening = "Now listening on:";
        var chosen = new Dictionary<string, string> { ["Bootstrap__SuperUser__Password"] = "the-chosen-long-password" };

        await using (var first = RunScript.Start(dataFolder))
        {
            await first.WaitForAsync(Listening, Start);
            Assert.Contains("Created super user 'admin' with the generated password", first.Output, StringComparison.Ordinal);
        }

        var licenseKey = Path.Combine(dataFolder, "dev-keys", "dev-license-system.jwk");
        var firstLicenseKey = await File.ReadAllTextAsync(licenseKey, TestContext.Current.CancellationToken);

        await using (var restart = RunScript.Start(dataFolder, chosen))
        {
            await restart.WaitForAsync(Listening, Start);
            var line = $"The super user 'admin' exists already; Bootstrap:SuperUser:Password is used only when it is created; `./run.sh --reset` (or removing {dataFolder}) starts afresh.";
            Assert.Contains(line, restart.Output.Split('\n').Select(l => l.TrimEnd('\r')));
            Assert.DoesNotContain("409", restart.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Azure.Core", restart.Output, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Unauthorized, await LoginAsync(restart, "the-chosen-long-password"));
        }

        await using var reset = RunScript.Start(dataFolder, chosen, arguments: "--reset");
        await reset.WaitForAsync(Listening, Start);
        Assert.Contains("Created super user 'admin' with the configured password.", reset.Output, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await LoginAsync(reset, "the-chosen-long-password"));
        Assert.NotEqual(firstLicenseKey, await File.ReadAllTextAsync(licenseKey, TestContext.Current.CancellationToken));
    }

    private static async Task<HttpStatusCode> LoginAsync(RunScript run, string password)
    {
        using var client = new HttpClient { BaseAddress = new Uri(run.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/rs/authorise");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + password)));
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }
}
