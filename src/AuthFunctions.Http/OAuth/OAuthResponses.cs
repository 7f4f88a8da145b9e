using System.Text.Json.Serialization;
using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Tokens;
using AuthFunctions.Http.Json;
using AuthFunctions.Http.Problems;
using Microsoft.AspNetCore.Http;

namespace AuthFunctions.Http.OAuth;

/// <summary>RFC 6749 §5.1 (and RFC 8693 §2.2.1 <c>issued_token_type</c>).</summary>
public sealed record OAuthTokenResponse
{
    [JsonPropertyName("access_token")]
    public required string AccessToken { get; init; }

    [JsonPropertyName("token_type")]
    public string TokenType { get; init; } = "Bearer";

    [JsonPropertyName("expires_in")]
    public required int ExpiresIn { get; init; }

    [JsonPropertyName("issued_token_type")]
    public string? IssuedTokenType { get; init; }
}

/// <summary>RFC 6749 §5.2.</summary>
public sealed record OAuthErrorResponse
{
    [JsonPropertyName("error")]
    public required string Error { get; init; }

    [JsonPropertyName("error_description")]
    public required string ErrorDescription { get; init; }
}

/// <summary>The answers of <c>/oauth2/*</c>: RFC 6749 bodies, never problem details, never cached.</summary>
internal static class OAuthResults
{
    public const string BasicChallenge = "Basic realm=\"AuthFunctions\"";

    public static IResult Token(IssuedToken token, HttpContext context, string? issuedTokenType = null)
    {
        NoStore(context);
        return TypedResults.Json(
            new OAuthTokenResponse { AccessToken = token.AccessToken, ExpiresIn = token.ExpiresIn, IssuedTokenType = issuedTokenType },
            AuthJson.Default.OAuthTokenResponse);
    }

    /// <summary>
    /// An RFC 6749 §5.2 error: <c>invalid_client</c> is a 401 with a Basic challenge; a refused principal
    /// (<c>access_denied</c> elsewhere) is <c>unauthorized_client</c>; storage or the license system down is
    /// a 503 <c>temporarily_unavailable</c>; everything else a 400 under its own code.
    /// </summary>
    public static IResult Error(AuthError error, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(context);
        NoStore(context);
        var (code, status) = error.Code switch
        {
            ErrorCodes.InvalidClient => (ErrorCodes.InvalidClient, StatusCodes.Status401Unauthorized),
            ErrorCodes.InvalidGrant => (ErrorCodes.InvalidGrant, StatusCodes.Status400BadRequest),
            ErrorCodes.AccessDenied => ("unauthorized_client", StatusCodes.Status400BadRequest),
            ErrorCodes.ServiceUnavailable => ("temporarily_unavailable", StatusCodes.Status503ServiceUnavailable),
            ErrorCodes.PayloadTooLarge => (ErrorCodes.InvalidRequest, StatusCodes.Status413PayloadTooLarge),
            ErrorCodes.TooManyRequests => ("temporarily_unavailable", StatusCodes.Status503ServiceUnavailable),
            ErrorCodes.ServerError => ("server_error", StatusCodes.Status500InternalServerError),

            // Only RFC 6749 §5.2 codes reach a client: anything else is a request we cannot serve as made.
            _ => (ErrorCodes.InvalidRequest, StatusCodes.Status400BadRequest),
        };
        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = BasicChallenge;
        }

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = ((int)(error.RetryAfter ?? Problem.DefaultRetryAfter).TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return TypedResults.Json(new OAuthErrorResponse { Error = code, ErrorDescription = error.Detail }, AuthJson.Default.OAuthErrorResponse, statusCode: status);
    }

    /// <summary>An OAuth code of its own (<c>unsupported_grant_type</c>, <c>unsupported_token_type</c>…), 400 unless <paramref name="status"/> says otherwise.</summary>
    public static IResult Error(string code, string description, HttpContext context, int status = StatusCodes.Status400BadRequest)
    {
        NoStore(context);
        return TypedResults.Json(new OAuthErrorResponse { Error = code, ErrorDescription = description }, AuthJson.Default.OAuthErrorResponse, statusCode: status);
    }

    private static void NoStore(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
    }
}
