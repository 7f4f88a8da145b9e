using AuthFunctions.FunctionApp;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
FunctionAppHost.Configure(builder);
await builder.Build().RunAsync();
