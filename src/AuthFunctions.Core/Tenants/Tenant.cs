using AuthFunctions.Core.Storage;

namespace AuthFunctions.Core.Tenants;

/// <summary>A customer organisation: the unit that data, memberships and realm keys belong to.</summary>
public sealed record Tenant
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}

public interface ITenantStore
{
    Task<Tenant?> FindAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Adds the tenant; <see cref="WriteResult.Conflict"/> when the id is taken.</summary>
    Task<WriteResult> AddAsync(Tenant tenant, CancellationToken cancellationToken);

    /// <summary>Every tenant in id order (compared as ids compare): an administrator's listing.</summary>
    Task<PageOf<Tenant>> ListAsync(PageRequest page, CancellationToken cancellationToken);
}
