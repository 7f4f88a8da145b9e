using AuthFunctions.Azure;
using AuthFunctions.Core;
using AuthFunctions.Core.Bootstrap;
using AuthFunctions.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AuthFunctions.FunctionApp;

/// <summary>The worker's composition, called by Program and by the tests that build it.</summary>
public static class FunctionAppHost
{
    public static void Configure(FunctionsApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureFunctionsWebApplication();

        // Registered after the ASP.NET Core integration, so it runs inside it and can set the HTTP result.
        builder.UseMiddleware<UnexpectedErrorMiddleware>();
        builder.Services.AddAuthFunctionApp();
    }
}

/// <summary>The Function app's registrations: the same three calls as the local host.</summary>
public static class FunctionAppServices
{
    public static IServiceCollection AddAuthFunctionApp(this IServiceCollection services)
    {
        services.AddAuthCore().AddAuthAzure().AddAuthHttp();

        // The worker's own Kestrel answers the host: no "Server: Kestrel" header there either.
        services.Configure<KestrelServerOptions>(kestrel => kestrel.AddServerHeader = false);

        // In Azure, standard output ends up in the logs: never print a generated password there.
        services.AddOptions<BootstrapOptions>().Configure<IConfiguration>((options, configuration) =>
            options.MayPrintGeneratedPassword &= string.IsNullOrEmpty(configuration["WEBSITE_INSTANCE_ID"]) && string.IsNullOrEmpty(configuration["WEBSITE_SITE_NAME"]));
        return services;
    }
}
