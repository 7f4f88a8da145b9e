using AuthFunctions.Core.Tenants;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Json;
using AuthFunctions.Http.Problems;
using AuthFunctions.Http.Requests;
using AuthFunctions.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace AuthFunctions.Http.Administration;

public sealed record CreateTenantRequest(string? Id, string? Name);

public sealed record CreatedTenantResponse(string Id, string Name);

/// <summary><c>POST /admin/tenants</c> (Bearer with <c>administration</c>).</summary>
public static class TenantEndpoints
{
    public const string CreateName = "CreateTenant";

    public const string CreatePattern = AuthRoute.AdminScope + "/tenants";

    public static IReadOnlyList<AuthRoute> Routes { get; } =
        [AuthRoute.WithJsonBody(CreateName, HttpMethods.Post, CreatePattern, RouteAccess.Administration, AuthJson.Default.CreateTenantRequest, CreateAsync)];

    private static async Task<IResult> CreateAsync(RouteCall call, CreateTenantRequest request)
    {
        if (RequestReader.Require(request.Id, "id", out var id) is { } noId)
        {
            return Problem.From(noId);
        }

        var created = await call.Service<TenantAdministration>().CreateAsync(
            new NewTenant { Id = id, Name = request.Name ?? string.Empty, CreatedBy = call.Caller.Subject },
            call.Aborted);
        return created.Succeeded
            ? TypedResults.Json(new CreatedTenantResponse(created.Value.Id, created.Value.Name), AuthJson.Default.CreatedTenantResponse, statusCode: StatusCodes.Status201Created)
            : Problem.From(created.Error);
    }
}
