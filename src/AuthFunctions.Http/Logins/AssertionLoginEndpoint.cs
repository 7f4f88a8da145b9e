using AuthFunctions.Core.MagmaKeys;
using AuthFunctions.Http.Json;
using AuthFunctions.Http.Routing;

namespace AuthFunctions.Http.Logins;

public sealed record AssertionLoginRequest(string? Assertion);

/// <summary><c>POST /api/authentication/assertion</c> <c>{assertion}</c>: an SSO assertion signed by a trusted server for a delegated token.</summary>
public static class AssertionLoginEndpoint
{
    public const string Name = "AssertionLogin";

    public const string Pattern = "api/authentication/assertion";

    /// <summary>The Function app's functions of these routes: one per template.</summary>
    public static IReadOnlyList<FunctionRoute> Functions { get; } = [new(Name, Pattern)];

    public static IReadOnlyList<AuthRoute> Routes { get; } =
    [
        CredentialExchange.Route(Name, Pattern, AuthJson.Default.AssertionLoginRequest, "assertion", r => r.Assertion, (call, assertion) => call.Service<AssertionLogin>().LoginAsync(assertion, call.Aborted)),
    ];
}
