using AuthFunctions.Core.Keys;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AuthFunctions.Http.Hosting;

/// <summary>
/// Loads the key ring at start-up (making the first signing key on a new store) while the bootstrap
/// runs, in either host, so that the first token does not wait for it: part of the cold start. It is
/// registered before the bootstrap and returns at once; a failure here stops nothing, since the first
/// use loads the keys again (and <c>/health</c> reports them).
/// </summary>
public sealed partial class KeyRingWarmUp(KeyRing keyRing, ILogger<KeyRingWarmUp> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private Task warming = Task.CompletedTask;

    /// <summary>The load started at start-up: for tests.</summary>
    internal Task Warming => warming;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        warming = WarmAsync(stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        await warming.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        // A start-up that failed after the warm-up began never calls StopAsync: the load must not outlive the host.
        stopping.Cancel();
        stopping.Dispose();
    }

    private async Task WarmAsync(CancellationToken cancellationToken)
    {
        // Off the start-up's thread: the bootstrap goes on at once.
        await Task.Yield();
        try
        {
            await keyRing.GetAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped before the keys came.
        }
        catch (Exception exception)
        {
            Log.WarmUpFailed(logger, exception);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "The signing keys did not load at start-up; the first request that needs them loads them again")]
        public static partial void WarmUpFailed(ILogger logger, Exception exception);
    }
}
