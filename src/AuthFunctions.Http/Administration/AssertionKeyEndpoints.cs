using System.Text.Json;
using AuthFunctions.Core.MagmaKeys;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Json;
using AuthFunctions.Http.Problems;
using AuthFunctions.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace AuthFunctions.Http.Administration;

/// <summary>
/// <c>PUT</c> and <c>DELETE /admin/magma-keys/{name}/assertion-keys/{kid}</c>: the public keys (JWK body)
/// with which the key's trusted server signs SSO assertions. 201 when new, 204 when replaced or removed.
/// </summary>
public static class AssertionKeyEndpoints
{
    public const string PutName = "PutAssertionKey";

    public const string DeleteName = "DeleteAssertionKey";

    public const string Pattern = AuthRoute.AdminScope + "/magma-keys/{name}/assertion-keys/{kid}";

    /// <summary>The Function app's function of <see cref="Pattern"/>, every method.</summary>
    public const string Function = "AdminAssertionKey";

    /// <summary>The Function app's functions of these routes: one per template.</summary>
    public static IReadOnlyList<FunctionRoute> Functions { get; } = [new(Function, Pattern)];

    public static IReadOnlyList<AuthRoute> Routes { get; } =
    [
        AuthRoute.WithJsonBody(PutName, HttpMethods.Put, Pattern, RouteAccess.Administration, AuthJson.Default.DictionaryStringJsonElement, PutAsync),
        new(DeleteName, HttpMethods.Delete, Pattern, RouteAccess.Administration, DeleteAsync),
    ];

    private static async Task<IResult> PutAsync(RouteCall call, Dictionary<string, JsonElement> jwk)
    {
        var json = JsonSerializer.Serialize(jwk, AuthJson.Default.DictionaryStringJsonElement);
        var put = await call.Service<AssertionKeys>().PutAsync(call.Value("name"), call.Value("kid"), json, call.Caller.Subject, call.Aborted);
        if (!put.Succeeded)
        {
            return Problem.From(put.Error);
        }

        return put.Value ? TypedResults.StatusCode(StatusCodes.Status201Created) : TypedResults.NoContent();
    }

    private static async Task<IResult> DeleteAsync(RouteCall call)
    {
        var deleted = await call.Service<AssertionKeys>().DeleteAsync(call.Value("name"), call.Value("kid"), call.Caller.Subject, call.Aborted);
        return deleted.Succeeded ? TypedResults.NoContent() : Problem.From(deleted.Error);
    }
}
