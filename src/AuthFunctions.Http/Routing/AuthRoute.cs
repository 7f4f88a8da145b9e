using System.Text.Json.Serialization.Metadata;
using AuthFunctions.Core.Storage;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AuthFunctions.Http.Routing;

/// <summary>
/// One endpoint: its name, method, pattern, who may call it, and the handler. <see cref="Name"/> and
/// <see cref="Pattern"/> are constants of the endpoint's class, used as they are by its function's
/// attribute in the Function app. Both hosts dispatch through <see cref="RouteTable"/>.
/// </summary>
public sealed partial record AuthRoute
{
    /// <summary>
    /// The first segment of every <c>/admin/…</c> pattern. The Functions host refuses any function route
    /// whose text starts with "admin" or "runtime" (its own management API; azure-functions-host#1781); a
    /// regex segment that matches exactly that word passes the check and serves the same public path.
    /// </summary>
    public const string AdminScope = "{scope:regex(^admin$)}";

    private readonly TemplateMatcher matcher;

    public AuthRoute(string name, string method, string pattern, RouteAccess access, Func<RouteCall, Task<IResult>> handler)
    {
        Name = name;
        Method = method;
        Pattern = pattern;
        Access = access;
        Handler = handler;
        Template = PublicTemplate(pattern);
        matcher = new TemplateMatcher(TemplateParser.Parse(Template), new RouteValueDictionary());
    }

    /// <summary>
    /// A route whose handler takes a JSON body: authenticated first, then read once and bounded (see
    /// <see cref="Requests.RequestReader"/>); a body that cannot be read is answered before the handler runs.
    /// </summary>
    public static AuthRoute WithJsonBody<T>(string name, string method, string pattern, RouteAccess access, JsonTypeInfo<T> body, Func<RouteCall, T, Task<IResult>> handler)
        where T : class =>
        new(name, method, pattern, access, async call =>
        {
            var read = await call.ReadJsonAsync(body);
            return read.Succeeded ? await handler(call, read.Value) : Problem.From(read.Error);
        })
        {
            RequestBody = body,
        };

    /// <summary>
    /// The route's own name (e.g. <c>GetMagmaKey</c>), kept in <see cref="RouteDispatcher.AnsweringRouteKey"/>
    /// and our log lines. The Function app's function of the route's template is a <see cref="FunctionRoute"/>.
    /// </summary>
    public string Name { get; }

    public string Method { get; }

    /// <summary>The route template as the Functions host reads it (no leading slash; <see cref="AdminScope"/> for /admin).</summary>
    public string Pattern { get; }

    /// <summary>The public path template, e.g. <c>admin/magma-keys/{name}</c>.</summary>
    public string Template { get; }

    public RouteAccess Access { get; }

    public Func<RouteCall, Task<IResult>> Handler { get; }

    /// <summary>The JSON body the route reads, when it reads one (the OpenAPI document describes it from here).</summary>
    public JsonTypeInfo? RequestBody { get; init; }

    /// <summary>The public path template of a host <paramref name="pattern"/>: <see cref="AdminScope"/> read as <c>admin</c>.</summary>
    public static string PublicTemplate(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return pattern.StartsWith(AdminScope, StringComparison.Ordinal) ? "admin" + pattern[AdminScope.Length..] : pattern;
    }

    /// <summary>True when <paramref name="path"/> fits the template; its route values go into <paramref name="values"/>.</summary>
    public bool TryMatch(PathString path, RouteValueDictionary values) => matcher.TryMatch(path, values);

    /// <summary>
    /// Authenticates the caller as <see cref="Access"/> says, then runs the handler, with the contract's
    /// answers to infrastructure faults: storage or the key store down is a 503 problem; a body the server
    /// cannot read is a 400 (or 413); a value storage refuses is a 400.
    /// </summary>
    public async Task<IResult> InvokeAsync(HttpContext context, RouteValueDictionary values)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            var caller = await Access.AuthenticateAsync(context);
            return caller.Succeeded
                ? await Handler(new RouteCall(context, caller.Value, values))
                : Problem.From(caller.Error);
        }
        catch (StoreUnavailableException exception)
        {
            Log.StoreUnavailable(Logger(context), exception, Name);
            return Problem.ServiceUnavailable("Storage or the key store is unavailable; try again shortly.");
        }
        catch (StoreRejectedInputException exception)
        {
            Log.StoreRejectedInput(Logger(context), exception, Name);
            return Problem.InvalidRequest("A value in the request is too large or malformed to be stored.");
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

        [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "{Endpoint}: storage refused a value of the request; answered 400 (a bound is missing)")]
        public static partial void StoreRejectedInput(ILogger logger, Exception exception, string endpoint);
    }
}
