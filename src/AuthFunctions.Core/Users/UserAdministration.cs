using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Storage;
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

/// <summary>Creating users.</summary>
public sealed partial class UserAdministration(IUserStore users, PasswordHashing hashing, TimeProvider timeProvider, ILogger<UserAdministration> logger)
{
    public async Task<Outcome<string>> CreateAsync(NewUser request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Identifiers.TryUsername(request.Username, out var username))
        {
            return AuthError.InvalidRequest("'username' must be 1-100 printable characters without ':', '/', '\\', '#' or '?', and not start or end with a space.");
        }

        if (PasswordPolicy.Check(username, request.Password) is { } weak)
        {
            return weak;
        }

        if ((FieldRules.Text(request.DisplayName, "name", FieldRules.MaxDisplayNameLength, required: true) ?? FieldRules.Email(request.Email, "email")) is { } invalid)
        {
            return invalid;
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
    }
}
