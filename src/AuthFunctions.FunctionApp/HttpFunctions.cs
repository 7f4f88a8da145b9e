using AuthFunctions.Http.Administration;
using AuthFunctions.Http.Discovery;
using AuthFunctions.Http.Health;
using AuthFunctions.Http.Logins;
using AuthFunctions.Http.Routing;
using AuthFunctions.Http.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace AuthFunctions.FunctionApp;

// One thin function per route of AuthFunctions.Http.Routing.RouteTable: wiring only, no rule.
// The attributes must be constants, so names and routes are written here again; a test compares
// the generated function catalog with the route table, both ways. Routes under /admin are written
// as AuthRoute.FunctionRoute says ({scope:regex(^admin$)}/…): the host refuses "admin/…" routes.

public sealed class MagmaLoginFunction
{
    [Function("MagmaLogin")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/authentication/magma")] HttpRequest request) =>
        FunctionRoute.InvokeAsync(MagmaLoginEndpoint.Route, request);
}

public sealed class PasswordLoginFunction
{
    [Function("PasswordLogin")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rs/authorise")] HttpRequest request) =>
        FunctionRoute.InvokeAsync(PasswordLoginEndpoint.Route, request);
}

public sealed class TokenDetailsFunction
{
    [Function("TokenDetails")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/authentication/token")] HttpRequest request) =>
        FunctionRoute.InvokeAsync(TokenDetailsEndpoint.Route, request);
}

public sealed class CreateUserFunction
{
    [Function("CreateUser")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "{scope:regex(^admin$)}/users")] HttpRequest request) =>
        FunctionRoute.InvokeAsync(UserEndpoints.Create, request);
}

public sealed class CreateMagmaKeyFunction
{
    [Function("CreateMagmaKey")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "{scope:regex(^admin$)}/magma-keys")] HttpRequest request) =>
        FunctionRoute.InvokeAsync(MagmaKeyEndpoints.Create, request);
}

public sealed class DeleteMagmaKeyFunction
{
    [Function("DeleteMagmaKey")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "{scope:regex(^admin$)}/magma-keys/{name}")] HttpRequest request, string name) =>
        FunctionRoute.InvokeAsync(MagmaKeyEndpoints.Delete, request, ("name", name));
}

public sealed class OpenIdConfigurationFunction
{
    [Function("OpenIdConfiguration")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ".well-known/openid-configuration")] HttpRequest request) =>
        FunctionRoute.InvokeAsync(DiscoveryEndpoints.Configuration, request);
}

public sealed class JwksFunction
{
    [Function("Jwks")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ".well-known/jwks.json")] HttpRequest request) =>
        FunctionRoute.InvokeAsync(DiscoveryEndpoints.Jwks, request);
}

public sealed class HealthFunction
{
    [Function("Health")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request) =>
        FunctionRoute.InvokeAsync(HealthEndpoint.Route, request);
}

/// <summary>Every other path and method: the contract's 404 (or 405) problem instead of the host's bare 404.</summary>
public sealed class NotFoundFunction
{
    [Function("NotFound")]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = "{*path}")] HttpRequest request) =>
        FunctionRoute.InvokeAsync(RouteTable.Fallback, request);
}

/// <summary>Hands a function's request to its route.</summary>
internal static class FunctionRoute
{
    public static Task<IResult> InvokeAsync(AuthRoute route, HttpRequest request, params (string Name, string Value)[] routeValues)
    {
        ArgumentNullException.ThrowIfNull(request);

        // The handlers read route values from the request; set them from the function's bindings
        // so the handler sees the same values however the worker populated RouteValues.
        foreach (var (name, value) in routeValues)
        {
            request.RouteValues[name] = value;
        }

        return route.InvokeAsync(request.HttpContext);
    }
}
