using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Storage;
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

public sealed record SetMemberRequest(string? Role);

/// <summary>A member: its user's username and name when the user still exists.</summary>
public sealed record MemberResponse(string UserId, string? Username, string? Name, string Role, DateTimeOffset AddedAt)
{
    public static MemberResponse Of(Member member)
    {
        ArgumentNullException.ThrowIfNull(member);
        var (membership, user) = (member.Membership, member.User);
        return new(membership.UserId, user?.Username, user?.DisplayName, TenantRoles.NameOf(membership.Role), membership.AddedAt);
    }
}

/// <summary>A tenant as an administrator's listing shows it.</summary>
public sealed record TenantSummaryResponse(string Id, string Name, DateTimeOffset CreatedAt);

/// <summary>
/// <c>GET|POST /admin/tenants</c>, <c>DELETE /admin/tenants/{tenantId}</c>, <c>PUT|DELETE /admin/tenants/{tenantId}/members/{userId}</c> and
/// <c>GET /admin/tenants/{tenantId}/members</c> (Bearer with <c>administration</c>).
/// </summary>
public static class TenantEndpoints
{
    public const string CreateName = "CreateTenant";

    public const string TenantsPattern = AuthRoute.AdminScope + "/tenants";

    /// <summary>The Function app's function of <see cref="TenantsPattern"/>, every method.</summary>
    public const string TenantsFunction = "AdminTenants";

    public const string ListName = "ListTenantsAsAdministrator";

    public const string DeleteName = "DeleteTenant";

    public const string TenantPattern = AuthRoute.AdminScope + "/tenants/{tenantId}";

    /// <summary>The Function app's function of <see cref="TenantPattern"/>, every method.</summary>
    public const string TenantFunction = "AdminTenant";

    public const string SetMemberName = "SetTenantMember";

    public const string RemoveMemberName = "RemoveTenantMember";

    public const string MemberPattern = AuthRoute.AdminScope + "/tenants/{tenantId}/members/{userId}";

    /// <summary>The Function app's function of <see cref="MemberPattern"/>, every method.</summary>
    public const string MemberFunction = "AdminTenantMember";

    public const string ListMembersName = "ListTenantMembers";

    public const string MembersPattern = AuthRoute.AdminScope + "/tenants/{tenantId}/members";

    /// <summary>The Function app's function of <see cref="MembersPattern"/>, every method.</summary>
    public const string MembersFunction = "AdminTenantMembers";

    /// <summary>The Function app's functions of these routes: one per template.</summary>
    public static IReadOnlyList<FunctionRoute> Functions { get; } =
        [new(TenantsFunction, TenantsPattern), new(TenantFunction, TenantPattern), new(MembersFunction, MembersPattern), new(MemberFunction, MemberPattern)];

    public static IReadOnlyList<AuthRoute> Routes { get; } =
    [
        AuthRoute.WithJsonBody(CreateName, HttpMethods.Post, TenantsPattern, RouteAccess.Administration, AuthJson.Default.CreateTenantRequest, CreateAsync),
        AuthRoute.WithJsonBody(SetMemberName, HttpMethods.Put, MemberPattern, RouteAccess.Administration, AuthJson.Default.SetMemberRequest, SetMemberAsync),
        new(RemoveMemberName, HttpMethods.Delete, MemberPattern, RouteAccess.Administration, RemoveMemberAsync),
        new(ListMembersName, HttpMethods.Get, MembersPattern, RouteAccess.Administration, ListMembersAsync),
        new(ListName, HttpMethods.Get, TenantsPattern, RouteAccess.Administration, ListAsync),
        new(DeleteName, HttpMethods.Delete, TenantPattern, RouteAccess.Administration, DeleteAsync),
    ];

    /// <summary>204: the tenant, its realm keys, members and installations go, and every token that reached it is dead at once.</summary>
    private static async Task<IResult> DeleteAsync(RouteCall call)
    {
        var deleted = await call.Service<TenantAdministration>().DeleteAsync(call.Value("tenantId"), call.Caller.Subject, call.Aborted);
        return deleted.Succeeded ? TypedResults.NoContent() : Problem.From(deleted.Error);
    }

    private static Task<IResult> ListAsync(RouteCall call) => Listing.RespondAsync(
        call.Context,
        "tenants",
        async page => (Outcome<PageOf<Tenant>>)await call.Service<TenantAdministration>().ListAsync(page, call.Aborted),
        t => new TenantSummaryResponse(t.Id, t.Name, t.CreatedAt),
        AuthJson.Default.IReadOnlyListTenantSummaryResponse);

    private static async Task<IResult> SetMemberAsync(RouteCall call, SetMemberRequest request)
    {
        var set = await call.Service<TenantMemberships>().SetAsync(call.Value("tenantId"), call.Value("userId"), request.Role, call.Caller.Subject, call.Aborted);
        return set.Succeeded ? TypedResults.NoContent() : Problem.From(set.Error);
    }

    private static async Task<IResult> RemoveMemberAsync(RouteCall call)
    {
        var removed = await call.Service<TenantMemberships>().RemoveAsync(call.Value("tenantId"), call.Value("userId"), call.Caller.Subject, call.Aborted);
        return removed.Succeeded ? TypedResults.NoContent() : Problem.From(removed.Error);
    }

    private static Task<IResult> ListMembersAsync(RouteCall call) => Listing.RespondAsync(
        call.Context,
        "members|" + Identifiers.KeyOf(call.Value("tenantId")),
        page => call.Service<TenantMemberships>().ListMembersAsync(call.Value("tenantId"), page, call.Aborted),
        MemberResponse.Of,
        AuthJson.Default.IReadOnlyListMemberResponse);

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
