// The yardstick of bench/load.sh, not part of the service: see the summary of Program at the end of this file.

using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

var url = Required("REFERENCE_URL");
var database = Required("REFERENCE_DB");
var clientId = Required("REFERENCE_CLIENT_ID");
var clientSecret = Required("REFERENCE_CLIENT_SECRET");

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls(url);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
// ASP.NET Core makes a data-protection key at start; keep it beside the database, not under ~/.aspnet.
builder.Services.AddDataProtection()
    .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(database))!, "keys")));

builder.Services.AddDbContext<DbContext>(options =>
{
    options.UseSqlite($"Data Source={database}");
    options.UseOpenIddict();
});

builder.Services.AddOpenIddict()
    .AddCore(options => options.UseEntityFrameworkCore().UseDbContext<DbContext>())
    .AddServer(options =>
    {
        options.SetTokenEndpointUris("connect/token");
        options.AllowClientCredentialsFlow();
        // ES256 like our own tokens; the encryption key is required by OpenIddict though access tokens stay unencrypted.
        options.AddEphemeralEncryptionKey().AddEphemeralSigningKey(SecurityAlgorithms.EcdsaSha256);
        options.DisableAccessTokenEncryption();
        options.UseAspNetCore()
            .EnableTokenEndpointPassthrough()
            .DisableTransportSecurityRequirement();
    });

var app = builder.Build();

await using (var scope = app.Services.CreateAsyncScope())
{
    await scope.ServiceProvider.GetRequiredService<DbContext>().Database.EnsureCreatedAsync();
    var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
    if (await applications.FindByClientIdAsync(clientId) is null)
    {
        await applications.CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = clientSecret,
            ClientType = ClientTypes.Confidential,
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
        });
    }
}

app.UseAuthentication();

// Reached only once OpenIddict has authenticated the client and checked its permissions.
app.MapPost("/connect/token", (HttpContext context) =>
{
    var request = context.GetOpenIddictServerRequest();
    if (request is null || !request.IsClientCredentialsGrantType() || request.ClientId is null)
    {
        return Results.BadRequest();
    }

    var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
    identity.AddClaim(Claims.Subject, request.ClientId);
    identity.SetAudiences("reference");
    identity.SetDestinations(static _ => [Destinations.AccessToken]);
    return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
});

await app.RunAsync();

static string Required(string name) =>
    Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException($"{name} is not set.");

/// <summary>
/// The yardstick of bench/load.sh, not part of the service: a stock OAuth 2.0 server (OpenIddict with
/// Entity Framework Core on SQLite, default token storage) issuing signed JWT access tokens for the
/// client credentials grant, so that our own client-credentials throughput can be set beside a
/// standard one, measured on the same machine in the same run.
/// </summary>
/// <remarks>
/// Configured only by environment variables: REFERENCE_URL (the one address to listen on, e.g.
/// http://127.0.0.1:5123), REFERENCE_DB (the SQLite file), REFERENCE_CLIENT_ID and REFERENCE_CLIENT_SECRET
/// (the one confidential client, registered at start if missing).
/// </remarks>
internal partial class Program;
