using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using AuthFunctions.Core.Storage;
using Microsoft.Extensions.Options;

namespace AuthFunctions.Azure.Tables;

/// <summary>
/// The tables we use, each created on first use (once per process), and the one place where
/// Azure SDK failures become <see cref="StoreUnavailableException"/>.
/// </summary>
public sealed class AuthTables(TableServiceClient service, IOptions<StorageOptions> options) : IStorageProbe
{
    public const string Users = "users";
    public const string Usernames = "usernames";
    public const string Tenants = "tenants";
    public const string MagmaKeys = "magmakeys";
    public const string Tokens = "tokens";
    public const string TokenCutoffs = "tokencutoffs";
    public const string LoginFailures = "loginfailures";
    public const string AssertionKeys = "assertionkeys";
    public const string AssertionReplays = "assertionjtis";
    public const string SigningKeys = "signingkeys";
    public const string TenantMagmaKeys = "tenantmagmakeys";
    public const string UserTenants = "usertenants";
    public const string TenantMembers = "tenantmembers";
    public const string Plugins = "plugins";
    public const string Installations = "installations";
    public const string PluginConnections = "pluginconnections";
    public const string TenantPlugins = "tenantplugins";
    public const string ServerKeys = "serverkeys";
    public const string Expiries = "expiries";
    public const string ApiTokens = "apitokens";
    public const string ApiTokenIds = "apitokenids";
    public const string PurgeState = "purgestate";

    private readonly string prefix = options.Value.TablePrefix;
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> tables = new(StringComparer.Ordinal);

    public async Task<TableClient> GetAsync(string name, CancellationToken cancellationToken)
    {
        var lazy = tables.GetOrAdd(name, n => new Lazy<Task<TableClient>>(() => CreateAsync(n)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (StoreUnavailableException)
        {
            // Creation failed: the next call tries again instead of caching the failure.
            tables.TryRemove(new KeyValuePair<string, Lazy<Task<TableClient>>>(name, lazy));
            throw;
        }
    }

    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        var table = await GetAsync(Tenants, cancellationToken);
        await Run(() => table.GetEntityIfExistsAsync<TableEntity>("health", "probe", cancellationToken: cancellationToken));
    }

    /// <summary>Runs a Table Storage or Key Vault call; infrastructure failures become <see cref="StoreUnavailableException"/>.</summary>
    public static async Task<T> Run<T>(Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call();
        }
        catch (RequestFailedException exception) when (exception.Status is 0 or 408 or 429 or >= 500 or 401 or 403)
        {
            throw new StoreUnavailableException($"Azure storage answered {exception.Status} ({exception.ErrorCode}).", exception);
        }
        catch (RequestFailedException exception) when (exception.Status is 400 or 413)
        {
            throw new StoreRejectedInputException($"Azure storage refused the input: {exception.Status} ({exception.ErrorCode}).", exception);
        }
        catch (AggregateException exception)
        {
            throw new StoreUnavailableException("Azure storage did not answer.", exception);
        }
        catch (HttpRequestException exception)
        {
            throw new StoreUnavailableException("Azure storage did not answer.", exception);
        }
        catch (TaskCanceledException exception) when (exception.CancellationToken == default || !exception.CancellationToken.IsCancellationRequested)
        {
            throw new StoreUnavailableException("Azure storage timed out.", exception);
        }
    }

    /// <summary>Adds an entity; <see cref="WriteResult.Conflict"/> when its keys exist already (409).</summary>
    public static async Task<WriteResult> TryAddAsync<T>(TableClient table, T entity, CancellationToken cancellationToken)
        where T : ITableEntity
    {
        ArgumentNullException.ThrowIfNull(table);
        try
        {
            await Run(() => table.AddEntityAsync(entity, cancellationToken));
            return WriteResult.Written;
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            return WriteResult.Conflict;
        }
    }

    /// <summary>A point read; null when the entity does not exist.</summary>
    public static async Task<T?> FindAsync<T>(TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        ArgumentNullException.ThrowIfNull(table);
        var response = await Run(() => table.GetEntityIfExistsAsync<T>(partitionKey, rowKey, cancellationToken: cancellationToken));
        return response.HasValue ? response.Value : null;
    }

    /// <summary>
    /// One page of one partition, in RowKey order, starting after <see cref="PageRequest.After"/>; the
    /// next page starts after the last row returned. <paramref name="where"/> narrows it further (built
    /// with <see cref="TableClient.CreateQueryFilter(FormattableString)"/>).
    /// </summary>
    public static async Task<PageOf<T>> QueryPageAsync<T>(TableClient table, string partitionKey, PageRequest page, CancellationToken cancellationToken, string? where = null)
        where T : class, ITableEntity
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(page);
        var filter = page.After is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey gt {page.After}");
        if (where is not null)
        {
            filter = $"({filter}) and ({where})";
        }

        return await ReadPageAsync<T>(table, filter, page.Limit, row => row.RowKey, cancellationToken);
    }

    /// <summary>
    /// One page of a table whose rows are one partition each (PartitionKey order; RowKey empty), after
    /// <see cref="PageRequest.After"/>; <paramref name="prefix"/> keeps the keys that start with it, and
    /// <paramref name="where"/> (built with <see cref="TableClient.CreateQueryFilter(FormattableString)"/>)
    /// narrows it further. For listings of a few hundred rows, never a login: it reads across partitions.
    /// </summary>
    public static async Task<PageOf<T>> ScanPageAsync<T>(TableClient table, PageRequest page, CancellationToken cancellationToken, string? prefix = null, string? where = null)
        where T : class, ITableEntity
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(page);
        var after = page.After ?? string.Empty;
        var filter = TableClient.CreateQueryFilter($"PartitionKey gt {after}");
        if (!string.IsNullOrEmpty(prefix))
        {
            filter = after.CompareTo(prefix, StringComparison.Ordinal) < 0
                ? TableClient.CreateQueryFilter($"PartitionKey ge {prefix}")
                : filter;
            // Keys starting with the prefix sort below the prefix cut after its last character that can
            // be incremented, incremented ("a\uFFFF" → "b"); a prefix of nothing but U+FFFF has no end.
            var stem = prefix.TrimEnd(char.MaxValue);
            if (stem.Length > 0)
            {
                var end = string.Concat(stem.AsSpan(0, stem.Length - 1), [(char)(stem[^1] + 1)]);
                filter = $"({filter}) and ({TableClient.CreateQueryFilter($"PartitionKey lt {end}")})";
            }
        }

        if (where is not null)
        {
            filter = $"({filter}) and ({where})";
        }

        return await ReadPageAsync<T>(table, filter, page.Limit, row => row.PartitionKey, cancellationToken);
    }

    /// <summary>Up to <paramref name="limit"/> rows of the query; the next page starts after the last one's <paramref name="positionOf"/>.</summary>
    private static async Task<PageOf<T>> ReadPageAsync<T>(TableClient table, string filter, int limit, Func<T, string> positionOf, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        // One row more than asked for tells whether another page exists.
        var rows = new List<T>(Math.Min(limit + 1, 128));
        await Run(async () =>
        {
            await foreach (var row in table.QueryAsync<T>(filter, Math.Min(limit + 1, PageRequest.MaxLimit), cancellationToken: cancellationToken))
            {
                rows.Add(row);
                if (rows.Count > limit)
                {
                    break;
                }
            }

            return rows;
        });
        return rows.Count > limit
            ? new PageOf<T>(rows[..limit], positionOf(rows[limit - 1]))
            : new PageOf<T>(rows, null);
    }

    /// <summary>Every row of one partition (optionally only the <paramref name="select"/>ed properties): for partitions known to be small or dead.</summary>
    public static Task<List<T>> ReadPartitionAsync<T>(TableClient table, string partitionKey, CancellationToken cancellationToken, IEnumerable<string>? select = null)
        where T : class, ITableEntity
    {
        ArgumentNullException.ThrowIfNull(table);
        return Run(async () =>
        {
            var rows = new List<T>();
            await foreach (var row in table.QueryAsync<T>(TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}"), maxPerPage: 1000, select: select, cancellationToken: cancellationToken))
            {
                rows.Add(row);
            }

            return rows;
        });
    }

    /// <summary>Replaces an entity if it is still at <paramref name="version"/>; the new ETag, or null when it changed or vanished (412/404).</summary>
    public static async Task<ETag?> TryReplaceAsync<T>(TableClient table, T entity, ETag version, CancellationToken cancellationToken)
        where T : ITableEntity
    {
        ArgumentNullException.ThrowIfNull(table);
        try
        {
            var response = await Run(() => table.UpdateEntityAsync(entity, version, TableUpdateMode.Replace, cancellationToken));
            return response.Headers.ETag ?? version;
        }
        catch (RequestFailedException exception) when (exception.Status is 404 or 412)
        {
            return null;
        }
    }

    /// <summary>
    /// Merges the given properties into an entity if it exists and is still at <paramref name="version"/>
    /// (<see cref="ETag.All"/>: any version, but never an insert); false when it changed or vanished (412/404).
    /// </summary>
    public static async Task<bool> TryMergeAsync(TableClient table, TableEntity properties, ETag version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        try
        {
            await Run(() => table.UpdateEntityAsync(properties, version, TableUpdateMode.Merge, cancellationToken));
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>Deletes an entity if it is still at <paramref name="version"/>; false when it changed or was gone.</summary>
    public static async Task<bool> TryDeleteAsync(TableClient table, string partitionKey, string rowKey, ETag version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        try
        {
            var response = await Run(() => table.DeleteEntityAsync(partitionKey, rowKey, version, cancellationToken));
            return response.Status != 404;
        }
        catch (RequestFailedException exception) when (exception.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>Inserts or replaces an entity.</summary>
    public static Task UpsertAsync<T>(TableClient table, T entity, CancellationToken cancellationToken)
        where T : ITableEntity
    {
        ArgumentNullException.ThrowIfNull(table);
        return Run(() => table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken));
    }

    /// <summary>Deletes an entity; a missing one is no error.</summary>
    public static Task DeleteAsync(TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        return Run(() => table.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken));
    }

    private async Task<TableClient> CreateAsync(string name)
    {
        var table = service.GetTableClient(prefix + name);
        await Run(() => table.CreateIfNotExistsAsync(CancellationToken.None));
        return table;
    }
}
