using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace AuthFunctions.Client;

/// <summary>
/// Puts the client's AuthFunctions token on every request, and sends a request once more with a
/// fresh token when the API refuses the token (401 with <c>error="invalid_token"</c>).
/// </summary>
internal sealed class BearerTokenHandler(TokenCache tokens, string clientName, ILogger<BearerTokenHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // The retry sends the body again: a streamed body is read into memory first, since it can be read only once.
        if (request.Content is { } content and not (ByteArrayContent or ReadOnlyMemoryContent))
        {
            await content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        var token = await tokens.GetAsync(clientName, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!IsInvalidToken(response))
        {
            return response;
        }

        // Revoked, or the key's cut-off moved: one more try with a token fetched anew, never a loop.
        Log.RetryingWithFreshToken(logger, clientName);
        response.Dispose();
        tokens.Invalidate(clientName, token);
        token = await tokens.GetAsync(clientName, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>RFC 6750 §3.1: the bearer challenge's <c>error="invalid_token"</c>; other 401s are not about the token's age.</summary>
    private static bool IsInvalidToken(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Unauthorized
        && response.Headers.WwwAuthenticate.Any(challenge =>
            challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)
            && challenge.Parameter is { } parameters
            && (parameters.Contains("error=\"invalid_token\"", StringComparison.OrdinalIgnoreCase)
                || parameters.Contains("error=invalid_token", StringComparison.OrdinalIgnoreCase)));
}
