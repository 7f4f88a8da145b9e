using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Tokens;
using AuthFunctions.Http.Json;
using AuthFunctions.Http.Problems;
using Microsoft.AspNetCore.Http;

namespace AuthFunctions.Http.Logins;

/// <summary>The token answer of every login outside <c>/oauth2/*</c>.</summary>
public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, DateTime ExpiresAt)
{
    /// <summary>200 with the token and <c>Cache-Control: no-store</c> (RFC 6749 §5.1), or the login's problem.</summary>
    public static IResult From(Outcome<IssuedToken> outcome, HttpContext context, string? challenge = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!outcome.Succeeded)
        {
            return Problem.From(outcome.Error, challenge);
        }

        var token = outcome.Value;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        return TypedResults.Json(new TokenResponse(token.AccessToken, "Bearer", token.ExpiresIn, token.ExpiresAt.UtcDateTime), AuthJson.Default.TokenResponse);
    }
}
