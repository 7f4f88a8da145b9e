using AuthFunctions.Core.Licenses;
using AuthFunctions.Http.Json;
using AuthFunctions.Http.Routing;

namespace AuthFunctions.Http.Logins;

public sealed record LicenseLoginRequest(string? Token);

/// <summary><c>POST /api/authentication/licensesystem</c> <c>{token}</c>: a license-system token for one of ours.</summary>
public static class LicenseLoginEndpoint
{
    public const string Name = "LicenseLogin";

    public const string Pattern = "api/authentication/licensesystem";

    /// <summary>The Function app's functions of these routes: one per template.</summary>
    public static IReadOnlyList<FunctionRoute> Functions { get; } = [new(Name, Pattern)];

    public static IReadOnlyList<AuthRoute> Routes { get; } =
    [
        CredentialExchange.Route(Name, Pattern, AuthJson.Default.LicenseLoginRequest, "token", r => r.Token, (call, token) => call.Service<LicenseLogin>().LoginAsync(token, call.Aborted)),
    ];
}
