using Microsoft.Extensions.Options;

namespace AuthFunctions.Client;

/// <summary>Refuses, at start-up, a client that could never log in, naming the setting.</summary>
internal sealed class AuthFunctionsClientOptionsValidator : IValidateOptions<AuthFunctionsClientOptions>
{
    /// <summary>The rights a delegated login can ask for, as the wire's <c>allow*</c> flags name them.</summary>
    internal static readonly IReadOnlyDictionary<string, string> DelegableRights = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["data"] = "allowData",
        ["index"] = "allowIndex",
        ["modify"] = "allowModify",
        ["statistics"] = "allowStatistics",
        ["management"] = "allowManagement",
        ["administration"] = "allowAdministration",
    };

    public ValidateOptionsResult Validate(string? name, AuthFunctionsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var client = string.IsNullOrEmpty(name) ? "AuthFunctions client" : $"AuthFunctions client '{name}'";
        var failures = new List<string>();

        if (options.BaseAddress is not { IsAbsoluteUri: true } address || (address.Scheme != Uri.UriSchemeHttps && address.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{client}: BaseAddress must be an absolute http(s) URL.");
        }

        if (options.RenewalMargin < TimeSpan.Zero)
        {
            failures.Add($"{client}: RenewalMargin must not be negative.");
        }

        switch (options.Grant)
        {
            case AuthFunctionsGrant.Magma or AuthFunctionsGrant.ClientCredentials or AuthFunctionsGrant.Delegated:
                Require(options.MagmaName, "MagmaName");
                Require(options.Secret, "Secret");
                break;
            case AuthFunctionsGrant.Password:
                Require(options.Username, "Username");
                Require(options.Password, "Password");
                break;
            default:
                failures.Add($"{client}: Grant must be Magma, ClientCredentials, Delegated or Password.");
                break;
        }

        if (options.Grant == AuthFunctionsGrant.Delegated)
        {
            Require(options.User?.Id, "User.Id");
            Require(options.User?.Name, "User.Name");
            foreach (var right in options.User?.Rights.Where(r => !DelegableRights.ContainsKey(r)) ?? [])
            {
                failures.Add($"{client}: User.Rights has '{right}'; a delegated login can ask for {string.Join(", ", DelegableRights.Keys)}.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Require(string? value, string setting)
        {
            if (string.IsNullOrEmpty(value))
            {
                failures.Add($"{client}: {setting} is required for the {options.Grant} grant.");
            }
        }
    }
}
