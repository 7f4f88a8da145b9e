using AuthFunctions.FunctionApp;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

// Registered after the ASP.NET Core integration, so it runs inside it and can set the HTTP result.
builder.UseMiddleware<UnexpectedErrorMiddleware>();
builder.Services.AddAuthFunctionApp();

await builder.Build().RunAsync();
