using System.Buffers;
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

        var buffer = ArrayPool<byte>.Shared.Rent(MaxBodyBytes + 1);
        try
        {
            var length = 0;
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(length, MaxBodyBytes + 1 - length), request.HttpContext.RequestAborted)) > 0)
            {
                length += read;
                if (length > MaxBodyBytes)
                {
                    return PayloadTooLarge;
                }
            }

            if (length == 0)
            {
                return AuthError.InvalidRequest("The request body is empty; a JSON object is required.");
            }

            T? value;
            try
            {
                value = JsonSerializer.Deserialize(buffer.AsSpan(0, length), typeInfo);
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
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
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
