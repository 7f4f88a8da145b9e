using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Secrets;
using AuthFunctions.Core.Storage;
using AuthFunctions.Core.Tenants;
using Microsoft.Extensions.Logging;

namespace AuthFunctions.Core.Plugins;

/// <summary>A new plugin and its token: the only moment the token is ever visible.</summary>
public sealed record CreatedPlugin(string PluginId, string PluginToken);

/// <summary>A new connection and its token: the only moment the token is ever visible.</summary>
public sealed record CreatedConnection(string ConnectionId, string ConnectionToken);

/// <summary>A plugin installed in a tenant, as the tenant's listing shows it: never a token.</summary>
public sealed record InstalledPlugin(string PluginId, string Name, string ConnectionId, DateTimeOffset InstalledAt);

/// <summary>
/// Registering plugins, installing them in tenants, and checking their credentials. The installation
/// row (plugin → tenant) is the one authority: a plugin sees a tenant, and a connection answers, only
/// while that row is <see cref="InstallationState.Active"/>. Installing writes the row as pending, then
/// the tenant's entry (<see cref="InstallationEntry"/>, the tenant → plugins index), then the
/// connection, then marks the row active; uninstalling marks it removing, then deletes the connection,
/// the entry, and the row. A crash between any two writes leaves nothing that grants access (an entry
/// alone grants nothing: its readers check the row), and repeating the request completes it. A plugin that is disabled (or gone) grants nothing either: its
/// token and every one of its connections' tokens are refused, since each check reads the plugin.
/// </summary>
public sealed partial class PluginInstallations(
    IPluginStore plugins,
    IInstallationStore installations,
    TimeProvider timeProvider,
    ILogger<PluginInstallations> logger)
{
    public const string PluginIdPrefix = "p_";
    public const string ConnectionIdPrefix = "c_";

    private static readonly AuthError NoSuchPlugin = AuthError.NotFound("There is no plugin with this id.");
    private static readonly AuthError NotInstalled = AuthError.NotFound("The plugin is not installed in this tenant.");
    private static readonly AuthError BadPlugin = AuthError.InvalidClient("The plugin id or token is wrong.");
    private static readonly AuthError BadConnection = AuthError.InvalidClient("The plugin connection id or token is wrong, or the plugin was uninstalled, disabled or deleted.");

    public async Task<Outcome<CreatedPlugin>> CreateAsync(string? name, string actor, CancellationToken cancellationToken)
    {
        if (FieldRules.Text(name, "name", FieldRules.MaxDisplayNameLength, required: true) is { } invalid)
        {
            return invalid;
        }

        var token = SecretValue.Generate(SecretValue.PluginPrefix);
        var plugin = new Plugin
        {
            Id = Identifiers.NewId(PluginIdPrefix),
            Name = name!,
            Owner = actor,
            SecretHash = SecretValue.Hash(token),
            CreatedAt = timeProvider.GetUtcNow(),
        };
        if (await plugins.AddAsync(plugin, cancellationToken) != WriteResult.Written)
        {
            throw new InvalidOperationException("A random plugin id clashed with an existing one.");
        }

        Log.PluginCreated(logger, plugin.Id, plugin.Name, actor);
        return new CreatedPlugin(plugin.Id, token);
    }

    /// <summary>Installs the plugin in <paramref name="tenant"/> (whose access the caller has passed).</summary>
    public async Task<Outcome<CreatedConnection>> InstallAsync(Tenant tenant, string pluginId, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var plugin = Identifiers.IsGeneratedId(pluginId) ? await plugins.FindAsync(pluginId, cancellationToken) : null;
        if (plugin is null)
        {
            return NoSuchPlugin;
        }

        if (!plugin.Enabled)
        {
            // Also what keeps a deletion's uninstalling from racing a new install: deleting disables first.
            return AuthError.Conflict("The plugin is disabled; an administrator must enable it before it can be installed.");
        }

        var existing = await installations.FindAsync(plugin.Id, tenant.Id, cancellationToken);
        if (existing?.State == InstallationState.Active)
        {
            return AlreadyInstalled;
        }

        var token = SecretValue.Generate(SecretValue.PluginConnectionPrefix);
        var now = timeProvider.GetUtcNow();
        var pending = new Installation
        {
            PluginId = plugin.Id,
            TenantId = tenant.Id,
            TenantName = tenant.Name,
            ConnectionId = Identifiers.NewId(ConnectionIdPrefix),
            InstalledAt = now,
            State = InstallationState.Pending,
        };
        var stored = existing is null
            ? await installations.TryAddAsync(pending, cancellationToken)
            : await installations.TryReplaceAsync(pending with { Version = existing.Version }, cancellationToken);
        stored ??= await OursAsync(pending, InstallationState.Pending, cancellationToken);
        if (stored is null)
        {
            // Another install of the same pair got the row first: it wins, this one never existed.
            return AlreadyInstalled;
        }

        if (existing is not null)
        {
            // The row is ours now: the interrupted attempt's connection (whose token nobody received,
            // or which is being withdrawn) can go.
            await installations.DeleteConnectionAsync(existing.ConnectionId, cancellationToken);
        }

        // Before the row can become active, so that every active installation is in its tenant's listing.
        await installations.PutEntryAsync(pending, cancellationToken);
        await installations.AddConnectionAsync(
            new PluginConnection { Id = pending.ConnectionId, PluginId = plugin.Id, TenantId = tenant.Id, SecretHash = SecretValue.Hash(token), CreatedAt = now },
            cancellationToken);
        if (await installations.TryReplaceAsync(stored with { State = InstallationState.Active }, cancellationToken) is null
            && await OursAsync(pending, InstallationState.Active, cancellationToken) is null)
        {
            // Another install took the pending row over meanwhile; it wins, this one never existed.
            await installations.DeleteConnectionAsync(pending.ConnectionId, cancellationToken);
            return AlreadyInstalled;
        }

        Log.Installed(logger, plugin.Id, tenant.Id, pending.ConnectionId, actor);
        return new CreatedConnection(pending.ConnectionId, token);
    }

    /// <summary>Uninstalls: the row is marked first, so the connection and the plugin lose the tenant with the first write.</summary>
    public async Task<Outcome<bool>> UninstallAsync(Tenant tenant, string pluginId, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return Identifiers.IsGeneratedId(pluginId) ? await UninstallAsync(pluginId, tenant.Id, actor, cancellationToken) : NotInstalled;
    }

    private async Task<Outcome<bool>> UninstallAsync(string pluginId, string tenantId, string actor, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var existing = await installations.FindAsync(pluginId, tenantId, cancellationToken);
            if (existing is null)
            {
                // An entry with no row behind it (an install's late write) goes with this request.
                await DropEntryUnlessInstalledAsync(tenantId, pluginId, cancellationToken);
                return NotInstalled;
            }

            var removing = existing.State == InstallationState.Removing
                ? existing
                : await installations.TryReplaceAsync(existing with { State = InstallationState.Removing }, cancellationToken);
            if (removing is null)
            {
                if (attempt < 3)
                {
                    continue;
                }

                return AuthError.Conflict("The installation changed while it was being removed; try again.");
            }

            await installations.DeleteConnectionAsync(removing.ConnectionId, cancellationToken);

            // The entry goes while the row still stands, so a retry (or the plugin's deletion, which
            // finds the plugin's rows, not the tenants' entries) still reaches it; only an entry naming
            // this connection, since one naming another is a newer install's.
            if (await installations.FindEntryAsync(tenantId, pluginId, cancellationToken) is { } entry
                && entry.ConnectionId == removing.ConnectionId)
            {
                await installations.TryDeleteEntryAsync(entry, cancellationToken);
            }

            if (!await installations.TryDeleteAsync(removing, cancellationToken))
            {
                // Installed again meanwhile (an install may take over a row being removed): that install stands.
                return AuthError.Conflict("The plugin was installed again while it was being removed.");
            }

            // An entry written late by an install that lost the row to another has no row behind it now.
            await DropEntryUnlessInstalledAsync(tenantId, pluginId, cancellationToken);

            Log.Uninstalled(logger, pluginId, tenantId, removing.ConnectionId, actor);
            return true;
        }
    }

    /// <summary>
    /// Enables or disables the plugin. Every credential check reads the plugin, so a disabled plugin's
    /// token and its connections' tokens are refused from the next request on; enabling revives them.
    /// </summary>
    public async Task<Outcome<bool>> SetEnabledAsync(string pluginId, bool enabled, string actor, CancellationToken cancellationToken)
    {
        var changed = await ChangeAsync(pluginId, p => p with { Enabled = enabled }, cancellationToken);
        if (changed.Succeeded)
        {
            Log.PluginEnabled(logger, pluginId, enabled, actor);
        }

        return changed.Succeeded ? true : changed.Error;
    }

    /// <summary>
    /// Gives the plugin a new token, shown once: the old one is refused from the next request on. Its
    /// connections keep their own tokens. A disabled plugin stays disabled.
    /// </summary>
    public async Task<Outcome<CreatedPlugin>> RotateTokenAsync(string pluginId, string actor, CancellationToken cancellationToken)
    {
        var token = SecretValue.Generate(SecretValue.PluginPrefix);
        var hash = SecretValue.Hash(token);
        var changed = await ChangeAsync(pluginId, p => p with { SecretHash = hash }, cancellationToken);
        if (!changed.Succeeded)
        {
            return changed.Error;
        }

        Log.PluginTokenRotated(logger, pluginId, actor);
        return new CreatedPlugin(changed.Value.Id, token);
    }

    /// <summary>
    /// Deletes the plugin: disables it first (its token and every connection are refused from then on,
    /// and no new install starts), then uninstalls it from every tenant (each as an uninstall does),
    /// then deletes the plugin itself. A crash in between leaves a disabled plugin with fewer
    /// installations, and repeating the request completes the deletion.
    /// </summary>
    public async Task<Outcome<bool>> DeleteAsync(string pluginId, string actor, CancellationToken cancellationToken)
    {
        var disabled = await ChangeAsync(pluginId, p => p with { Enabled = false }, cancellationToken);
        if (!disabled.Succeeded)
        {
            return disabled.Error;
        }

        var removed = 0;
        for (var page = PageRequest.First; page is not null;)
        {
            var rows = await installations.ListAllAsync(pluginId, page, cancellationToken);
            foreach (var row in rows.Items)
            {
                // An install that read the plugin just before it was disabled may finish meanwhile: the
                // plugin's deletion leaves its connection dead all the same (every check reads the plugin).
                if ((await UninstallAsync(pluginId, row.TenantId, actor, cancellationToken)).Succeeded)
                {
                    removed++;
                }
            }

            page = rows.Next is { } next ? page with { After = next } : null;
        }

        await plugins.DeleteAsync(pluginId, cancellationToken);
        Log.PluginDeleted(logger, pluginId, removed, actor);
        return true;
    }

    /// <summary>
    /// Uninstalls every plugin from <paramref name="tenant"/> (a tenant being deleted): the tenant's
    /// entries name them, one partition, and each uninstall removes its entry; then one point read per
    /// plugin catches an installation older than the index.
    /// </summary>
    public async Task UninstallAllAsync(Tenant tenant, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        for (var page = PageRequest.First; page is not null;)
        {
            var entries = await installations.ListEntriesAsync(tenant.Id, page, cancellationToken);
            foreach (var entry in entries.Items)
            {
                await UninstallAsync(entry.PluginId, tenant.Id, actor, cancellationToken);
            }

            page = entries.Next is { } next ? page with { After = next } : null;
        }

        // Installations written before the tenant index existed have no entry: one point read per plugin
        // finds them, so no connection of a deleted tenant outlives it. Admin-only, and rare.
        for (var page = PageRequest.First; page is not null;)
        {
            var listed = await plugins.ListAsync(page, cancellationToken);
            foreach (var plugin in listed.Items)
            {
                if (await installations.FindAsync(plugin.Id, tenant.Id, cancellationToken) is not null)
                {
                    await UninstallAsync(plugin.Id, tenant.Id, actor, cancellationToken);
                }
            }

            page = listed.Next is { } next ? page with { After = next } : null;
        }
    }

    /// <summary>
    /// The plugins installed in <paramref name="tenant"/> (whose access the caller has passed), one page
    /// in plugin id order: the tenant's entries, each checked against its installation row and its plugin
    /// (two point reads per entry, all at once). An entry whose installation is not active, or whose
    /// plugin is gone, is left out, so a page may hold fewer items than its limit.
    /// </summary>
    public async Task<PageOf<InstalledPlugin>> ListInstalledAsync(Tenant tenant, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var entries = await installations.ListEntriesAsync(tenant.Id, page, cancellationToken);
        var checks = entries.Items.Select(async entry =>
        {
            var installationRead = installations.FindAsync(entry.PluginId, tenant.Id, cancellationToken);
            var pluginRead = plugins.FindAsync(entry.PluginId, cancellationToken);
            await Task.WhenAll(installationRead, pluginRead);
            var (installation, plugin) = (await installationRead, await pluginRead);
            return installation is { State: InstallationState.Active } && plugin is not null
                ? new InstalledPlugin(plugin.Id, plugin.Name, installation.ConnectionId, installation.InstalledAt)
                : null;
        });
        var installed = await Task.WhenAll(checks);
        return new PageOf<InstalledPlugin>([.. installed.OfType<InstalledPlugin>()], entries.Next);
    }

    /// <summary>The enabled plugins, one page in id order: what a tenant admin may install (names and ids only reach the wire).</summary>
    public Task<PageOf<Plugin>> ListCatalogAsync(PageRequest page, CancellationToken cancellationToken) => plugins.ListEnabledAsync(page, cancellationToken);

    /// <summary>
    /// Deletes the tenant's entry for the plugin when no installation row stands behind it. The entry is
    /// read before the row, and deleted under the version read: an install that starts meanwhile writes
    /// its row before its entry, so either the row is seen or the entry's version has moved on.
    /// </summary>
    private async Task DropEntryUnlessInstalledAsync(string tenantId, string pluginId, CancellationToken cancellationToken)
    {
        if (await installations.FindEntryAsync(tenantId, pluginId, cancellationToken) is { } entry
            && await installations.FindAsync(pluginId, tenantId, cancellationToken) is null)
        {
            await installations.TryDeleteEntryAsync(entry, cancellationToken);
        }
    }

    /// <summary>Reads the plugin and writes <paramref name="change"/> of it under the version read, again when another change came first.</summary>
    private async Task<Outcome<Plugin>> ChangeAsync(string pluginId, Func<Plugin, Plugin> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var plugin = Identifiers.IsGeneratedId(pluginId) ? await plugins.FindAsync(pluginId, cancellationToken) : null;
            if (plugin is null)
            {
                return NoSuchPlugin;
            }

            var changed = change(plugin);
            if (changed == plugin)
            {
                return plugin;
            }

            if (await plugins.TryReplaceAsync(changed, cancellationToken) is { } stored)
            {
                return stored;
            }
        }

        return AuthError.Conflict("The plugin kept changing while this change was made; try again.");
    }

    /// <summary>
    /// The row as it is now when it is this attempt's own (same connection id) in <paramref name="state"/>:
    /// a write whose answer was lost and that the storage client retried has in fact been made.
    /// </summary>
    private async Task<Installation?> OursAsync(Installation attempt, InstallationState state, CancellationToken cancellationToken) =>
        await installations.FindAsync(attempt.PluginId, attempt.TenantId, cancellationToken) is { } row
            && row.ConnectionId == attempt.ConnectionId && row.State == state
            ? row
            : null;

    /// <summary>Every plugin, one page in id order (an administrator's listing: it reads across partitions).</summary>
    public Task<PageOf<Plugin>> ListPluginsAsync(PageRequest page, CancellationToken cancellationToken) => plugins.ListAsync(page, cancellationToken);

    /// <summary>The plugin, or null when there is none (an id not of our shape is not looked up).</summary>
    public async Task<Plugin?> FindPluginAsync(string pluginId, CancellationToken cancellationToken) =>
        Identifiers.IsGeneratedId(pluginId) ? await plugins.FindAsync(pluginId, cancellationToken) : null;

    /// <summary>The plugin's active installations, one page.</summary>
    public Task<PageOf<Installation>> ListAsync(string pluginId, PageRequest page, CancellationToken cancellationToken) =>
        installations.ListActiveAsync(pluginId, page, cancellationToken);

    /// <summary>Checks <c>Plugin base64(pluginId:pluginToken)</c> credentials.</summary>
    public async Task<Outcome<Plugin>> AuthenticateAsync(string pluginId, string token, CancellationToken cancellationToken)
    {
        var plugin = Identifiers.IsGeneratedId(pluginId) ? await plugins.FindAsync(pluginId, cancellationToken) : null;
        var refusal = SecretCheck.Verify(plugin, token, timeProvider.GetUtcNow());
        if (refusal != SecretRefusal.None)
        {
            Log.Refused(logger, "plugin", LogText.Identifier(pluginId), refusal.ToString());
            return BadPlugin;
        }

        return plugin!;
    }

    /// <summary>Checks <c>PluginConnection base64(connectionId:connectionToken)</c> credentials and that the installation is active.</summary>
    public async Task<Outcome<PluginConnection>> AuthenticateConnectionAsync(string connectionId, string token, CancellationToken cancellationToken)
    {
        var connection = Identifiers.IsGeneratedId(connectionId) ? await installations.FindConnectionAsync(connectionId, cancellationToken) : null;
        var refusal = SecretCheck.Verify(connection, token, timeProvider.GetUtcNow());
        if (refusal != SecretRefusal.None)
        {
            Log.Refused(logger, "plugin connection", LogText.Identifier(connectionId), refusal.ToString());
            return BadConnection;
        }

        // Two independent point reads, at once: the installation must be active and name this
        // connection, and the plugin must exist and be enabled.
        var installationRead = installations.FindAsync(connection!.PluginId, connection.TenantId, cancellationToken);
        var pluginRead = plugins.FindAsync(connection.PluginId, cancellationToken);
        await Task.WhenAll(installationRead, pluginRead);
        var (installation, plugin) = (await installationRead, await pluginRead);
        if (installation is not { State: InstallationState.Active } || installation.ConnectionId != connection.Id)
        {
            Log.Refused(logger, "plugin connection", connection.Id, "not installed");
            return BadConnection;
        }

        if (plugin is not { Enabled: true })
        {
            Log.Refused(logger, "plugin connection", connection.Id, plugin is null ? "plugin deleted" : "plugin disabled");
            return BadConnection;
        }

        return connection;
    }

    private static readonly AuthError AlreadyInstalled = AuthError.Conflict("The plugin is installed in this tenant already.");

    private static partial class Log
    {
        [LoggerMessage(EventId = 1231, Level = LogLevel.Information, Message = "Plugin {PluginId} ({PluginName}) registered by {Actor}")]
        public static partial void PluginCreated(ILogger logger, string pluginId, string pluginName, string actor);

        [LoggerMessage(EventId = 1232, Level = LogLevel.Information, Message = "Plugin {PluginId} installed in tenant {TenantId} as connection {ConnectionId} by {Actor}")]
        public static partial void Installed(ILogger logger, string pluginId, string tenantId, string connectionId, string actor);

        [LoggerMessage(EventId = 1233, Level = LogLevel.Information, Message = "Plugin {PluginId} uninstalled from tenant {TenantId} (connection {ConnectionId} ended) by {Actor}")]
        public static partial void Uninstalled(ILogger logger, string pluginId, string tenantId, string connectionId, string actor);

        [LoggerMessage(EventId = 1234, Level = LogLevel.Information, Message = "Plugin {PluginId} enabled: {Enabled}, by {Actor}")]
        public static partial void PluginEnabled(ILogger logger, string pluginId, bool enabled, string actor);

        [LoggerMessage(EventId = 1235, Level = LogLevel.Information, Message = "Plugin {PluginId} given a new token by {Actor}; the old one is refused")]
        public static partial void PluginTokenRotated(ILogger logger, string pluginId, string actor);

        [LoggerMessage(EventId = 1236, Level = LogLevel.Information, Message = "Plugin {PluginId} deleted by {Actor} after {Uninstalled} uninstalls")]
        public static partial void PluginDeleted(ILogger logger, string pluginId, int uninstalled, string actor);

        [LoggerMessage(EventId = 1140, Level = LogLevel.Warning, Message = "Credentials of {Kind} {Id} refused: {Reason}")]
        public static partial void Refused(ILogger logger, string kind, string id, string reason);
    }
}
