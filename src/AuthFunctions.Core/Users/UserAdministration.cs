using System.Buffers.Text;
using System.Security.Cryptography;
using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Storage;

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
}

/// <summary>Creating users.</summary>
public sealed class UserAdministration(IUserStore users, PasswordHashing hashing, TimeProvider timeProvider)
{
    public const int MinimumPasswordLength = 12;

    public async Task<Outcome<string>> CreateAsync(NewUser request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Identifiers.IsValidUsername(request.Username))
        {
            return AuthError.InvalidRequest("'username' must be 1-100 printable characters without ':', '/', '\\', '#' or '?', and not start or end with a space.");
        }

        if (request.Password.Length < MinimumPasswordLength)
        {
            return AuthError.InvalidRequest($"'password' is too weak: it must have at least {MinimumPasswordLength} characters.");
        }

        if (string.IsNullOrWhiteSpace(request.DisplayName) || request.DisplayName.Length > 200)
        {
            return AuthError.InvalidRequest("'name' is required and at most 200 characters.");
        }

        if (request.Email is { Length: > 254 } || request.Email is not null && !request.Email.Contains('@', StringComparison.Ordinal))
        {
            return AuthError.InvalidRequest("'email' is not an email address.");
        }

        var user = new User
        {
            Id = NewUserId(),
            Username = request.Username,
            PasswordHash = hashing.Hash(request.Password),
            DisplayName = request.DisplayName,
            Email = request.Email,
            Rights = request.Rights,
            SuperUser = request.SuperUser,
            CreatedAt = timeProvider.GetUtcNow(),
        };
        return await users.AddAsync(user, cancellationToken) == WriteResult.Written
            ? user.Id
            : AuthError.Conflict("The username is taken.");
    }

    private static string NewUserId()
    {
        Span<byte> random = stackalloc byte[12];
        RandomNumberGenerator.Fill(random);
        return "u_" + Base64Url.EncodeToString(random);
    }
}
