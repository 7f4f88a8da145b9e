using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AuthFunctions.Core.Principals;
using AuthFunctions.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AuthFunctions.Tests.Http;

/// <summary>Names compare case-insensitively after NFKC; every string field is bounded; delegated subjects are namespaced.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class NamesAndBoundsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private LocalHostServer server = null!;
    private string admin = null!;

    public async ValueTask InitializeAsync()
    {
        server = await LocalHostServer.StartAsync(azurite.ConnectionString);
        admin = await server.AdminTokenAsync();
    }

    public async ValueTask DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public void This_process_can_normalise_to_NFKC()
    {
        // InvariantGlobalization would silently turn normalisation off: 'ｂｏｂ' would stay itself.
        Assert.True(Identifiers.NormalizationWorks);
        Assert.Equal(Identifiers.KeyOf("bob"), Identifiers.KeyOf("ＢＯＢ"));
        Assert.True(Identifiers.TryName("ＤＥＬＥＧ", out var name));
        Assert.Equal("DELEG", name);
        Assert.False(Identifiers.TryName("dele\uD800g", out _));
    }

    [Theory]
    [InlineData("DELEG")]
    [InlineData("Deleg")]
    [InlineData("ｄｅｌｅｇ")]
    public async Task A_magma_key_name_that_differs_only_in_case_or_width_is_taken(string variant)
    {
        var secret = await server.CreateMagmaKeyAsync("deleg", "[\"data\"]");

        using var again = await server.SendAsync(HttpMethod.Post, "/admin/magma-keys", admin, $$"""{"name":"{{variant}}","rights":["index"]}""");
        await ProblemAssert.IsProblemAsync(again, 409, "conflict");

        // The variant names the same key: its login works and the token names the key as created.
        using var login = await server.SendAsync(HttpMethod.Post, "/api/authentication/magma", json: $$"""{"magmaName":"{{variant}}","secret":"{{secret}}"}""");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var jwt = new JsonWebToken((await login.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString());
        Assert.Equal("magma:deleg", jwt.Subject);
        Assert.Equal(["data"], jwt.GetPayloadValue<List<string>>("rights"));

        using var deleted = await server.SendAsync(HttpMethod.Delete, $"/admin/magma-keys/{Uri.EscapeDataString(variant)}", admin);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", jwt.EncodedToken);
        await ProblemAssert.IsProblemAsync(gone, 401, "invalid_token");
    }

    [Fact]
    public async Task A_username_that_differs_only_in_width_or_case_is_taken_and_logs_in()
    {
        using var bob = await server.SendAsync(HttpMethod.Post, "/admin/users", admin, """{"username":"bob","password":"bobs-long-password","name":"Bob"}""");
        Assert.Equal(HttpStatusCode.Created, bob.StatusCode);

        using var twin = await server.SendAsync(HttpMethod.Post, "/admin/users", admin, """{"username":"ｂｏｂ","password":"another-long-password","name":"Not Bob"}""");
        await ProblemAssert.IsProblemAsync(twin, 409, "conflict");

        using var login = await server.PasswordLoginAsync("ＢＯＢ", "bobs-long-password");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    public static TheoryData<string, string> OversizedOrControlFields() => new()
    {
        { """{"id":"ID","name":"N","allowData":true}""".Replace("ID", new string('x', 33_000), StringComparison.Ordinal), "'user.id' is longer than 256 characters." },
        { """{"id":"a\u0000b","name":"N","allowData":true}""", "'user.id' may not contain control characters." },
        { """{"id":"42","name":"NAME","allowData":true}""".Replace("NAME", new string('n', 201), StringComparison.Ordinal), "'user.name' is longer than 200 characters." },
        { """{"id":"42","name":"N\nForged log line","allowData":true}""", "'user.name' may not contain control characters." },
        { """{"id":"42","name":"N","email":"not-an-address","allowData":true}""", "'user.email' is not an email address." },
        { """{"id":"42","name":"N","organisationName":"ORG","allowData":true}""".Replace("ORG", new string('o', 201), StringComparison.Ordinal), "'user.organisationName' is longer than 200 characters." },
    };

    [Theory]
    [MemberData(nameof(OversizedOrControlFields))]
    public async Task Delegated_user_fields_are_bounded_with_a_400_naming_the_field(string user, string detail)
    {
        using var response = await server.SendAsync(HttpMethod.Post, "/api/authentication/magma", json: $$$"""{"magmaName":"demo-server","secret":"{{{DemoSecret()}}}","user":{{{user}}}}""");

        var problem = await ProblemAssert.IsProblemAsync(response, 400, "invalid_request");
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("magma:demo-server")]
    [InlineData("u_ABCDEFGHIJKLMNOP")]
    public async Task A_delegated_subject_never_equals_one_of_ours(string id)
    {
        using var response = await server.SendAsync(HttpMethod.Post, "/api/authentication/magma", json: $$$"""{"magmaName":"demo-server","secret":"{{{DemoSecret()}}}","user":{"id":"{{{id}}}","name":"N","allowData":true}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var jwt = new JsonWebToken((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString());
        Assert.Equal("delegated:demo-server:" + id, jwt.Subject);
        Assert.Contains("\"act\":{\"sub\":\"magma:demo-server\"}", Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(jwt.EncodedPayload), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"username":"u1","password":"PASSWORD","name":"N"}""", "'password' is longer than 1024 characters.")]
    [InlineData("""{"username":"u4","password":"short-pass1","name":"N"}""", "'password' is too weak: it must have at least 12 characters.")]
    [InlineData("""{"username":"u5","password":"Password1234","name":"N"}""", "'password' is one of the most common passwords, which attackers try first; choose another.")]
    [InlineData("""{"username":"u6","password":"ＱＷＥＲＴＹ１２３４５６","name":"N"}""", "'password' is one of the most common passwords, which attackers try first; choose another.")]
    [InlineData("""{"username":"Long.User.Name","password":"long.user.NAME","name":"N"}""", "'password' may not be the username.")]
    [InlineData("""{"username":"u2","password":"long-enough-pass","name":"N\u0007"}""", "'name' may not contain control characters.")]
    [InlineData("""{"username":"u3","password":"long-enough-pass","name":"N","email":"a b@c"}""", "'email' is not an email address.")]
    public async Task Admin_user_fields_are_bounded(string json, string detail)
    {
        using var response = await server.SendAsync(HttpMethod.Post, "/admin/users", admin, json.Replace("PASSWORD", new string('p', 1025), StringComparison.Ordinal));

        var problem = await ProblemAssert.IsProblemAsync(response, 400, "invalid_request");
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    /// <summary>The demo key's secret, as the bootstrap printed it once.</summary>
    private string DemoSecret()
    {
        var line = server.Console.ToString().Split(Environment.NewLine).Single(l => l.StartsWith("Created demo magma key 'demo-server'", StringComparison.Ordinal));
        return line.Split("with the secret: ")[1].Split(' ')[0];
    }
}
