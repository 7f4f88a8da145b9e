using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Secrets;
using AuthFunctions.Core.Storage;
using AuthFunctions.Core.Tenants;
using AuthFunctions.Core.Tokens;
using Microsoft.Extensions.Logging;

namespace AuthFunctions.Core.MagmaKeys;

/// <summary>A new key and its secret: the only moment the secret is ever visible.</summary>
public sealed record CreatedMagmaKey(string Name, string Secret);

/// <summary>What an administrator asks for when creating a key.</summary>
public sealed record NewMagmaKey
{
    public required string Name { get; init; }

    public required Rights Rights { get; init; }

    public string? TenantId { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>
    /// The most the key may hold: a tenant admin's own rights (never <c>administration</c>); null for a
    /// system administrator. A right beyond it is refused (403).
    /// </summary>
    public Rights? Ceiling { get; init; }

    /// <summary>Who asks: the acting principal's subject, or <c>bootstrap</c>; for the security log.</summary>
    public required string CreatedBy { get; init; }
}

/// <summary>Creating and deleting magma keys.</summary>
public sealed partial class MagmaKeyAdministration(
    IMagmaKeyStore keys,
    IAssertionKeyStore assertionKeys,
    ITenantStore tenants,
    ITokenRegistry tokens,
    TimeProvider timeProvider,
    ILogger<MagmaKeyAdministration> logger)
{
    public async Task<Outcome<CreatedMagmaKey>> CreateAsync(NewMagmaKey request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Identifiers.TryName(request.Name, out var name))
        {
            return AuthError.InvalidRequest("'name' must be 1-100 characters: letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }

        var now = timeProvider.GetUtcNow();
        if (request.ExpiresAt is { } expiresAt && expiresAt <= now)
        {
            return AuthError.InvalidRequest("'expiresAt' must be in the future.");
        }

        Tenant? tenant = null;
        if (request.TenantId is not null
            && (!Identifiers.TryName(request.TenantId, out var tenantId) || (tenant = await tenants.FindAsync(tenantId, cancellationToken)) is null))
        {
            return AuthError.InvalidRequest("'tenantId' names no tenant.");
        }

        if (tenant is not null && (request.Rights & Rights.Administration) != 0)
        {
            return AuthError.InvalidRequest("A realm key (one with a tenant) never holds 'administration': it reaches one tenant, and administration is the whole system.");
        }

        if (request.Ceiling is { } ceiling && (request.Rights & ~ceiling) is var beyond && beyond != Rights.None)
        {
            return AuthError.AccessDenied($"The caller may not give the '{RightNames.ToNames(beyond)[0]}' right: a realm key holds at most its creator's rights.");
        }

        var secret = SecretValue.Generate(SecretValue.MagmaPrefix);
        var key = new MagmaKey
        {
            Name = name,
            SecretHash = SecretValue.Hash(secret),
            Rights = request.Rights,
            TenantId = tenant?.Id,
            ExpiresAt = request.ExpiresAt,
            CreatedAt = now,
        };
        if (await keys.AddAsync(key, cancellationToken) != WriteResult.Written)
        {
            return AuthError.Conflict($"A magma key named '{name}' exists already (names compare without regard to case).");
        }

        Log.KeyCreated(logger, key.Name, request.CreatedBy, key.Rights, key.TenantId, key.ExpiresAt);
        return new CreatedMagmaKey(key.Name, secret);
    }

    /// <summary>
    /// Ends the key's live tokens (its cut-off), removes its assertion keys, and then deletes it. In that
    /// order, a crash in between leaves a key whose tokens are already dead and which signs no assertion,
    /// and a retry completes the deletion; no assertion key outlives its key to serve a later one of the
    /// same name (and one that did, from before, is bound to its own key: see <see cref="AssertionKey.Serves"/>).
    /// </summary>
    /// <param name="withinTenant">Set when a tenant admin asks: a key of any other tenant, or of none, is "not found".</param>
    public async Task<Outcome<bool>> DeleteAsync(string name, string actor, CancellationToken cancellationToken, string? withinTenant = null)
    {
        var key = Identifiers.TryName(name, out var keyName) ? await keys.FindAsync(keyName, cancellationToken) : null;
        if (key is null && keyName is not null && withinTenant is not null && await keys.DeleteListingAsync(withinTenant, keyName, cancellationToken))
        {
            // A deletion that a crash interrupted after the key went: this retry completes it.
            return true;
        }

        if (key is null
            || (withinTenant is not null && (key.TenantId is null || Identifiers.KeyOf(key.TenantId) != Identifiers.KeyOf(withinTenant))))
        {
            return NoSuchKey;
        }

        var cutoff = timeProvider.GetUtcNow();
        await tokens.SetCutoffAsync(key.Subject, cutoff, cancellationToken);
        await assertionKeys.DeleteAllAsync(key.Name, cancellationToken);
        if (!await keys.DeleteAsync(key, cancellationToken))
        {
            return NoSuchKey;
        }

        // Again after the delete: a login that read the key just before it went issues before this.
        cutoff = timeProvider.GetUtcNow();
        await tokens.SetCutoffAsync(key.Subject, cutoff, cancellationToken);

        Log.KeyDeleted(logger, key.Name, actor, cutoff);
        return true;
    }

    /// <summary>
    /// Deletes every realm key of <paramref name="tenant"/> (a tenant being deleted), each as
    /// <see cref="DeleteAsync"/> does: cut-off, assertion keys, key, cut-off, then its listing row.
    /// </summary>
    public async Task DeleteRealmKeysAsync(Tenant tenant, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        for (var page = PageRequest.First; page is not null;)
        {
            var listed = await keys.ListByTenantAsync(tenant.Id, page, cancellationToken);
            foreach (var key in listed.Items)
            {
                await DeleteAsync(key.Name, actor, cancellationToken, withinTenant: tenant.Id);

                // Gone with the key, or a row whose key a crash never wrote: either way the listing goes.
                await keys.DeleteListingAsync(tenant.Id, key.Name, cancellationToken);
            }

            page = listed.Next is { } next ? page with { After = next } : null;
        }
    }

    /// <summary>
    /// Disables or enables the key. Disabling writes the key's cut-off before and after, as deleting
    /// does: its logins fail and its live tokens are inactive at once; enabling again revives none.
    /// </summary>
    public async Task<Outcome<bool>> SetEnabledAsync(string name, bool enabled, string actor, CancellationToken cancellationToken)
    {
        var key = Identifiers.TryName(name, out var keyName) ? await keys.FindAsync(keyName, cancellationToken) : null;
        if (key is null)
        {
            return NoSuchKey;
        }

        if (!enabled)
        {
            await tokens.SetCutoffAsync(key.Subject, timeProvider.GetUtcNow(), cancellationToken);
        }

        if (!await keys.SetEnabledAsync(key, enabled, cancellationToken))
        {
            // Deleted meanwhile (404), or deleted and created again (409: this change was for the old key).
            return await keys.FindAsync(key.Name, cancellationToken) is null
                ? NoSuchKey
                : AuthError.Conflict("The key changed meanwhile; read it again and repeat the change.");
        }

        if (!enabled)
        {
            await tokens.SetCutoffAsync(key.Subject, timeProvider.GetUtcNow(), cancellationToken);
        }

        Log.KeyEnabled(logger, key.Name, enabled, actor);
        return true;
    }

    /// <summary>Every key, one page in name order.</summary>
    public Task<PageOf<MagmaKeySummary>> ListAsync(PageRequest page, CancellationToken cancellationToken) => keys.ListAsync(page, cancellationToken);

    /// <summary>A tenant's realm keys, one page.</summary>
    public Task<PageOf<MagmaKeySummary>> ListForTenantAsync(Tenant tenant, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return keys.ListByTenantAsync(tenant.Id, page, cancellationToken);
    }

    private static readonly AuthError NoSuchKey = AuthError.NotFound("There is no magma key with this name.");

    private static partial class Log
    {
        [LoggerMessage(EventId = 1205, Level = LogLevel.Information, Message = "Magma key {KeyName} enabled: {Enabled}, by {Actor}")]
        public static partial void KeyEnabled(ILogger logger, string keyName, bool enabled, string actor);

        [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Magma key {KeyName} created by {Actor}: rights {Rights}, tenant {TenantId}, expires {ExpiresAt:o}")]
        public static partial void KeyCreated(ILogger logger, string keyName, string actor, Rights rights, string? tenantId, DateTimeOffset? expiresAt);

        [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Magma key {KeyName} deleted by {Actor}; its tokens issued before {Cutoff:o} are inactive")]
        public static partial void KeyDeleted(ILogger logger, string keyName, string actor, DateTimeOffset cutoff);
    }
}
