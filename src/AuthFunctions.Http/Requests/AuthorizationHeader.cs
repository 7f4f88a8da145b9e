using System.Buffers.Text;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace AuthFunctions.Http.Requests;

/// <summary>Parses the schemes of the <c>Authorization</c> header that we accept.</summary>
public static class AuthorizationHeader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Splits <c>Authorization: &lt;scheme&gt; &lt;credentials&gt;</c> (RFC 9110 §11.6.2); false when the header is
    /// missing, repeated, or has no credentials. Schemes compare case-insensitively (RFC 9110 §11.1).
    /// </summary>
    public static bool TryParse(HttpRequest request, out string scheme, out string credentials)
    {
        ArgumentNullException.ThrowIfNull(request);
        scheme = credentials = string.Empty;
        var values = request.Headers[HeaderNames.Authorization];
        if (values.Count != 1 || values[0] is not { } header)
        {
            return false;
        }

        var span = header.AsSpan().Trim();
        var space = span.IndexOf(' ');
        if (space <= 0)
        {
            return false;
        }

        var rest = span[(space + 1)..].Trim();
        if (rest.IsEmpty)
        {
            return false;
        }

        scheme = span[..space].ToString();
        credentials = rest.ToString();
        return true;
    }

    /// <summary>The credentials of <c>Authorization: &lt;scheme&gt; &lt;credentials&gt;</c> when the header uses <paramref name="scheme"/>.</summary>
    public static bool TryGetCredentials(HttpRequest request, string scheme, out string credentials)
    {
        if (TryParse(request, out var sent, out credentials) && sent.Equals(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        credentials = string.Empty;
        return false;
    }

    /// <summary>True when an Authorization header is present at all.</summary>
    public static bool IsPresent(HttpRequest request) => request?.Headers.ContainsKey(HeaderNames.Authorization) == true;

    /// <summary>
    /// Decodes <c>base64(id:secret)</c>, as Basic (RFC 7617) and our <c>Plugin</c> schemes use it.
    /// RFC 7617 §2: the user-id cannot contain ':', the password may.
    /// </summary>
    public static bool TryDecodePair(string credentials, out string id, out string secret)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        id = secret = string.Empty;
        if (credentials.Length > 4096)
        {
            return false;
        }

        var bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(credentials.Length)];
        if (!Convert.TryFromBase64String(credentials, bytes, out var written))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = StrictUtf8.GetString(bytes, 0, written);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        id = decoded[..colon];
        secret = decoded[(colon + 1)..];
        return true;
    }
}
