using Microsoft.AspNetCore.Identity;

namespace AuthFunctions.Core.Users;

/// <summary>
/// Password hashes by ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/> (PBKDF2-HMAC-SHA512,
/// per-password salt). Unknown usernames are checked against a decoy hash so they cost the same work.
/// </summary>
public sealed class PasswordHashing
{
    private readonly PasswordHasher<User> hasher = new();
    private readonly string decoyHash;

    public PasswordHashing()
    {
        decoyHash = hasher.HashPassword(null!, Guid.NewGuid().ToString("N"));
    }

    public string Hash(string password) => hasher.HashPassword(null!, password);

    /// <summary>True when <paramref name="password"/> matches; with a null hash, does the same work and returns false.</summary>
    public bool Verify(string? passwordHash, string password)
    {
        var result = hasher.VerifyHashedPassword(null!, passwordHash ?? decoyHash, password);
        return passwordHash is not null && result != PasswordVerificationResult.Failed;
    }
}
