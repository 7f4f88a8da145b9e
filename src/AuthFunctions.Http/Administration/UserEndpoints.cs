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

/// <summary>A partial change: only the properties present change (JSON merge patch semantics, RFC 7396, without removal but for <c>email: ""</c>).</summary>
public sealed record UpdateUserRequest(bool? Enabled, string? Name, string? Email, IReadOnlyList<string>? Rights, string? Password);

/// <summary>A user as an administrator sees it: never its password hash. <c>rights</c> are what its tokens carry (a super user's include <c>administration</c>).</summary>
public sealed record UserResponse(string Id, string Username, string Name, string? Email, IReadOnlyList<string> Rights, bool SuperUser, bool Enabled, DateTimeOffset CreatedAt)
{
    public static UserResponse Of(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new(user.Id, user.Username, user.DisplayName, user.Email, RightNames.ToNames(user.TokenRights), user.SuperUser, user.Enabled, user.CreatedAt);
    }
}

/// <summary><c>GET|POST /admin/users</c>, <c>PATCH|DELETE /admin/users/{id}</c> (Bearer with <c>administration</c>).</summary>
public static class UserEndpoints
{
    public const string CreateName = "CreateUser";

    public const string UsersPattern = AuthRoute.AdminScope + "/users";

    /// <summary>The Function app's function of <see cref="UsersPattern"/>, every method.</summary>
    public const string UsersFunction = "AdminUsers";

    public const string ListName = "ListUsers";

    /// <summary>The query parameter of <c>GET /admin/users</c> that keeps the usernames starting with it.</summary>
    public const string UsernameParameter = "username";

    public const string UpdateName = "UpdateUser";

    public const string DeleteName = "DeleteUser";

    public const string UserPattern = AuthRoute.AdminScope + "/users/{id}";

    /// <summary>The Function app's function of <see cref="UserPattern"/>, every method.</summary>
    public const string UserFunction = "AdminUser";

    /// <summary>The Function app's functions of these routes: one per template.</summary>
    public static IReadOnlyList<FunctionRoute> Functions { get; } = [new(UsersFunction, UsersPattern), new(UserFunction, UserPattern)];

    public static IReadOnlyList<AuthRoute> Routes { get; } =
    [
        AuthRoute.WithJsonBody(CreateName, HttpMethods.Post, UsersPattern, RouteAccess.Administration, AuthJson.Default.CreateUserRequest, CreateAsync),
        new(ListName, HttpMethods.Get, UsersPattern, RouteAccess.Administration, ListAsync),
        AuthRoute.WithJsonBody(UpdateName, HttpMethods.Patch, UserPattern, RouteAccess.Administration, AuthJson.Default.UpdateUserRequest, UpdateAsync),
        new(DeleteName, HttpMethods.Delete, UserPattern, RouteAccess.Administration, DeleteAsync),
    ];

    /// <summary><c>?username=</c> keeps the users whose username starts with it (compared as logins compare).</summary>
    private static Task<IResult> ListAsync(RouteCall call)
    {
        var prefix = call.Request.Query[UsernameParameter];
        if (prefix.Count > 1)
        {
            return Task.FromResult<IResult>(Problem.InvalidRequest($"'{UsernameParameter}' may be given once."));
        }

        return Listing.RespondAsync(
            call.Context,
            "users:" + prefix,
            page => call.Service<UserAdministration>().ListAsync(prefix.ToString(), page, call.Aborted),
            UserResponse.Of,
            AuthJson.Default.IReadOnlyListUserResponse);
    }

    private static async Task<IResult> UpdateAsync(RouteCall call, UpdateUserRequest request)
    {
        Rights? rights = null;
        if (request.Rights is not null)
        {
            if (!RightNames.TryParse(request.Rights, out var parsed, out var unknown))
            {
                return Problem.InvalidRequest($"'rights' holds an unknown right '{unknown}'.");
            }

            rights = parsed;
        }

        var update = new UserUpdate { DisplayName = request.Name, Email = request.Email, Rights = rights, Password = request.Password, Enabled = request.Enabled };
        var updated = await call.Service<UserAdministration>().UpdateAsync(call.Value("id"), update, call.Caller.Subject, call.Aborted);
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
