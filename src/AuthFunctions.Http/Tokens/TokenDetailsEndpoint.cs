using System.Text.Json.Serialization;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Tokens;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Json;
using AuthFunctions.Http.Problems;
using AuthFunctions.Http.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace AuthFunctions.Http.Tokens;

/// <summary>What a token means, named as its claims are (as RFC 7662 introspection answers).</summary>
public sealed record TokenDetailsResponse
{
    public bool Active { get; init; } = true;

    public required string Iss { get; init; }

    public required string Aud { get; init; }

    public required string Sub { get; init; }

    public string? Name { get; init; }

    public string? Email { get; init; }

    public string? Org { get; init; }

    public required IReadOnlyList<string> Rights { get; init; }

    public string? Tid { get; init; }

    public string? Role { get; init; }

    public required string Grant { get; init; }

    [JsonPropertyName("client_id")]
    public string? ClientId { get; init; }

    public ActorClaim? Act { get; init; }

    public required long Iat { get; init; }

    public required long Exp { get; init; }

    public required string Jti { get; init; }

    /// <summary>The details of a live token.</summary>
    public static TokenDetailsResponse Of(ValidatedToken token, TokenOptions options)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(options);
        var claims = token.Claims;
        return new TokenDetailsResponse
        {
            Iss = options.Issuer,
            Aud = options.Audience,
            Sub = claims.Subject,
            Name = claims.Name,
            Email = claims.Email,
            Org = claims.Organisation,
            Rights = RightNames.ToNames(claims.Rights),
            Tid = claims.TenantId,
            Role = claims.Role,
            Grant = claims.Grant,
            ClientId = claims.ClientId,
            Act = claims.ActorSubject is { } actor ? new ActorClaim(actor) : null,
            Iat = token.IssuedAt.ToUnixTimeSeconds(),
            Exp = token.ExpiresAt.ToUnixTimeSeconds(),
            Jti = token.TokenId,
        };
    }
}

public sealed record ActorClaim(string Sub);

/// <summary>RFC 7662 §2.2: all that is said of a token that is not live (or not the caller's to see).</summary>
public sealed record InactiveTokenResponse(bool Active);

/// <summary><c>GET /api/authentication/token</c>: the details of the presented bearer token.</summary>
public static class TokenDetailsEndpoint
{
    public const string Name = "TokenDetails";

    public const string Pattern = "api/authentication/token";

    /// <summary>The Function app's functions of these routes: one per template.</summary>
    public static IReadOnlyList<FunctionRoute> Functions { get; } = [new(Name, Pattern)];

    public static IReadOnlyList<AuthRoute> Routes { get; } = [new(Name, HttpMethods.Get, Pattern, RouteAccess.Bearer(), HandleAsync)];

    private static Task<IResult> HandleAsync(RouteCall call)
    {
        // The route accepts bearer tokens only, so an authenticated caller always has one.
        if (call.Caller.Token is not { } token)
        {
            return Task.FromResult<IResult>(Problem.From(BearerScheme.Instance.Missing));
        }

        call.Response.Headers.CacheControl = "no-store";
        return Task.FromResult<IResult>(TypedResults.Json(
            TokenDetailsResponse.Of(token, call.Service<IOptions<TokenOptions>>().Value),
            AuthJson.Default.TokenDetailsResponse));
    }
}
