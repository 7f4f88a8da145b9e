using AuthFunctions.Core.Errors;
using AuthFunctions.Core.MagmaKeys;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Storage;
using AuthFunctions.Core.Tenants;
using AuthFunctions.Http.Administration;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Json;
using AuthFunctions.Http.Problems;
using AuthFunctions.Http.Requests;
using AuthFunctions.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace AuthFunctions.Http.Tenancy;

/// <summary>A magma key in a listing: never its secret nor the secret's hash.</summary>
public sealed record MagmaKeySummaryResponse(string Name, IReadOnlyList<string> Rights, string? TenantId, DateTimeOffset? ExpiresAt, bool Enabled, DateTimeOffset CreatedAt)
{
    public static MagmaKeySummaryResponse Of(MagmaKeySummary key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new(key.Name, RightNames.ToNames(key.Rights), key.TenantId, key.ExpiresAt, key.Enabled, key.CreatedAt);
    }
}

/// <summary>
/// A tenant's own realm keys (Ninchat), run by its admins: <c>GET|POST /tenants/{tenantId}/magma-keys</c>
/// and <c>DELETE /tenants/{tenantId}/magma-keys/{name}</c>. A realm key carries <c>tid</c>, reaches
/// that tenant only, and holds at most its creator's rights, never <c>administration</c>.
/// </summary>
public static class RealmKeyEndpoints
{
    public const string ListName = "ListTenantMagmaKeys";

    public const string CreateName = "CreateTenantMagmaKey";

    public const string KeysPattern = "tenants/{tenantId}/magma-keys";

    /// <summary>The Function app's function of <see cref="KeysPattern"/>, every method.</summary>
    public const string KeysFunction = "TenantMagmaKeys";

    public const string DeleteName = "DeleteTenantMagmaKey";

    public const string KeyPattern = "tenants/{tenantId}/magma-keys/{name}";

    /// <summary>The Function app's function of <see cref="KeyPattern"/>, every method.</summary>
    public const string KeyFunction = "TenantMagmaKey";

    /// <summary>The Function app's functions of these routes: one per template.</summary>
    public static IReadOnlyList<FunctionRoute> Functions { get; } = [new(KeysFunction, KeysPattern), new(KeyFunction, KeyPattern)];

    public static IReadOnlyList<AuthRoute> Routes { get; } =
    [
        new(ListName, HttpMethods.Get, KeysPattern, RouteAccess.Bearer(), TenantAdminRoute.Handler(ListAsync)),
        AuthRoute.WithJsonBody(CreateName, HttpMethods.Post, KeysPattern, RouteAccess.Bearer(), AuthJson.Default.CreateMagmaKeyRequest, TenantAdminRoute.Handler<CreateMagmaKeyRequest>(CreateAsync)),
        new(DeleteName, HttpMethods.Delete, KeyPattern, RouteAccess.Bearer(), TenantAdminRoute.Handler(DeleteAsync)),
    ];

    private static Task<IResult> ListAsync(RouteCall call, Tenant tenant) => Listing.RespondAsync(
        call.Context,
        "realmkeys|" + Identifiers.KeyOf(tenant.Id),
        async page => (Outcome<PageOf<MagmaKeySummary>>)await call.Service<MagmaKeyAdministration>().ListForTenantAsync(tenant, page, call.Aborted),
        MagmaKeySummaryResponse.Of,
        AuthJson.Default.IReadOnlyListMagmaKeySummaryResponse);

    private static Task<IResult> CreateAsync(RouteCall call, Tenant tenant, CreateMagmaKeyRequest request)
    {
        if (request.TenantId is not null && Identifiers.KeyOf(request.TenantId) != Identifiers.KeyOf(tenant.Id))
        {
            return Task.FromResult<IResult>(Problem.InvalidRequest("'tenantId' may only name the tenant of the path; leave it out."));
        }

        // A system administrator may give any right but 'administration'; a tenant admin at most its own.
        var ceiling = call.Caller.IsSystemAdministrator ? (Rights?)null : call.Caller.Rights & ~Rights.Administration;
        return MagmaKeyEndpoints.CreateAsync(call, request with { TenantId = tenant.Id }, ceiling);
    }

    private static async Task<IResult> DeleteAsync(RouteCall call, Tenant tenant)
    {
        var deleted = await call.Service<MagmaKeyAdministration>().DeleteAsync(call.Value("name"), call.Caller.Subject, call.Aborted, withinTenant: tenant.Id);
        return deleted.Succeeded ? TypedResults.NoContent() : Problem.From(deleted.Error);
    }
}
