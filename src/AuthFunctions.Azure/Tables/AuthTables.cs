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

    private async Task<TableClient> CreateAsync(string name)
    {
        var table = service.GetTableClient(prefix + name);
        await Run(() => table.CreateIfNotExistsAsync(CancellationToken.None));
        return table;
    }
}
