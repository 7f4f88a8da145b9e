using AuthFunctions.Core.Tokens;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Json;
using AuthFunctions.Http.Problems;
using AuthFunctions.Http.Requests;
using AuthFunctions.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace AuthFunctions.Http.Tokens;

public sealed record CreateApiTokenRequest(string? UserId, string? Description, DateTimeOffset? ExpiresAt);

public sealed record CreatedApiTokenResponse(string Id, string AccessToken, DateTimeOffset ExpiresAt);

/// <summary>An API token as listed: metadata only, never the token.</summary>
public sealed record ApiTokenResponse(string Id, string UserId, string? Description, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string CreatedBy, bool Active);

/// <summary>
/// <c>POST /rs/tokens</c>, <c>GET /rs/tokens?userId=</c> and <c>DELETE /rs/tokens/{id}</c> (Bearer with
/// <c>administration</c>): long-lived API tokens for users, as a user-management screen generates them.
/// </summary>
public static class ApiTokenEndpoints
{
    public const string CreateName = "CreateApiToken";

    public const string ListName = "ListApiTokens";

    public const string TokensPattern = "rs/tokens";

    /// <summary>The Function app's function of <see cref="TokensPattern"/>, every method.</summary>
    public const string TokensFunction = "ApiTokens";

    public const string RevokeName = "RevokeApiToken";

    public const string TokenPattern = "rs/tokens/{id}";

    /// <summary>The Function app's function of <see cref="TokenPattern"/>, every method.</summary>
    public const string TokenFunction = "ApiToken";

    /// <summary>The Function app's functions of these routes: one per template.</summary>
    public static IReadOnlyList<FunctionRoute> Functions { get; } = [new(TokensFunction, TokensPattern), new(TokenFunction, TokenPattern)];

    public static IReadOnlyList<AuthRoute> Routes { get; } =
    [
        AuthRoute.WithJsonBody(CreateName, HttpMethods.Post, TokensPattern, RouteAccess.Administration, AuthJson.Default.CreateApiTokenRequest, CreateAsync),
        new(ListName, HttpMethods.Get, TokensPattern, RouteAccess.Administration, ListAsync),
        new(RevokeName, HttpMethods.Delete, TokenPattern, RouteAccess.Administration, RevokeAsync),
    ];

    private static async Task<IResult> CreateAsync(RouteCall call, CreateApiTokenRequest request)
    {
        var created = await call.Service<ApiTokens>().CreateAsync(request.UserId, request.Description, request.ExpiresAt, call.Caller.Subject, call.Aborted);
        if (!created.Succeeded)
        {
            return Problem.From(created.Error);
        }

        call.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(
            new CreatedApiTokenResponse(created.Value.Token.Id, created.Value.AccessToken, created.Value.Token.ExpiresAt),
            AuthJson.Default.CreatedApiTokenResponse,
            statusCode: StatusCodes.Status201Created);
    }

    private static Task<IResult> ListAsync(RouteCall call)
    {
        var userIds = call.Request.Query["userId"];
        if (userIds.Count != 1 || string.IsNullOrEmpty(userIds[0]))
        {
            return Task.FromResult<IResult>(Problem.InvalidRequest("'userId' is required, once: GET /rs/tokens?userId={id}."));
        }

        var userId = userIds[0]!;
        return Listing.RespondAsync(
            call.Context,
            "apitokens|" + userId,
            page => call.Service<ApiTokens>().ListAsync(userId, page, call.Aborted),
            t => new ApiTokenResponse(t.Id, t.UserId, t.Description, t.CreatedAt, t.ExpiresAt, t.CreatedBy, t.Active),
            AuthJson.Default.IReadOnlyListApiTokenResponse);
    }

    private static async Task<IResult> RevokeAsync(RouteCall call)
    {
        var revoked = await call.Service<ApiTokens>().RevokeAsync(call.Value("id"), call.Caller.Subject, call.Aborted);
        return revoked.Succeeded ? TypedResults.NoContent() : Problem.From(revoked.Error);
    }
}
