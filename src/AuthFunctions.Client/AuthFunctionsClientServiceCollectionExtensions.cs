using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthFunctions.Client;

/// <summary>Registers AuthFunctions clients and attaches their tokens to HttpClients.</summary>
public static class AuthFunctionsClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers the default AuthFunctions client. Returns the builder of the HttpClient that
    /// fetches its tokens (for a proxy or a timeout); attach the token to your own HttpClient
    /// with <see cref="AddAuthFunctionsToken"/>.
    /// </summary>
    public static IHttpClientBuilder AddAuthFunctionsClient(this IServiceCollection services, Action<AuthFunctionsClientOptions> configure) =>
        services.AddAuthFunctionsClient(Options.DefaultName, configure);

    /// <summary>Registers the AuthFunctions client <paramref name="name"/>: its own credentials and its own token.</summary>
    public static IHttpClientBuilder AddAuthFunctionsClient(this IServiceCollection services, string name, Action<AuthFunctionsClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<AuthFunctionsClientOptions>(name).Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthFunctionsClientOptions>, AuthFunctionsClientOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TokenEndpoint>();
        services.TryAddSingleton<TokenCache>();
        return services.AddHttpClient(BackchannelName(name));
    }

    /// <summary>Sends the AuthFunctions client <paramref name="clientName"/>'s token with every request of this HttpClient.</summary>
    public static IHttpClientBuilder AddAuthFunctionsToken(this IHttpClientBuilder builder, string clientName = "")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(clientName);
        return builder.AddHttpMessageHandler(services => new BearerTokenHandler(
            services.GetRequiredService<TokenCache>(),
            clientName,
            services.GetRequiredService<ILogger<BearerTokenHandler>>()));
    }

    /// <summary>The name of the HttpClient that fetches the tokens of the client <paramref name="name"/>.</summary>
    public static string BackchannelName(string name) =>
        string.IsNullOrEmpty(name) ? "AuthFunctions.Client" : $"AuthFunctions.Client:{name}";
}
