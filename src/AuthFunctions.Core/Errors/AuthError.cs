using System.Diagnostics.CodeAnalysis;

namespace AuthFunctions.Core.Errors;

/// <summary>The machine-readable error codes of the contract (design.md, "API contract").</summary>
public static class ErrorCodes
{
    public const string InvalidRequest = "invalid_request";
    public const string InvalidClient = "invalid_client";
    public const string InvalidGrant = "invalid_grant";
    public const string InvalidToken = "invalid_token";
    public const string AccessDenied = "access_denied";
    public const string NotFound = "not_found";
    public const string Conflict = "conflict";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string TooManyRequests = "too_many_requests";
    public const string ServiceUnavailable = "service_unavailable";
    public const string ServerError = "server_error";
}

/// <summary>An expected failure: a contract error code and a detail safe to show the caller.</summary>
public sealed record AuthError(string Code, string Detail)
{
    /// <summary>
    /// For a 401: the challenge of the authentication scheme that refused the request (sent as
    /// <c>WWW-Authenticate</c>); null lets the HTTP surface use its default for the code.
    /// </summary>
    public string? Challenge { get; init; }

    /// <summary>For a 429 or 503: when the caller may try again (sent as <c>Retry-After</c>).</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static AuthError InvalidRequest(string detail) => new(ErrorCodes.InvalidRequest, detail);

    public static AuthError InvalidClient(string detail) => new(ErrorCodes.InvalidClient, detail);

    public static AuthError InvalidGrant(string detail) => new(ErrorCodes.InvalidGrant, detail);

    public static AuthError InvalidToken(string detail) => new(ErrorCodes.InvalidToken, detail);

    public static AuthError AccessDenied(string detail) => new(ErrorCodes.AccessDenied, detail);

    public static AuthError NotFound(string detail) => new(ErrorCodes.NotFound, detail);

    public static AuthError Conflict(string detail) => new(ErrorCodes.Conflict, detail);
}

/// <summary>Either a value or an <see cref="AuthError"/>: expected failures are values, not exceptions.</summary>
public readonly record struct Outcome<T>
{
    private Outcome(T? value, AuthError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public AuthError? Error { get; }

    /// <summary>True with a <see cref="Value"/>; false with an <see cref="Error"/> (so callers need no <c>!</c>).</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;

    public static Outcome<T> Success(T value) => new(value, null);

    public static Outcome<T> Failure(AuthError error) => new(default, error);

    public static implicit operator Outcome<T>(AuthError error) => Failure(error);

    public static implicit operator Outcome<T>(T value) => Success(value);
}
