using AuthFunctions.Core.Bootstrap;
using AuthFunctions.Core.MagmaKeys;
using AuthFunctions.Core.Tenants;
using AuthFunctions.Core.Users;
using AuthFunctions.Http.Hosting;
using AuthFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AuthFunctions.Tests.FunctionApp;

/// <summary>Demo data and printed secrets are the local host's only, whatever the Function app's settings say.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class FunctionBootstrapTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(ServiceProvider Services, string Printed)> BootstrapAsync(string? password)
    {
        var settings = FunctionStartupTests.SampleSettings();
        settings["Storage:ConnectionString"] = azurite.ConnectionString;
        settings["Storage:TablePrefix"] = "f" + Guid.NewGuid().ToString("N")[..16];
        settings["Bootstrap:SeedDemoData"] = "true";
        settings["Bootstrap:MayPrintGeneratedPassword"] = "true";
        settings["Bootstrap:SuperUser:Password"] = password;
        var services = FunctionStartupTests.Build(settings);
        var console = new StringWriter();
        var bootstrap = new BootstrapHostedService(services.GetRequiredService<Bootstrapper>(), new BootstrapConsole(console));

        await bootstrap.StartAsync(Ct);

        Assert.Contains(services.GetServices<IHostedService>(), s => s is BootstrapHostedService);
        return (services, console.ToString());
    }

    [Fact]
    public async Task The_Function_app_seeds_no_demo_data_and_prints_no_secret_even_when_told_to()
    {
        var (services, printed) = await BootstrapAsync(password: null);
        await using var _ = services;

        Assert.Null(await services.GetRequiredService<IMagmaKeyStore>().FindAsync(Bootstrapper.DemoMagmaKeyName, Ct));
        Assert.Null(await services.GetRequiredService<ITenantStore>().FindAsync(Bootstrapper.DemoTenantId, Ct));
        Assert.Null(await services.GetRequiredService<IUserStore>().FindByUsernameAsync("admin", Ct));
        Assert.Equal("No super user 'admin' exists and Bootstrap__SuperUser__Password is not set: none was created." + Environment.NewLine, printed);
    }

    [Fact]
    public async Task With_a_configured_password_the_Function_app_makes_the_super_user_and_still_no_demo_data()
    {
        var (services, printed) = await BootstrapAsync(password: "a-long-enough-password");
        await using var _ = services;

        Assert.NotNull(await services.GetRequiredService<IUserStore>().FindByUsernameAsync("admin", Ct));
        Assert.Null(await services.GetRequiredService<IMagmaKeyStore>().FindAsync(Bootstrapper.DemoMagmaKeyName, Ct));
        Assert.Equal("Created super user 'admin' with the configured password." + Environment.NewLine, printed);
        Assert.DoesNotContain("a-long-enough-password", printed, StringComparison.Ordinal);
    }
}
