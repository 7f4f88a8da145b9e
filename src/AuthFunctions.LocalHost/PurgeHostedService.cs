using AuthFunctions.Core.Purge;
using Microsoft.Extensions.Options;

namespace AuthFunctions.LocalHost;

/// <summary>The local host's purge: <see cref="PurgeJob.RunOnceAsync"/> every <c>Purge:LocalInterval</c>, first after one interval.</summary>
internal sealed class PurgeHostedService(PurgeJob job, IOptions<PurgeOptions> options, TimeProvider timeProvider) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.LocalInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                // Failures are logged by the job, per kind; the next tick tries again.
                await job.RunOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
