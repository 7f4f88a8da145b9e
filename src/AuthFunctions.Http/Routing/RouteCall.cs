using System.Text.Json.Serialization.Metadata;
using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Principals;
using AuthFunctions.Http.Requests;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AuthFunctions.Http.Routing;

/// <summary>
/// What a handler gets: the request, the caller its route authenticated, and the route values that
/// matching the route's template produced (never copied by hand from a host's bindings).
/// </summary>
public sealed record RouteCall(HttpContext Context, Caller Caller, RouteValueDictionary Values)
{
    public HttpRequest Request => Context.Request;

    public HttpResponse Response => Context.Response;

    public CancellationToken Aborted => Context.RequestAborted;

    public T Service<T>()
        where T : notnull => Context.RequestServices.GetRequiredService<T>();

    /// <summary>A value of the route's template, e.g. <c>{name}</c>.</summary>
    public string Value(string name) => Values.TryGetValue(name, out var value) && value is string text ? text : string.Empty;

    /// <summary>The JSON body, read once and bounded (see <see cref="RequestReader"/>).</summary>
    public Task<Outcome<T>> ReadJsonAsync<T>(JsonTypeInfo<T> typeInfo)
        where T : class => RequestReader.ReadJsonAsync(Request, typeInfo);
}
