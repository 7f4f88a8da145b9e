using AuthFunctions.Core.Licenses;
using AuthFunctions.Http.Discovery;
using AuthFunctions.Http.Logins;
using AuthFunctions.Http.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AuthFunctions.Http;

public static class HttpServiceCollectionExtensions
{
    /// <summary>
    /// Registers what the HTTP surface caches (the discovery document) and the start-up bootstrap
    /// that both hosts run. Safe to call twice.
    /// </summary>
    public static IServiceCollection AddAuthHttp(this IServiceCollection services)
    {
        services.TryAddSingleton<DiscoveryDocumentCache>();
        if (!services.Any(d => d.ServiceType == typeof(IJwksFetcher)))
        {
            services.AddHttpClient<IJwksFetcher, HttpJwksFetcher>(client => client.Timeout = TimeSpan.FromSeconds(10));
        }

        services.TryAddSingleton(new BootstrapConsole(Console.Out));
        // Hosted services start in turn: the warm-up only starts the key ring's load, which then runs beside the bootstrap.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, KeyRingWarmUp>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, BootstrapHostedService>());
        return services;
    }
}
