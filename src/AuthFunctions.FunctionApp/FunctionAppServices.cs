using AuthFunctions.Azure;
using AuthFunctions.Core;
using AuthFunctions.Core.Bootstrap;
using AuthFunctions.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
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

        // Demo data and printed secrets belong to the local host only, whatever the settings say: the
        // Function app's standard output ends up in the logs. Post-configuration runs after every
        // binding of settings, so no app setting can turn either back on.
        services.PostConfigure<BootstrapOptions>(options =>
        {
            options.SeedDemoData = false;
            options.MayPrintGeneratedPassword = false;
        });
        return services;
    }
}
