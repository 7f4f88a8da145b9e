using AuthFunctions.Azure.Keys;
using AuthFunctions.Azure.Tables;
using AuthFunctions.Core.Bootstrap;
using AuthFunctions.Core.Keys;
using AuthFunctions.Core.MagmaKeys;
using AuthFunctions.Core.Plugins;
using AuthFunctions.Core.Purge;
using AuthFunctions.Core.Storage;
using AuthFunctions.Core.Tenants;
using AuthFunctions.Core.Tokens;
using AuthFunctions.Core.Users;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthFunctions.Azure;

public static partial class AzureServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Table Storage repositories and the signing-key store chosen by <c>Keys:Store</c>.
    /// Clients come from <c>AddAzureClients</c>: endpoint URIs with <see cref="DefaultAzureCredential"/>
    /// in Azure, a connection string only for Azurite. Safe to call twice.
    /// </summary>
    public static IServiceCollection AddAuthAzure(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<KeyStoreOptions>()
            .BindConfiguration("Keys")
            .Configure<Microsoft.Extensions.Configuration.IConfiguration>((options, configuration) =>
            {
                options.VaultUri ??= configuration["KeyVault:Uri"];
                options.SecretName = configuration["KeyVault:SigningKeySecretName"] ?? options.SecretName;
                options.RunningInAzure = !string.IsNullOrEmpty(configuration["WEBSITE_INSTANCE_ID"]) || !string.IsNullOrEmpty(configuration["WEBSITE_SITE_NAME"]);
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();

        if (services.Any(d => d.ServiceType == typeof(AuthTables)))
        {
            return services;
        }

        services.AddAzureClients(clients =>
        {
            clients.AddClient<TableServiceClient, TableClientOptions>((clientOptions, credential, provider) =>
            {
                var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
                return string.IsNullOrWhiteSpace(storage.ConnectionString)
                    ? new TableServiceClient(new Uri(storage.TableServiceUri!), credential, clientOptions)
                    : new TableServiceClient(storage.ConnectionString, clientOptions);
            });
            clients.AddClient<SecretClient, SecretClientOptions>((clientOptions, credential, provider) =>
                new SecretClient(new Uri(provider.GetRequiredService<IOptions<KeyStoreOptions>>().Value.VaultUri!), credential, clientOptions));
            clients.UseCredential(_ => new DefaultAzureCredential());
            clients.ConfigureDefaults(defaults =>
            {
                // Fail fast enough that a request gets its 503 while the caller still waits.
                defaults.Retry.MaxRetries = 2;
                defaults.Retry.Mode = RetryMode.Exponential;
                defaults.Retry.Delay = TimeSpan.FromMilliseconds(200);
                defaults.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
            });
        });

        services.TryAddSingleton<AuthTables>();
        services.TryAddSingleton<IStorageProbe>(provider => provider.GetRequiredService<AuthTables>());
        services.TryAddSingleton<IUserStore, UserTable>();
        services.TryAddSingleton<ILoginFailureStore, LoginFailureTable>();
        services.TryAddSingleton<IAssertionKeyStore, AssertionKeyTable>();
        services.TryAddSingleton<IAssertionReplayStore, AssertionReplayTable>();
        services.TryAddSingleton<ITenantStore, TenantTable>();
        services.TryAddSingleton<IMagmaKeyStore, MagmaKeyTable>();
        services.TryAddSingleton<IMembershipStore, MembershipTable>();
        services.TryAddSingleton<IPluginStore, PluginTable>();
        services.TryAddSingleton<IInstallationStore, InstallationTable>();
        services.TryAddSingleton<IServerKeyStore, ServerKeyTable>();
        services.TryAddSingleton<IApiTokenStore, ApiTokenTable>();
        services.TryAddSingleton<IPurgeStore, PurgeTable>();
        services.TryAddSingleton<ITokenRegistry, TokenTable>();
        services.TryAddSingleton<ISigningKeyStore>(CreateKeyStore);
        services.TryAddSingleton<IBootstrapSecrets, KeyVaultBootstrapSecrets>();
        return services;
    }

    private static ISigningKeyStore CreateKeyStore(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<KeyStoreOptions>>();
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("AuthFunctions.Keys");
        ISigningKeyStore store = options.Value.Store switch
        {
            KeyStoreOptions.DevelopmentTable => new TableSigningKeyStore(provider.GetRequiredService<AuthTables>()),
            KeyStoreOptions.DevelopmentFile => new FileSigningKeyStore(options),
            _ => new KeyVaultSigningKeyStore(provider.GetRequiredService<SecretClient>(), options, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<AuthTables>()),
        };
        if (options.Value.Store != KeyStoreOptions.KeyVault)
        {
            Log.DevelopmentKeyStore(logger, store.Description);
        }

        return store;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Signing keys are held in the {Store}: for local development only, refused in Azure")]
        public static partial void DevelopmentKeyStore(ILogger logger, string store);
    }
}
