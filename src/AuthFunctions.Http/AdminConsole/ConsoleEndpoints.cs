using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Problems;
using AuthFunctions.Http.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace AuthFunctions.Http.AdminConsole;

/// <summary>
/// <c>GET /console/{*path}</c>: the admin console's static files, embedded in this assembly (no file
/// system, so no path can reach anything else), served by the same route table in both hosts. The
/// console signs in through <c>/rs/authorise</c> and keeps the token in memory only.
/// </summary>
public static class ConsoleEndpoints
{
    public const string Name = "Console";

    public const string Pattern = "console/{*path}";

    /// <summary>
    /// Scripts and styles from our own origin only, nothing inline, no framing, no form posted anywhere
    /// (the forms are handled by script), and the API reached on the same origin.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

    private const string ResourcePrefix = "console/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly Lazy<FrozenDictionary<string, ConsoleFile>> Files = new(Load);

    /// <summary>The Function app's functions of these routes: one per template.</summary>
    public static IReadOnlyList<FunctionRoute> Functions { get; } = [new(Name, Pattern)];

    public static IReadOnlyList<AuthRoute> Routes { get; } = [new(Name, HttpMethods.Get, Pattern, RouteAccess.Anonymous, ServeAsync)];

    /// <summary>The embedded file names (e.g. <c>index.html</c>), for tests.</summary>
    public static IEnumerable<string> FileNames => Files.Value.Keys;

    private static Task<IResult> ServeAsync(RouteCall call)
    {
        var path = call.Value("path");
        if (path.Length == 0 && !call.Request.Path.Value!.EndsWith('/'))
        {
            // Relative asset URLs in index.html resolve against /console/, not /.
            return Task.FromResult<IResult>(TypedResults.Redirect("/console/", permanent: true));
        }

        if (!Files.Value.TryGetValue(path.Length == 0 ? "index.html" : path, out var file))
        {
            return Task.FromResult<IResult>(Problem.NotFound());
        }

        var headers = call.Response.GetTypedHeaders();
        call.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        call.Response.Headers.XFrameOptions = "DENY";
        call.Response.Headers["Referrer-Policy"] = "no-referrer";
        call.Response.Headers["Cross-Origin-Opener-Policy"] = "same-origin";

        // No file names carry a version (no build step), so every use revalidates: a 304 costs one round trip.
        call.Response.Headers.CacheControl = "no-cache";
        headers.ETag = file.ETag;
        var ifNoneMatch = call.Request.GetTypedHeaders().IfNoneMatch;
        if (ifNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(file.ETag, useStrongComparison: false)))
        {
            return Task.FromResult<IResult>(TypedResults.StatusCode(StatusCodes.Status304NotModified));
        }

        return Task.FromResult<IResult>(TypedResults.Bytes(file.Content, file.ContentType));
    }

    private static FrozenDictionary<string, ConsoleFile> Load()
    {
        var assembly = typeof(ConsoleEndpoints).Assembly;
        var files = new Dictionary<string, ConsoleFile>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var name = resource[ResourcePrefix.Length..];
            if (!ContentTypes.TryGetValue(Path.GetExtension(name), out var contentType))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var tag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 16))}\"");
            files[name] = new ConsoleFile(content, contentType, tag);
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private sealed record ConsoleFile(byte[] Content, string ContentType, EntityTagHeaderValue ETag);
}
