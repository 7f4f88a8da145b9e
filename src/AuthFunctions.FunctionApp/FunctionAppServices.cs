using AuthFunctions.Azure;
using AuthFunctions.Core;
using AuthFunctions.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AuthFunctions.FunctionApp;

/// <summary>The Function app's registrations: the same three calls as the local host.</summary>
public static class FunctionAppServices
{
    public static IServiceCollection AddAuthFunctionApp(this IServiceCollection services) =>
        services.AddAuthCore().AddAuthAzure().AddAuthHttp();
}
