using AuthFunctions.Http.AdminConsole;
using AuthFunctions.Http.Administration;
using AuthFunctions.Http.Discovery;
using AuthFunctions.Http.Health;
using AuthFunctions.Http.Logins;
using AuthFunctions.Http.OAuth;
using AuthFunctions.Http.OpenApi;
using AuthFunctions.Http.Routing;
using AuthFunctions.Http.Tenancy;
using AuthFunctions.Http.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace AuthFunctions.FunctionApp;

// One thin function per route template of AuthFunctions.Http.Routing.RouteTable.Functions: wiring
// only, no rule. Names and templates are the endpoints' own constants. The real Functions host puts a
// function in error when its template equals another's (ignoring case) and their methods are not
// disjoint, so each template has exactly one function, which declares no method and hands every
// request to RouteDispatcher: the route table picks the handler by method + path, and answers 405 with
// Allow for a method the template lacks. The host orders functions by name and the first matching
// template wins, so the catch-all's name sorts last and every request is invoked (and logged) as the
// function of its own template. Tests replay the host's three rules over functions.metadata.

/// <summary><c>/api/authentication/magma</c>, every method.</summary>
public sealed class MagmaLoginFunction
{
    [Function(MagmaLoginEndpoint.Name)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = MagmaLoginEndpoint.Pattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/api/authentication/licensesystem</c>, every method.</summary>
public sealed class LicenseLoginFunction
{
    [Function(LicenseLoginEndpoint.Name)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = LicenseLoginEndpoint.Pattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/api/authentication/assertion</c>, every method.</summary>
public sealed class AssertionLoginFunction
{
    [Function(AssertionLoginEndpoint.Name)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = AssertionLoginEndpoint.Pattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/rs/authorise</c>, every method.</summary>
public sealed class PasswordLoginFunction
{
    [Function(PasswordLoginEndpoint.Name)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = PasswordLoginEndpoint.Pattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/api/authentication/token</c>, every method.</summary>
public sealed class TokenDetailsFunction
{
    [Function(TokenDetailsEndpoint.Name)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = TokenDetailsEndpoint.Pattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/rs/tokens</c>, every method.</summary>
public sealed class ApiTokensFunction
{
    [Function(ApiTokenEndpoints.TokensFunction)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = ApiTokenEndpoints.TokensPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/rs/tokens/{id}</c>, every method.</summary>
public sealed class ApiTokenFunction
{
    [Function(ApiTokenEndpoints.TokenFunction)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = ApiTokenEndpoints.TokenPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/oauth2/token</c>, every method.</summary>
public sealed class OAuthTokenFunction
{
    [Function(OAuthEndpoints.TokenName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = OAuthEndpoints.TokenPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/oauth2/introspect</c>, every method.</summary>
public sealed class OAuthIntrospectFunction
{
    [Function(OAuthEndpoints.IntrospectName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = OAuthEndpoints.IntrospectPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/oauth2/revoke</c>, every method.</summary>
public sealed class OAuthRevokeFunction
{
    [Function(OAuthEndpoints.RevokeName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = OAuthEndpoints.RevokePattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/admin/users</c>, every method.</summary>
public sealed class AdminUsersFunction
{
    [Function(UserEndpoints.UsersFunction)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = UserEndpoints.UsersPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/admin/users/{id}</c>, every method.</summary>
public sealed class AdminUserFunction
{
    [Function(UserEndpoints.UserFunction)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = UserEndpoints.UserPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/admin/tenants</c>, every method.</summary>
public sealed class AdminTenantsFunction
{
    [Function(TenantEndpoints.TenantsFunction)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = TenantEndpoints.TenantsPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/admin/tenants/{tenantId}</c>, every method.</summary>
public sealed class AdminTenantFunction
{
    [Function(TenantEndpoints.TenantFunction)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = TenantEndpoints.TenantPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/admin/tenants/{tenantId}/members</c>, every method.</summary>
public sealed class AdminTenantMembersFunction
{
    [Function(TenantEndpoints.MembersFunction)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = TenantEndpoints.MembersPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/admin/tenants/{tenantId}/members/{userId}</c>, every method.</summary>
public sealed class AdminTenantMemberFunction
{
    [Function(TenantEndpoints.MemberFunction)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = TenantEndpoints.MemberPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/admin/plugins</c>, every method.</summary>
public sealed class AdminPluginsFunction
{
    [Function(PluginEndpoints.PluginsFunction)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = PluginEndpoints.PluginsPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/admin/plugins/{pluginId}</c>, every method.</summary>
public sealed class AdminPluginFunction
{
    [Function(PluginEndpoints.PluginFunction)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = PluginEndpoints.PluginPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/admin/plugins/{pluginId}/token</c>, every method.</summary>
public sealed class AdminPluginTokenFunction
{
    [Function(PluginEndpoints.TokenFunction)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = PluginEndpoints.TokenPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/admin/plugins/{pluginId}/installations</c>, every method.</summary>
public sealed class AdminPluginInstallationsFunction
{
    [Function(PluginEndpoints.InstallationsFunction)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = PluginEndpoints.InstallationsPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/tenants</c>, every method.</summary>
public sealed class TenantsFunction
{
    [Function(TenantListEndpoint.Function)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = TenantListEndpoint.Pattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/tenants/{tenantId}/plugins/{pluginId}</c>, every method.</summary>
public sealed class TenantPluginFunction
{
    [Function(PluginInstallationEndpoints.InstallationFunction)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = PluginInstallationEndpoints.InstallationPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/plugins/{pluginId}/installations</c>, every method.</summary>
public sealed class PluginInstallationsFunction
{
    [Function(PluginInstallationEndpoints.ListFunction)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = PluginInstallationEndpoints.ListPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/plugins</c>, every method.</summary>
public sealed class PluginCatalogFunction
{
    [Function(PluginListEndpoints.CatalogFunction)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = PluginListEndpoints.CatalogPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/tenants/{tenantId}/plugins</c>, every method.</summary>
public sealed class TenantPluginsFunction
{
    [Function(PluginListEndpoints.InstalledFunction)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = PluginListEndpoints.InstalledPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/tenants/{tenantId}/magma-keys</c>, every method.</summary>
public sealed class TenantMagmaKeysFunction
{
    [Function(RealmKeyEndpoints.KeysFunction)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = RealmKeyEndpoints.KeysPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/tenants/{tenantId}/magma-keys/{name}</c>, every method.</summary>
public sealed class TenantMagmaKeyFunction
{
    [Function(RealmKeyEndpoints.KeyFunction)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = RealmKeyEndpoints.KeyPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/tenants/{tenantId}/members</c>, every method.</summary>
public sealed class TenantMembersFunction
{
    [Function(TenantMemberEndpoint.Function)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = TenantMemberEndpoint.Pattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/admin/magma-keys</c>, every method.</summary>
public sealed class AdminMagmaKeysFunction
{
    [Function(MagmaKeyEndpoints.KeysFunction)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = MagmaKeyEndpoints.KeysPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/admin/magma-keys/{name}</c>, every method.</summary>
public sealed class AdminMagmaKeyFunction
{
    [Function(MagmaKeyEndpoints.KeyFunction)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = MagmaKeyEndpoints.KeyPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/admin/magma-keys/{name}/assertion-keys/{kid}</c>, every method.</summary>
public sealed class AdminAssertionKeyFunction
{
    [Function(AssertionKeyEndpoints.Function)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = AssertionKeyEndpoints.Pattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/admin/signing-keys</c>, every method.</summary>
public sealed class AdminSigningKeysFunction
{
    [Function(SigningKeyEndpoints.KeysFunction)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = SigningKeyEndpoints.KeysPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/admin/signing-keys/rotate</c>, every method.</summary>
public sealed class AdminSigningKeyRotationFunction
{
    [Function(SigningKeyEndpoints.RotateFunction)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = SigningKeyEndpoints.RotatePattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/.well-known/openid-configuration</c>, every method.</summary>
public sealed class OpenIdConfigurationFunction
{
    [Function(DiscoveryEndpoints.ConfigurationName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = DiscoveryEndpoints.ConfigurationPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/.well-known/oauth-authorization-server</c>, every method.</summary>
public sealed class OAuthAuthorizationServerMetadataFunction
{
    [Function(DiscoveryEndpoints.AuthorizationServerName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = DiscoveryEndpoints.AuthorizationServerPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/openapi.json</c>, every method.</summary>
public sealed class OpenApiFunction
{
    [Function(OpenApiEndpoint.Name)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = OpenApiEndpoint.Pattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/.well-known/jwks.json</c>, every method.</summary>
public sealed class JwksFunction
{
    [Function(DiscoveryEndpoints.JwksName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = DiscoveryEndpoints.JwksPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/health</c>, every method.</summary>
public sealed class HealthFunction
{
    [Function(HealthEndpoint.Name)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = HealthEndpoint.Pattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary><c>/console/{*path}</c>, every method.</summary>
public sealed class ConsoleFunction
{
    [Function(ConsoleEndpoints.Name)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = ConsoleEndpoints.Pattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary>Every other path: the contract's 404 problem instead of the host's bare 404.</summary>
public sealed class UnmatchedFunction
{
    [Function(RouteTable.FallbackName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = RouteTable.FallbackPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary>Hands a function's request to the route table.</summary>
internal static class FunctionEntry
{
    public static Task<IResult> DispatchAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RouteDispatcher.InvokeAsync(request.HttpContext);
    }
}
