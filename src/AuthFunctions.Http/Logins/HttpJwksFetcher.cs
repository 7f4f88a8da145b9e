using AuthFunctions.Core.Licenses;

namespace AuthFunctions.Http.Logins;

/// <summary>Fetches the license system's JWKS over HTTP: bounded in time and size.</summary>
public sealed class HttpJwksFetcher(HttpClient client) : IJwksFetcher
{
    public const int MaxDocumentBytes = 64 * 1024;

    public async Task<string> FetchAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        if (response.Content.Headers.ContentLength > MaxDocumentBytes)
        {
            throw new HttpRequestException($"The JWKS at {uri} is larger than {MaxDocumentBytes} bytes.");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxDocumentBytes + 1];
        var length = 0;
        int read;
        while ((read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
            if (length > MaxDocumentBytes)
            {
                throw new HttpRequestException($"The JWKS at {uri} is larger than {MaxDocumentBytes} bytes.");
            }
        }

        return System.Text.Encoding.UTF8.GetString(buffer, 0, length);
    }
}
