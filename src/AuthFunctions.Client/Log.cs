using Microsoft.Extensions.Logging;

namespace AuthFunctions.Client;

/// <summary>The client's log lines: names and codes only, never a secret, password or token.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "AuthFunctions client '{ClientName}' obtained a {Grant} token valid for {ExpiresIn} s; it renews it after {RenewAt:o}.")]
    public static partial void TokenObtained(ILogger logger, string clientName, AuthFunctionsGrant grant, int expiresIn, DateTimeOffset renewAt);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "AuthFunctions refused the {Grant} login of client '{ClientName}': {StatusCode} {Error}: {Detail}")]
    public static partial void LoginRefused(ILogger logger, AuthFunctionsGrant grant, string clientName, int statusCode, string error, string? detail);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "A request of AuthFunctions client '{ClientName}' got 401 invalid_token; it is sent once more with a fresh token.")]
    public static partial void RetryingWithFreshToken(ILogger logger, string clientName);
}
