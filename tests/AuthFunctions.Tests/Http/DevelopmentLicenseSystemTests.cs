using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthFunctions.LocalHost.Development;
using AuthFunctions.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace AuthFunctions.Tests.Http;

/// <summary>The local host trusts the development license system only while no license system is configured.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class DevelopmentLicenseSystemTests(AzuriteFixture azurite) : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "authfn-dev-keys-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Unconfigured_the_local_host_exchanges_tokens_signed_with_the_development_key_in_its_data_folder()
    {
        await using var server = await LocalHostServer.StartAsync(azurite.ConnectionString, new Dictionary<string, string?> { ["DevelopmentKeys:Folder"] = folder });

        using var response = await ExchangeAsync(server);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.True(File.Exists(Path.Combine(folder, "dev-license-system.jwk")));
    }

    [Fact]
    public async Task A_configured_license_system_wins_and_the_development_key_is_not_trusted()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(other) { KeyId = DevelopmentLicenseSystem.KeyName });
        await using var server = await LocalHostServer.StartAsync(azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["DevelopmentKeys:Folder"] = folder,
            ["LicenseSystem:Issuer"] = DevelopmentLicenseSystem.Issuer,
            ["LicenseSystem:Audience"] = DevelopmentLicenseSystem.Audience,
            ["LicenseSystem:Jwks"] = JsonSerializer.Serialize(new { keys = new[] { new { kty = jwk.Kty, crv = jwk.Crv, x = jwk.X, y = jwk.Y, kid = jwk.Kid } } }),
        });

        using var response = await ExchangeAsync(server);

        await ProblemAssert.IsProblemAsync(response, 401, "invalid_grant");
    }

    private async Task<HttpResponseMessage> ExchangeAsync(LocalHostServer server)
    {
        using var key = DevelopmentKey.LoadOrCreate(folder, DevelopmentLicenseSystem.KeyName);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var token = key.Sign(new JsonObject
        {
            ["iss"] = DevelopmentLicenseSystem.Issuer,
            ["aud"] = DevelopmentLicenseSystem.Audience,
            ["sub"] = "customer-1",
            ["iat"] = now,
            ["exp"] = now + 240,
            ["rights"] = new JsonArray("data"),
        });
        return await server.SendAsync(HttpMethod.Post, "/api/authentication/licensesystem", json: JsonSerializer.Serialize(new { token }));
    }
}
