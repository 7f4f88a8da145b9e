using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthFunctions.Core.Purge;

/// <summary>The purge's settings (section <c>Purge</c>).</summary>
public sealed class PurgeOptions
{
    public const string Section = "Purge";

    /// <summary>The Function app's six-field NCRONTAB schedule (read by the host as <c>%Purge:Schedule%</c>).</summary>
    public string Schedule { get; set; } = "0 */5 * * * *";

    /// <summary>How often the local host runs the purge.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LocalInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long past its expiry a row is kept: beyond any clock skew, so nothing live is ever touched.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan Grace { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>At most this many hours of each kind per run: a run is bounded, the next one goes on.</summary>
    [Range(1, 10_000)]
    public int MaxHoursPerRun { get; set; } = 48;

    /// <summary>Where the very first run starts, before any watermark exists: this far back.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "400.00:00:00")]
    public TimeSpan InitialLookback { get; set; } = TimeSpan.FromDays(2);
}

/// <summary>
/// Storage the purge works on: kinds of rows laid out in hour partitions by expiry (token records,
/// assertion jtis, the expiry index), and a watermark per kind of the last hour purged.
/// </summary>
public interface IPurgeStore
{
    IReadOnlyList<string> Kinds { get; }

    /// <summary>The last hour purged of <paramref name="kind"/> and the watermark's version; (null, null) before the first run.</summary>
    Task<(DateTimeOffset? Hour, string? Version)> ReadWatermarkAsync(string kind, CancellationToken cancellationToken);

    /// <summary>Moves the watermark if it is still at <paramref name="version"/>; false when another run moved it.</summary>
    Task<bool> TryAdvanceWatermarkAsync(string kind, DateTimeOffset hour, string? version, CancellationToken cancellationToken);

    /// <summary>Deletes every row of <paramref name="kind"/> whose expiry falls in <paramref name="hour"/>; how many went. Idempotent.</summary>
    Task<int> PurgeHourAsync(string kind, DateTimeOffset hour, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>What one run did.</summary>
public sealed record PurgeReport(IReadOnlyDictionary<string, int> Removed, IReadOnlyDictionary<string, int> Hours, IReadOnlyList<Exception> Errors)
{
    public int Total => Removed.Values.Sum();
}

/// <summary>
/// The purge: deletes expired rows, whole hour partitions at a time, never reading a live one. One
/// <see cref="RunOnceAsync"/> serves the Function app's timer and the local host's hosted service. A
/// run is bounded (hours per kind), idempotent (deleting what is gone is no error), and two runs at
/// once do no harm: both delete the same dead rows, and the watermark moves under its ETag.
/// </summary>
public sealed partial class PurgeJob(IPurgeStore store, IOptions<PurgeOptions> options, TimeProvider timeProvider, ILogger<PurgeJob> logger)
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    public async Task<PurgeReport> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = timeProvider.GetUtcNow();

        // An hour partition holds rows that expire within that hour: dead once its end is a grace period past.
        var lastDeadHour = FloorHour(now - settings.Grace) - Hour;
        var removed = new Dictionary<string, int>(StringComparer.Ordinal);
        var hours = new Dictionary<string, int>(StringComparer.Ordinal);
        var errors = new List<Exception>();
        foreach (var kind in store.Kinds)
        {
            removed[kind] = hours[kind] = 0;
            try
            {
                var (watermark, version) = await store.ReadWatermarkAsync(kind, cancellationToken);
                var hour = watermark is { } done ? done + Hour : FloorHour(now - settings.InitialLookback);
                var last = (DateTimeOffset?)null;
                for (; hour <= lastDeadHour && hours[kind] < settings.MaxHoursPerRun; hour += Hour)
                {
                    removed[kind] += await store.PurgeHourAsync(kind, hour, now, cancellationToken);
                    hours[kind]++;
                    last = hour;
                }

                if (last is { } reached && !await store.TryAdvanceWatermarkAsync(kind, reached, version, cancellationToken))
                {
                    Log.WatermarkMoved(logger, kind);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Shutting down: what is done is done; the next run goes on from the watermark.
                break;
            }
#pragma warning disable CA1031 // One kind failing must not stop the others; the failure is reported, not swallowed.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                errors.Add(exception);
                Log.KindFailed(logger, exception, kind);
            }
        }

        var report = new PurgeReport(removed, hours, errors);
        var detail = string.Join(", ", removed.Select(r => $"{r.Key} {r.Value} in {hours[r.Key]} h"));
        Log.Ran(logger, report.Total, detail, errors.Count);
        return report;
    }

    private static DateTimeOffset FloorHour(DateTimeOffset moment)
    {
        var utc = moment.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Purge removed {Total} expired rows ({Detail}); {Errors} kinds failed")]
        public static partial void Ran(ILogger logger, int total, string detail, int errors);

        [LoggerMessage(EventId = 1302, Level = LogLevel.Error, Message = "Purge of {Kind} failed; the next run tries again from its watermark")]
        public static partial void KindFailed(ILogger logger, Exception exception, string kind);

        [LoggerMessage(EventId = 1303, Level = LogLevel.Information, Message = "Another purge run moved the watermark of {Kind} first")]
        public static partial void WatermarkMoved(ILogger logger, string kind);
    }
}
