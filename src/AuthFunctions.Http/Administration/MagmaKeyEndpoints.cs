using AuthFunctions.Core.Errors;
using AuthFunctions.Core.MagmaKeys;
using AuthFunctions.Core.Storage;
using AuthFunctions.Http.Tenancy;
using AuthFunctions.Core.Principals;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Json;
using AuthFunctions.Http.Problems;
using AuthFunctions.Http.Requests;
using AuthFunctions.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace AuthFunctions.Http.Administration;

public sealed record CreateMagmaKeyRequest(string? Name, IReadOnlyList<string>? Rights, string? TenantId, DateTimeOffset? ExpiresAt);

public sealed record CreatedMagmaKeyResponse(string Name, string Secret);

public sealed record UpdateMagmaKeyRequest(bool? Enabled);

public sealed record AssertionKeyResponse(string Kid, DateTimeOffset CreatedAt);

/// <summary>A magma key as an administrator sees it: never its secret nor the secret's hash.</summary>
public sealed record MagmaKeyResponse(
    string Name,
    IReadOnlyList<string> Rights,
    string? TenantId,
    DateTimeOffset? ExpiresAt,
    bool Enabled,
    DateTimeOffset CreatedAt,
    IReadOnlyList<AssertionKeyResponse> AssertionKeys);

/// <summary><c>GET|POST /admin/magma-keys</c> and <c>GET|PATCH|DELETE /admin/magma-keys/{name}</c> (Bearer with <c>administration</c>).</summary>
public static class MagmaKeyEndpoints
{
    public const string CreateName = "CreateMagmaKey";

    public const string KeysPattern = AuthRoute.AdminScope + "/magma-keys";

    /// <summary>The Function app's function of <see cref="KeysPattern"/>, every method.</summary>
    public const string KeysFunction = "AdminMagmaKeys";

    public const string ListName = "ListMagmaKeys";

    public const string UpdateName = "UpdateMagmaKey";

    public const string DeleteName = "DeleteMagmaKey";

    public const string GetName = "GetMagmaKey";

    public const string KeyPattern = AuthRoute.AdminScope + "/magma-keys/{name}";

    /// <summary>The Function app's function of <see cref="KeyPattern"/>, every method.</summary>
    public const string KeyFunction = "AdminMagmaKey";

    /// <summary>The Function app's functions of these routes: one per template.</summary>
    public static IReadOnlyList<FunctionRoute> Functions { get; } = [new(KeysFunction, KeysPattern), new(KeyFunction, KeyPattern)];

    public static IReadOnlyList<AuthRoute> Routes { get; } =
    [
        AuthRoute.WithJsonBody(CreateName, HttpMethods.Post, KeysPattern, RouteAccess.Administration, AuthJson.Default.CreateMagmaKeyRequest, CreateAsync),
        new(DeleteName, HttpMethods.Delete, KeyPattern, RouteAccess.Administration, DeleteAsync),
        new(GetName, HttpMethods.Get, KeyPattern, RouteAccess.Administration, GetAsync),
        new(ListName, HttpMethods.Get, KeysPattern, RouteAccess.Administration, ListAsync),
        AuthRoute.WithJsonBody(UpdateName, HttpMethods.Patch, KeyPattern, RouteAccess.Administration, AuthJson.Default.UpdateMagmaKeyRequest, UpdateAsync),
    ];

    private static Task<IResult> ListAsync(RouteCall call) =>
        Listing.RespondAsync(
            call.Context,
            "magma-keys",
            async page => (Outcome<PageOf<MagmaKeySummary>>)await call.Service<MagmaKeyAdministration>().ListAsync(page, call.Aborted),
            MagmaKeySummaryResponse.Of,
            AuthJson.Default.IReadOnlyListMagmaKeySummaryResponse);

    /// <summary><c>{enabled}</c>: disabling ends the key's logins and live tokens at once.</summary>
    private static async Task<IResult> UpdateAsync(RouteCall call, UpdateMagmaKeyRequest request)
    {
        if (request.Enabled is not { } enabled)
        {
            return Problem.InvalidRequest("'enabled' (true or false) is required.");
        }

        var updated = await call.Service<MagmaKeyAdministration>().SetEnabledAsync(call.Value("name"), enabled, call.Caller.Subject, call.Aborted);
        return updated.Succeeded ? TypedResults.NoContent() : Problem.From(updated.Error);
    }

    private static Task<IResult> CreateAsync(RouteCall call, CreateMagmaKeyRequest request) => CreateAsync(call, request, ceiling: null);

    /// <summary>Creates a key as <paramref name="request"/> asks; <paramref name="ceiling"/>: the most it may hold (see <see cref="NewMagmaKey.Ceiling"/>).</summary>
    internal static async Task<IResult> CreateAsync(RouteCall call, CreateMagmaKeyRequest request, Rights? ceiling)
    {
        if (RequestReader.Require(request.Name, "name", out var name) is { } missing)
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

        var created = await call.Service<MagmaKeyAdministration>().CreateAsync(
            new NewMagmaKey { Name = name, Rights = rights, TenantId = request.TenantId, ExpiresAt = request.ExpiresAt, Ceiling = ceiling, CreatedBy = call.Caller.Subject },
            call.Aborted);
        if (!created.Succeeded)
        {
            return Problem.From(created.Error);
        }

        var key = created.Value;
        call.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(new CreatedMagmaKeyResponse(key.Name, key.Secret), AuthJson.Default.CreatedMagmaKeyResponse, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetAsync(RouteCall call)
    {
        var described = await call.Service<AssertionKeys>().DescribeAsync(call.Value("name"), call.Aborted);
        if (!described.Succeeded)
        {
            return Problem.From(described.Error);
        }

        var (key, assertionKeys) = described.Value;
        call.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(
            new MagmaKeyResponse(key.Name, RightNames.ToNames(key.Rights), key.TenantId, key.ExpiresAt, key.Enabled, key.CreatedAt, [.. assertionKeys.Select(a => new AssertionKeyResponse(a.KeyId, a.CreatedAt))]),
            AuthJson.Default.MagmaKeyResponse);
    }

    private static async Task<IResult> DeleteAsync(RouteCall call)
    {
        var deleted = await call.Service<MagmaKeyAdministration>().DeleteAsync(call.Value("name"), call.Caller.Subject, call.Aborted);
        return deleted.Succeeded ? TypedResults.NoContent() : Problem.From(deleted.Error);
    }
}
