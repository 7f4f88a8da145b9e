using AuthFunctions.Azure;
using AuthFunctions.Core;
using AuthFunctions.Core.Licenses;
using AuthFunctions.Core.Tokens;
using AuthFunctions.Http;
using AuthFunctions.Http.Problems;
using AuthFunctions.Http.Routing;
using AuthFunctions.LocalHost.Development;
using Microsoft.Extensions.Configuration.Memory;

namespace AuthFunctions.LocalHost;

/// <summary>
/// The local host: plain Kestrel over the same route table and registrations as the Function app,
/// so the backend runs, and is tested end to end, without Azure Functions Core Tools.
/// </summary>
public static class LocalHostApp
{
    public const string DefaultUrl = "http://127.0.0.1:7071";

    /// <param name="configure">Lets a test add configuration or replace services before the app is built.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Lowest precedence: the development key file lives in the data folder that run.sh uses.
        var dataFolder = Environment.GetEnvironmentVariable("AUTHFN_DATA_DIR") ?? ".data";
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData =
            [
                new("Keys:DevelopmentFolder", Path.GetFullPath(Path.Combine(dataFolder, "keys"))),
                new(DevelopmentLicenseSystem.FolderSetting, Path.GetFullPath(Path.Combine(dataFolder, "dev-keys"))),
                new("Bootstrap:StartAfresh", $"`./run.sh --reset` (or removing {dataFolder}) starts afresh"),
            ],
        });

        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // Unless Auth:Issuer is set, tokens and discovery name the URL this host listens on.
        builder.Services.AddOptions<TokenOptions>().Configure<IConfiguration>((options, configuration) =>
        {
            if (string.IsNullOrWhiteSpace(configuration[$"{TokenOptions.Section}:{nameof(TokenOptions.Issuer)}"])
                && IssuerFromUrls(configuration[WebHostDefaults.ServerUrlsKey]) is { } issuer)
            {
                options.Issuer = issuer;
            }
        });

        // No "Server: Kestrel" header: it tells an attacker what runs here and helps nobody.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Services.AddAuthCore().AddAuthAzure().AddAuthHttp();

        // After the binding: with no license system configured, the development one is trusted.
        builder.Services.AddOptions<LicenseSystemOptions>().Configure<IConfiguration>((options, configuration) =>
            DevelopmentLicenseSystem.Apply(options, configuration[DevelopmentLicenseSystem.FolderSetting]));

        // The Function app's purge timer, as a hosted service: the same PurgeJob.RunOnceAsync.
        builder.Services.AddHostedService<PurgeHostedService>();
        configure?.Invoke(builder);

        var app = builder.Build();

        // The catch-all for the unexpected: logged by the middleware, answered with the generic problem.
        app.UseExceptionHandler(errors => errors.Run(context => Problem.Unexpected().ExecuteAsync(context)));

        // Every request goes to the route table's dispatcher, exactly as every function of the Function app does.
        app.Run(RouteDispatcher.ExecuteAsync);
        return app;
    }

    /// <summary>
    /// The issuer for the listening URLs (<c>ASPNETCORE_URLS</c>, <c>--urls</c>; ';'-separated): the first
    /// http(s) one, without a trailing slash; a wildcard host (<c>*</c>, <c>+</c>, <c>0.0.0.0</c>, <c>[::]</c>)
    /// becomes <c>localhost</c>. Null when none fits or its port is 0 (chosen only when Kestrel binds).
    /// </summary>
    public static string? IssuerFromUrls(string? urls)
    {
        foreach (var url in (urls ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var normalized = url.Replace("://*", "://localhost", StringComparison.Ordinal)
                .Replace("://+", "://localhost", StringComparison.Ordinal)
                .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
                .Replace("://[::]", "://localhost", StringComparison.Ordinal);
            if (Uri.TryCreate(normalized, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Port != 0)
            {
                return uri.GetLeftPart(UriPartial.Authority);
            }
        }

        return null;
    }
}
