using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Secrets;
using AuthFunctions.Core.Storage;
using AuthFunctions.Core.Tenants;
using AuthFunctions.Core.Tokens;

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
}

/// <summary>Creating and deleting magma keys.</summary>
public sealed class MagmaKeyAdministration(IMagmaKeyStore keys, ITenantStore tenants, ITokenRegistry tokens, TimeProvider timeProvider)
{
    public async Task<Outcome<CreatedMagmaKey>> CreateAsync(NewMagmaKey request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Identifiers.IsValidName(request.Name))
        {
            return AuthError.InvalidRequest("'name' must be 1-100 characters: letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }

        var now = timeProvider.GetUtcNow();
        if (request.ExpiresAt is { } expiresAt && expiresAt <= now)
        {
            return AuthError.InvalidRequest("'expiresAt' must be in the future.");
        }

        if (request.TenantId is not null
            && (!Identifiers.IsValidName(request.TenantId) || await tenants.FindAsync(request.TenantId, cancellationToken) is null))
        {
            return AuthError.InvalidRequest($"'tenantId' names no tenant.");
        }

        var secret = SecretValue.Generate(SecretValue.MagmaPrefix);
        var key = new MagmaKey
        {
            Name = request.Name,
            SecretHash = SecretValue.Hash(secret),
            Rights = request.Rights,
            TenantId = request.TenantId,
            ExpiresAt = request.ExpiresAt,
            CreatedAt = now,
        };
        return await keys.AddAsync(key, cancellationToken) == WriteResult.Written
            ? new CreatedMagmaKey(key.Name, secret)
            : AuthError.Conflict($"A magma key named '{request.Name}' exists already.");
    }

    /// <summary>
    /// Ends the key's live tokens (its cut-off) and then deletes it. In that order, a crash in between
    /// leaves a key whose tokens are already dead, and a retry completes the deletion.
    /// </summary>
    public async Task<Outcome<bool>> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        var key = Identifiers.IsValidName(name) ? await keys.FindAsync(name, cancellationToken) : null;
        if (key is null)
        {
            return NoSuchKey;
        }

        await tokens.SetCutoffAsync(key.Subject, timeProvider.GetUtcNow(), cancellationToken);
        return await keys.DeleteAsync(key.Name, cancellationToken) ? true : NoSuchKey;
    }

    private static readonly AuthError NoSuchKey = AuthError.NotFound("There is no magma key with this name.");
}
