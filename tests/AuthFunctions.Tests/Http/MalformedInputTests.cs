using System.Net.Http.Headers;
using System.Text;
using AuthFunctions.Http.Routing;
using AuthFunctions.Tests.Infrastructure;

namespace AuthFunctions.Tests.Http;

/// <summary>No input, however malformed, yields a 500: every route against a fixed set of hostile requests.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class MalformedInputTests(AzuriteFixture azurite)
{
    private static readonly string[] Bodies =
    [
        string.Empty,
        "\u0000\u0001\u0002",
        "{\"a\":",
        "[]",
        "\"text\"",
        "1e999",
        "{\"magmaName\":null,\"secret\":null,\"user\":null,\"name\":null,\"rights\":null,\"password\":null}",
        "{\"name\":\"x\",\"rights\":[null,1,{}],\"expiresAt\":\"9999-99-99\"}",
        "{\"username\":\"a\",\"password\":\"" + new string('p', 10_000) + "\",\"name\":\"n\"}",
        new string('[', 5000) + new string(']', 5000),
        "{\"magmaName\":\"" + new string('x', 60_000) + "\",\"secret\":\"s\"}",
    ];

    private static readonly string?[] ContentTypes = [null, "application/json", "text/plain", "application/json; charset=utf-16", "application/problem+json", ";;;"];

    private static readonly string?[] Authorizations =
    [
        null,
        "Bearer",
        "Bearer ",
        "Bearer a.b.c",
        "Bearer " + new string('e', 20_000),
        "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
        "Basic",
        "Basic " + Convert.ToBase64String(Encoding.Latin1.GetBytes("ÿþ:ý")),
        "Basic " + Convert.ToBase64String(new byte[3000]),
        "Plugin abc",
        "Bearer x, Bearer y",
    ];

    [Fact]
    public async Task No_route_answers_any_hostile_request_with_a_5xx()
    {
        await using var server = await LocalHostServer.StartAsync(azurite.ConnectionString);
        var random = new Random(20261124);
        var failures = new List<string>();
        var routes = RouteTable.All.Select(r => (r.Method, Path: "/" + r.Template.Replace("{name}", "x%2Fy", StringComparison.Ordinal)))
            .Append(("PATCH", "/admin/magma-keys/x"))
            .Append(("GET", "/%ff%fe/x"));

        foreach (var (method, path) in routes)
        {
            for (var i = 0; i < 12; i++)
            {
                var body = Bodies[random.Next(Bodies.Length)];
                var contentType = ContentTypes[random.Next(ContentTypes.Length)];
                var authorization = Authorizations[random.Next(Authorizations.Length)];
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (authorization is not null)
                {
                    request.Headers.TryAddWithoutValidation("Authorization", authorization);
                }

                if (method != "GET")
                {
                    request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                    request.Content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? parsed : null;
                    if (contentType is not null && request.Content.Headers.ContentType is null)
                    {
                        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                    }
                }

                using var response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);
                var status = (int)response.StatusCode;
                // RFC 6749 §5.2: the OAuth endpoints answer errors as application/json; everything else as problem details.
                var errorType = path.StartsWith("/oauth2/", StringComparison.Ordinal) ? "application/json" : "application/problem+json";
                if (status >= 500 || (status >= 400 && response.Content.Headers.ContentType?.MediaType != errorType))
                {
                    failures.Add($"{method} {path} auth={authorization?[..Math.Min(20, authorization.Length)]} type={contentType} body={body[..Math.Min(20, body.Length)]} -> {status}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
