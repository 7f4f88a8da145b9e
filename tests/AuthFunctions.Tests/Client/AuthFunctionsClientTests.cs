using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AuthFunctions.Client;
using AuthFunctions.Tests.Http;
using AuthFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AuthFunctions.Tests.Client;

/// <summary>The .NET client against the real local host: logins counted on the wire, API calls recorded behind the token handler.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AuthFunctionsClientTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_hundred_concurrent_calls_share_one_login()
    {
        await using var server = await LocalHostServer.StartAsync(azurite.ConnectionString);
        var secret = await server.CreateMagmaKeyAsync("busy-server");
        using var client = new ClientUnderTest(server, o => Magma(o, "busy-server", secret));

        var api = client.Api;
        var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(async () =>
        {
            using var response = await api.GetAsync(new Uri("/api/authentication/token", UriKind.Relative), Ct);
            return response.StatusCode;
        }, Ct)));

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Single(client.Logins);
        Assert.Equal(100, client.Calls.Count);
        Assert.Single(client.Calls.Select(c => c.Bearer).Distinct());
        client.AssertNothingSecretLogged(secret);
    }

    [Fact]
    public async Task A_token_is_renewed_within_its_margin_and_an_expired_one_never_reaches_the_API()
    {
        // One clock for the host and the client, so "expired" means expired to the server too.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await LocalHostServer.StartAsync(
            azurite.ConnectionString,
            new Dictionary<string, string?> { ["Auth:MagmaTokenLifetime"] = "00:10:00" },
            configure: builder => builder.Services.AddSingleton<TimeProvider>(time));
        var secret = await server.CreateMagmaKeyAsync("clocked-server");
        using var client = new ClientUnderTest(server, o => Magma(o, "clocked-server", secret), time);

        await client.AssertTokenWorksAsync();
        var first = client.Calls.Last().Bearer;
        time.Advance(TimeSpan.FromMinutes(4));
        await client.AssertTokenWorksAsync();
        Assert.Single(client.Logins);
        Assert.Equal(first, client.Calls.Last().Bearer);

        // Past the 5-minute margin of a 10-minute token: renewed while the old one still works.
        time.Advance(TimeSpan.FromMinutes(2));
        await client.AssertTokenWorksAsync();
        Assert.Equal(2, client.Logins.Count);
        Assert.NotEqual(first, client.Calls.Last().Bearer);

        // Far past expiry (and the server's 60 s of skew): the server refuses the old tokens, the client never sends them.
        time.Advance(TimeSpan.FromMinutes(20));
        using var stale = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", bearer: client.Calls.Last().Bearer);
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        await client.AssertTokenWorksAsync();
        Assert.Equal(3, client.Logins.Count);
        Assert.All(client.Calls, call => Assert.Equal(HttpStatusCode.OK, call.Status));
        Assert.Equal(4, client.Calls.Count);
        client.AssertNothingSecretLogged(secret);
    }

    [Fact]
    public async Task A_revoked_token_is_replaced_once_and_the_request_is_sent_again_with_its_streamed_body()
    {
        await using var server = await LocalHostServer.StartAsync(azurite.ConnectionString);
        var secret = await server.CreateMagmaKeyAsync("tenant-maker", "[\"administration\"]");
        using var client = new ClientUnderTest(server, o => Magma(o, "tenant-maker", secret));
        await client.AssertTokenWorksAsync();
        var revokedToken = client.Calls.Single().Bearer!;
        using var revoke = await server.SendAsync(
            HttpMethod.Post,
            "/oauth2/revoke",
            TenancyKit.Pair("Basic", "tenant-maker", secret),
            $"token={revokedToken}",
            "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);

        // A body that can be read only once: the retry must not find it consumed.
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes("""{"id":"streamed","name":"Streamed Ltd"}"""), Ct);
        await pipe.Writer.CompleteAsync();
        using var body = new StreamContent(pipe.Reader.AsStream());
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var created = await client.Api.PostAsync(new Uri("/admin/tenants", UriKind.Relative), body, Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("Streamed Ltd", (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("name").GetString());
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.Created], client.Calls.Select(c => c.Status));
        Assert.Equal(revokedToken, client.Calls.ElementAt(1).Bearer);
        Assert.NotEqual(revokedToken, client.Calls.ElementAt(2).Bearer);
        Assert.Equal(2, client.Logins.Count);
        client.AssertNothingSecretLogged(secret);
    }

    [Fact]
    public async Task A_deleted_key_surfaces_one_clear_exception_with_one_login_per_call()
    {
        await using var server = await LocalHostServer.StartAsync(azurite.ConnectionString);
        var secret = await server.CreateMagmaKeyAsync("doomed-server");
        using var client = new ClientUnderTest(server, o => Magma(o, "doomed-server", secret));
        await client.AssertTokenWorksAsync();
        using var deleted = await server.SendAsync(HttpMethod.Delete, "/admin/magma-keys/doomed-server", await server.AdminTokenAsync());
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        // The live token is refused at once: one retry, whose login is refused; no loop.
        var refused = await Assert.ThrowsAsync<AuthFunctionsTokenException>(() => client.Api.GetAsync(new Uri("/api/authentication/token", UriKind.Relative), Ct));
        Assert.Equal(401, refused.StatusCode);
        Assert.Equal("invalid_client", refused.Error);
        Assert.Equal(AuthFunctionsGrant.Magma, refused.Grant);
        Assert.Contains("disabled", refused.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, client.Logins.Count);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Unauthorized], client.Calls.Select(c => c.Status));

        // The refusal is not cached as a token: the next call logs in once more, and sends nothing without a token.
        var again = await Assert.ThrowsAsync<AuthFunctionsTokenException>(() => client.Api.GetAsync(new Uri("/api/authentication/token", UriKind.Relative), Ct));
        Assert.Equal("invalid_client", again.Error);
        Assert.Equal(3, client.Logins.Count);
        Assert.Equal(2, client.Calls.Count);
        client.AssertNothingSecretLogged(secret);
        Assert.Contains(client.LogLines, line => line.Contains("invalid_client", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Each_grant_logs_in_with_its_own_credentials_and_keeps_its_own_token()
    {
        await using var server = await LocalHostServer.StartAsync(azurite.ConnectionString);
        var plain = await server.CreateMagmaKeyAsync("plain-server");
        var trusted = await server.CreateMagmaKeyAsync("trusted-server", "[\"data\",\"index\",\"authenticate\"]");
        var logins = new ConcurrentQueue<Call>();
        var services = new ServiceCollection();
        var logs = new FakeLogCollector();
        services.AddLogging(b => b.AddProvider(new FakeLoggerProvider(logs)).SetMinimumLevel(LogLevel.Debug));
        void Add(string name, Action<AuthFunctionsClientOptions> configure)
        {
            services.AddAuthFunctionsClient(name, o =>
            {
                o.BaseAddress = server.Client.BaseAddress;
                configure(o);
            }).AddHttpMessageHandler(() => new Recorder(logins));
            services.AddHttpClient(name, c => c.BaseAddress = server.Client.BaseAddress).AddAuthFunctionsToken(name);
        }

        Add("magma", o => Magma(o, "plain-server", plain));
        Add("oauth", o =>
        {
            Magma(o, "plain-server", plain);
            o.Grant = AuthFunctionsGrant.ClientCredentials;
        });
        Add("delegated", o =>
        {
            Magma(o, "trusted-server", trusted);
            o.Grant = AuthFunctionsGrant.Delegated;
            o.User = new AuthFunctionsUser { Id = "u-7", Name = "Ann", Email = "ann@example.test", OrganisationName = "Acme" };
            o.User.Rights.Add("data");
        });
        Add("password", o =>
        {
            o.Grant = AuthFunctionsGrant.Password;
            o.Username = "admin";
            o.Password = LocalHostServer.AdminPassword;
        });
        await using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IHttpClientFactory>();

        async Task<JsonElement> DetailsAsync(string name)
        {
            using var response = await factory.CreateClient(name).GetAsync(new Uri("/api/authentication/token", UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        }

        var magma = await DetailsAsync("magma");
        Assert.Equal(("magma", "magma:plain-server"), (magma.GetProperty("grant").GetString(), magma.GetProperty("sub").GetString()));
        var oauth = await DetailsAsync("oauth");
        Assert.Equal(("client_credentials", "magma:plain-server"), (oauth.GetProperty("grant").GetString(), oauth.GetProperty("sub").GetString()));
        var delegated = await DetailsAsync("delegated");
        Assert.Equal(("delegated", "delegated:trusted-server:u-7"), (delegated.GetProperty("grant").GetString(), delegated.GetProperty("sub").GetString()));
        Assert.Equal(["data"], delegated.GetProperty("rights").EnumerateArray().Select(r => r.GetString()));
        var password = await DetailsAsync("password");
        Assert.Equal("password", password.GetProperty("grant").GetString());

        // A second round reuses each client's own token.
        foreach (var name in new[] { "magma", "oauth", "delegated", "password" })
        {
            await DetailsAsync(name);
        }

        Assert.Equal(["/api/authentication/magma", "/oauth2/token", "/api/authentication/magma", "/rs/authorise"], logins.Select(l => l.Path));
        var lines = logs.GetSnapshot().Select(r => r.Message + " " + string.Join(' ', r.StructuredState?.Select(s => s.Value) ?? [])).ToList();
        Assert.NotEmpty(lines);
        foreach (var secret in new[] { plain, trusted, LocalHostServer.AdminPassword })
        {
            Assert.DoesNotContain(lines, line => line.Contains(secret, StringComparison.Ordinal));
        }
    }

    private static void Magma(AuthFunctionsClientOptions options, string name, string secret)
    {
        options.MagmaName = name;
        options.Secret = secret;
    }

    private sealed record Call(string Path, HttpStatusCode Status, string? Bearer);

    /// <summary>Records each request that reaches the wire, and its answer.</summary>
    private sealed class Recorder(ConcurrentQueue<Call> calls) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            calls.Enqueue(new Call(request.RequestUri!.AbsolutePath, response.StatusCode, request.Headers.Authorization is { Scheme: "Bearer" } bearer ? bearer.Parameter : null));
            return response;
        }
    }

    /// <summary>The default client with its logins and its API calls recorded, and its logs captured.</summary>
    private sealed class ClientUnderTest : IDisposable
    {
        private readonly ServiceProvider provider;
        private readonly FakeLogCollector logs = new();
        private readonly ConcurrentQueue<Call> logins = new();
        private readonly ConcurrentQueue<Call> calls = new();

        public ClientUnderTest(LocalHostServer server, Action<AuthFunctionsClientOptions> configure, TimeProvider? time = null)
        {
            var services = new ServiceCollection();
            services.AddLogging(b => b.AddProvider(new FakeLoggerProvider(logs)).SetMinimumLevel(LogLevel.Debug));
            if (time is not null)
            {
                services.AddSingleton(time);
            }

            services.AddAuthFunctionsClient(o =>
            {
                o.BaseAddress = server.Client.BaseAddress;
                configure(o);
            }).AddHttpMessageHandler(() => new Recorder(logins));
            services.AddHttpClient("api", c => c.BaseAddress = server.Client.BaseAddress)
                .AddAuthFunctionsToken()
                .AddHttpMessageHandler(() => new Recorder(calls));
            provider = services.BuildServiceProvider();
            Api = provider.GetRequiredService<IHttpClientFactory>().CreateClient("api");
        }

        public HttpClient Api { get; }

        public ConcurrentQueue<Call> Logins => logins;

        public ConcurrentQueue<Call> Calls => calls;

        public IReadOnlyList<string> LogLines => logs.GetSnapshot()
            .Select(r => r.Message + " " + string.Join(' ', r.StructuredState?.Select(s => s.Value) ?? []) + " " + r.Exception)
            .ToList();

        public async Task AssertTokenWorksAsync()
        {
            using var response = await Api.GetAsync(new Uri("/api/authentication/token", UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        /// <summary>Neither the secret nor any token the client held reaches a log line.</summary>
        public void AssertNothingSecretLogged(string secret)
        {
            var lines = LogLines;
            Assert.NotEmpty(lines);
            foreach (var value in calls.Select(c => c.Bearer).OfType<string>().Distinct().Append(secret))
            {
                Assert.DoesNotContain(lines, line => line.Contains(value, StringComparison.Ordinal));
            }
        }

        public void Dispose() => provider.Dispose();
    }
}
