using System.Text.Json.Serialization;
using AuthFunctions.Core.Keys;
using AuthFunctions.Core.Tokens;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Json;
using AuthFunctions.Http.OAuth;
using AuthFunctions.Http.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace AuthFunctions.Http.Discovery;

/// <summary>RFC 8414 metadata: only endpoints, grants and client authentication methods that exist are announced.</summary>
public sealed record DiscoveryDocument
{
    [JsonPropertyName("issuer")]
    public required string Issuer { get; init; }

    [JsonPropertyName("jwks_uri")]
    public required string JwksUri { get; init; }

    [JsonPropertyName("token_endpoint")]
    public required string TokenEndpoint { get; init; }

    [JsonPropertyName("introspection_endpoint")]
    public required string IntrospectionEndpoint { get; init; }

    [JsonPropertyName("revocation_endpoint")]
    public required string RevocationEndpoint { get; init; }

    [JsonPropertyName("introspection_endpoint_auth_methods_supported")]
    public IReadOnlyList<string> IntrospectionEndpointAuthMethodsSupported { get; init; } = [];

    [JsonPropertyName("revocation_endpoint_auth_methods_supported")]
    public IReadOnlyList<string> RevocationEndpointAuthMethodsSupported { get; init; } = [];

    [JsonPropertyName("response_types_supported")]
    public IReadOnlyList<string> ResponseTypesSupported { get; init; } = [];

    [JsonPropertyName("grant_types_supported")]
    public IReadOnlyList<string> GrantTypesSupported { get; init; } = [];

    [JsonPropertyName("token_endpoint_auth_methods_supported")]
    public IReadOnlyList<string> TokenEndpointAuthMethodsSupported { get; init; } = [];

    /// <summary>RFC 9068 access tokens are signed with these.</summary>
    [JsonPropertyName("access_token_signing_alg_values_supported")]
    public required IReadOnlyList<string> AccessTokenSigningAlgValuesSupported { get; init; }
}

/// <summary>
/// <c>GET /.well-known/openid-configuration</c>, the same document at RFC 8414's own
/// <c>GET /.well-known/oauth-authorization-server</c>, and <c>GET /.well-known/jwks.json</c>, served from memory.
/// </summary>
public static class DiscoveryEndpoints
{
    /// <summary>Minutes, well under the propagation delay: resource servers neither hammer us nor miss a new key.</summary>
    public const string CacheControl = "public, max-age=300";

    public const string ConfigurationName = "OpenIdConfiguration";

    public const string ConfigurationPattern = ".well-known/openid-configuration";

    public const string AuthorizationServerName = "OAuthAuthorizationServerMetadata";

    /// <summary>RFC 8414 §3: the well-known URI of an issuer without a path.</summary>
    public const string AuthorizationServerPattern = ".well-known/oauth-authorization-server";

    public const string JwksName = "Jwks";

    public const string JwksPattern = ".well-known/jwks.json";

    /// <summary>The Function app's functions of these routes: one per template.</summary>
    public static IReadOnlyList<FunctionRoute> Functions { get; } = [new(ConfigurationName, ConfigurationPattern), new(AuthorizationServerName, AuthorizationServerPattern), new(JwksName, JwksPattern)];

    public static IReadOnlyList<AuthRoute> Routes { get; } =
    [
        new(ConfigurationName, HttpMethods.Get, ConfigurationPattern, RouteAccess.Anonymous, ConfigurationAsync),
        new(AuthorizationServerName, HttpMethods.Get, AuthorizationServerPattern, RouteAccess.Anonymous, ConfigurationAsync),
        new(JwksName, HttpMethods.Get, JwksPattern, RouteAccess.Anonymous, JwksAsync),
    ];

    private static Task<IResult> ConfigurationAsync(RouteCall call)
    {
        var document = call.Service<DiscoveryDocumentCache>().Document;
        call.Response.Headers.CacheControl = CacheControl;
        return Task.FromResult<IResult>(TypedResults.Json(document, AuthJson.Default.DiscoveryDocument));
    }

    private static async Task<IResult> JwksAsync(RouteCall call)
    {
        var snapshot = await call.Service<KeyRing>().GetAsync(call.Aborted);
        call.Response.Headers.CacheControl = CacheControl;
        return TypedResults.Bytes(snapshot.Jwks, "application/jwk-set+json");
    }
}

/// <summary>The discovery document, built once from the validated options.</summary>
public sealed class DiscoveryDocumentCache(IOptions<TokenOptions> options)
{
    public DiscoveryDocument Document { get; } = new()
    {
        Issuer = options.Value.Issuer,
        JwksUri = options.Value.IssuerBase + "/.well-known/jwks.json",
        TokenEndpoint = options.Value.IssuerBase + "/" + OAuthEndpoints.TokenPattern,
        IntrospectionEndpoint = options.Value.IssuerBase + "/" + OAuthEndpoints.IntrospectPattern,
        RevocationEndpoint = options.Value.IssuerBase + "/" + OAuthEndpoints.RevokePattern,
        GrantTypesSupported = OAuthEndpoints.GrantTypes,
        TokenEndpointAuthMethodsSupported = OAuthEndpoints.ClientAuthMethods,
        IntrospectionEndpointAuthMethodsSupported = OAuthEndpoints.ClientAuthMethods,
        RevocationEndpointAuthMethodsSupported = OAuthEndpoints.ClientAuthMethods,
        AccessTokenSigningAlgValuesSupported = TokenValidator.Algorithms,
    };
}
