using System.Text.Json;
using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Keys;
using AuthFunctions.Core.Storage;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Json;
using AuthFunctions.Http.Problems;
using AuthFunctions.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace AuthFunctions.Http.Health;

public sealed record HealthReport(string Status, IReadOnlyDictionary<string, string> Checks);

/// <summary><c>GET /health</c>: 200 when storage and the key ring answer; 503 naming the one that did not.</summary>
public static class HealthEndpoint
{
    public const string Ok = "ok";
    public const string Unavailable = "unavailable";

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    public const string Name = "Health";

    public const string Pattern = "health";

    /// <summary>The Function app's functions of these routes: one per template.</summary>
    public static IReadOnlyList<FunctionRoute> Functions { get; } = [new(Name, Pattern)];

    public static IReadOnlyList<AuthRoute> Routes { get; } = [new(Name, HttpMethods.Get, Pattern, RouteAccess.Anonymous, HandleAsync)];

    private static async Task<IResult> HandleAsync(RouteCall call)
    {
        var storage = await ProbeAsync(ct => call.Service<IStorageProbe>().ProbeAsync(ct), call.Aborted);
        var keyRing = await ProbeAsync(async ct => await call.Service<KeyRing>().GetAsync(ct), call.Aborted);
        var checks = new Dictionary<string, string> { ["storage"] = storage, ["keyRing"] = keyRing };
        call.Response.Headers.CacheControl = "no-store";
        if (storage == Ok && keyRing == Ok)
        {
            return TypedResults.Json(new HealthReport("healthy", checks), AuthJson.Default.HealthReport);
        }

        var failed = string.Join(" and ", checks.Where(c => c.Value != Ok).Select(c => c.Key));
        return new ProblemResult(new AuthError(ErrorCodes.ServiceUnavailable, $"Unhealthy: {failed} did not answer."), StatusCodes.Status503ServiceUnavailable)
        {
            Extensions = new() { ["checks"] = JsonSerializer.SerializeToElement(checks, AuthJson.Default.IReadOnlyDictionaryStringString) },
        };
    }

    private static async Task<string> ProbeAsync(Func<CancellationToken, Task> probe, CancellationToken requestAborted)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            await probe(timeout.Token);
            return Ok;
        }
        catch (StoreUnavailableException)
        {
            return Unavailable;
        }
        catch (OperationCanceledException) when (!requestAborted.IsCancellationRequested)
        {
            return Unavailable;
        }
    }
}
