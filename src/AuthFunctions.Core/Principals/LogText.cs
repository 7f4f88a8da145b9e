namespace AuthFunctions.Core.Principals;

/// <summary>
/// What of a submitted name may stand in a log line: a name of a valid shape (bounded, no control
/// characters), anything else only as a placeholder, so a line can neither be forged with control
/// characters nor carry a password pasted into the wrong field at length.
/// </summary>
public static class LogText
{
    public static string KeyName(string? name) => Identifiers.TryName(name, out var valid) ? valid : "(not a valid key name)";

    public static string Username(string? username) => Identifiers.TryUsername(username, out var valid) ? valid : "(not a valid username)";

    public static string Identifier(string? id) => Identifiers.IsGeneratedId(id) ? id! : "(not a valid id)";
}
