using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AuthFunctions.Core.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace AuthFunctions.Http.Requests;

/// <summary>
/// Reads a JSON body once, bounded, itself: the 64 KiB limit, the content-type check and the JSON
/// parsing live here rather than in host middleware, because the Functions worker runs none.
/// (Never <c>[FromBody]</c>: an empty body hangs the worker, issue #2516.)
/// </summary>
public static class RequestReader
{
    public const int MaxBodyBytes = 64 * 1024;

    public static readonly AuthError PayloadTooLarge = new(ErrorCodes.PayloadTooLarge, $"The request body is larger than {MaxBodyBytes / 1024} KiB.");

    public static readonly AuthError UnsupportedMediaType = new(ErrorCodes.UnsupportedMediaType, "The request body must be JSON: Content-Type: application/json.");

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// A body read into a buffer from the shared pool, up to <see cref="MaxBodyBytes"/> + 1 bytes (more than
    /// the limit means too large). Disposing clears what was read, which may hold a secret, before the
    /// buffer goes back to the pool.
    /// </summary>
    private sealed class PooledBody : IDisposable
    {
        private readonly byte[] buffer = ArrayPool<byte>.Shared.Rent(MaxBodyBytes + 1);

        public int Length { get; private set; }

        public bool TooLarge => Length > MaxBodyBytes;

        public ReadOnlySpan<byte> Bytes => buffer.AsSpan(0, Length);

        public async Task ReadAsync(HttpRequest request)
        {
            int read;
            while (Length <= MaxBodyBytes
                && (read = await request.Body.ReadAsync(buffer.AsMemory(Length, MaxBodyBytes + 1 - Length), request.HttpContext.RequestAborted)) > 0)
            {
                Length += read;
            }
        }

        public void Dispose()
        {
            buffer.AsSpan(0, Length).Clear();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The body as <typeparamref name="T"/>, or the error to answer with.</summary>
    public static async Task<Outcome<T>> ReadJsonAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsJson(request.ContentType))
        {
            return UnsupportedMediaType;
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return PayloadTooLarge;
        }

        using var body = new PooledBody();
        await body.ReadAsync(request);
        if (body.TooLarge)
        {
            return PayloadTooLarge;
        }

        if (body.Length == 0)
        {
            return AuthError.InvalidRequest("The request body is empty; a JSON object is required.");
        }

        T? value;
        try
        {
            value = JsonSerializer.Deserialize(body.Bytes, typeInfo);
        }
        catch (JsonException exception)
        {
            // The path says where, never what: the body may hold a secret.
            var where = string.IsNullOrEmpty(exception.Path) || exception.Path == "$" ? string.Empty : $" at '{exception.Path}'";
            return AuthError.InvalidRequest($"The request body is not valid JSON of the expected shape{where}.");
        }

        return value is null
            ? AuthError.InvalidRequest("The request body must be a JSON object.")
            : value;
    }

    /// <summary>
    /// An <c>application/x-www-form-urlencoded</c> body (RFC 6749 §3.2), bounded like JSON bodies. A
    /// parameter given twice is refused (RFC 6749 §3.1); one without a value counts as absent.
    /// </summary>
    public static async Task<Outcome<IReadOnlyDictionary<string, string>>> ReadFormAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return AuthError.InvalidRequest("The request body must be form-encoded: Content-Type: application/x-www-form-urlencoded.");
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return PayloadTooLarge;
        }

        // The body's bytes in a pooled buffer, like JSON bodies: a buffer of its own per request would be
        // 64 KiB or more, on the large-object heap, for every token request.
        string text;
        using (var body = new PooledBody())
        {
            await body.ReadAsync(request);
            if (body.TooLarge)
            {
                return PayloadTooLarge;
            }

            try
            {
                text = StrictUtf8.GetString(body.Bytes);
            }
            catch (DecoderFallbackException)
            {
                return AuthError.InvalidRequest("The request body is not UTF-8.");
            }
        }

        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : Decode(pair[(equals + 1)..]);
            if (name is null || value is null)
            {
                return AuthError.InvalidRequest("The form body is not valid percent-encoding.");
            }

            if (value.Length == 0)
            {
                continue;
            }

            if (!form.TryAdd(name, value))
            {
                return AuthError.InvalidRequest($"The parameter '{(name.Length <= 40 ? name : name[..40])}' is given more than once.");
            }
        }

        return form;
    }

    /// <summary>Form-urlencoding decoded ('+' is a space); null when it is not valid UTF-8 percent-encoding.</summary>
    public static string? Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var plus = text.Replace('+', ' ');
        if (!plus.Contains('%', StringComparison.Ordinal))
        {
            return plus;
        }

        var bytes = new List<byte>(plus.Length);
        for (var i = 0; i < plus.Length; i++)
        {
            var c = plus[i];
            if (c == '%')
            {
                if (i + 2 >= plus.Length || !byte.TryParse(plus.AsSpan(i + 1, 2), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var b))
                {
                    return null;
                }

                bytes.Add(b);
                i += 2;
            }
            else if (c < 0x80)
            {
                bytes.Add((byte)c);
            }
            else
            {
                // Raw non-ASCII (not how clients encode forms, but valid UTF-8 here): a surrogate pair is one character.
                var width = char.IsHighSurrogate(c) && i + 1 < plus.Length ? 2 : 1;
                bytes.AddRange(Encoding.UTF8.GetBytes(plus.Substring(i, width)));
                i += width - 1;
            }
        }

        try
        {
            return StrictUtf8.GetString([.. bytes]);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary><c>application/json</c> or any <c>+json</c> type; a charset, if given, must be UTF-8.</summary>
    public static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
        {
            return false;
        }

        var type = mediaType.MediaType;
        var json = type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        var charset = mediaType.Charset;
        return json && (!charset.HasValue || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A required string property: present and not blank. Null when it is, with its text in <paramref name="text"/>.</summary>
    public static AuthError? Require(string? value, string name, out string text)
    {
        text = value ?? string.Empty;
        return string.IsNullOrWhiteSpace(value) ? AuthError.InvalidRequest($"'{name}' is required.") : null;
    }
}
