using System.Text.Json.Serialization.Metadata;
using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Tokens;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Problems;
using AuthFunctions.Http.Requests;
using AuthFunctions.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace AuthFunctions.Http.Logins;

/// <summary>The shape of the logins that exchange one credential string from the body (a license token, an SSO assertion) for our token.</summary>
internal static class CredentialExchange
{
    public static AuthRoute Route<TRequest>(
        string name,
        string pattern,
        JsonTypeInfo<TRequest> body,
        string field,
        Func<TRequest, string?> credential,
        Func<RouteCall, string, Task<Outcome<IssuedToken>>> exchange)
        where TRequest : class =>
        AuthRoute.WithJsonBody(name, HttpMethods.Post, pattern, RouteAccess.Anonymous, body, async (call, request) =>
            RequestReader.Require(credential(request), field, out var value) is { } missing
                ? Problem.From(missing)
                : TokenResponse.From(await exchange(call, value), call.Context));
}
