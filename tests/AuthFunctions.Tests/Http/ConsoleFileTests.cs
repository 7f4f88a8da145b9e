using System.Net;
using System.Net.Http.Headers;
using AuthFunctions.Http.AdminConsole;
using AuthFunctions.Tests.Infrastructure;

namespace AuthFunctions.Tests.Http;

/// <summary><c>GET /console/{*path}</c>: the console's embedded files, with their types, caching and a strict CSP.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConsoleFileTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private LocalHostServer server = null!;
    private HttpClient noRedirects = null!;

    public async ValueTask InitializeAsync()
    {
        server = await LocalHostServer.StartAsync(azurite.ConnectionString);
        noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Client.BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        noRedirects.Dispose();
        await server.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/console/", "text/html")]
    [InlineData("/console/index.html", "text/html")]
    [InlineData("/console/app.js", "text/javascript")]
    [InlineData("/console/api.js", "text/javascript")]
    [InlineData("/console/console.css", "text/css")]
    public async Task Each_file_is_served_with_its_type_a_strict_policy_and_revalidation(string path, string mediaType)
    {
        using var response = await noRedirects.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.True(response.Headers.CacheControl?.NoCache);
        Assert.Equal(ConsoleEndpoints.ContentSecurityPolicy, string.Join(' ', response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync(Ct));

        // The same file again with its ETag: 304 and no body.
        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var notModified = await noRedirects.SendAsync(again, Ct);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync(Ct));

        using var stale = new HttpRequestMessage(HttpMethod.Get, path);
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\""));
        using var full = await noRedirects.SendAsync(stale, Ct);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
    }

    [Fact]
    public void The_policy_allows_no_inline_script_no_framing_and_no_other_origin()
    {
        var directives = ConsoleEndpoints.ContentSecurityPolicy.Split("; ").ToDictionary(d => d.Split(' ')[0], d => d[(d.IndexOf(' ', StringComparison.Ordinal) + 1)..]);

        Assert.Equal("'none'", directives["default-src"]);
        Assert.Equal("'self'", directives["script-src"]);
        Assert.Equal("'self'", directives["connect-src"]);
        Assert.Equal("'none'", directives["frame-ancestors"]);
        Assert.DoesNotContain(directives.Values, v => v.Contains("unsafe", StringComparison.Ordinal) || v.Contains('*', StringComparison.Ordinal));
    }

    [Fact]
    public void The_page_loads_no_inline_script_or_style()
    {
        using var stream = typeof(ConsoleEndpoints).Assembly.GetManifestResourceStream("console/index.html")!;
        var html = new StreamReader(stream).ReadToEnd();

        Assert.DoesNotMatch(@"<script(?![^>]*\bsrc=)[^>]*>", html);
        Assert.DoesNotMatch(@"\son[a-z]+\s*=", html);
        Assert.DoesNotMatch(@"\sstyle\s*=", html);
        Assert.Contains("<script type=\"module\" src=\"app.js\"></script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_console_without_its_slash_redirects_to_it()
    {
        using var response = await noRedirects.GetAsync("/console", Ct);

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/console/", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/console/no-such-file.js")]
    [InlineData("/console/%2e%2e/appsettings.json")]
    [InlineData("/console/..%2fappsettings.json")]
    [InlineData("/console/AuthFunctions.Http.dll")]
    public async Task Anything_but_an_embedded_file_is_a_404_problem(string path)
    {
        using var response = await noRedirects.GetAsync(path, Ct);

        await ProblemAssert.IsProblemAsync(response, 404, "not_found");
    }

    [Fact]
    public async Task Only_get_is_answered()
    {
        using var response = await noRedirects.PostAsync("/console/", new StringContent(string.Empty), Ct);

        await ProblemAssert.IsProblemAsync(response, 405, "invalid_request");
        Assert.Contains("GET", response.Content.Headers.Allow);
    }
}
