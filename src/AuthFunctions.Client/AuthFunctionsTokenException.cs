namespace AuthFunctions.Client;

/// <summary>
/// AuthFunctions refused to issue a token (a deleted, disabled or wrong key, a wrong password, a
/// lockout) or could not issue one. Carries the problem's <c>error</c> code and detail, never a secret.
/// </summary>
public sealed class AuthFunctionsTokenException : Exception
{
    public AuthFunctionsTokenException()
        : this("AuthFunctions issued no token.")
    {
    }

    public AuthFunctionsTokenException(string message)
        : this(message, null)
    {
    }

    public AuthFunctionsTokenException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Error = "server_error";
    }

    internal AuthFunctionsTokenException(string clientName, AuthFunctionsGrant grant, int statusCode, string error, string? detail)
        : base($"AuthFunctions refused the {grant} login of {(clientName.Length == 0 ? "the AuthFunctions client" : $"AuthFunctions client '{clientName}'")}: {statusCode} {error}{(string.IsNullOrEmpty(detail) ? "." : $": {detail}")}")
    {
        ClientName = clientName;
        Grant = grant;
        StatusCode = statusCode;
        Error = error;
        Detail = detail;
    }

    /// <summary>The name of the client's options ("" for the default one).</summary>
    public string ClientName { get; } = string.Empty;

    public AuthFunctionsGrant Grant { get; }

    /// <summary>The HTTP status of the refusal (401, 403, 429, 503…).</summary>
    public int StatusCode { get; }

    /// <summary>The problem's <c>error</c>: <c>invalid_client</c>, <c>invalid_grant</c>, <c>access_denied</c>, <c>too_many_requests</c>…</summary>
    public string Error { get; }

    /// <summary>The problem's <c>detail</c> (or <c>error_description</c>).</summary>
    public string? Detail { get; }
}
