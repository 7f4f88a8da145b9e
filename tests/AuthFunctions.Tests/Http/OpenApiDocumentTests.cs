using System.Diagnostics;
using System.Text.Json;
using AuthFunctions.Http.OpenApi;
using AuthFunctions.Http.Routing;
using AuthFunctions.Tests.Infrastructure;

namespace AuthFunctions.Tests.Http;

/// <summary>
/// <c>GET /openapi.json</c>: generated from the route table, equal to <c>docs/openapi.json</c>, describing
/// every route, and valid for Redocly's OpenAPI linter (from npm, pinned in package-lock.json).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OpenApiDocumentTests(AzuriteFixture azurite)
{
    private static readonly string RepositoryFile = Path.Combine(RepositoryPaths.Root, "docs", "openapi.json");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_served_document_is_the_one_in_the_repository()
    {
        await using var server = await LocalHostServer.StartAsync(azurite.ConnectionString);

        using var response = await server.Client.GetAsync("/openapi.json", Ct);
        var served = await response.Content.ReadAsByteArrayAsync(Ct);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        if (Environment.GetEnvironmentVariable("AUTHFN_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllBytesAsync(RepositoryFile, served, Ct);
        }

        var kept = File.Exists(RepositoryFile) ? await File.ReadAllBytesAsync(RepositoryFile, Ct) : [];
        Assert.True(
            served.SequenceEqual(kept),
            "docs/openapi.json is not what GET /openapi.json serves: `AUTHFN_UPDATE_OPENAPI=1 ./test.sh` rewrites it.");
    }

    [Fact]
    public void Every_route_is_an_operation_with_its_method_path_and_credentials()
    {
        using var document = JsonDocument.Parse(OpenApiEndpoint.Bytes);
        var paths = document.RootElement.GetProperty("paths");

        var operations = paths.EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (path.Name, Method: operation.Name.ToUpperInvariant(), Id: operation.Value.GetProperty("operationId").GetString())))
            .ToList();

        Assert.Equal(RouteTable.All.Count, operations.Count);
        Assert.Equal(RouteTable.All.Select(r => r.Name).Order(), operations.Select(o => o.Id!).Order());
        Assert.Contains(("/admin/users/{id}", "PATCH", "UpdateUser"), operations);
        Assert.Contains(("/tenants/{tenantId}/plugins/{pluginId}", "PUT", "InstallPlugin"), operations);
        var listTenants = paths.GetProperty("/tenants").GetProperty("get");
        Assert.Equal(["bearer", "plugin", "pluginConnection"], listTenants.GetProperty("security").EnumerateArray().Select(s => s.EnumerateObject().Single().Name));
        Assert.Equal(["limit", "continuationToken"], listTenants.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        var createUser = paths.GetProperty("/admin/users").GetProperty("post");
        Assert.Equal("Needs the right `administration`.", createUser.GetProperty("description").GetString());
        Assert.Equal("#/components/schemas/CreateUserRequest", createUser.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.Equal("basic", paths.GetProperty("/rs/authorise").GetProperty("get").GetProperty("security")[0].EnumerateObject().Single().Name);
        Assert.Equal("#/components/responses/OAuthError", paths.GetProperty("/oauth2/token").GetProperty("post").GetProperty("responses").GetProperty("4XX").GetProperty("$ref").GetString());
        Assert.Equal(JsonValueKind.Array, paths.GetProperty("/health").GetProperty("get").GetProperty("security").ValueKind);
    }

    [Fact]
    public void Every_contract_names_a_route()
    {
        var routes = RouteTable.All.Select(r => r.Name).ToHashSet();

        Assert.All(RouteContracts.ByRoute.Keys, name => Assert.Contains(name, routes));
    }

    [Fact]
    public async Task Redocly_lints_the_document_with_no_error()
    {
        var cli = Path.Combine(RepositoryPaths.Root, "node_modules", "@redocly", "cli", "bin", "cli.js");
        Assert.True(File.Exists(cli), $"{cli} is missing: run ./test.sh, which runs 'npm ci' first.");
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { cli, "lint", RepositoryFile, "--format", "stylish" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        start.Environment["CI"] = "true";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var errors = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);

        Assert.True(process.ExitCode == 0, $"redocly lint exited with {process.ExitCode}:\n{await output}\n{await errors}");
    }
}
