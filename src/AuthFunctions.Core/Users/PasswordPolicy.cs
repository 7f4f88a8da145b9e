using System.Collections.Frozen;
using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Principals;

namespace AuthFunctions.Core.Users;

/// <summary>
/// What a new password must be (at user creation, and at a change): 12–1024 characters, not the
/// username, not one of the most common passwords (the list ships with the code). Each refusal
/// names its rule in the 400's detail.
/// </summary>
public static class PasswordPolicy
{
    public const int MinimumLength = 12;

    public const int MaximumLength = FieldRules.MaxPasswordLength;

    private static readonly FrozenSet<string> Common = LoadCommonPasswords();

    /// <summary>Null when <paramref name="password"/> is acceptable for <paramref name="username"/>.</summary>
    public static AuthError? Check(string username, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (password.Length < MinimumLength)
        {
            return AuthError.InvalidRequest($"'password' is too weak: it must have at least {MinimumLength} characters.");
        }

        if (password.Length > MaximumLength)
        {
            return AuthError.InvalidRequest($"'password' is longer than {MaximumLength} characters.");
        }

        var key = Identifiers.KeyOf(password);
        if (username is not null && key == Identifiers.KeyOf(username))
        {
            return AuthError.InvalidRequest("'password' may not be the username.");
        }

        return Common.Contains(key)
            ? AuthError.InvalidRequest("'password' is one of the most common passwords, which attackers try first; choose another.")
            : null;
    }

    private static FrozenSet<string> LoadCommonPasswords()
    {
        using var stream = typeof(PasswordPolicy).Assembly.GetManifestResourceStream("AuthFunctions.Core.Users.common-passwords.txt")
            ?? throw new InvalidOperationException("The common-password list is not embedded in AuthFunctions.Core.");
        using var reader = new StreamReader(stream);
        var passwords = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                passwords.Add(Identifiers.KeyOf(line.Trim()));
            }
        }

        return passwords.ToFrozenSet(StringComparer.Ordinal);
    }
}
