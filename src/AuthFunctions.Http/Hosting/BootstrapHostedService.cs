using AuthFunctions.Core.Bootstrap;
using Microsoft.Extensions.Hosting;

namespace AuthFunctions.Http.Hosting;

/// <summary>
/// Runs the bootstrap once at start-up in either host and writes what the operator must see once
/// (a generated password, a demo secret) to the console: never to the log, whose lines are kept.
/// </summary>
public sealed class BootstrapHostedService(Bootstrapper bootstrapper, BootstrapConsole console) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var report = await bootstrapper.RunAsync(cancellationToken);
        foreach (var line in report.Lines)
        {
            await console.Writer.WriteLineAsync(line);
        }

        await console.Writer.FlushAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Where bootstrap output goes: standard output, or a writer a test substitutes.</summary>
public sealed class BootstrapConsole(TextWriter writer)
{
    public TextWriter Writer { get; } = writer;
}
