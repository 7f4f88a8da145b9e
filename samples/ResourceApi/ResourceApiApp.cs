using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace AuthFunctions.Samples.ResourceApi;

/// <summary>
/// A minimal resource API that trusts AuthFunctions: <c>AddJwtBearer</c> with the Authority alone (keys
/// and issuer from its discovery document), RFC 9068 <c>at+jwt</c> tokens only, the <c>rights</c> claim
/// mapped to policies and the <c>tid</c> claim to a tenant filter.
/// </summary>
public static class ResourceApiApp
{
    /// <summary>Where <c>./run.sh</c> serves AuthFunctions.</summary>
    public const string DefaultAuthority = "http://127.0.0.1:7071";

    /// <summary>The audience of AuthFunctions' tokens (its <c>Auth:Audience</c>).</summary>
    public const string DefaultAudience = "authfunctions";

    /// <summary>Sample data: documents of two tenants, and one of no tenant.</summary>
    public static IReadOnlyList<Document> Documents { get; } =
    [
        new("d1", "acme", "Acme's price list"),
        new("d2", "acme", "Acme's roadmap"),
        new("d3", "globex", "Globex's handbook"),
        new("d4", null, "The public catalogue"),
    ];

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);

        // AuthFunctions:Authority is the issuer's URL: ./run.sh's unless set (AuthFunctions__Authority).
        var authority = builder.Configuration["AuthFunctions:Authority"] ?? DefaultAuthority;
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.Authority = authority;
            options.Audience = builder.Configuration["AuthFunctions:Audience"] ?? DefaultAudience;

            // Locally the issuer is plain http on loopback; anywhere else the metadata must come over https.
            options.RequireHttpsMetadata = !new Uri(authority).IsLoopback;

            // Claim names as they are in the token (sub, tid, rights), not mapped to WS-* URIs.
            options.MapInboundClaims = false;

            // RFC 9068 §4: only access tokens, never another JWT of the same issuer.
            options.TokenValidationParameters.ValidTypes = ["at+jwt"];
            options.TokenValidationParameters.NameClaimType = "sub";
        });

        // One policy per right: each of our rights is a value of the token's "rights" array.
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy("data", policy => policy.RequireClaim("rights", "data"))
            .AddPolicy("index", policy => policy.RequireClaim("rights", "index"));

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapGet("/whoami", (ClaimsPrincipal user) => new WhoAmI(
            user.FindFirstValue("sub")!,
            user.FindFirstValue("tid"),
            [.. user.FindAll("rights").Select(c => c.Value)])).RequireAuthorization();

        // The tenant filter: a token with tid sees that tenant's documents; one without, those of no tenant.
        app.MapGet("/documents", (ClaimsPrincipal user) =>
        {
            var tenant = user.FindFirstValue("tid");
            return Documents.Where(d => d.TenantId == tenant).ToList();
        }).RequireAuthorization("data");

        app.MapPost("/index/rebuild", () => TypedResults.Accepted((string?)null)).RequireAuthorization("index");
        return app;
    }
}

/// <summary>A document of one tenant (or of none).</summary>
public sealed record Document(string Id, string? TenantId, string Title);

/// <summary>Who the token says the caller is.</summary>
public sealed record WhoAmI(string Subject, string? TenantId, IReadOnlyList<string> Rights);
