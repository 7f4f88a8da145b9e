using AuthFunctions.Http.AdminConsole;
using AuthFunctions.Http.Administration;
using AuthFunctions.Http.Discovery;
using AuthFunctions.Http.Health;
using AuthFunctions.Http.Logins;
using AuthFunctions.Http.OAuth;
using AuthFunctions.Http.Routing;
using AuthFunctions.Http.Tenancy;
using AuthFunctions.Http.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace AuthFunctions.FunctionApp;

// One thin function per route of AuthFunctions.Http.Routing.RouteTable: wiring only, no rule.
// Names and routes are the endpoints' own constants. Every function accepts every method and hands
// the request to RouteDispatcher, which picks the handler from the route table by method + path:
// the Functions host orders functions by name and lets the first matching template win whatever
// its method, so the catch-all (or any function) may receive a request meant for another route,
// and the right handler still answers it. A test replays the host's rule over functions.metadata.

public sealed class MagmaLoginFunction
{
    [Function(MagmaLoginEndpoint.Name)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = MagmaLoginEndpoint.Pattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class LicenseLoginFunction
{
    [Function(LicenseLoginEndpoint.Name)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = LicenseLoginEndpoint.Pattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class AssertionLoginFunction
{
    [Function(AssertionLoginEndpoint.Name)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = AssertionLoginEndpoint.Pattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class PutAssertionKeyFunction
{
    [Function(AssertionKeyEndpoints.PutName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = AssertionKeyEndpoints.Pattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class DeleteAssertionKeyFunction
{
    [Function(AssertionKeyEndpoints.DeleteName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = AssertionKeyEndpoints.Pattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class PasswordLoginFunction
{
    [Function(PasswordLoginEndpoint.Name)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = PasswordLoginEndpoint.Pattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class TokenDetailsFunction
{
    [Function(TokenDetailsEndpoint.Name)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = TokenDetailsEndpoint.Pattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class CreateUserFunction
{
    [Function(UserEndpoints.CreateName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = UserEndpoints.CreatePattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class CreateTenantFunction
{
    [Function(TenantEndpoints.CreateName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = TenantEndpoints.CreatePattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class CreatePluginFunction
{
    [Function(PluginEndpoints.CreateName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = PluginEndpoints.CreatePattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class SetTenantMemberFunction
{
    [Function(TenantEndpoints.SetMemberName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = TenantEndpoints.MemberPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class RemoveTenantMemberFunction
{
    [Function(TenantEndpoints.RemoveMemberName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = TenantEndpoints.MemberPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class ListTenantMembersFunction
{
    [Function(TenantEndpoints.ListMembersName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = TenantEndpoints.MembersPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class ListTenantsFunction
{
    [Function(TenantListEndpoint.Name)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = TenantListEndpoint.Pattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class InstallPluginFunction
{
    [Function(PluginInstallationEndpoints.InstallName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = PluginInstallationEndpoints.InstallationPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class UninstallPluginFunction
{
    [Function(PluginInstallationEndpoints.UninstallName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = PluginInstallationEndpoints.InstallationPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class ListPluginInstallationsFunction
{
    [Function(PluginInstallationEndpoints.ListName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = PluginInstallationEndpoints.ListPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class ListTenantMagmaKeysFunction
{
    [Function(RealmKeyEndpoints.ListName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = RealmKeyEndpoints.KeysPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class CreateTenantMagmaKeyFunction
{
    [Function(RealmKeyEndpoints.CreateName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = RealmKeyEndpoints.KeysPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class DeleteTenantMagmaKeyFunction
{
    [Function(RealmKeyEndpoints.DeleteName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = RealmKeyEndpoints.KeyPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class OAuthTokenFunction
{
    [Function(OAuthEndpoints.TokenName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = OAuthEndpoints.TokenPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class OAuthIntrospectFunction
{
    [Function(OAuthEndpoints.IntrospectName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = OAuthEndpoints.IntrospectPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class OAuthRevokeFunction
{
    [Function(OAuthEndpoints.RevokeName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = OAuthEndpoints.RevokePattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class CreateApiTokenFunction
{
    [Function(ApiTokenEndpoints.CreateName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = ApiTokenEndpoints.TokensPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class ListApiTokensFunction
{
    [Function(ApiTokenEndpoints.ListName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = ApiTokenEndpoints.TokensPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class RevokeApiTokenFunction
{
    [Function(ApiTokenEndpoints.RevokeName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = ApiTokenEndpoints.TokenPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class ListSigningKeysFunction
{
    [Function(SigningKeyEndpoints.ListName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = SigningKeyEndpoints.ListPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class RotateSigningKeysFunction
{
    [Function(SigningKeyEndpoints.RotateName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = SigningKeyEndpoints.RotatePattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class UpdateUserFunction
{
    [Function(UserEndpoints.UpdateName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = UserEndpoints.UserPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class DeleteUserFunction
{
    [Function(UserEndpoints.DeleteName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = UserEndpoints.UserPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class CreateMagmaKeyFunction
{
    [Function(MagmaKeyEndpoints.CreateName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = MagmaKeyEndpoints.CreatePattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class DeleteMagmaKeyFunction
{
    [Function(MagmaKeyEndpoints.DeleteName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = MagmaKeyEndpoints.KeyPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class GetMagmaKeyFunction
{
    [Function(MagmaKeyEndpoints.GetName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = MagmaKeyEndpoints.KeyPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class OpenIdConfigurationFunction
{
    [Function(DiscoveryEndpoints.ConfigurationName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = DiscoveryEndpoints.ConfigurationPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class JwksFunction
{
    [Function(DiscoveryEndpoints.JwksName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = DiscoveryEndpoints.JwksPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class HealthFunction
{
    [Function(HealthEndpoint.Name)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = HealthEndpoint.Pattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class ListUsersFunction
{
    [Function(UserEndpoints.ListName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = UserEndpoints.CreatePattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class ListMagmaKeysFunction
{
    [Function(MagmaKeyEndpoints.ListName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = MagmaKeyEndpoints.CreatePattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class UpdateMagmaKeyFunction
{
    [Function(MagmaKeyEndpoints.UpdateName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = MagmaKeyEndpoints.KeyPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class ListTenantsAsAdministratorFunction
{
    [Function(TenantEndpoints.ListName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = TenantEndpoints.CreatePattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class ListPluginsFunction
{
    [Function(PluginEndpoints.ListName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = PluginEndpoints.CreatePattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class ListPluginInstallationsAsAdministratorFunction
{
    [Function(PluginEndpoints.ListInstallationsName)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = PluginEndpoints.InstallationsPattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class ListOwnTenantMembersFunction
{
    [Function(TenantMemberEndpoint.Name)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = TenantMemberEndpoint.Pattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

public sealed class ConsoleFunction
{
    [Function(ConsoleEndpoints.Name)]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = ConsoleEndpoints.Pattern)] HttpRequest request) =>
        FunctionEntry.DispatchAsync(request);
}

/// <summary>Every other path and method: the contract's 404 (or 405) problem instead of the host's bare 404.</summary>
public sealed class NotFoundFunction
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
