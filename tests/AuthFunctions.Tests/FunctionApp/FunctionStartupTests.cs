using System.Text.Json;
using AuthFunctions.FunctionApp;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AuthFunctions.Tests.FunctionApp;

public sealed class FunctionStartupTests
{
    /// <summary>The Values of local.settings.sample.json as configuration (<c>__</c> → <c>:</c>), as the host passes them.</summary>
    internal static Dictionary<string, string?> SampleSettings()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(AuthFunctions.Tests.Infrastructure.RepositoryPaths.Root, "local.settings.sample.json")));
        return sample.RootElement.GetProperty("Values").EnumerateObject()
            .ToDictionary(p => p.Name.Replace("__", ":", StringComparison.Ordinal), p => (string?)p.Value.GetString());
    }

    internal static ServiceProvider Build(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddLogging()
            .AddAuthFunctionApp()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

    [Fact]
    public void The_Function_apps_services_build_and_validate_from_the_sample_settings()
    {
        using var provider = Build(SampleSettings());

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal("http://127.0.0.1:7071", provider.GetRequiredService<IOptions<AuthFunctions.Core.Tokens.TokenOptions>>().Value.Issuer);
        // The key ring's warm-up starts first, so that its load runs beside the bootstrap.
        var hosted = provider.GetServices<IHostedService>().ToList();
        var warmUp = hosted.FindIndex(s => s is AuthFunctions.Http.Hosting.KeyRingWarmUp);
        var bootstrap = hosted.FindIndex(s => s is AuthFunctions.Http.Hosting.BootstrapHostedService);
        Assert.InRange(warmUp, 0, bootstrap - 1);
    }

    [Theory]
    [InlineData("Storage:ConnectionString", null, "Storage:ConnectionString")]
    [InlineData("Auth:Issuer", "not a url", "Auth:Issuer")]
    [InlineData("Keys:Store", "KeyVault", "KeyVault:Uri")]
    [InlineData("Keys:Algorithm", "HS256", "Keys:Algorithm")]
    [InlineData("Keys:MaxTokenLifetime", "30.00:00:00", "Auth:MaxApiTokenLifetime (365.00:00:00)")]
    [InlineData("Auth:MagmaTokenLifetime", "400.00:00:00", "Keys:MaxTokenLifetime (365.00:00:00) must be at least the longest token lifetime, Auth:MagmaTokenLifetime")]
    [InlineData("Auth:MaxApiTokenLifetime", "-1.00:00:00", "Auth:MaxApiTokenLifetime must be positive")]
    public void A_misconfigured_Function_app_fails_at_start_naming_the_setting(string setting, string? value, string named)
    {
        var settings = SampleSettings();
        settings[setting] = value;
        using var provider = Build(settings);

        var exception = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(named, exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_real_worker_host_builds_with_the_apps_composition()
    {
        // Not started (that needs the Functions host's gRPC endpoint), but built: this loads the
        // worker's gRPC assembly and its Google.Protobuf, which fails without the version pin.
        var builder = Microsoft.Azure.Functions.Worker.Builder.FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(SampleSettings());
        FunctionAppHost.Configure(builder);
        using var host = builder.Build();

        Assert.NotNull(host.Services.GetRequiredService<AuthFunctions.Core.Keys.KeyRing>());
        Assert.False(host.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>>().Value.AddServerHeader);
        Assert.Equal("3.36.2.0", typeof(Google.Protobuf.MessageParser).Assembly.GetName().Version!.ToString());
        host.Services.GetRequiredService<IStartupValidator>().Validate();
    }
}
