using AuthFunctions.Azure;
using AuthFunctions.Core;
using AuthFunctions.Core.Bootstrap;
using AuthFunctions.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AuthFunctions.FunctionApp;

/// <summary>The Function app's registrations: the same three calls as the local host.</summary>
public static class FunctionAppServices
{
    public static IServiceCollection AddAuthFunctionApp(this IServiceCollection services)
    {
        services.AddAuthCore().AddAuthAzure().AddAuthHttp();

        // In Azure, standard output ends up in the logs: never print a generated password there.
        services.AddOptions<BootstrapOptions>().Configure<IConfiguration>((options, configuration) =>
            options.MayPrintGeneratedPassword &= string.IsNullOrEmpty(configuration["WEBSITE_INSTANCE_ID"]) && string.IsNullOrEmpty(configuration["WEBSITE_SITE_NAME"]));
        return services;
    }
}
