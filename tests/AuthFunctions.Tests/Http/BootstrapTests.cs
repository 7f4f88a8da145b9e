using System.Net;
using AuthFunctions.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace AuthFunctions.Tests.Http;

[Collection(AzuriteCollection.Name)]
public sealed class BootstrapTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task First_start_prints_a_generated_password_once_and_a_restart_changes_nothing()
    {
        var noPassword = new Dictionary<string, string?> { ["Bootstrap:SuperUser:Password"] = null, ["Bootstrap:SuperUser:Username"] = "root" };
        string printed;
        string prefix;
        await using (var first = await LocalHostServer.StartAsync(azurite.ConnectionString, noPassword))
        {
            printed = first.Console.ToString();
            prefix = first.TablePrefix;
            Assert.Contains("Created super user 'root' with the generated password: ", printed, StringComparison.Ordinal);
            Assert.Contains("Created demo tenant 'demo'", printed, StringComparison.Ordinal);
            Assert.Contains("Created demo magma key 'demo-server'", printed, StringComparison.Ordinal);
            Assert.DoesNotContain(first.Logs.GetSnapshot(), r => r.Message.Contains("generated password", StringComparison.Ordinal));
        }

        var password = printed.Split("generated password: ")[1].Split(' ')[0];
        await using var second = await LocalHostServer.StartAsync(azurite.ConnectionString, noPassword, prefix);

        Assert.Equal(string.Empty, second.Console.ToString());
        using var login = await second.PasswordLoginAsync("root", password);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task A_configured_password_is_used_and_never_printed()
    {
        await using var server = await LocalHostServer.StartAsync(azurite.ConnectionString);

        Assert.Contains("Created super user 'admin' with the configured password.", server.Console.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(LocalHostServer.AdminPassword, server.Console.ToString(), StringComparison.Ordinal);
        using var login = await server.PasswordLoginAsync("admin", LocalHostServer.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task A_deployment_without_storage_settings_fails_to_start_naming_the_setting()
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(() => LocalHostServer.StartAsync(string.Empty, new Dictionary<string, string?> { ["Storage:ConnectionString"] = null }));

        Assert.Contains("Storage:ConnectionString", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_development_key_store_is_refused_in_Azure()
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(() => LocalHostServer.StartAsync(azurite.ConnectionString, new Dictionary<string, string?> { ["WEBSITE_INSTANCE_ID"] = "abc" }));

        Assert.Contains("Keys:Store=DevelopmentTable", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Key_Vault_without_its_uri_fails_to_start_naming_the_setting()
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(() => LocalHostServer.StartAsync(azurite.ConnectionString, new Dictionary<string, string?> { ["Keys:Store"] = "KeyVault" }));

        Assert.Contains("KeyVault:Uri", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_local_host_can_keep_its_keys_in_a_file_under_the_data_folder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "authfn-filestore-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var server = await LocalHostServer.StartAsync(azurite.ConnectionString, new Dictionary<string, string?> { ["Keys:Store"] = "DevelopmentFile", ["Keys:DevelopmentFolder"] = folder }))
            {
                using var jwks = await server.Client.GetAsync("/.well-known/jwks.json", TestContext.Current.CancellationToken);
                Assert.Equal(HttpStatusCode.OK, jwks.StatusCode);
            }

            Assert.Single(Directory.GetFiles(folder, "*.key.json"));
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
