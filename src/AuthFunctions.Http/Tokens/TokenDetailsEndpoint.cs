using System.Text.Json.Serialization;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Tokens;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Json;
using AuthFunctions.Http.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;

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

    public required string Grant { get; init; }

    [JsonPropertyName("client_id")]
    public string? ClientId { get; init; }

    public ActorClaim? Act { get; init; }

    public required long Iat { get; init; }

    public required long Exp { get; init; }

    public required string Jti { get; init; }
}

public sealed record ActorClaim(string Sub);

/// <summary><c>GET /api/authentication/token</c>: the details of the presented bearer token.</summary>
public static class TokenDetailsEndpoint
{
    public static AuthRoute Route { get; } = new("TokenDetails", HttpMethods.Get, "api/authentication/token", HandleAsync);

    private static async Task<IResult> HandleAsync(HttpContext context)
    {
        var (token, problem) = await BearerAuthentication.AuthenticateAsync(context);
        if (token is null)
        {
            return problem!;
        }

        var options = context.RequestServices.GetRequiredService<IOptions<TokenOptions>>().Value;
        var claims = token.Claims;
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(
            new TokenDetailsResponse
            {
                Iss = options.Issuer,
                Aud = options.Audience,
                Sub = claims.Subject,
                Name = claims.Name,
                Email = claims.Email,
                Org = claims.Organisation,
                Rights = RightNames.ToNames(claims.Rights),
                Tid = claims.TenantId,
                Grant = claims.Grant,
                ClientId = claims.ClientId,
                Act = claims.ActorSubject is { } actor ? new ActorClaim(actor) : null,
                Iat = token.IssuedAt.ToUnixTimeSeconds(),
                Exp = token.ExpiresAt.ToUnixTimeSeconds(),
                Jti = token.TokenId,
            },
            AuthJson.Default.TokenDetailsResponse);
    }
}
