using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Users;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Json;
using AuthFunctions.Http.Problems;
using AuthFunctions.Http.Requests;
using AuthFunctions.Http.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AuthFunctions.Http.Administration;

public sealed record CreateUserRequest(string? Username, string? Password, string? Name, string? Email, IReadOnlyList<string>? Rights, bool? SuperUser);

public sealed record CreatedUserResponse(string Id);

/// <summary><c>POST /admin/users</c> (Bearer with <c>administration</c>).</summary>
public static class UserEndpoints
{
    public static AuthRoute Create { get; } = new("CreateUser", HttpMethods.Post, "admin/users", CreateAsync);

    private static async Task<IResult> CreateAsync(HttpContext context)
    {
        var (request, problem) = await AdminRequest.ReadAsync(context, AuthJson.Default.CreateUserRequest);
        if (request is null)
        {
            return problem!;
        }

        var missing = RequestReader.Require(request.Username, "username")
            ?? (string.IsNullOrEmpty(request.Password) ? AuthError.InvalidRequest("'password' is required.") : null)
            ?? RequestReader.Require(request.Name, "name");
        if (missing is not null)
        {
            return Problem.From(missing);
        }

        if (!RightNames.TryParse(request.Rights ?? [], out var rights, out var unknown))
        {
            return Problem.InvalidRequest($"'rights' holds an unknown right '{unknown}'.");
        }

        var administration = context.RequestServices.GetRequiredService<UserAdministration>();
        var created = await administration.CreateAsync(
            new NewUser
            {
                Username = request.Username!,
                Password = request.Password!,
                DisplayName = request.Name!,
                Email = request.Email,
                Rights = rights,
                SuperUser = request.SuperUser ?? false,
            },
            context.RequestAborted);
        return created.Value is { } id
            ? TypedResults.Json(new CreatedUserResponse(id), AuthJson.Default.CreatedUserResponse, statusCode: StatusCodes.Status201Created)
            : Problem.From(created.Error!);
    }
}
