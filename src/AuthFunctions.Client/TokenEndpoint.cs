using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace AuthFunctions.Client;

/// <summary>A token with the moment to renew it; its <see cref="object.ToString"/> never shows the token.</summary>
internal sealed class CachedToken(string accessToken, DateTimeOffset expiresAt, DateTimeOffset renewAt)
{
    public string AccessToken { get; } = accessToken;

    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    public DateTimeOffset RenewAt { get; } = renewAt;
}

/// <summary>Logs in at AuthFunctions with one client's credentials: one HTTP request per call, no retry.</summary>
internal sealed class TokenEndpoint(IHttpClientFactory httpClients, TimeProvider timeProvider, ILogger<TokenEndpoint> logger)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public async Task<CachedToken> LoginAsync(string clientName, AuthFunctionsClientOptions options, CancellationToken cancellationToken)
    {
        using var request = CreateRequest(options);
        var client = httpClients.CreateClient(AuthFunctionsClientServiceCollectionExtensions.BackchannelName(clientName));

        // The lifetime counts from before the request left, so network latency only makes renewal earlier.
        var sentAt = timeProvider.GetUtcNow();
        using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var answer = Parse(body);

        if (!response.IsSuccessStatusCode || answer.AccessToken is null || answer.ExpiresIn is not > 0)
        {
            var status = (int)response.StatusCode;
            var error = answer.Error ?? (response.IsSuccessStatusCode ? "invalid_response" : "server_error");
            var detail = answer.Detail ?? (response.IsSuccessStatusCode ? "The answer held no access token and expiry." : response.ReasonPhrase);
            Log.LoginRefused(logger, options.Grant, clientName, status, error, detail);
            throw new AuthFunctionsTokenException(clientName, options.Grant, status, error, detail);
        }

        var lifetime = TimeSpan.FromSeconds(answer.ExpiresIn.Value);

        // A margin longer than half the lifetime would renew a short-lived token on nearly every call.
        var margin = options.RenewalMargin < lifetime / 2 ? options.RenewalMargin : lifetime / 2;
        var token = new CachedToken(answer.AccessToken, sentAt + lifetime, sentAt + lifetime - margin);
        Log.TokenObtained(logger, clientName, options.Grant, answer.ExpiresIn.Value, token.RenewAt);
        return token;
    }

    private static HttpRequestMessage CreateRequest(AuthFunctionsClientOptions options)
    {
        // A base without a trailing slash would lose its last segment when the relative path is resolved.
        var baseText = options.BaseAddress!.AbsoluteUri;
        var baseAddress = baseText.EndsWith('/') ? options.BaseAddress : new Uri(baseText + "/");

        switch (options.Grant)
        {
            case AuthFunctionsGrant.ClientCredentials:
                var form = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, "oauth2/token"))
                {
                    Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]),
                };

                // RFC 6749 §2.3.1: client id and secret are form-urlencoded before they go into Basic.
                form.Headers.Authorization = Basic($"{Uri.EscapeDataString(options.MagmaName!)}:{Uri.EscapeDataString(options.Secret!)}");
                return form;

            case AuthFunctionsGrant.Password:
                var password = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, "rs/authorise"));

                // RFC 7617 §2.1: UTF-8, the user-id must not contain ':' (the password may).
                password.Headers.Authorization = Basic($"{options.Username}:{options.Password}");
                return password;

            default:
                var login = new JsonObject
                {
                    ["magmaName"] = options.MagmaName,
                    ["secret"] = options.Secret,
                };
                if (options.Grant == AuthFunctionsGrant.Delegated)
                {
                    login["user"] = DelegatedUser(options.User!);
                }

                var content = new ByteArrayContent(Encoding.UTF8.GetBytes(login.ToJsonString()));
                content.Headers.ContentType = Json;
                return new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, "api/authentication/magma")) { Content = content };
        }
    }

    private static JsonObject DelegatedUser(AuthFunctionsUser user)
    {
        var json = new JsonObject { ["id"] = user.Id, ["name"] = user.Name };
        if (user.Email is not null)
        {
            json["email"] = user.Email;
        }

        if (user.OrganisationName is not null)
        {
            json["organisationName"] = user.OrganisationName;
        }

        foreach (var right in user.Rights)
        {
            json[AuthFunctionsClientOptionsValidator.DelegableRights[right]] = true;
        }

        return json;
    }

    private static AuthenticationHeaderValue Basic(string credentials) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));

    /// <summary>Our logins answer <c>accessToken</c>/<c>expiresIn</c> and problem details; <c>/oauth2/token</c> RFC 6749's snake case.</summary>
    private static (string? AccessToken, int? ExpiresIn, string? Error, string? Detail) Parse(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return default;
            }

            return (
                Text(root, "accessToken") ?? Text(root, "access_token"),
                Number(root, "expiresIn") ?? Number(root, "expires_in"),
                Text(root, "error"),
                Text(root, "detail") ?? Text(root, "error_description"));
        }
        catch (JsonException)
        {
            return default;
        }

        static string? Text(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        static int? Number(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;
    }
}
