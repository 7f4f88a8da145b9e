using AuthFunctions.Core.Principals;
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

public sealed record MemberResponse(string UserId, string Role, DateTimeOffset AddedAt);

/// <summary>
/// <c>POST /admin/tenants</c>, <c>PUT|DELETE /admin/tenants/{tenantId}/members/{userId}</c> and
/// <c>GET /admin/tenants/{tenantId}/members</c> (Bearer with <c>administration</c>).
/// </summary>
public static class TenantEndpoints
{
    public const string CreateName = "CreateTenant";

    public const string CreatePattern = AuthRoute.AdminScope + "/tenants";

    public const string SetMemberName = "SetTenantMember";

    public const string RemoveMemberName = "RemoveTenantMember";

    public const string MemberPattern = AuthRoute.AdminScope + "/tenants/{tenantId}/members/{userId}";

    public const string ListMembersName = "ListTenantMembers";

    public const string MembersPattern = AuthRoute.AdminScope + "/tenants/{tenantId}/members";

    public static IReadOnlyList<AuthRoute> Routes { get; } =
    [
        AuthRoute.WithJsonBody(CreateName, HttpMethods.Post, CreatePattern, RouteAccess.Administration, AuthJson.Default.CreateTenantRequest, CreateAsync),
        AuthRoute.WithJsonBody(SetMemberName, HttpMethods.Put, MemberPattern, RouteAccess.Administration, AuthJson.Default.SetMemberRequest, SetMemberAsync),
        new(RemoveMemberName, HttpMethods.Delete, MemberPattern, RouteAccess.Administration, RemoveMemberAsync),
        new(ListMembersName, HttpMethods.Get, MembersPattern, RouteAccess.Administration, ListMembersAsync),
    ];

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
        m => new MemberResponse(m.UserId, TenantRoles.NameOf(m.Role), m.AddedAt),
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
