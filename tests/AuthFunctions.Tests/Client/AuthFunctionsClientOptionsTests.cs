using AuthFunctions.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AuthFunctions.Tests.Client;

public sealed class AuthFunctionsClientOptionsTests
{
    [Fact]
    public void Options_that_could_never_log_in_are_refused_at_start_naming_each_setting()
    {
        var services = new ServiceCollection();
        services.AddAuthFunctionsClient("partner", o =>
        {
            o.BaseAddress = new Uri("/relative", UriKind.Relative);
            o.Grant = AuthFunctionsGrant.Delegated;
            o.MagmaName = "k";
            o.User = new AuthFunctionsUser { Id = "u-1" };
            o.User.Rights.Add("authenticate");
            o.RenewalMargin = TimeSpan.FromSeconds(-1);
        });
        using var provider = services.BuildServiceProvider();

        var refused = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Equal(
            [
                "AuthFunctions client 'partner': BaseAddress must be an absolute http(s) URL.",
                "AuthFunctions client 'partner': RenewalMargin must not be negative.",
                "AuthFunctions client 'partner': Secret is required for the Delegated grant.",
                "AuthFunctions client 'partner': User.Name is required for the Delegated grant.",
                "AuthFunctions client 'partner': User.Rights has 'authenticate'; a delegated login can ask for data, index, modify, statistics, management, administration.",
            ],
            refused.Failures);
    }

    [Fact]
    public void A_complete_magma_client_passes_and_each_name_keeps_its_own_options()
    {
        var services = new ServiceCollection();
        services.AddAuthFunctionsClient(o =>
        {
            o.BaseAddress = new Uri("https://auth.example.test/base");
            o.MagmaName = "server";
            o.Secret = "s";
        });
        services.AddAuthFunctionsClient("user", o =>
        {
            o.BaseAddress = new Uri("https://auth.example.test");
            o.Grant = AuthFunctionsGrant.Password;
            o.Username = "ann";
            o.Password = "p";
            o.RenewalMargin = TimeSpan.FromMinutes(1);
        });
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptionsMonitor<AuthFunctionsClientOptions>>();
        Assert.Equal((AuthFunctionsGrant.Magma, TimeSpan.FromMinutes(5)), (options.CurrentValue.Grant, options.CurrentValue.RenewalMargin));
        Assert.Equal((AuthFunctionsGrant.Password, "ann"), (options.Get("user").Grant, options.Get("user").Username));
    }
}
