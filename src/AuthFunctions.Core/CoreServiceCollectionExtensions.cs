using AuthFunctions.Core.Bootstrap;
using AuthFunctions.Core.Keys;
using AuthFunctions.Core.Tenants;
using AuthFunctions.Core.Licenses;
using AuthFunctions.Core.MagmaKeys;
using AuthFunctions.Core.Plugins;
using AuthFunctions.Core.Purge;
using AuthFunctions.Core.Tokens;
using AuthFunctions.Core.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AuthFunctions.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the rules: key ring, token issuing and validation, logins, administration.
    /// Options bind from configuration sections; each is validated at start-up. Safe to call twice.
    /// </summary>
    public static IServiceCollection AddAuthCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<TokenOptions>().BindConfiguration(TokenOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<KeyRingOptions>().BindConfiguration(KeyRingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KeyRingOptions>, KeyRetentionValidation>());
        services.AddOptions<BootstrapOptions>().BindConfiguration(BootstrapOptions.Section);

        services.TryAddSingleton<KeyRing>();
        services.TryAddSingleton<TokenIssuer>();
        services.TryAddSingleton<TokenValidator>();
        services.TryAddSingleton<TokenIntrospection>();
        services.TryAddSingleton<ApiTokens>();
        services.AddOptions<PurgeOptions>().BindConfiguration(PurgeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<PurgeJob>();
        services.TryAddSingleton<PasswordHashing>();
        services.TryAddSingleton<MagmaLogin>();
        services.TryAddSingleton<MagmaKeyAdministration>();
        services.AddOptions<LockoutOptions>().BindConfiguration(LockoutOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<Lockout>();
        services.TryAddSingleton<PasswordLogin>();
        services.TryAddSingleton<UserAdministration>();
        services.TryAddSingleton<TenantAdministration>();
        services.TryAddSingleton<TenantMemberships>();
        services.TryAddSingleton<TenantAccess>();
        services.TryAddSingleton<PluginInstallations>();
        services.TryAddSingleton<Bootstrapper>();
        services.AddOptions<LicenseSystemOptions>().BindConfiguration(LicenseSystemOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<ForeignTokenValidator>();
        services.TryAddSingleton<LicenseKeySource>();
        services.TryAddSingleton<LicenseLogin>();
        services.TryAddSingleton<AssertionKeys>();
        services.TryAddSingleton<AssertionLogin>();
        return services;
    }
}
