using System.Collections.Concurrent;
using AuthFunctions.Core.MagmaKeys;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Storage;
using AuthFunctions.Core.Tenants;
using AuthFunctions.Core.Users;

namespace AuthFunctions.Tests.Fakes;

internal sealed class InMemoryMagmaKeyStore : IMagmaKeyStore
{
    public ConcurrentDictionary<string, MagmaKey> Keys { get; } = new(StringComparer.Ordinal);

    public Task<MagmaKey?> FindAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(Keys.TryGetValue(Identifiers.KeyOf(name), out var key) ? key : null);

    public Task<WriteResult> AddAsync(MagmaKey key, CancellationToken cancellationToken) =>
        Task.FromResult(Keys.TryAdd(Identifiers.KeyOf(key.Name), key) ? WriteResult.Written : WriteResult.Conflict);

    public Task<bool> DeleteAsync(MagmaKey key, CancellationToken cancellationToken) => Task.FromResult(Keys.TryRemove(Identifiers.KeyOf(key.Name), out _));

    public Task<bool> DeleteListingAsync(string tenantId, string name, CancellationToken cancellationToken) => Task.FromResult(false);

    public Task<bool> SetEnabledAsync(MagmaKey key, bool enabled, CancellationToken cancellationToken)
    {
        var name = Identifiers.KeyOf(key.Name);
        return Task.FromResult(Keys.TryGetValue(name, out var current) && Keys.TryUpdate(name, current with { Enabled = enabled }, current));
    }

    public Task<PageOf<MagmaKeySummary>> ListAsync(PageRequest page, CancellationToken cancellationToken) =>
        Task.FromResult(new PageOf<MagmaKeySummary>(
            [.. Keys.Values.OrderBy(k => Identifiers.KeyOf(k.Name), StringComparer.Ordinal).Select(k => new MagmaKeySummary(k.Name, k.Rights, k.TenantId, k.ExpiresAt, k.Enabled, k.CreatedAt))],
            null));

    public Task<PageOf<MagmaKeySummary>> ListByTenantAsync(string tenantId, PageRequest page, CancellationToken cancellationToken) =>
        Task.FromResult(new PageOf<MagmaKeySummary>(
            [.. Keys.Values.Where(k => k.TenantId is not null && Identifiers.KeyOf(k.TenantId) == Identifiers.KeyOf(tenantId))
                .Select(k => new MagmaKeySummary(k.Name, k.Rights, k.TenantId, k.ExpiresAt, k.Enabled, k.CreatedAt))],
            null));
}

internal sealed class InMemoryTenantStore : ITenantStore
{
    public ConcurrentDictionary<string, Tenant> Tenants { get; } = new(StringComparer.Ordinal);

    public Task<Tenant?> FindAsync(string tenantId, CancellationToken cancellationToken) =>
        Task.FromResult(Tenants.TryGetValue(Identifiers.KeyOf(tenantId), out var tenant) && !tenant.Deleting ? tenant : null);

    public Task<Tenant?> FindAnyAsync(string tenantId, CancellationToken cancellationToken) =>
        Task.FromResult(Tenants.TryGetValue(Identifiers.KeyOf(tenantId), out var tenant) ? tenant : null);

    public Task<bool> MarkDeletingAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        var key = Identifiers.KeyOf(tenant.Id);
        return Task.FromResult(Tenants.TryGetValue(key, out var stored) && Tenants.TryUpdate(key, stored with { Deleting = true }, stored));
    }

    public Task DeleteAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        Tenants.TryRemove(Identifiers.KeyOf(tenant.Id), out _);
        return Task.CompletedTask;
    }

    public Task<WriteResult> AddAsync(Tenant tenant, CancellationToken cancellationToken) =>
        Task.FromResult(Tenants.TryAdd(Identifiers.KeyOf(tenant.Id), tenant) ? WriteResult.Written : WriteResult.Conflict);

    public Task<PageOf<Tenant>> ListAsync(PageRequest page, CancellationToken cancellationToken) =>
        Task.FromResult(new PageOf<Tenant>([.. Tenants.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => t.Value)], null));
}

internal sealed class InMemoryUserStore : IUserStore
{
    public ConcurrentDictionary<string, User> Users { get; } = new(StringComparer.Ordinal);

    public Task<User?> FindByUsernameAsync(string username, CancellationToken cancellationToken) =>
        Task.FromResult(Users.TryGetValue(Identifiers.KeyOf(username), out var user) ? user : null);

    public Task<User?> FindByIdAsync(string userId, CancellationToken cancellationToken) =>
        Task.FromResult(Users.Values.FirstOrDefault(u => u.Id == userId));

    public Task<IReadOnlyList<User?>> FindByIdsAsync(IReadOnlyList<string> userIds, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<User?>>([.. userIds.Select(id => Users.Values.FirstOrDefault(u => u.Id == id))]);

    public Task<WriteResult> AddAsync(User user, CancellationToken cancellationToken) =>
        Task.FromResult(Users.TryAdd(Identifiers.KeyOf(user.Username), user) ? WriteResult.Written : WriteResult.Conflict);

    public Task<bool> UpdateAsync(string userId, UserChange change, CancellationToken cancellationToken)
    {
        var user = Users.Values.FirstOrDefault(u => u.Id == userId);
        if (user is not null)
        {
            Users[Identifiers.KeyOf(user.Username)] = user with
            {
                DisplayName = change.DisplayName ?? user.DisplayName,
                Email = change.Email is null ? user.Email : change.Email.Length == 0 ? null : change.Email,
                Rights = change.Rights ?? user.Rights,
                PasswordHash = change.PasswordHash ?? user.PasswordHash,
                Enabled = change.Enabled ?? user.Enabled,
            };
        }

        return Task.FromResult(user is not null);
    }

    public Task<PageOf<User>> ListAsync(string? usernamePrefix, PageRequest page, CancellationToken cancellationToken) =>
        Task.FromResult(new PageOf<User>(
            [.. Users.Where(u => u.Key.StartsWith(Identifiers.KeyOf(usernamePrefix ?? string.Empty), StringComparison.Ordinal)).OrderBy(u => u.Key, StringComparer.Ordinal).Select(u => u.Value)],
            null));

    public Task DeleteAsync(User user, CancellationToken cancellationToken)
    {
        Users.TryRemove(Identifiers.KeyOf(user.Username), out _);
        return Task.CompletedTask;
    }
}

internal sealed class InMemoryAssertionKeyStore : IAssertionKeyStore
{
    public ConcurrentDictionary<(string Key, string Kid), AssertionKey> Keys { get; } = new();

    public Task<AssertionKey?> FindAsync(string keyName, string keyId, CancellationToken cancellationToken) =>
        Task.FromResult(Keys.TryGetValue((Identifiers.KeyOf(keyName), keyId), out var key) ? key : null);

    public Task<bool> PutAsync(AssertionKey key, CancellationToken cancellationToken)
    {
        var added = true;
        Keys.AddOrUpdate((Identifiers.KeyOf(key.KeyName), key.KeyId), key, (_, _) => { added = false; return key; });
        return Task.FromResult(added);
    }

    public Task<bool> DeleteAsync(string keyName, string keyId, CancellationToken cancellationToken) =>
        Task.FromResult(Keys.TryRemove((Identifiers.KeyOf(keyName), keyId), out _));

    public Task<IReadOnlyList<AssertionKey>> ListAsync(string keyName, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AssertionKey>>([.. Keys.Where(k => k.Key.Key == Identifiers.KeyOf(keyName)).Select(k => k.Value)]);

    public Task DeleteAllAsync(string keyName, CancellationToken cancellationToken)
    {
        foreach (var key in Keys.Keys.Where(k => k.Key == Identifiers.KeyOf(keyName)))
        {
            Keys.TryRemove(key, out _);
        }

        return Task.CompletedTask;
    }
}
