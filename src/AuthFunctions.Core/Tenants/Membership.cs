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

    /// <summary>The stored row's version (ETag); null before it is stored.</summary>
    public string? Version { get; init; }

    /// <summary>True when <paramref name="other"/> says the same (tenant, user, role), whatever the versions.</summary>
    public bool SameGrant(Membership? other) =>
        other is not null && other.TenantId == TenantId && other.UserId == UserId && other.Role == Role;
}

/// <summary>A membership as a roster shows it, with its user (null for a user deleted meanwhile).</summary>
public sealed record Member(Membership Membership, Users.User? User);

/// <summary>
/// Memberships in both directions. The <em>grant</em> (user → tenants) is what every access check
/// reads; the <em>roster</em> (tenant → members) only lists. Each write touches one row and is
/// conditional on the version read (insert-if-absent when <c>expectedVersion</c> is null), so that
/// <see cref="TenantMemberships"/> decides the order of writes and concurrent changes never lose one.
/// </summary>
public interface IMembershipStore
{
    /// <summary>The grant of <paramref name="userId"/> in <paramref name="tenantId"/>: a point read.</summary>
    Task<Membership?> FindAsync(string userId, string tenantId, CancellationToken cancellationToken);

    /// <summary>The roster row of <paramref name="userId"/> in <paramref name="tenantId"/>: a point read.</summary>
    Task<Membership?> FindRosterAsync(string tenantId, string userId, CancellationToken cancellationToken);

    /// <summary>The user's grants: one partition.</summary>
    Task<PageOf<Membership>> ListTenantsAsync(string userId, PageRequest page, CancellationToken cancellationToken);

    /// <summary>The tenant's roster: one partition.</summary>
    Task<PageOf<Membership>> ListMembersAsync(string tenantId, PageRequest page, CancellationToken cancellationToken);

    /// <summary>Writes the grant if it is still at <paramref name="expectedVersion"/> (null: absent); false when it changed.</summary>
    Task<bool> TryPutGrantAsync(Membership membership, string? expectedVersion, CancellationToken cancellationToken);

    /// <summary>Deletes the grant if it is still at <paramref name="expectedVersion"/>; false when it changed.</summary>
    Task<bool> TryDeleteGrantAsync(string userId, string tenantId, string expectedVersion, CancellationToken cancellationToken);

    /// <summary>Writes the roster row if it is still at <paramref name="expectedVersion"/> (null: absent); false when it changed.</summary>
    Task<bool> TryPutRosterAsync(Membership membership, string? expectedVersion, CancellationToken cancellationToken);

    /// <summary>Deletes the roster row if it is still at <paramref name="expectedVersion"/>; false when it changed.</summary>
    Task<bool> TryDeleteRosterAsync(string tenantId, string userId, string expectedVersion, CancellationToken cancellationToken);
}
