using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization.Metadata;
using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace AuthFunctions.Http.Requests;

/// <summary>
/// Paged listings: <c>?limit=</c> (default 100, 1–1000) and an opaque <c>continuationToken</c>. The
/// body stays the plain JSON array of the contract; the next page is announced in <c>Link: &lt;…&gt;;
/// rel="next"</c> (RFC 8288) and, for clients that would rather not parse links, <c>Continuation-Token</c>.
/// A token is bound to its listing (the caller's own partition): one from another listing, or one
/// that does not decode, is a 400. The token is not encrypted: each query is confined to the caller's
/// partition whatever the token says, so a crafted token can only skip rows of the caller's own listing.
/// </summary>
public static class Listing
{
    public const string LimitParameter = "limit";
    public const string ContinuationParameter = "continuationToken";
    public const string ContinuationHeader = "Continuation-Token";

    private const byte Version = 1;
    private const int TagBytes = 8;
    private const int MaxPositionBytes = 1024;

    private static readonly AuthError BadToken = AuthError.InvalidRequest(
        $"'{ContinuationParameter}' is not one this listing handed out; start again without it.");

    /// <summary>The page the query asks for, within the listing named by <paramref name="scope"/>.</summary>
    public static Outcome<PageRequest> ReadPage(HttpRequest request, string scope)
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

        return TryDecode(tokens[0], scope, out var position) ? new PageRequest(limit, position) : BadToken;
    }

    /// <summary>Writes the page as a JSON array, announcing the next page when there is one.</summary>
    public static IResult Write<T>(HttpContext context, string scope, PageOf<T> page, JsonTypeInfo<IReadOnlyList<T>> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(page);
        context.Response.Headers.CacheControl = "no-store";
        if (page.Next is { } next)
        {
            var token = Encode(scope, next);
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
        var page = ReadPage(context.Request, scope);
        if (!page.Succeeded)
        {
            return Problems.Problem.From(page.Error);
        }

        var listed = await list(page.Value);
        return listed.Succeeded ? Write(context, scope, listed.Value.Select(map), typeInfo) : Problems.Problem.From(listed.Error);
    }

    internal static string Encode(string scope, string position)
    {
        var positionBytes = Encoding.UTF8.GetBytes(position);
        var buffer = new byte[1 + TagBytes + positionBytes.Length];
        buffer[0] = Version;
        Tag(scope, buffer.AsSpan(1, TagBytes));
        positionBytes.CopyTo(buffer.AsSpan(1 + TagBytes));
        return Base64Url.EncodeToString(buffer);
    }

    private static bool TryDecode(string? token, string scope, out string position)
    {
        position = string.Empty;
        if (string.IsNullOrEmpty(token) || token.Length > 2 * MaxPositionBytes || !Base64Url.IsValid(token, out var length)
            || length <= 1 + TagBytes)
        {
            return false;
        }

        var bytes = Base64Url.DecodeFromChars(token);
        Span<byte> expected = stackalloc byte[TagBytes];
        Tag(scope, expected);
        if (bytes[0] != Version || !bytes.AsSpan(1, TagBytes).SequenceEqual(expected) || !Base64Url.EncodeToString(bytes).Equals(token, StringComparison.Ordinal))
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

    private static void Tag(string scope, Span<byte> tag)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes("AuthFunctions listing v1\n" + scope), hash);
        hash[..TagBytes].CopyTo(tag);
    }
}
