using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AuthFunctions.Http.Hosting;
using AuthFunctions.LocalHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace AuthFunctions.Tests.Http;

/// <summary>
/// The real local host on Kestrel, 127.0.0.1 and a free port, over its own set of tables in the
/// shared Azurite; stopped by the test that started it (await using), even when the test fails.
/// </summary>
internal sealed class LocalHostServer : IAsyncDisposable
{
    public const string AdminPassword = "correct-horse-battery-staple";

    private readonly WebApplication app;

    private LocalHostServer(WebApplication app, HttpClient client, StringWriter console, string tablePrefix)
    {
        this.app = app;
        Client = client;
        Console = console;
        TablePrefix = tablePrefix;
    }

    public HttpClient Client { get; }

    /// <summary>What the bootstrap printed.</summary>
    public StringWriter Console { get; }

    public string TablePrefix { get; }

    public FakeLogCollector Logs => app.Services.GetFakeLogCollector();

    public IServiceProvider Services => app.Services;

    public static async Task<LocalHostServer> StartAsync(
        string connectionString,
        IDictionary<string, string?>? settings = null,
        string? tablePrefix = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        tablePrefix ??= "t" + Guid.NewGuid().ToString("N")[..16];
        var console = new StringWriter();
        var values = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = connectionString,
            ["Storage:TablePrefix"] = tablePrefix,
            ["Keys:Store"] = "DevelopmentTable",
            ["Bootstrap:SuperUser:Username"] = "admin",
            ["Bootstrap:SuperUser:Password"] = AdminPassword,
            ["Bootstrap:SeedDemoData"] = "true",

            // Off unless a test turns it on: the development license system writes a key file.
            ["DevelopmentKeys:Folder"] = string.Empty,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var app = LocalHostApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(values);
            builder.Logging.ClearProviders().AddFakeLogging().SetMinimumLevel(LogLevel.Debug);
            builder.Services.AddSingleton(new BootstrapConsole(console));
            configure?.Invoke(builder);
        });
        try
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        return new LocalHostServer(app, client, console, tablePrefix);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }

    /// <summary>GET /rs/authorise with Basic credentials.</summary>
    public Task<HttpResponseMessage> PasswordLoginAsync(string username, string password)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/rs/authorise");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        return Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async Task<string> AdminTokenAsync()
    {
        using var response = await PasswordLoginAsync("admin", AdminPassword);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("accessToken").GetString()!;
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? bearer = null, string? json = null, string contentType = "application/json") =>
        SendAsync(method, path, bearer is null ? null : new AuthenticationHeaderValue("Bearer", bearer), json, contentType);

    /// <summary>Sends with any Authorization header (Plugin, PluginConnection, Basic…).</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, AuthenticationHeaderValue? authorization, string? json = null, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = authorization;

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Creates a magma key as the super user and returns its secret.</summary>
    public async Task<string> CreateMagmaKeyAsync(string name, string rightsJson = "[\"data\",\"index\"]", string? tenantId = null)
    {
        var tenant = tenantId is null ? string.Empty : $", \"tenantId\": \"{tenantId}\"";
        using var response = await SendAsync(HttpMethod.Post, "/admin/magma-keys", await AdminTokenAsync(), $"{{\"name\": \"{name}\", \"rights\": {rightsJson}{tenant}}}");
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("secret").GetString()!;
    }
}

/// <summary>Reading problem details in assertions.</summary>
internal static class ProblemAssert
{
    public static async Task<JsonElement> IsProblemAsync(HttpResponseMessage response, int status, string error)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.Equal(error, problem.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("type").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        return problem;
    }
}
