using AuthFunctions.Core.Storage;
using AuthFunctions.Http.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AuthFunctions.Http.Routing;

/// <summary>
/// One endpoint: the function name, the HTTP method, the route template (no leading slash, as the
/// Functions host writes it) and the handler. Both hosts are built from <see cref="RouteTable"/>.
/// </summary>
public sealed partial record AuthRoute(string Name, string Method, string Pattern, Func<HttpContext, Task<IResult>> Handler)
{
    /// <summary>
    /// The Functions host refuses any function route whose text starts with "admin" or "runtime"
    /// (its own management API; azure-functions-host#1781), whatever the route prefix. A regex
    /// segment that matches exactly that word passes the check and still serves the same path.
    /// </summary>
    public string FunctionRoute => ReservedFirstSegment(Pattern) is { } first
        ? $"{{scope:regex(^{first}$)}}" + Pattern[first.Length..]
        : Pattern;

    private static string? ReservedFirstSegment(string pattern)
    {
        var first = pattern.Split('/')[0];
        return first.StartsWith("admin", StringComparison.OrdinalIgnoreCase) || first.StartsWith("runtime", StringComparison.OrdinalIgnoreCase)
            ? first
            : null;
    }

    /// <summary>
    /// Runs the handler with the contract's answers to infrastructure faults: storage or the key
    /// store down is a 503 problem; a body the server cannot read is a 400 (or 413). Both hosts call this.
    /// </summary>
    public async Task<IResult> InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return await Handler(context);
        }
        catch (StoreUnavailableException exception)
        {
            Log.StoreUnavailable(Logger(context), exception, Name);
            return Problem.ServiceUnavailable("Storage or the key store is unavailable; try again shortly.");
        }
        catch (BadHttpRequestException exception)
        {
            return exception.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? Problem.PayloadTooLarge()
                : Problem.InvalidRequest("The request could not be read.");
        }
    }

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("AuthFunctions.Http");

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "{Endpoint}: storage or the key store is unavailable; answered 503")]
        public static partial void StoreUnavailable(ILogger logger, Exception exception, string endpoint);
    }
}
