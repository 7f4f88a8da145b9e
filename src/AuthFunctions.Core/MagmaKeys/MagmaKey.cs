using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Secrets;
using AuthFunctions.Core.Storage;

namespace AuthFunctions.Core.MagmaKeys;

/// <summary>A server-to-server API key. Its secret exists only as a SHA-256 hash.</summary>
public sealed record MagmaKey : ISecretHolder
{
    public required string Name { get; init; }

    public required string SecretHash { get; init; }

    public required Rights Rights { get; init; }

    /// <summary>Set for a realm key: its tokens carry <c>tid</c> and reach that tenant only.</summary>
    public string? TenantId { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public bool Enabled { get; init; } = true;

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The stored row's version (ETag): a delete applies to exactly the key that was read.</summary>
    public string? Version { get; init; }

    /// <summary>The token subject of the key itself.</summary>
    public string Subject => SubjectFor(Name);

    public static string SubjectFor(string name) => Subjects.Magma(name);
}

/// <summary>A magma key as listings show it: never its secret nor the secret's hash.</summary>
public sealed record MagmaKeySummary(string Name, Rights Rights, string? TenantId, DateTimeOffset? ExpiresAt, bool Enabled, DateTimeOffset CreatedAt);

public interface IMagmaKeyStore
{
    Task<MagmaKey?> FindAsync(string name, CancellationToken cancellationToken);

    /// <summary>Adds the key; <see cref="WriteResult.Conflict"/> when the name is taken.</summary>
    Task<WriteResult> AddAsync(MagmaKey key, CancellationToken cancellationToken);

    /// <summary>Deletes the key as it was read (its <see cref="MagmaKey.Version"/>); false when there was none or it changed.</summary>
    Task<bool> DeleteAsync(MagmaKey key, CancellationToken cancellationToken);

    /// <summary>Removes a tenant's listing row of a key that no longer exists (a deletion a crash interrupted); false when there was none.</summary>
    Task<bool> DeleteListingAsync(string tenantId, string name, CancellationToken cancellationToken);

    /// <summary>
    /// Enables or disables the key as it was read (its <see cref="MagmaKey.Version"/>), and its tenant's
    /// listing row; false when the key is gone or changed meanwhile.
    /// </summary>
    Task<bool> SetEnabledAsync(MagmaKey key, bool enabled, CancellationToken cancellationToken);

    /// <summary>Every key in name order (an administrator's listing: it reads across partitions).</summary>
    Task<PageOf<MagmaKeySummary>> ListAsync(PageRequest page, CancellationToken cancellationToken);

    /// <summary>The realm keys of a tenant: one partition.</summary>
    Task<PageOf<MagmaKeySummary>> ListByTenantAsync(string tenantId, PageRequest page, CancellationToken cancellationToken);
}
