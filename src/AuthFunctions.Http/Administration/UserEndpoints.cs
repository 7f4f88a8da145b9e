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

public sealed record UpdateUserRequest(bool? Enabled);

/// <summary><c>POST /admin/users</c>, <c>PATCH|DELETE /admin/users/{id}</c> (Bearer with <c>administration</c>).</summary>
public static class UserEndpoints
{
    public const string CreateName = "CreateUser";

    public const string CreatePattern = AuthRoute.AdminScope + "/users";

    public const string UpdateName = "UpdateUser";

    public const string DeleteName = "DeleteUser";

    public const string UserPattern = AuthRoute.AdminScope + "/users/{id}";

    public static IReadOnlyList<AuthRoute> Routes { get; } =
    [
        AuthRoute.WithJsonBody(CreateName, HttpMethods.Post, CreatePattern, RouteAccess.Administration, AuthJson.Default.CreateUserRequest, CreateAsync),
        AuthRoute.WithJsonBody(UpdateName, HttpMethods.Patch, UserPattern, RouteAccess.Administration, AuthJson.Default.UpdateUserRequest, UpdateAsync),
        new(DeleteName, HttpMethods.Delete, UserPattern, RouteAccess.Administration, DeleteAsync),
    ];

    /// <summary>Today <c>{enabled}</c> only: disabling ends the user's live tokens at once.</summary>
    private static async Task<IResult> UpdateAsync(RouteCall call, UpdateUserRequest request)
    {
        if (request.Enabled is not { } enabled)
        {
            return Problem.InvalidRequest("'enabled' (true or false) is required.");
        }

        var updated = await call.Service<UserAdministration>().SetEnabledAsync(call.Value("id"), enabled, call.Caller.Subject, call.Aborted);
        return updated.Succeeded ? TypedResults.NoContent() : Problem.From(updated.Error);
    }

    private static async Task<IResult> DeleteAsync(RouteCall call)
    {
        var deleted = await call.Service<UserAdministration>().DeleteAsync(call.Value("id"), call.Caller.Subject, call.Aborted);
        return deleted.Succeeded ? TypedResults.NoContent() : Problem.From(deleted.Error);
    }

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
