using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Storage;

namespace AuthFunctions.Core.Users;

/// <summary>A person who logs in with a username and password.</summary>
public sealed record User
{
    public required string Id { get; init; }

    /// <summary>Unique without regard to case; kept as entered.</summary>
    public required string Username { get; init; }

    /// <summary>ASP.NET Core Identity's PasswordHasher format (PBKDF2).</summary>
    public required string PasswordHash { get; init; }

    public required string DisplayName { get; init; }

    public string? Email { get; init; }

    public required Rights Rights { get; init; }

    public bool Enabled { get; init; } = true;

    /// <summary>Configures the system: its tokens carry <c>administration</c> and no tenant.</summary>
    public bool SuperUser { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The rights its tokens carry.</summary>
    public Rights TokenRights => SuperUser ? Rights | Rights.Administration : Rights;
}

public interface IUserStore
{
    /// <summary>The user with this username, compared without regard to case; null when none.</summary>
    Task<User?> FindByUsernameAsync(string username, CancellationToken cancellationToken);

    Task<User?> FindByIdAsync(string userId, CancellationToken cancellationToken);

    /// <summary>The users with these ids, in their order (null where there is none): point reads, a bounded number at once.</summary>
    Task<IReadOnlyList<User?>> FindByIdsAsync(IReadOnlyList<string> userIds, CancellationToken cancellationToken);

    /// <summary>Adds the user; <see cref="WriteResult.Conflict"/> when the username is taken.</summary>
    Task<WriteResult> AddAsync(User user, CancellationToken cancellationToken);

    /// <summary>Writes the fields <paramref name="change"/> sets, in one write; false when there is no such user.</summary>
    Task<bool> UpdateAsync(string userId, UserChange change, CancellationToken cancellationToken);

    /// <summary>
    /// Users in username order (compared as logins compare them), optionally only those whose username
    /// starts with <paramref name="usernamePrefix"/>; the page position is the username's comparison key.
    /// </summary>
    Task<PageOf<User>> ListAsync(string? usernamePrefix, PageRequest page, CancellationToken cancellationToken);

    /// <summary>Deletes the username claim (no login from then on), then the user row; idempotent.</summary>
    Task DeleteAsync(User user, CancellationToken cancellationToken);
}

/// <summary>The fields an administrator changes on a user; null leaves a field as it is.</summary>
public sealed record UserChange
{
    public string? DisplayName { get; init; }

    /// <summary>An empty string removes the email address.</summary>
    public string? Email { get; init; }

    public Rights? Rights { get; init; }

    public string? PasswordHash { get; init; }

    public bool? Enabled { get; init; }

    /// <summary>Never the generated one, which would print the password hash.</summary>
    public override string ToString() => "user change";
}
