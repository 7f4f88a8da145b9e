using Azure;
using Azure.Data.Tables;
using AuthFunctions.Core.Plugins;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Storage;

namespace AuthFunctions.Azure.Tables;

/// <summary>Plugins, one partition each (PartitionKey = plugin id): checking a plugin's credentials is one point read.</summary>
public sealed class PluginTable(AuthTables tables) : IPluginStore
{
    public async Task<Plugin?> FindAsync(string pluginId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.Plugins, cancellationToken);
        var row = await AuthTables.FindAsync<PluginEntity>(table, pluginId, string.Empty, cancellationToken);
        return row is null ? null : ToPlugin(row);
    }

    public async Task<PageOf<Plugin>> ListAsync(PageRequest page, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.Plugins, cancellationToken);
        return (await AuthTables.ScanPageAsync<PluginEntity>(table, page, cancellationToken)).Select(ToPlugin);
    }

    public async Task<PageOf<Plugin>> ListEnabledAsync(PageRequest page, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.Plugins, cancellationToken);
        var rows = await AuthTables.ScanPageAsync<PluginEntity>(
            table, page, cancellationToken, where: TableClient.CreateQueryFilter($"Enabled eq {true}"));
        return rows.Select(ToPlugin);
    }

    private static Plugin ToPlugin(PluginEntity row) =>
        new() { Id = row.PartitionKey, Name = row.Name, Owner = row.Owner, SecretHash = row.SecretHash, Enabled = row.Enabled, CreatedAt = row.CreatedAt, Version = row.ETag.ToString() };

    private static PluginEntity ToEntity(Plugin plugin) => new()
    {
        PartitionKey = plugin.Id,
        Name = plugin.Name,
        Owner = plugin.Owner,
        SecretHash = plugin.SecretHash,
        Enabled = plugin.Enabled,
        CreatedAt = plugin.CreatedAt,
    };

    public async Task<WriteResult> AddAsync(Plugin plugin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        var table = await tables.GetAsync(AuthTables.Plugins, cancellationToken);
        return await AuthTables.TryAddAsync(table, ToEntity(plugin), cancellationToken);
    }

    public async Task<Plugin?> TryReplaceAsync(Plugin plugin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        var table = await tables.GetAsync(AuthTables.Plugins, cancellationToken);
        var version = await AuthTables.TryReplaceAsync(table, ToEntity(plugin), new ETag(plugin.Version ?? string.Empty), cancellationToken);
        return version is { } stored ? plugin with { Version = stored.ToString() } : null;
    }

    public async Task DeleteAsync(string pluginId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.Plugins, cancellationToken);
        await AuthTables.DeleteAsync(table, pluginId, string.Empty, cancellationToken);
    }

    internal sealed class PluginEntity : EntityBase
    {
        public string Name { get; set; } = string.Empty;

        public string Owner { get; set; } = string.Empty;

        public string SecretHash { get; set; } = string.Empty;

        public bool Enabled { get; set; } = true;

        public DateTimeOffset CreatedAt { get; set; }
    }
}

/// <summary>
/// Installations (<c>installations</c>: PartitionKey = plugin id, RowKey = the tenant id's key, so a
/// plugin's tenants are one partition), their entries (<c>tenantplugins</c>: PartitionKey = the tenant
/// id's key, RowKey = plugin id, so a tenant's plugins are one partition) and connections
/// (<c>pluginconnections</c>: PartitionKey = connection id, one point read). Rows change under their ETag.
/// </summary>
public sealed class InstallationTable(AuthTables tables) : IInstallationStore
{
    public async Task<Installation?> FindAsync(string pluginId, string tenantId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.Installations, cancellationToken);
        return (await AuthTables.FindAsync<InstallationEntity>(table, pluginId, Identifiers.KeyOf(tenantId), cancellationToken))?.ToInstallation();
    }

    public async Task<PageOf<Installation>> ListActiveAsync(string pluginId, PageRequest page, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.Installations, cancellationToken);
        var active = nameof(InstallationState.Active);
        var rows = await AuthTables.QueryPageAsync<InstallationEntity>(
            table, pluginId, page, cancellationToken, TableClient.CreateQueryFilter($"State eq {active}"));
        return rows.Select(r => r.ToInstallation());
    }

    public async Task<PageOf<Installation>> ListAllAsync(string pluginId, PageRequest page, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.Installations, cancellationToken);
        return (await AuthTables.QueryPageAsync<InstallationEntity>(table, pluginId, page, cancellationToken)).Select(r => r.ToInstallation());
    }

    public async Task<Installation?> TryAddAsync(Installation installation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(installation);
        var table = await tables.GetAsync(AuthTables.Installations, cancellationToken);
        try
        {
            var response = await AuthTables.Run(() => table.AddEntityAsync(InstallationEntity.Of(installation), cancellationToken));
            return installation with { Version = response.Headers.ETag?.ToString() };
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            return null;
        }
    }

    public async Task<Installation?> TryReplaceAsync(Installation installation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(installation);
        var table = await tables.GetAsync(AuthTables.Installations, cancellationToken);
        var version = await AuthTables.TryReplaceAsync(table, InstallationEntity.Of(installation), new ETag(installation.Version ?? string.Empty), cancellationToken);
        return version is { } stored ? installation with { Version = stored.ToString() } : null;
    }

    public async Task<bool> TryDeleteAsync(Installation installation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(installation);
        var table = await tables.GetAsync(AuthTables.Installations, cancellationToken);
        return await AuthTables.TryDeleteAsync(table, installation.PluginId, Identifiers.KeyOf(installation.TenantId), new ETag(installation.Version ?? string.Empty), cancellationToken);
    }

    public async Task<PluginConnection?> FindConnectionAsync(string connectionId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.PluginConnections, cancellationToken);
        var row = await AuthTables.FindAsync<ConnectionEntity>(table, connectionId, string.Empty, cancellationToken);
        return row is null
            ? null
            : new PluginConnection { Id = row.PartitionKey, PluginId = row.PluginId, TenantId = row.TenantId, SecretHash = row.SecretHash, CreatedAt = row.CreatedAt };
    }

    public async Task AddConnectionAsync(PluginConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var table = await tables.GetAsync(AuthTables.PluginConnections, cancellationToken);
        var row = new ConnectionEntity
        {
            PartitionKey = connection.Id,
            PluginId = connection.PluginId,
            TenantId = connection.TenantId,
            SecretHash = connection.SecretHash,
            CreatedAt = connection.CreatedAt,
        };
        if (await AuthTables.TryAddAsync(table, row, cancellationToken) != WriteResult.Written
            && (await AuthTables.FindAsync<ConnectionEntity>(table, connection.Id, string.Empty, cancellationToken))?.SecretHash != connection.SecretHash)
        {
            throw new InvalidOperationException("A random connection id clashed with an existing one.");
        }
    }

    public async Task DeleteConnectionAsync(string connectionId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.PluginConnections, cancellationToken);
        await AuthTables.DeleteAsync(table, connectionId, string.Empty, cancellationToken);
    }

    public async Task PutEntryAsync(Installation installation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(installation);
        var table = await tables.GetAsync(AuthTables.TenantPlugins, cancellationToken);
        var row = new EntryEntity
        {
            PartitionKey = Identifiers.KeyOf(installation.TenantId),
            RowKey = installation.PluginId,
            TenantId = installation.TenantId,
            ConnectionId = installation.ConnectionId,
        };
        await AuthTables.UpsertAsync(table, row, cancellationToken);
    }

    public async Task<InstallationEntry?> FindEntryAsync(string tenantId, string pluginId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.TenantPlugins, cancellationToken);
        return (await AuthTables.FindAsync<EntryEntity>(table, Identifiers.KeyOf(tenantId), pluginId, cancellationToken))?.ToEntry();
    }

    public async Task<PageOf<InstallationEntry>> ListEntriesAsync(string tenantId, PageRequest page, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuthTables.TenantPlugins, cancellationToken);
        return (await AuthTables.QueryPageAsync<EntryEntity>(table, Identifiers.KeyOf(tenantId), page, cancellationToken)).Select(r => r.ToEntry());
    }

    public async Task<bool> TryDeleteEntryAsync(InstallationEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var table = await tables.GetAsync(AuthTables.TenantPlugins, cancellationToken);
        return await AuthTables.TryDeleteAsync(table, Identifiers.KeyOf(entry.TenantId), entry.PluginId, new ETag(entry.Version ?? string.Empty), cancellationToken);
    }

    internal sealed class EntryEntity : EntityBase
    {
        public string TenantId { get; set; } = string.Empty;

        public string ConnectionId { get; set; } = string.Empty;

        public InstallationEntry ToEntry() => new(TenantId, RowKey, ConnectionId) { Version = ETag.ToString() };
    }

    internal sealed class InstallationEntity : EntityBase
    {
        public string PluginId { get; set; } = string.Empty;

        public string TenantId { get; set; } = string.Empty;

        public string TenantName { get; set; } = string.Empty;

        public string ConnectionId { get; set; } = string.Empty;

        public DateTimeOffset InstalledAt { get; set; }

        public string State { get; set; } = string.Empty;

        public static InstallationEntity Of(Installation installation) => new()
        {
            PartitionKey = installation.PluginId,
            RowKey = Identifiers.KeyOf(installation.TenantId),
            PluginId = installation.PluginId,
            TenantId = installation.TenantId,
            TenantName = installation.TenantName,
            ConnectionId = installation.ConnectionId,
            InstalledAt = installation.InstalledAt,
            State = installation.State.ToString(),
        };

        public Installation ToInstallation() => new()
        {
            PluginId = PluginId,
            TenantId = TenantId,
            TenantName = TenantName,
            ConnectionId = ConnectionId,
            InstalledAt = InstalledAt,

            // A state this version does not know grants nothing.
            State = Enum.TryParse<InstallationState>(State, out var state) ? state : InstallationState.Removing,
            Version = ETag.ToString(),
        };
    }

    internal sealed class ConnectionEntity : EntityBase
    {
        public string PluginId { get; set; } = string.Empty;

        public string TenantId { get; set; } = string.Empty;

        public string SecretHash { get; set; } = string.Empty;

        public DateTimeOffset CreatedAt { get; set; }
    }
}
