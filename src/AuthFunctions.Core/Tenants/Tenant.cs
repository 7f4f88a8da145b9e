using AuthFunctions.Core.Storage;

namespace AuthFunctions.Core.Tenants;

/// <summary>A customer organisation: the unit that data, memberships and realm keys belong to.</summary>
public sealed record Tenant
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// Set by the first write of its deletion: from then on nothing reaches it (<see cref="ITenantStore.FindAsync"/>
    /// does not find it) and nothing new is added to it; the row goes last, once its dependants are gone.
    /// </summary>
    public bool Deleting { get; init; }
}

public interface ITenantStore
{
    /// <summary>The tenant; null when there is none or it is being deleted (<see cref="Tenant.Deleting"/>).</summary>
    Task<Tenant?> FindAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>The tenant whether or not it is being deleted: for removing what belongs to it.</summary>
    Task<Tenant?> FindAnyAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Marks the tenant as being deleted (never creates it); false when it is gone.</summary>
    Task<bool> MarkDeletingAsync(Tenant tenant, CancellationToken cancellationToken);

    /// <summary>Deletes the tenant's row; idempotent.</summary>
    Task DeleteAsync(Tenant tenant, CancellationToken cancellationToken);

    /// <summary>Adds the tenant; <see cref="WriteResult.Conflict"/> when the id is taken.</summary>
    Task<WriteResult> AddAsync(Tenant tenant, CancellationToken cancellationToken);

    /// <summary>Every tenant in id order (compared as ids compare), those being deleted too: an administrator's listing.</summary>
    Task<PageOf<Tenant>> ListAsync(PageRequest page, CancellationToken cancellationToken);
}
