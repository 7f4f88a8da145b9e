using AuthFunctions.Core.MagmaKeys;
using AuthFunctions.Core.Principals;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Json;
using AuthFunctions.Http.Problems;
using AuthFunctions.Http.Requests;
using AuthFunctions.Http.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AuthFunctions.Http.Administration;

public sealed record CreateMagmaKeyRequest(string? Name, IReadOnlyList<string>? Rights, string? TenantId, DateTimeOffset? ExpiresAt);

public sealed record CreatedMagmaKeyResponse(string Name, string Secret);

/// <summary><c>POST /admin/magma-keys</c> and <c>DELETE /admin/magma-keys/{name}</c> (Bearer with <c>administration</c>).</summary>
public static class MagmaKeyEndpoints
{
    public static AuthRoute Create { get; } = new("CreateMagmaKey", HttpMethods.Post, "admin/magma-keys", CreateAsync);

    public static AuthRoute Delete { get; } = new("DeleteMagmaKey", HttpMethods.Delete, "admin/magma-keys/{name}", DeleteAsync);

    private static async Task<IResult> CreateAsync(HttpContext context)
    {
        var (request, problem) = await AdminRequest.ReadAsync(context, AuthJson.Default.CreateMagmaKeyRequest);
        if (request is null)
        {
            return problem!;
        }

        if (RequestReader.Require(request.Name, "name") is { } missing)
        {
            return Problem.From(missing);
        }

        if (request.Rights is null)
        {
            return Problem.InvalidRequest("'rights' is required: an array of right names, e.g. [\"data\", \"index\"].");
        }

        if (!RightNames.TryParse(request.Rights, out var rights, out var unknown))
        {
            return Problem.InvalidRequest($"'rights' holds an unknown right '{unknown}'.");
        }

        var administration = context.RequestServices.GetRequiredService<MagmaKeyAdministration>();
        var created = await administration.CreateAsync(
            new NewMagmaKey { Name = request.Name!, Rights = rights, TenantId = request.TenantId, ExpiresAt = request.ExpiresAt },
            context.RequestAborted);
        if (created.Value is not { } key)
        {
            return Problem.From(created.Error!);
        }

        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(new CreatedMagmaKeyResponse(key.Name, key.Secret), AuthJson.Default.CreatedMagmaKeyResponse, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> DeleteAsync(HttpContext context)
    {
        var (_, denied) = await BearerAuthentication.AuthenticateAsync(context, Rights.Administration);
        if (denied is not null)
        {
            return denied;
        }

        var name = context.Request.RouteValues["name"] as string ?? string.Empty;
        var administration = context.RequestServices.GetRequiredService<MagmaKeyAdministration>();
        var deleted = await administration.DeleteAsync(name, context.RequestAborted);
        return deleted.Succeeded ? TypedResults.NoContent() : Problem.From(deleted.Error!);
    }
}
