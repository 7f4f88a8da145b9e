using System.Net;
using System.Text.Json;
using AuthFunctions.Tests.Infrastructure;

namespace AuthFunctions.Tests.Http;

/// <summary><c>GET /admin/signing-keys</c> and <c>POST /admin/signing-keys/rotate</c> over real HTTP.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SigningKeyAdministrationTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_rotation_publishes_the_next_key_at_once_and_no_token_stops_working()
    {
        await using var server = await LocalHostServer.StartAsync(azurite.ConnectionString);
        var admin = await server.AdminTokenAsync();

        using var before = await server.SendAsync(HttpMethod.Get, "/admin/signing-keys", admin);
        var first = Assert.Single((await TenancyKit.JsonAsync(before, HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal(("signing", 1), (first.GetProperty("state").GetString(), first.GetProperty("generation").GetInt32()));

        using var rotate = await server.SendAsync(HttpMethod.Post, "/admin/signing-keys/rotate", admin);
        var next = await TenancyKit.JsonAsync(rotate, HttpStatusCode.Created);
        Assert.Equal(("next", 2), (next.GetProperty("state").GetString(), next.GetProperty("generation").GetInt32()));
        Assert.True(next.GetProperty("signsFrom").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(1));

        using var after = await server.SendAsync(HttpMethod.Get, "/admin/signing-keys", admin);
        var text = await after.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain("PRIVATE", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\"d\"", text, StringComparison.Ordinal);
        Assert.Equal(["next", "signing"], JsonDocument.Parse(text).RootElement.EnumerateArray().Select(k => k.GetProperty("state").GetString()));

        using var jwks = await server.SendAsync(HttpMethod.Get, "/.well-known/jwks.json");
        var kids = (await TenancyKit.JsonAsync(jwks, HttpStatusCode.OK)).GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()).ToList();
        Assert.Contains(next.GetProperty("kid").GetString(), kids);
        Assert.Contains(first.GetProperty("kid").GetString(), kids);
        using var stillValid = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", admin);
        Assert.Equal(HttpStatusCode.OK, stillValid.StatusCode);
    }
}
