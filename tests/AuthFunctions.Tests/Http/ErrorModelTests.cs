using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AuthFunctions.Tests.Infrastructure;

namespace AuthFunctions.Tests.Http;

[Collection(AzuriteCollection.Name)]
public sealed class ErrorModelTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private LocalHostServer server = null!;

    public async ValueTask InitializeAsync() => server = await LocalHostServer.StartAsync(azurite.ConnectionString);

    public async ValueTask DisposeAsync() => await server.DisposeAsync();

    private Task<HttpResponseMessage> PostMagma(string json, string contentType = "application/json") =>
        server.SendAsync(HttpMethod.Post, "/api/authentication/magma", json: json, contentType: contentType);

    [Theory]
    [InlineData("{", "malformed JSON")]
    [InlineData("[1,2]", "an array")]
    [InlineData("null", "null")]
    [InlineData("{\"magmaName\": 5, \"secret\": \"x\"}", "a number for a string")]
    [InlineData("{\"secret\": \"x\"}", "no magmaName")]
    [InlineData("{\"magmaName\": \"x\"}", "no secret")]
    [InlineData("{\"magmaName\": \"x\", \"secret\": \"y\", \"user\": \"me\"}", "a string for the user object")]
    [InlineData("{\"magmaName\": \"x\", \"secret\": \"y\", \"user\": {\"id\": \"u\", \"name\": \"n\", \"allowData\": \"yes\"}}", "a string for a flag")]
    public async Task Malformed_bodies_are_400_invalid_request(string json, string because)
    {
        using var response = await PostMagma(json);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, because);
        await ProblemAssert.IsProblemAsync(response, 400, "invalid_request");
    }

    [Fact]
    public async Task Unknown_properties_are_ignored()
    {
        using var response = await PostMagma("{\"magmaName\": \"nobody\", \"secret\": \"x\", \"extra\": {\"deep\": [1]}}");

        await ProblemAssert.IsProblemAsync(response, 401, "invalid_client");
    }

    [Fact]
    public async Task An_empty_body_is_400_and_does_not_hang()
    {
        using var response = await PostMagma(string.Empty);

        await ProblemAssert.IsProblemAsync(response, 400, "invalid_request");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=latin1")]
    public async Task A_body_that_is_not_JSON_is_415(string contentType)
    {
        using var response = await PostMagma("{\"magmaName\":\"x\",\"secret\":\"y\"}", contentType);

        await ProblemAssert.IsProblemAsync(response, 415, "unsupported_media_type");
    }

    [Fact]
    public async Task A_body_without_content_type_is_415()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/authentication/magma") { Content = new ByteArrayContent("{}"u8.ToArray()) };
        using var response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);

        await ProblemAssert.IsProblemAsync(response, 415, "unsupported_media_type");
    }

    [Fact]
    public async Task A_body_over_64_KiB_is_413_with_or_without_content_length()
    {
        var big = "{\"magmaName\":\"x\",\"secret\":\"" + new string('a', 64 * 1024) + "\"}";
        using var declared = await PostMagma(big);
        await ProblemAssert.IsProblemAsync(declared, 413, "payload_too_large");

        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/api/authentication/magma")
        {
            Content = new StreamContent(new NonSeekableStream(Encoding.UTF8.GetBytes(big))),
        };
        chunked.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        chunked.Headers.TransferEncodingChunked = true;
        using var streamed = await server.Client.SendAsync(chunked, TestContext.Current.CancellationToken);
        await ProblemAssert.IsProblemAsync(streamed, 413, "payload_too_large");
    }

    [Fact]
    public async Task A_body_of_exactly_64_KiB_is_read()
    {
        var prefix = "{\"magmaName\":\"nobody\",\"secret\":\"";
        var body = prefix + new string('a', (64 * 1024) - prefix.Length - 2) + "\"}";
        Assert.Equal(64 * 1024, Encoding.UTF8.GetByteCount(body));

        using var response = await PostMagma(body);

        await ProblemAssert.IsProblemAsync(response, 401, "invalid_client");
    }

    [Theory]
    [InlineData(null, "Basic realm=\"AuthFunctions\"")]
    [InlineData("Bearer abc", "Basic realm=\"AuthFunctions\"")]
    public async Task Rs_authorise_without_Basic_is_401_with_a_Basic_challenge(string? authorization, string challenge)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/rs/authorise");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);

        await ProblemAssert.IsProblemAsync(response, 401, "invalid_grant");
        Assert.StartsWith(challenge, response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Basic !!!not-base64")]
    [InlineData("Basic bm9jb2xvbg==")]
    [InlineData("Basic //79")]
    public async Task Rs_authorise_with_undecodable_Basic_credentials_is_400(string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/rs/authorise");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);

        await ProblemAssert.IsProblemAsync(response, 400, "invalid_request");
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_user_get_the_same_401()
    {
        using var wrong = await server.PasswordLoginAsync("admin", "not-the-password");
        using var unknown = await server.PasswordLoginAsync("nobody", "not-the-password");
        using var empty = await server.PasswordLoginAsync("admin", string.Empty);

        var a = await ProblemAssert.IsProblemAsync(wrong, 401, "invalid_grant");
        var b = await ProblemAssert.IsProblemAsync(unknown, 401, "invalid_grant");
        await ProblemAssert.IsProblemAsync(empty, 401, "invalid_grant");
        Assert.Equal(a.GetProperty("detail").GetString(), b.GetProperty("detail").GetString());
        Assert.StartsWith("Basic realm=\"AuthFunctions\"", wrong.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_password_login_gives_a_30_minute_token_with_a_colon_allowed_in_the_password()
    {
        using var created = await server.SendAsync(HttpMethod.Post, "/admin/users", await server.AdminTokenAsync(), """{"username":"Carol","password":"pass:word:with:colons","name":"Carol C","rights":["data"]}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        using var response = await server.PasswordLoginAsync("carol", "pass:word:with:colons");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"expiresIn\":1800", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_value_that_storage_refuses_is_a_400_problem_never_a_500()
    {
        var route = new AuthFunctions.Http.Routing.AuthRoute("Refusing", "GET", "refusing", AuthFunctions.Http.Authentication.RouteAccess.Anonymous,
            _ => throw new AuthFunctions.Core.Storage.StoreRejectedInputException("PropertyValueTooLarge"));
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = server.Services };
        context.Response.Body = new MemoryStream();

        var result = await route.InvokeAsync(context, new Microsoft.AspNetCore.Routing.RouteValueDictionary());
        await result.ExecuteAsync(context);

        Assert.Equal(400, context.Response.StatusCode);
        context.Response.Body.Position = 0;
        var body = await JsonDocument.ParseAsync(context.Response.Body, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("invalid_request", body.RootElement.GetProperty("error").GetString());
        Assert.DoesNotContain("PropertyValueTooLarge", body.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refused_password_logins_are_security_events_without_the_password()
    {
        using var wrong = await server.PasswordLoginAsync("admin", "a-guess-at-the-password");
        using var unknown = await server.PasswordLoginAsync("nobody-here", "another-guess-at-it");
        await ProblemAssert.IsProblemAsync(wrong, 401, "invalid_grant");
        await ProblemAssert.IsProblemAsync(unknown, 401, "invalid_grant");

        var events = server.Logs.GetSnapshot().Where(r => r.Id.Id == 1110).Select(r => r.Message).ToList();
        Assert.Equal(["Password login refused for admin: wrong password", "Password login refused for nobody-here: unknown username"], events);
        Assert.DoesNotContain(server.Logs.GetSnapshot(), r => r.Message.Contains("guess", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("GET", "/health", null)]
    [InlineData("GET", "/.well-known/jwks.json", null)]
    [InlineData("GET", "/no/such/path", null)]
    [InlineData("PUT", "/rs/authorise", null)]
    [InlineData("POST", "/api/authentication/magma", "{")]
    [InlineData("GET", "/api/authentication/token", null)]
    public async Task Every_response_says_nosniff_and_names_no_server(string method, string path, string? json)
    {
        using var response = await server.SendAsync(new HttpMethod(method), path, json: json);

        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Assert.False(response.Headers.Contains("Server"), "The Server header names the software behind us.");
    }

    [Theory]
    // RFC 6750 §3.1: no error code in the challenge when no bearer credentials were sent at all.
    [InlineData(null, "Bearer realm=\"AuthFunctions\"")]
    [InlineData("Bearer not.a.token", "Bearer realm=\"AuthFunctions\", error=\"invalid_token\", error_description=\"The access token is malformed.\"")]
    [InlineData("bearer not.a.token", "Bearer realm=\"AuthFunctions\", error=\"invalid_token\", error_description=\"The access token is malformed.\"")]
    [InlineData("Basic YWRtaW46eA==", "Bearer realm=\"AuthFunctions\"")]
    public async Task Token_details_without_a_good_bearer_token_is_401_invalid_token(string? authorization, string challenge)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/authentication/token");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);

        await ProblemAssert.IsProblemAsync(response, 401, "invalid_token");
        Assert.Equal(challenge, response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("/no/such/path")]
    [InlineData("/api/authentication")]
    [InlineData("/admin/magma-keys/a/b")]
    public async Task Unknown_paths_are_404_with_a_problem_body(string path)
    {
        using var response = await server.Client.GetAsync(path, TestContext.Current.CancellationToken);

        await ProblemAssert.IsProblemAsync(response, 404, "not_found");
    }

    [Theory]
    [InlineData("/api/authentication/magma", "POST")]
    [InlineData("/admin/magma-keys/some-key", "DELETE,GET,PATCH")]
    [InlineData("/health", "GET")]
    public async Task A_known_path_with_another_method_is_405_naming_the_allowed_one(string path, string allowed)
    {
        using var request = new HttpRequestMessage(allowed.Contains("GET", StringComparison.Ordinal) ? HttpMethod.Put : HttpMethod.Get, path);
        using var response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);

        await ProblemAssert.IsProblemAsync(response, 405, "invalid_request");
        Assert.Equal(allowed, string.Join(",", response.Content.Headers.Allow));
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
