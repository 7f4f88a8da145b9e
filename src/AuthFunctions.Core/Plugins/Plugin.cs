using AuthFunctions.Core.Secrets;
using AuthFunctions.Core.Storage;

namespace AuthFunctions.Core.Plugins;

/// <summary>An application that tenants install. Its token (<c>plg_…</c>) exists only as a SHA-256 hash.</summary>
public sealed record Plugin : ISecretHolder
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary>Who registered it: the administrator's subject.</summary>
    public required string Owner { get; init; }

    public required string SecretHash { get; init; }

    /// <summary>A disabled plugin's token and all its connections' tokens are refused.</summary>
    public bool Enabled { get; init; } = true;

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The stored row's version (ETag); null before it is stored.</summary>
    public string? Version { get; init; }

    DateTimeOffset? ISecretHolder.ExpiresAt => null;
}

/// <summary>
/// A plugin installed in one tenant: its own id and token (<c>plc_…</c>, stored hashed), bound to
/// exactly that plugin and that tenant. It answers only while its installation is active.
/// </summary>
public sealed record PluginConnection : ISecretHolder
{
    public required string Id { get; init; }

    public required string PluginId { get; init; }

    public required string TenantId { get; init; }

    public required string SecretHash { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    bool ISecretHolder.Enabled => true;

    DateTimeOffset? ISecretHolder.ExpiresAt => null;
}

/// <summary>Where an installation is in its life; only <see cref="Active"/> grants anything.</summary>
public enum InstallationState
{
    /// <summary>Being installed: its connection may exist, but nobody has been given its token.</summary>
    Pending,

    Active,

    /// <summary>Being uninstalled: already dead for the plugin and the connection.</summary>
    Removing,
}

/// <summary>The plugin → tenant row: the one authority on whether a plugin is installed in a tenant.</summary>
public sealed record Installation
{
    public required string PluginId { get; init; }

    public required string TenantId { get; init; }

    /// <summary>The tenant's name, kept here so that a plugin's tenants are one query.</summary>
    public required string TenantName { get; init; }

    public required string ConnectionId { get; init; }

    public required DateTimeOffset InstalledAt { get; init; }

    public required InstallationState State { get; init; }

    /// <summary>The stored row's version (ETag); null before it is stored.</summary>
    public string? Version { get; init; }
}

/// <summary>
/// A tenant's entry for one plugin (tenant → plugins, one partition per tenant): an index of the
/// installation rows, never an authority. It is written before its installation row can become active
/// and deleted only after that row is gone, so every active installation has one; an entry may outlive
/// its installation, and whoever reads it checks the installation row.
/// </summary>
public sealed record InstallationEntry(string TenantId, string PluginId, string ConnectionId)
{
    /// <summary>The stored row's version (ETag); null before it is stored.</summary>
    public string? Version { get; init; }
}

public interface IPluginStore
{
    Task<Plugin?> FindAsync(string pluginId, CancellationToken cancellationToken);

    Task<WriteResult> AddAsync(Plugin plugin, CancellationToken cancellationToken);

    /// <summary>Every plugin in id order: an administrator's listing.</summary>
    Task<PageOf<Plugin>> ListAsync(PageRequest page, CancellationToken cancellationToken);

    /// <summary>The enabled plugins in id order: the catalog tenant admins install from.</summary>
    Task<PageOf<Plugin>> ListEnabledAsync(PageRequest page, CancellationToken cancellationToken);

    /// <summary>Replaces the plugin if it still has <see cref="Plugin.Version"/>; the stored plugin, or null when it changed or vanished.</summary>
    Task<Plugin?> TryReplaceAsync(Plugin plugin, CancellationToken cancellationToken);

    /// <summary>Deletes the plugin; idempotent.</summary>
    Task DeleteAsync(string pluginId, CancellationToken cancellationToken);
}

/// <summary>
/// Installations (plugin → tenants, one partition per plugin), their entries (tenant → plugins, one
/// partition per tenant) and connections (one row each). Each call writes one row; <see cref="PluginInstallations"/> orders them.
/// </summary>
public interface IInstallationStore
{
    /// <summary>A point read, whatever the state.</summary>
    Task<Installation?> FindAsync(string pluginId, string tenantId, CancellationToken cancellationToken);

    /// <summary>The plugin's active installations: one partition.</summary>
    Task<PageOf<Installation>> ListActiveAsync(string pluginId, PageRequest page, CancellationToken cancellationToken);

    /// <summary>Every installation row of the plugin, whatever its state: one partition.</summary>
    Task<PageOf<Installation>> ListAllAsync(string pluginId, PageRequest page, CancellationToken cancellationToken);

    /// <summary>Adds the row; null when one exists already. The result carries the stored version.</summary>
    Task<Installation?> TryAddAsync(Installation installation, CancellationToken cancellationToken);

    /// <summary>Replaces the row if it still has <see cref="Installation.Version"/>; null when it changed or vanished.</summary>
    Task<Installation?> TryReplaceAsync(Installation installation, CancellationToken cancellationToken);

    /// <summary>Deletes the row if it still has <see cref="Installation.Version"/>; false when it changed (or is gone).</summary>
    Task<bool> TryDeleteAsync(Installation installation, CancellationToken cancellationToken);

    Task<PluginConnection?> FindConnectionAsync(string connectionId, CancellationToken cancellationToken);

    /// <summary>Adds the connection; idempotent for the same connection (a retried write), a clash of random ids is a bug.</summary>
    Task AddConnectionAsync(PluginConnection connection, CancellationToken cancellationToken);

    /// <summary>Deletes the connection; idempotent.</summary>
    Task DeleteConnectionAsync(string connectionId, CancellationToken cancellationToken);

    /// <summary>Writes (inserts or replaces) the tenant's entry for the installation's plugin, naming its connection.</summary>
    Task PutEntryAsync(Installation installation, CancellationToken cancellationToken);

    /// <summary>The tenant's entry for the plugin: a point read.</summary>
    Task<InstallationEntry?> FindEntryAsync(string tenantId, string pluginId, CancellationToken cancellationToken);

    /// <summary>The tenant's entries in plugin id order: one partition.</summary>
    Task<PageOf<InstallationEntry>> ListEntriesAsync(string tenantId, PageRequest page, CancellationToken cancellationToken);

    /// <summary>Deletes the entry if it still has <see cref="InstallationEntry.Version"/>; false when it changed (or is gone).</summary>
    Task<bool> TryDeleteEntryAsync(InstallationEntry entry, CancellationToken cancellationToken);
}
