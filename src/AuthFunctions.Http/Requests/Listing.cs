using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization.Metadata;
using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace AuthFunctions.Http.Requests;

/// <summary>
/// Paged listings: <c>?limit=</c> (default 100, 1–1000) and an opaque <c>continuationToken</c>. The
/// body stays the plain JSON array of the contract; the next page is announced in <c>Link: &lt;…&gt;;
/// rel="next"</c> (RFC 8288) and, for clients that would rather not parse links, <c>Continuation-Token</c>.
/// A token is the next row key with an HMAC over it and its listing (the caller's own partition),
/// under a server key kept in storage (<see cref="IServerKeyStore"/>): one from another listing, a forged
/// one, or one that does not decode is a 400. It is signed, not encrypted; each query stays confined to
/// the caller's partition whatever the token says.
/// </summary>
public static class Listing
{
    private const string KeyPurpose = "continuation-tokens";

    public const string LimitParameter = "limit";
    public const string ContinuationParameter = "continuationToken";
    public const string ContinuationHeader = "Continuation-Token";

    private const byte Version = 1;
    private const int TagBytes = 16;
    private const int MaxPositionBytes = 1024;

    private static readonly AuthError BadToken = AuthError.InvalidRequest(
        $"'{ContinuationParameter}' is not one this listing handed out; start again without it.");

    /// <summary>The page the query asks for, within the listing named by <paramref name="scope"/>.</summary>
    private static Outcome<PageRequest> ReadPage(HttpRequest request, string scope, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limits = request.Query[LimitParameter];
        var tokens = request.Query[ContinuationParameter];
        var limit = PageRequest.DefaultLimit;
        if (limits.Count > 1 || tokens.Count > 1)
        {
            return AuthError.InvalidRequest($"'{LimitParameter}' and '{ContinuationParameter}' may each be given once.");
        }

        if (limits.Count == 1
            && (!int.TryParse(limits[0], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > PageRequest.MaxLimit))
        {
            return AuthError.InvalidRequest($"'{LimitParameter}' must be a whole number from 1 to {PageRequest.MaxLimit}.");
        }

        if (tokens.Count == 0)
        {
            return new PageRequest(limit);
        }

        return TryDecode(tokens[0], scope, key, out var position) ? new PageRequest(limit, position) : BadToken;
    }

    /// <summary>Writes the page as a JSON array, announcing the next page when there is one.</summary>
    private static Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<IReadOnlyList<T>> Write<T>(HttpContext context, string scope, byte[] key, PageOf<T> page, JsonTypeInfo<IReadOnlyList<T>> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(page);
        context.Response.Headers.CacheControl = "no-store";
        if (page.Next is { } next)
        {
            var token = Encode(scope, key, next);
            var query = new Dictionary<string, string?>(StringComparer.Ordinal) { [ContinuationParameter] = token };
            if (context.Request.Query.TryGetValue(LimitParameter, out var limit))
            {
                query[LimitParameter] = limit.ToString();
            }

            context.Response.Headers[ContinuationHeader] = token;
            context.Response.Headers.Link = $"<{QueryHelpers.AddQueryString(context.Request.PathBase + context.Request.Path, query)}>; rel=\"next\"";
        }

        return TypedResults.Json(page.Items, typeInfo);
    }

    /// <summary>
    /// Reads the page of the query, lists it with <paramref name="list"/>, and writes it (see
    /// <see cref="Write{T}"/>); a bad page request or a refused listing is its problem answer.
    /// </summary>
    public static async Task<IResult> RespondAsync<TItem, TResponse>(
        HttpContext context,
        string scope,
        Func<PageRequest, Task<Outcome<PageOf<TItem>>>> list,
        Func<TItem, TResponse> map,
        JsonTypeInfo<IReadOnlyList<TResponse>> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(list);
        var key = await context.RequestServices.GetRequiredService<IServerKeyStore>().GetOrCreateAsync(KeyPurpose, context.RequestAborted);
        var page = ReadPage(context.Request, scope, key);
        if (!page.Succeeded)
        {
            return Problems.Problem.From(page.Error);
        }

        var listed = await list(page.Value);
        return listed.Succeeded ? Write(context, scope, key, listed.Value.Select(map), typeInfo) : Problems.Problem.From(listed.Error);
    }

    private static string Encode(string scope, byte[] key, string position)
    {
        var positionBytes = Encoding.UTF8.GetBytes(position);
        var buffer = new byte[1 + TagBytes + positionBytes.Length];
        buffer[0] = Version;
        Tag(scope, key, positionBytes, buffer.AsSpan(1, TagBytes));
        positionBytes.CopyTo(buffer.AsSpan(1 + TagBytes));
        return Base64Url.EncodeToString(buffer);
    }

    private static bool TryDecode(string? token, string scope, byte[] key, out string position)
    {
        position = string.Empty;
        if (string.IsNullOrEmpty(token) || token.Length > 2 * MaxPositionBytes || !Base64Url.IsValid(token, out var length)
            || length <= 1 + TagBytes)
        {
            return false;
        }

        var bytes = Base64Url.DecodeFromChars(token);
        Span<byte> expected = stackalloc byte[TagBytes];
        Tag(scope, key, bytes.AsSpan(1 + TagBytes), expected);
        if (bytes[0] != Version || !CryptographicOperations.FixedTimeEquals(bytes.AsSpan(1, TagBytes), expected)
            || !Base64Url.EncodeToString(bytes).Equals(token, StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            position = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 1 + TagBytes, bytes.Length - 1 - TagBytes);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        // A Table key cannot hold these; no position we hand out does.
        return position.AsSpan().IndexOfAny("/\\#?") < 0 && !position.Any(char.IsControl);
    }

    /// <summary>HMAC-SHA256 over the listing and the position, truncated to 128 bits.</summary>
    private static void Tag(string scope, byte[] key, ReadOnlySpan<byte> position, Span<byte> tag)
    {
        var scopeBytes = Encoding.UTF8.GetBytes(scope);
        var message = new byte[4 + scopeBytes.Length + position.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(message, scopeBytes.Length);
        scopeBytes.CopyTo(message, 4);
        position.CopyTo(message.AsSpan(4 + scopeBytes.Length));
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, message, mac);
        mac[..TagBytes].CopyTo(tag);
    }
}
