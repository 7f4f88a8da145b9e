using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Secrets;
using AuthFunctions.Core.Tokens;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthFunctions.Core.MagmaKeys;

/// <summary>A user on whose behalf a trusted server logs in (the delegated login).</summary>
public sealed record DelegatedUser
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public string? Email { get; init; }

    public string? OrganisationName { get; init; }

    public required Rights Rights { get; init; }

    /// <summary>Null when every field is within its bounds (<see cref="FieldRules"/>); else the 400 naming the field.</summary>
    public AuthError? Validate() =>
        FieldRules.Text(Id, "user.id", FieldRules.MaxExternalIdLength, required: true)
        ?? FieldRules.Text(Name, "user.name", FieldRules.MaxDisplayNameLength, required: true)
        ?? FieldRules.Email(Email, "user.email")
        ?? FieldRules.Text(OrganisationName, "user.organisationName", FieldRules.MaxDisplayNameLength, required: false);
}

/// <summary>Logins with a magma key name and secret: the key's own token, or a delegated one for a user.</summary>
public sealed partial class MagmaLogin(IMagmaKeyStore keys, TokenIssuer issuer, IOptions<TokenOptions> options, TimeProvider timeProvider, ILogger<MagmaLogin> logger)
{
    /// <summary>One answer for an unknown key, a wrong secret, a disabled or an expired key: nothing tells them apart.</summary>
    public static readonly AuthError InvalidKey = AuthError.InvalidClient("The magma key name or secret is wrong, or the key is disabled or expired.");

    private readonly TokenOptions options = options.Value;

    public Task<Outcome<IssuedToken>> LoginAsync(string name, string secret, CancellationToken cancellationToken) =>
        LoginAsync(name, secret, TokenGrants.Magma, cancellationToken);

    /// <summary>The key's own token, with <paramref name="grant"/> (<c>magma</c>, or <c>client_credentials</c> at <c>/oauth2/token</c>).</summary>
    public async Task<Outcome<IssuedToken>> LoginAsync(string name, string secret, string grant, CancellationToken cancellationToken)
    {
        var key = await AuthenticateAsync(name, secret, cancellationToken);
        if (key is null)
        {
            return InvalidKey;
        }

        var claims = new AccessTokenClaims
        {
            Subject = key.Subject,
            Grant = grant,
            Rights = key.Rights,
            TenantId = key.TenantId,
            ClientId = key.Name,
        };
        return await issuer.IssueAsync(claims, options.MagmaTokenLifetime, key.ExpiresAt, cancellationToken);
    }

    /// <summary>A token for <paramref name="user"/> with a subset of the key's rights; the key must hold <c>authenticate</c>.</summary>
    public async Task<Outcome<IssuedToken>> LoginDelegatedAsync(string name, string secret, DelegatedUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Validate() is { } invalid)
        {
            return invalid;
        }

        var key = await AuthenticateAsync(name, secret, cancellationToken);
        return key is null ? InvalidKey : await DelegateAsync(key, user, cancellationToken);
    }

    /// <summary>
    /// The delegated login's rules once the key is established (by its secret, or by an SSO assertion
    /// it signed): the key holds <c>authenticate</c>, the user gets a subset of its rights and never
    /// <c>authenticate</c>, <c>act</c> names the key, and <c>sub</c> is namespaced by it.
    /// </summary>
    public async Task<Outcome<IssuedToken>> DelegateAsync(MagmaKey key, DelegatedUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(user);
        if (user.Validate() is { } invalid)
        {
            return invalid;
        }

        if (!key.Rights.HasFlag(Rights.Authenticate))
        {
            Log.DelegationRefused(logger, key.Name, "the key lacks the 'authenticate' right");
            return AuthError.AccessDenied("This magma key may not log in on behalf of users: it lacks the 'authenticate' right.");
        }

        if (user.Rights.HasFlag(Rights.Authenticate))
        {
            Log.DelegationRefused(logger, key.Name, "'authenticate' is never delegable");
            return AuthError.AccessDenied("The 'authenticate' right is never delegable.");
        }

        // A key's own ability, like authenticate: an end user's token has no use for it.
        if (user.Rights.HasFlag(Rights.Introspect))
        {
            Log.DelegationRefused(logger, key.Name, "'introspect' is never delegable");
            return AuthError.AccessDenied("The 'introspect' right is never delegable.");
        }

        var missing = user.Rights & ~key.Rights;
        if (missing != Rights.None)
        {
            Log.DelegationRefused(logger, key.Name, $"the key does not hold '{RightNames.ToNames(missing)[0]}'");
            return AuthError.AccessDenied($"The magma key cannot delegate the right '{RightNames.ToNames(missing)[0]}': it does not hold it.");
        }

        var claims = new AccessTokenClaims
        {
            // Namespaced by the key: never one of our own subjects, never another server's user.
            Subject = Subjects.Delegated(key.Name, user.Id),
            Grant = TokenGrants.Delegated,
            Rights = user.Rights,
            Name = user.Name,
            Email = user.Email,
            Organisation = user.OrganisationName,
            TenantId = key.TenantId,
            ActorSubject = key.Subject,
            ClientId = key.Name,
        };
        return await issuer.IssueAsync(claims, options.MagmaTokenLifetime, key.ExpiresAt, cancellationToken);
    }

    /// <summary>The key when <paramref name="secret"/> is its secret and it is enabled and unexpired; else null (and logged).</summary>
    public async Task<MagmaKey?> AuthenticateAsync(string name, string secret, CancellationToken cancellationToken)
    {
        // A name that cannot exist is not looked up; the secret is still hashed so the answer costs the same.
        var key = Identifiers.TryName(name, out var keyName) ? await keys.FindAsync(keyName, cancellationToken) : null;
        var refusal = SecretCheck.Verify(key, secret, timeProvider.GetUtcNow());
        if (refusal != SecretRefusal.None)
        {
            Log.LoginRefused(logger, LogText.KeyName(name), refusal);
            return null;
        }

        return key;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Magma login refused for key {KeyName}: {Reason}")]
        public static partial void LoginRefused(ILogger logger, string keyName, SecretRefusal reason);

        [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Delegated login through key {KeyName} refused: {Reason}")]
        public static partial void DelegationRefused(ILogger logger, string keyName, string reason);
    }
}
