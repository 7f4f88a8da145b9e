using AuthFunctions.Core.Purge;
using Microsoft.Azure.Functions.Worker;

namespace AuthFunctions.FunctionApp;

/// <summary>
/// The purge on its schedule: a six-field NCRONTAB from the app setting <c>Purge__Schedule</c> (every five
/// minutes by default, set by the Bicep). Never on start-up: a cold start must not wait for a purge.
/// A run in which some kind failed fails, so the host records it; the next run goes on from the watermark.
/// </summary>
public sealed class PurgeFunction(PurgeJob job)
{
    public const string Name = "Purge";

    public const string Schedule = "%Purge:Schedule%";

    [Function(Name)]
    public async Task Run([TimerTrigger(Schedule, RunOnStartup = false)] TimerInfo timer, CancellationToken cancellationToken)
    {
        var report = await job.RunOnceAsync(cancellationToken);
        if (report.Errors.Count > 0)
        {
            throw new AggregateException("The purge failed for some kinds of data; the log names them.", report.Errors);
        }
    }
}
