using System.Diagnostics.CodeAnalysis;
using AuthFunctions.Core.Storage;

namespace AuthFunctions.Core.Tenants;

/// <summary>What a member may do in a tenant; <see cref="Admin"/> includes everything <see cref="Operator"/> may.</summary>
public enum TenantRole
{
    Operator = 1,
    Admin = 2,
}

/// <summary>The wire names of <see cref="TenantRole"/> (<c>operator</c>, <c>admin</c>), also the <c>role</c> claim.</summary>
public static class TenantRoles
{
    public const string Operator = "operator";
    public const string Admin = "admin";

    public static string NameOf(TenantRole role) => role == TenantRole.Admin ? Admin : Operator;

    public static bool TryParse(string? text, [NotNullWhen(true)] out TenantRole? role)
    {
        role = text switch
        {
            Operator => TenantRole.Operator,
            Admin => TenantRole.Admin,
            _ => null,
        };
        return role is not null;
    }
}

/// <summary>A user's membership of a tenant.</summary>
public sealed record Membership
{
    public required string TenantId { get; init; }

    /// <summary>The tenant's name, kept with the membership so that listing a user's tenants is one query.</summary>
    public required string TenantName { get; init; }

    public required string UserId { get; init; }

    public required TenantRole Role { get; init; }

    public required DateTimeOffset AddedAt { get; init; }
}

/// <summary>
/// Memberships in both directions. The <em>grant</em> (user → tenants) is what every access check
/// reads; the <em>roster</em> (tenant → members) only lists. Each write touches one row, so that the
/// order of writes, chosen by <see cref="TenantMemberships"/>, decides what a crash in between leaves.
/// </summary>
public interface IMembershipStore
{
    /// <summary>The grant of <paramref name="userId"/> in <paramref name="tenantId"/>: a point read.</summary>
    Task<Membership?> FindAsync(string userId, string tenantId, CancellationToken cancellationToken);

    /// <summary>The user's grants: one partition.</summary>
    Task<PageOf<Membership>> ListTenantsAsync(string userId, PageRequest page, CancellationToken cancellationToken);

    /// <summary>The tenant's roster: one partition.</summary>
    Task<PageOf<Membership>> ListMembersAsync(string tenantId, PageRequest page, CancellationToken cancellationToken);

    Task<Membership?> FindRosterAsync(string tenantId, string userId, CancellationToken cancellationToken);

    /// <summary>Writes (insert or replace) the grant row.</summary>
    Task PutGrantAsync(Membership membership, CancellationToken cancellationToken);

    /// <summary>Writes (insert or replace) the roster row.</summary>
    Task PutRosterAsync(Membership membership, CancellationToken cancellationToken);

    /// <summary>Deletes the grant row; idempotent.</summary>
    Task DeleteGrantAsync(string userId, string tenantId, CancellationToken cancellationToken);

    /// <summary>Deletes the roster row; idempotent.</summary>
    Task DeleteRosterAsync(string tenantId, string userId, CancellationToken cancellationToken);
}
