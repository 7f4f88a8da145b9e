using System.Diagnostics;
using System.Globalization;
using System.Text;
using AuthFunctions.Tests.Infrastructure;

namespace AuthFunctions.Tests.Scripts;

/// <summary>
/// <c>./run.sh</c> as a newcomer runs it: its own data folder, free loopback ports for the host and for
/// Azurite. Stopped with SIGTERM as Ctrl-C would (run.sh then stops the host and Azurite), and killed
/// with its process tree if that does not end it, even when the test fails.
/// </summary>
internal sealed class RunScript : IAsyncDisposable
{
    /// <summary>
    /// The collection of every test class that starts run.sh: one at a time, since each run builds and
    /// starts src/AuthFunctions.LocalHost with <c>dotnet run</c>, and two builds of one project at once race.
    /// </summary>
    public const string Collection = "run.sh";

    private readonly Process process;
    private readonly StringBuilder output = new();

    private RunScript(Process process, int httpPort)
    {
        this.process = process;
        HttpPort = httpPort;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int HttpPort { get; }

    public string BaseUrl => $"http://127.0.0.1:{HttpPort}";

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    public static RunScript Start(string dataFolder, IDictionary<string, string>? environment = null, int? httpPort = null, params string[] arguments)
    {
        var port = httpPort ?? AzuriteFixture.FreePort();
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { Path.Combine(RepositoryPaths.Root, "run.sh") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AUTHFN_DATA_DIR"] = dataFolder;
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["AZURITE_TABLE_PORT"] = AzuriteFixture.FreePort().ToString(CultureInfo.InvariantCulture);
        start.Environment.Remove("Bootstrap__SuperUser__Password");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return new RunScript(Process.Start(start) ?? throw new InvalidOperationException("bash did not start."), port);
    }

    /// <summary>Waits until the output holds <paramref name="text"/>; fails with the output so far if run.sh exits or time runs out.</summary>
    public async Task WaitForAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                Assert.Fail($"run.sh {(process.HasExited ? "exited" : "is still running")} without printing '{text}':\n{Output}");
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Waits for run.sh to end by itself.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(timeout);
        await process.WaitForExitAsync(cancel.Token);
        return process.ExitCode;
    }

    /// <summary>SIGTERM, as Ctrl-C would stop it; then waits for run.sh to stop the host and Azurite.</summary>
    public async Task StopAsync()
    {
        if (process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(CancellationToken.None);
        }

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
