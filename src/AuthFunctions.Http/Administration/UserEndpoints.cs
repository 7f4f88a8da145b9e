using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Users;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Json;
using AuthFunctions.Http.Problems;
using AuthFunctions.Http.Requests;
using AuthFunctions.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace AuthFunctions.Http.Administration;

public sealed record CreateUserRequest(string? Username, string? Password, string? Name, string? Email, IReadOnlyList<string>? Rights, bool? SuperUser);

public sealed record CreatedUserResponse(string Id);

/// <summary><c>POST /admin/users</c> (Bearer with <c>administration</c>).</summary>
public static class UserEndpoints
{
    public const string CreateName = "CreateUser";

    public const string CreatePattern = AuthRoute.AdminScope + "/users";

    public static IReadOnlyList<AuthRoute> Routes { get; } = [AuthRoute.WithJsonBody(CreateName, HttpMethods.Post, CreatePattern, RouteAccess.Administration, AuthJson.Default.CreateUserRequest, CreateAsync)];

    private static async Task<IResult> CreateAsync(RouteCall call, CreateUserRequest request)
    {
        if (RequestReader.Require(request.Username, "username", out var username) is { } noUsername)
        {
            return Problem.From(noUsername);
        }

        if (request.Password is not { Length: > 0 } password)
        {
            return Problem.From(AuthError.InvalidRequest("'password' is required."));
        }

        if (RequestReader.Require(request.Name, "name", out var displayName) is { } noName)
        {
            return Problem.From(noName);
        }

        if (!RightNames.TryParse(request.Rights ?? [], out var rights, out var unknown))
        {
            return Problem.InvalidRequest($"'rights' holds an unknown right '{unknown}'.");
        }

        var created = await call.Service<UserAdministration>().CreateAsync(
            new NewUser
            {
                Username = username,
                Password = password,
                DisplayName = displayName,
                Email = request.Email,
                Rights = rights,
                SuperUser = request.SuperUser ?? false,
                CreatedBy = call.Caller.Subject,
            },
            call.Aborted);
        return created.Succeeded
            ? TypedResults.Json(new CreatedUserResponse(created.Value), AuthJson.Default.CreatedUserResponse, statusCode: StatusCodes.Status201Created)
            : Problem.From(created.Error);
    }
}
