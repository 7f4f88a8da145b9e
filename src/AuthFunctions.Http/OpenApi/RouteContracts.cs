using AuthFunctions.Http.AdminConsole;
using AuthFunctions.Http.Administration;
using AuthFunctions.Http.Discovery;
using AuthFunctions.Http.Health;
using AuthFunctions.Http.Json;
using AuthFunctions.Http.Logins;
using AuthFunctions.Http.OAuth;
using AuthFunctions.Http.Tenancy;
using AuthFunctions.Http.Tokens;
using Field = AuthFunctions.Http.OpenApi.RouteContract.Field;

namespace AuthFunctions.Http.OpenApi;

/// <summary>One <see cref="RouteContract"/> per route of the route table, by route name; a test holds the two in step.</summary>
internal static class RouteContracts
{
    public const string BasicScheme = "basic";

    public const string OAuthClientScheme = "oauthClient";

    private static readonly AuthJson Json = AuthJson.Default;

    private static readonly IReadOnlyList<string> ClientAuthentication = [OAuthClientScheme];

    public static IReadOnlyDictionary<string, RouteContract> ByRoute { get; } = new Dictionary<string, RouteContract>(StringComparer.Ordinal)
    {
        [MagmaLoginEndpoint.Name] = new("A server logs in with its magma key; with `user` a delegated login for one of its users (the key needs `authenticate`).") { Response = Json.TokenResponse },
        [LicenseLoginEndpoint.Name] = new("Exchanges a license-system token for ours.") { Response = Json.TokenResponse },
        [AssertionLoginEndpoint.Name] = new("Exchanges a trusted server's signed SSO assertion (RFC 7523 claims) for a delegated token.") { Response = Json.TokenResponse },
        [PasswordLoginEndpoint.Name] = new("A user logs in with Basic credentials; with `tenant` a token scoped to one of the user's tenants.")
        {
            Response = Json.TokenResponse,
            Security = [BasicScheme],
            Query = [new Field("tenant", false, "A tenant the user belongs to: the token carries `tid` and `role`.")],
        },
        [TokenDetailsEndpoint.Name] = new("What the presented token means.") { Response = Json.TokenDetailsResponse },
        [ApiTokenEndpoints.CreateName] = new("Issues a long-lived API token for a user (shown once).") { Status = 201, Response = Json.CreatedApiTokenResponse },
        [ApiTokenEndpoints.ListName] = new("A user's API tokens, never the tokens themselves.")
        {
            Response = Json.IReadOnlyListApiTokenResponse,
            Paged = true,
            Query = [new Field("userId", true, "The user whose API tokens are listed.")],
        },
        [ApiTokenEndpoints.RevokeName] = new("Revokes an API token: inactive at once.") { Status = 204 },
        [OAuthEndpoints.TokenName] = new("RFC 6749 token endpoint: client credentials, RFC 8693 token exchange of a license token, RFC 7523 JWT bearer assertion.")
        {
            Response = Json.OAuthTokenResponse,
            Security = ClientAuthentication,
            OAuthErrors = true,
            Form =
            [
                new Field("grant_type", true, "`client_credentials`, `urn:ietf:params:oauth:grant-type:token-exchange` or `urn:ietf:params:oauth:grant-type:jwt-bearer`."),
                new Field("client_id", false, "The magma key's name, when the client does not authenticate with Basic."),
                new Field("client_secret", false, "The magma key's secret, when the client does not authenticate with Basic."),
                new Field("subject_token", false, "Token exchange: the license token."),
                new Field("subject_token_type", false, "Token exchange: `urn:ietf:params:oauth:token-type:jwt`."),
                new Field("assertion", false, "JWT bearer: the signed SSO assertion."),
            ],
        },
        [OAuthEndpoints.IntrospectName] = new("RFC 7662 introspection: `active: false` for anything not live.")
        {
            Response = Json.TokenDetailsResponse,
            OrResponse = Json.InactiveTokenResponse,
            Security = ClientAuthentication,
            OAuthErrors = true,
            Form = [new Field("token", true, "The token asked about."), new Field("token_type_hint", false, "Ignored: every token is looked up the same way.")],
        },
        [OAuthEndpoints.RevokeName] = new("RFC 7009 revocation: 200 also for unknown or dead tokens.")
        {
            Security = ClientAuthentication,
            OAuthErrors = true,
            Form = [new Field("token", true, "The token to revoke."), new Field("token_type_hint", false, "Ignored.")],
        },
        [UserEndpoints.CreateName] = new("Creates a password user.") { Status = 201, Response = Json.CreatedUserResponse },
        [UserEndpoints.ListName] = new("Users in username order, never a password hash.")
        {
            Response = Json.IReadOnlyListUserResponse,
            Paged = true,
            Query = [new Field(UserEndpoints.UsernameParameter, false, "Keeps the usernames starting with it (compared as logins compare).")],
        },
        [UserEndpoints.UpdateName] = new("Changes a user's name, email, rights, password or enabled state in one write.") { Status = 204 },
        [UserEndpoints.DeleteName] = new("Deletes a user; its tokens are inactive at once.") { Status = 204 },
        [TenantEndpoints.CreateName] = new("Creates a tenant.") { Status = 201, Response = Json.CreatedTenantResponse },
        [TenantEndpoints.ListName] = new("Every tenant, in id order.") { Response = Json.IReadOnlyListTenantSummaryResponse, Paged = true },
        [TenantEndpoints.DeleteName] = new("Deletes a tenant with its realm keys, members and plugin installations.") { Status = 204 },
        [TenantEndpoints.SetMemberName] = new("Adds a user to a tenant, or changes its role.") { Status = 204 },
        [TenantEndpoints.RemoveMemberName] = new("Removes a user from a tenant.") { Status = 204 },
        [TenantEndpoints.ListMembersName] = new("A tenant's members with their roles.") { Response = Json.IReadOnlyListMemberResponse, Paged = true },
        [PluginEndpoints.CreateName] = new("Registers a plugin (its token shown once).") { Status = 201, Response = Json.CreatedPluginResponse },
        [PluginEndpoints.ListName] = new("Every plugin.") { Response = Json.IReadOnlyListPluginResponse, Paged = true },
        [PluginEndpoints.ListInstallationsName] = new("A plugin's active installations.") { Response = Json.IReadOnlyListInstallationResponse, Paged = true },
        [PluginEndpoints.UpdateName] = new("Enables or disables a plugin.") { Status = 204 },
        [PluginEndpoints.DeleteName] = new("Uninstalls a plugin everywhere and deletes it.") { Status = 204 },
        [PluginEndpoints.RotateTokenName] = new("Gives a plugin a new token (shown once); the old one is dead at once.") { Status = 201, Response = Json.CreatedPluginResponse },
        [TenantListEndpoint.Name] = new("The tenants the caller may reach.") { Response = Json.IReadOnlyListTenantResponse, Paged = true },
        [PluginInstallationEndpoints.InstallName] = new("Installs a plugin in a tenant (the connection token shown once).") { Status = 201, Response = Json.InstalledPluginResponse },
        [PluginInstallationEndpoints.UninstallName] = new("Uninstalls a plugin from a tenant; the connection is dead at once.") { Status = 204 },
        [PluginInstallationEndpoints.ListName] = new("The calling plugin's installations.") { Response = Json.IReadOnlyListInstallationResponse, Paged = true },
        [PluginListEndpoints.CatalogName] = new("The enabled plugins a tenant admin may install, ids and names only.") { Response = Json.IReadOnlyListCatalogPluginResponse, Paged = true },
        [PluginListEndpoints.InstalledName] = new("The plugins a tenant has installed, never a token.") { Response = Json.IReadOnlyListTenantPluginResponse, Paged = true },
        [RealmKeyEndpoints.ListName] = new("A tenant's realm keys, never a secret.") { Response = Json.IReadOnlyListMagmaKeySummaryResponse, Paged = true },
        [RealmKeyEndpoints.CreateName] = new("Creates a realm key of the tenant (secret shown once).") { Status = 201, Response = Json.CreatedMagmaKeyResponse },
        [RealmKeyEndpoints.DeleteName] = new("Deletes a realm key of the tenant.") { Status = 204 },
        [TenantMemberEndpoint.Name] = new("The roster of a tenant, for its own admins.") { Response = Json.IReadOnlyListMemberResponse, Paged = true },
        [MagmaKeyEndpoints.CreateName] = new("Creates a magma key (secret shown once).") { Status = 201, Response = Json.CreatedMagmaKeyResponse },
        [MagmaKeyEndpoints.ListName] = new("Every magma key, in name order, never a secret.") { Response = Json.IReadOnlyListMagmaKeySummaryResponse, Paged = true },
        [MagmaKeyEndpoints.GetName] = new("A magma key's metadata and assertion keys.") { Response = Json.MagmaKeyResponse },
        [MagmaKeyEndpoints.UpdateName] = new("Enables or disables a magma key.") { Status = 204 },
        [MagmaKeyEndpoints.DeleteName] = new("Deletes a magma key; its tokens are inactive at once.") { Status = 204 },
        [AssertionKeyEndpoints.PutName] = new("Registers (201) or replaces (204) a public JWK that verifies the key's SSO assertions.") { Status = 201, AlsoStatus = 204 },
        [AssertionKeyEndpoints.DeleteName] = new("Removes an assertion verification key.") { Status = 204 },
        [SigningKeyEndpoints.ListName] = new("Every signing key, never private material.") { Response = Json.IReadOnlyListSigningKeyResponse },
        [SigningKeyEndpoints.RotateName] = new("Adds a signing key: published at once, signing after the propagation delay.") { Status = 201, Response = Json.SigningKeyResponse },
        [DiscoveryEndpoints.ConfigurationName] = new("Discovery metadata (RFC 8414 fields).") { Response = Json.DiscoveryDocument },
        [DiscoveryEndpoints.AuthorizationServerName] = new("RFC 8414 authorization server metadata: the same document.") { Response = Json.DiscoveryDocument },
        [DiscoveryEndpoints.JwksName] = new("The public keys that verify our tokens (RFC 7517 JWK set).") { ResponseMediaType = "application/jwk-set+json" },
        [OpenApiEndpoint.Name] = new("This OpenAPI document.") { ResponseMediaType = "application/json" },
        [HealthEndpoint.Name] = new("200 when storage and the key ring answer, 503 naming the one that did not.") { Response = Json.HealthReport },
        [ConsoleEndpoints.Name] = new("The admin console's static files.") { ResponseMediaType = "text/html" },
    };
}
