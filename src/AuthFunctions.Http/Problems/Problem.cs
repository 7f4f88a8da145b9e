using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using AuthFunctions.Core.Errors;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Json;
using AuthFunctions.Http.Requests;
using Microsoft.AspNetCore.Http;

namespace AuthFunctions.Http.Problems;

/// <summary>RFC 9457 problem details with the contract's machine-readable <c>error</c> code.</summary>
public sealed record ProblemBody
{
    public required string Type { get; init; }

    public required string Title { get; init; }

    public required int Status { get; init; }

    public required string Detail { get; init; }

    public required string Error { get; init; }

    public string? TraceId { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; set; }
}

/// <summary>
/// The one mapping from error codes to responses, shared by both hosts: status, problem+json body,
/// <c>WWW-Authenticate</c> on 401, <c>Retry-After</c> on 429. Never carries exception text.
/// </summary>
public sealed class ProblemResult(AuthError error, int status) : IResult, IStatusCodeHttpResult
{
    public const string ContentType = "application/problem+json";

    public AuthError Error { get; } = error;

    public int? StatusCode => status;

    /// <summary>Set for a 401: the challenge to send.</summary>
    public string? WwwAuthenticate { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    public Dictionary<string, JsonElement>? Extensions { get; init; }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = ContentType;
        SecurityHeaders.Apply(response);
        response.Headers.CacheControl = "no-store";
        if (WwwAuthenticate is not null)
        {
            response.Headers.WWWAuthenticate = WwwAuthenticate;
        }

        // Every 503 says when to come back (RFC 9110 §10.2.3), whoever built it.
        if ((RetryAfter ?? (status == StatusCodes.Status503ServiceUnavailable ? Problem.DefaultRetryAfter : null)) is { } retryAfter)
        {
            response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var body = new ProblemBody
        {
            Type = TypeFor(status),
            Title = TitleFor(status),
            Status = status,
            Detail = Error.Detail,
            Error = Error.Code,
            TraceId = Activity.Current?.Id ?? httpContext.TraceIdentifier,
            Extensions = Extensions,
        };
        await JsonSerializer.SerializeAsync(response.Body, body, AuthJson.Default.ProblemBody, httpContext.RequestAborted);
    }

    private static string TypeFor(int status) => status switch
    {
        400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        401 => "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        403 => "https://tools.ietf.org/html/rfc9110#section-15.5.4",
        404 => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        405 => "https://tools.ietf.org/html/rfc9110#section-15.5.6",
        409 => "https://tools.ietf.org/html/rfc9110#section-15.5.10",
        413 => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        415 => "https://tools.ietf.org/html/rfc9110#section-15.5.16",
        429 => "https://tools.ietf.org/html/rfc6585#section-4",
        503 => "https://tools.ietf.org/html/rfc9110#section-15.6.4",
        _ => "https://tools.ietf.org/html/rfc9110#section-15.6.1",
    };

    private static string TitleFor(int status) => status switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    };
}

/// <summary>Builds problem results from <see cref="AuthError"/> values.</summary>
public static class Problem
{
    public const string BasicChallenge = "Basic realm=\"AuthFunctions\", charset=\"UTF-8\"";

    /// <param name="challenge">
    /// The 401 challenge when it is neither the error's own (<see cref="AuthError.Challenge"/>, set by the
    /// scheme that refused the caller) nor Bearer's, e.g. <see cref="BasicChallenge"/>.
    /// </param>
    public static ProblemResult From(AuthError error, string? challenge = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        var status = StatusFor(error.Code);
        return new ProblemResult(error, status)
        {
            RetryAfter = error.RetryAfter,
            // RFC 6750 §3: a bearer challenge; error="invalid_token" and its description when a token was presented but is bad.
            WwwAuthenticate = status == StatusCodes.Status401Unauthorized
                ? challenge ?? error.Challenge ?? BearerScheme.ChallengeFor(error.Code == ErrorCodes.InvalidToken ? error : null)
                : null,
        };
    }

    public static ProblemResult InvalidRequest(string detail) => From(AuthError.InvalidRequest(detail));

    public static ProblemResult NotFound() => From(AuthError.NotFound("There is no resource at this path."));

    public static ProblemResult MethodNotAllowed(IReadOnlyList<string> allowed) =>
        new(AuthError.InvalidRequest($"This path answers {string.Join(", ", allowed)} only."), StatusCodes.Status405MethodNotAllowed);

    public static ProblemResult PayloadTooLarge() => From(RequestReader.PayloadTooLarge);

    /// <summary>The <c>Retry-After</c> of a 503 that names none of its own.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(5);

    public static ProblemResult ServiceUnavailable(string detail) =>
        new(new AuthError(ErrorCodes.ServiceUnavailable, detail), StatusCodes.Status503ServiceUnavailable);

    /// <summary>The generic answer to a bug: no exception text ever reaches the caller.</summary>
    public static ProblemResult Unexpected() =>
        new(new AuthError(ErrorCodes.ServerError, "An unexpected error occurred. It has been logged."), StatusCodes.Status500InternalServerError);

    public static int StatusFor(string code) => code switch
    {
        ErrorCodes.InvalidRequest => StatusCodes.Status400BadRequest,
        ErrorCodes.InvalidClient or ErrorCodes.InvalidGrant or ErrorCodes.InvalidToken => StatusCodes.Status401Unauthorized,
        ErrorCodes.AccessDenied => StatusCodes.Status403Forbidden,
        ErrorCodes.NotFound => StatusCodes.Status404NotFound,
        ErrorCodes.Conflict => StatusCodes.Status409Conflict,
        ErrorCodes.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCodes.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        ErrorCodes.TooManyRequests => StatusCodes.Status429TooManyRequests,
        ErrorCodes.ServiceUnavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };
}
