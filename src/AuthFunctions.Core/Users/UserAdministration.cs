using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Storage;
using AuthFunctions.Core.Tenants;
using AuthFunctions.Core.Tokens;
using Microsoft.Extensions.Logging;

namespace AuthFunctions.Core.Users;

/// <summary>What an administrator asks for when creating a user.</summary>
public sealed record NewUser
{
    public required string Username { get; init; }

    public required string Password { get; init; }

    public required string DisplayName { get; init; }

    public string? Email { get; init; }

    public Rights Rights { get; init; }

    public bool SuperUser { get; init; }

    /// <summary>Who asks: the acting principal's subject, or <c>bootstrap</c>; for the security log.</summary>
    public required string CreatedBy { get; init; }
}

/// <summary>What an administrator changes on a user; null leaves a field as it is.</summary>
public sealed record UserUpdate
{
    public string? DisplayName { get; init; }

    /// <summary>An empty string removes the address.</summary>
    public string? Email { get; init; }

    public Rights? Rights { get; init; }

    public string? Password { get; init; }

    public bool? Enabled { get; init; }

    /// <summary>Never the generated one, which would print the password.</summary>
    public override string ToString() => Describe();

    /// <summary>What changes, for the security log: field names and flags, never the password.</summary>
    public string Describe() => string.Join(", ", new[]
    {
        DisplayName is null ? null : "name",
        Email is null ? null : "email",
        Rights is { } rights ? $"rights {rights}" : null,
        Password is null ? null : "password",
        Enabled is { } enabled ? $"enabled {enabled}" : null,
    }.OfType<string>());
}

/// <summary>Creating, changing, listing and deleting users.</summary>
public sealed partial class UserAdministration(
    IUserStore users,
    PasswordHashing hashing,
    ITokenRegistry tokens,
    IMembershipStore memberships,
    TenantMemberships tenantMemberships,
    TimeProvider timeProvider,
    ILogger<UserAdministration> logger)
{
    private static readonly AuthError NoSuchUser = AuthError.NotFound("There is no user with this id.");

    private static readonly AuthError SuperUsersOnly = AuthError.AccessDenied(
        "Only a super user may create a super user, or change, disable or delete one; 'administration' alone is not enough.");

    /// <summary>
    /// True when <paramref name="actor"/> is an enabled super user, or the bootstrap that creates the first
    /// one. A super user is the top of the system: an administrator who is not one must not be able to
    /// reset its password and log in as it, nor make or remove one.
    /// </summary>
    private async Task<bool> ActsAsSuperUserAsync(string actor, CancellationToken cancellationToken) =>
        actor == Bootstrap.Bootstrapper.Actor
        || (Identifiers.IsGeneratedId(actor) && await users.FindByIdAsync(actor, cancellationToken) is { SuperUser: true, Enabled: true });

    /// <summary>
    /// Changes what <paramref name="update"/> sets, in one write, after checking every field. Disabling,
    /// a new password, or a right taken away writes the user's cut-off before and after the write, so
    /// its live tokens (password and API tokens, which carry the rights they were issued with) are
    /// inactive at once; enabling again revives none. Rights added apply from the next token.
    /// </summary>
    public async Task<Outcome<bool>> UpdateAsync(string userId, UserUpdate update, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var user = Identifiers.IsGeneratedId(userId) ? await users.FindByIdAsync(userId, cancellationToken) : null;
        if (user is null)
        {
            return NoSuchUser;
        }

        if (user.SuperUser && !await ActsAsSuperUserAsync(actor, cancellationToken))
        {
            return SuperUsersOnly;
        }

        if (update is { DisplayName: null, Email: null, Rights: null, Password: null, Enabled: null })
        {
            return AuthError.InvalidRequest("Nothing to change: give at least one of 'name', 'email', 'rights', 'password' or 'enabled'.");
        }

        if (update.Enabled == false && user.Id == actor)
        {
            return AuthError.InvalidRequest("A user cannot disable itself.");
        }

        // What the user's tokens would carry from now on (a super user always holds administration).
        var rights = update.Rights is { } asked ? (user.SuperUser ? asked | Rights.Administration : asked) : user.TokenRights;
        if (update.Rights is { } requested && user.SuperUser && !requested.HasFlag(Rights.Administration))
        {
            return AuthError.InvalidRequest("A super user always holds 'administration'; keep it in 'rights'.");
        }

        if (user.Id == actor && user.TokenRights.HasFlag(Rights.Administration) && !rights.HasFlag(Rights.Administration))
        {
            return AuthError.InvalidRequest("A user cannot take 'administration' from itself.");
        }

        var invalid = (update.DisplayName is null ? null : FieldRules.Text(update.DisplayName, "name", FieldRules.MaxDisplayNameLength, required: true))
            ?? (string.IsNullOrEmpty(update.Email) ? null : FieldRules.Email(update.Email, "email"))
            ?? (update.Password is null ? null : PasswordPolicy.Check(user.Username, update.Password));
        if (invalid is not null)
        {
            return invalid;
        }

        var change = new UserChange
        {
            DisplayName = update.DisplayName,
            Email = update.Email,
            Rights = update.Rights,
            PasswordHash = update.Password is null ? null : hashing.Hash(update.Password),
            Enabled = update.Enabled,
        };
        var endsTokens = update.Enabled == false || update.Password is not null || (user.TokenRights & ~rights) != Rights.None;
        if (endsTokens)
        {
            await tokens.SetCutoffAsync(user.Id, timeProvider.GetUtcNow(), cancellationToken);
        }

        if (!await users.UpdateAsync(user.Id, change, cancellationToken))
        {
            return NoSuchUser;
        }

        if (endsTokens)
        {
            // Again, after the write: a token issued by a login that read the user before the change
            // has an earlier issue time than this (and the login re-reads the user after issuing).
            await tokens.SetCutoffAsync(user.Id, timeProvider.GetUtcNow(), cancellationToken);
        }

        var changes = update.Describe();
        Log.UserUpdated(logger, user.Id, changes, actor);
        return true;
    }

    /// <summary>One page of users in username order; <paramref name="usernamePrefix"/> narrows it.</summary>
    public async Task<Outcome<PageOf<User>>> ListAsync(string? usernamePrefix, PageRequest page, CancellationToken cancellationToken)
    {
        if (usernamePrefix is { Length: > Identifiers.MaxNameLength })
        {
            return AuthError.InvalidRequest($"'username' is at most {Identifiers.MaxNameLength} characters.");
        }

        return await users.ListAsync(usernamePrefix, page, cancellationToken);
    }

    /// <summary>
    /// Deletes the user: its cut-off first (its tokens die at once), then its memberships, then the
    /// username and the user. A crash part-way leaves a user who can do less, never more; a retry completes it.
    /// </summary>
    public async Task<Outcome<bool>> DeleteAsync(string userId, string actor, CancellationToken cancellationToken)
    {
        var user = Identifiers.IsGeneratedId(userId) ? await users.FindByIdAsync(userId, cancellationToken) : null;
        if (user is null)
        {
            return NoSuchUser;
        }

        if (user.Id == actor)
        {
            return AuthError.InvalidRequest("A user cannot delete itself.");
        }

        if (user.SuperUser && !await ActsAsSuperUserAsync(actor, cancellationToken))
        {
            return SuperUsersOnly;
        }

        await tokens.SetCutoffAsync(user.Id, timeProvider.GetUtcNow(), cancellationToken);
        for (var page = PageRequest.First; page is not null;)
        {
            var grants = await memberships.ListTenantsAsync(user.Id, page, cancellationToken);
            foreach (var grant in grants.Items)
            {
                await tenantMemberships.RemoveAsync(grant.TenantId, user.Id, actor, cancellationToken);
            }

            page = grants.Next is { } next ? page with { After = next } : null;
        }

        await users.DeleteAsync(user, cancellationToken);
        await tokens.SetCutoffAsync(user.Id, timeProvider.GetUtcNow(), cancellationToken);
        Log.UserDeleted(logger, user.Id, actor);
        return true;
    }

    public async Task<Outcome<string>> CreateAsync(NewUser request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Identifiers.TryUsername(request.Username, out var username))
        {
            return AuthError.InvalidRequest("'username' must be 1-100 printable characters without ':', '/', '\\', '#' or '?', and not start or end with a space.");
        }

        // New names only: an existing user's name keeps working whatever its scripts.
        if (!UsernameScripts.AreAllowed(username))
        {
            return AuthError.InvalidRequest(UsernameScripts.Rule);
        }

        if (PasswordPolicy.Check(username, request.Password) is { } weak)
        {
            return weak;
        }

        if ((FieldRules.Text(request.DisplayName, "name", FieldRules.MaxDisplayNameLength, required: true) ?? FieldRules.Email(request.Email, "email")) is { } invalid)
        {
            return invalid;
        }

        if (request.SuperUser && !await ActsAsSuperUserAsync(request.CreatedBy, cancellationToken))
        {
            return SuperUsersOnly;
        }

        var user = new User
        {
            Id = Identifiers.NewId("u_"),
            Username = username,
            PasswordHash = hashing.Hash(request.Password),
            DisplayName = request.DisplayName,
            Email = request.Email,
            Rights = request.Rights,
            SuperUser = request.SuperUser,
            CreatedAt = timeProvider.GetUtcNow(),
        };
        if (await users.AddAsync(user, cancellationToken) != WriteResult.Written)
        {
            return AuthError.Conflict("The username is taken.");
        }

        Log.UserCreated(logger, user.Id, user.Username, request.CreatedBy, user.Rights, user.SuperUser);
        return user.Id;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1211, Level = LogLevel.Information, Message = "User {UserId} ({Username}) created by {Actor}: rights {Rights}, super user {SuperUser}")]
        public static partial void UserCreated(ILogger logger, string userId, string username, string actor, Rights rights, bool superUser);

        [LoggerMessage(EventId = 1212, Level = LogLevel.Information, Message = "User {UserId} changed by {Actor}: {Changes}")]
        public static partial void UserUpdated(ILogger logger, string userId, string changes, string actor);

        [LoggerMessage(EventId = 1213, Level = LogLevel.Information, Message = "User {UserId} deleted by {Actor}; its tokens are inactive")]
        public static partial void UserDeleted(ILogger logger, string userId, string actor);
    }
}
