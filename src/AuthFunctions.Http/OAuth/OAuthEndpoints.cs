using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Licenses;
using AuthFunctions.Core.MagmaKeys;
using AuthFunctions.Core.Tokens;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Json;
using AuthFunctions.Http.Requests;
using AuthFunctions.Http.Routing;
using AuthFunctions.Http.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace AuthFunctions.Http.OAuth;

/// <summary>
/// The OAuth 2.0 surface: <c>POST /oauth2/token</c> (RFC 6749 client credentials, RFC 8693 token
/// exchange of a license token, RFC 7523 JWT bearer with an SSO assertion), <c>POST /oauth2/introspect</c>
/// (RFC 7662) and <c>POST /oauth2/revoke</c> (RFC 7009). Form-encoded requests; RFC 6749 §5 answers.
/// Clients are magma keys, authenticated with HTTP Basic or <c>client_id</c>/<c>client_secret</c> in the
/// body, never in the query string.
/// </summary>
public static class OAuthEndpoints
{
    public const string ClientCredentialsGrant = "client_credentials";
    public const string TokenExchangeGrant = "urn:ietf:params:oauth:grant-type:token-exchange";
    public const string JwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    public const string JwtTokenType = "urn:ietf:params:oauth:token-type:jwt";
    public const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";

    /// <summary>What discovery announces: exactly what the token endpoint accepts.</summary>
    public static IReadOnlyList<string> GrantTypes { get; } = [ClientCredentialsGrant, TokenExchangeGrant, JwtBearerGrant];

    public static IReadOnlyList<string> ClientAuthMethods { get; } = ["client_secret_basic", "client_secret_post"];

    public const string TokenName = "OAuthToken";

    public const string TokenPattern = "oauth2/token";

    public const string IntrospectName = "OAuthIntrospect";

    public const string IntrospectPattern = "oauth2/introspect";

    public const string RevokeName = "OAuthRevoke";

    public const string RevokePattern = "oauth2/revoke";

    // Each endpoint checks its client itself: its errors must be RFC 6749's, not problem details.
    /// <summary>The Function app's functions of these routes: one per template.</summary>
    public static IReadOnlyList<FunctionRoute> Functions { get; } = [new(TokenName, TokenPattern), new(IntrospectName, IntrospectPattern), new(RevokeName, RevokePattern)];

    public static IReadOnlyList<AuthRoute> Routes { get; } =
    [
        new(TokenName, HttpMethods.Post, TokenPattern, RouteAccess.Anonymous, call => WithFormAsync(call, TokenAsync)),
        new(IntrospectName, HttpMethods.Post, IntrospectPattern, RouteAccess.Anonymous, call => WithFormAsync(call, IntrospectAsync)),
        new(RevokeName, HttpMethods.Post, RevokePattern, RouteAccess.Anonymous, call => WithFormAsync(call, RevokeAsync)),
    ];

    private static readonly string[] SecretParameters = ["client_secret", "assertion", "subject_token", "token", "password"];

    private static async Task<IResult> WithFormAsync(RouteCall call, Func<RouteCall, IReadOnlyDictionary<string, string>, Task<IResult>> handler)
    {
        // RFC 6749 §2.3.1: credentials never travel in the query string (it ends up in logs).
        if (SecretParameters.Any(call.Request.Query.ContainsKey))
        {
            return OAuthResults.Error(AuthError.InvalidRequest("Credentials and tokens never go in the query string; send them form-encoded in the body."), call.Context);
        }

        var form = await RequestReader.ReadFormAsync(call.Request);
        return form.Succeeded ? await handler(call, form.Value) : OAuthResults.Error(form.Error, call.Context);
    }

    private static async Task<IResult> TokenAsync(RouteCall call, IReadOnlyDictionary<string, string> form)
    {
        if (!form.TryGetValue("grant_type", out var grant))
        {
            return OAuthResults.Error(AuthError.InvalidRequest("'grant_type' is required."), call.Context);
        }

        if (!GrantTypes.Contains(grant))
        {
            return OAuthResults.Error("unsupported_grant_type", $"The supported grant types are: {string.Join(", ", GrantTypes)}.", call.Context);
        }

        var credentials = OAuthClient.Read(call.Request, form);
        if (!credentials.Succeeded)
        {
            return OAuthResults.Error(credentials.Error, call.Context);
        }

        if (grant == ClientCredentialsGrant)
        {
            if (credentials.Value.Id is null)
            {
                return OAuthResults.Error(OAuthClient.Required, call.Context);
            }

            var issued = await call.Service<MagmaLogin>().LoginAsync(credentials.Value.Id, credentials.Value.Secret!, TokenGrants.ClientCredentials, call.Aborted);
            return issued.Succeeded ? OAuthResults.Token(issued.Value, call.Context) : OAuthResults.Error(issued.Error, call.Context);
        }

        // Token exchange and JWT bearer: the grant itself is the credential; a client that authenticates anyway must be right.
        if (credentials.Value.Id is not null
            && await call.Service<MagmaLogin>().AuthenticateAsync(credentials.Value.Id, credentials.Value.Secret!, call.Aborted) is null)
        {
            return OAuthResults.Error(MagmaLogin.InvalidKey, call.Context);
        }

        return grant == TokenExchangeGrant ? await ExchangeAsync(call, form) : await JwtBearerAsync(call, form, credentials.Value.Id);
    }

    /// <summary>RFC 8693 §2.1: a license token as the subject token, our access token in return.</summary>
    private static async Task<IResult> ExchangeAsync(RouteCall call, IReadOnlyDictionary<string, string> form)
    {
        if (!form.TryGetValue("subject_token", out var subject) || !form.TryGetValue("subject_token_type", out var subjectType))
        {
            return OAuthResults.Error(AuthError.InvalidRequest("'subject_token' and 'subject_token_type' are required."), call.Context);
        }

        if (subjectType != JwtTokenType)
        {
            return OAuthResults.Error(AuthError.InvalidRequest($"'subject_token_type' must be '{JwtTokenType}' (a license token)."), call.Context);
        }

        if (form.TryGetValue("requested_token_type", out var requested) && requested != AccessTokenType)
        {
            return OAuthResults.Error(AuthError.InvalidRequest($"Only '{AccessTokenType}' can be issued."), call.Context);
        }

        if (form.ContainsKey("actor_token"))
        {
            return OAuthResults.Error(AuthError.InvalidRequest("Delegation with an 'actor_token' is not supported."), call.Context);
        }

        var issued = await call.Service<LicenseLogin>().LoginAsync(subject, TokenGrants.TokenExchange, call.Aborted);
        return issued.Succeeded ? OAuthResults.Token(issued.Value, call.Context, AccessTokenType) : OAuthResults.Error(issued.Error, call.Context);
    }

    /// <summary>RFC 7523 §2.1: an SSO assertion signed for a magma key, under the delegated rules.</summary>
    private static async Task<IResult> JwtBearerAsync(RouteCall call, IReadOnlyDictionary<string, string> form, string? client)
    {
        if (!form.TryGetValue("assertion", out var assertion))
        {
            return OAuthResults.Error(AuthError.InvalidRequest("'assertion' is required."), call.Context);
        }

        // A client that authenticates may only present its own assertions (RFC 7523 §3: iss names the key).
        if (client is not null && !IssuedBy(assertion, client))
        {
            return OAuthResults.Error(AuthError.InvalidGrant("The assertion was not issued by the authenticated client."), call.Context);
        }

        var issued = await call.Service<AssertionLogin>().LoginAsync(assertion, call.Aborted);
        return issued.Succeeded ? OAuthResults.Token(issued.Value, call.Context) : OAuthResults.Error(issued.Error, call.Context);
    }

    /// <summary>The assertion's (not yet verified) <c>iss</c> names <paramref name="client"/>; its signature is checked by the login.</summary>
    private static bool IssuedBy(string assertion, string client)
    {
        try
        {
            return new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(assertion).Issuer is { } issuer
                && Core.Principals.Identifiers.KeyOf(issuer) == Core.Principals.Identifiers.KeyOf(client);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task<IResult> IntrospectAsync(RouteCall call, IReadOnlyDictionary<string, string> form)
    {
        // The token's record and cut-offs do not depend on the client: they are read while the client's key
        // is. The answer still goes by the client first: a refused client is answered at once, its check
        // cancelled and never awaited, so nothing about the token (not even its timing) reaches it.
        using var checking = CancellationTokenSource.CreateLinkedTokenSource(call.Aborted);
        var check = form.TryGetValue("token", out var token)
            ? call.Service<TokenIntrospection>().CheckAsync(token, checking.Token)
            : Task.FromResult(Outcome<ValidatedToken>.Failure(TokenRequired));
        Outcome<(MagmaKey Client, string Token)> request;
        try
        {
            request = await ClientAndTokenAsync(call, form);
        }
        catch
        {
            await AbandonAsync(checking, check);
            throw;
        }

        if (!request.Succeeded)
        {
            await AbandonAsync(checking, check);
            return OAuthResults.Error(request.Error, call.Context);
        }

        if (!TokenIntrospection.MayIntrospect(request.Value.Client))
        {
            await AbandonAsync(checking, check);
            return OAuthResults.Error("unauthorized_client", NoIntrospection, call.Context, StatusCodes.Status403Forbidden);
        }

        var checkedToken = await check;
        var validated = TokenIntrospection.Visible(request.Value.Client, checkedToken);
        call.Response.Headers.CacheControl = "no-store";
        return validated is null
            ? TypedResults.Json(new InactiveTokenResponse(false), AuthJson.Default.InactiveTokenResponse)
            : TypedResults.Json(TokenDetailsResponse.Of(validated, call.Service<IOptions<TokenOptions>>().Value), AuthJson.Default.TokenDetailsResponse);
    }

    /// <summary>Cancels a check nobody will read and leaves it observed, whatever becomes of it.</summary>
    private static async Task AbandonAsync(CancellationTokenSource checking, Task<Outcome<ValidatedToken>> check)
    {
        await checking.CancelAsync();
        _ = check.ContinueWith(static done => done.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private static async Task<IResult> RevokeAsync(RouteCall call, IReadOnlyDictionary<string, string> form)
    {
        var request = await ClientAndTokenAsync(call, form);
        if (!request.Succeeded)
        {
            return OAuthResults.Error(request.Error, call.Context);
        }

        // RFC 7009 §2.2: an invalid, expired or unknown token is answered 200 like a revoked one.
        var revoked = await call.Service<TokenIntrospection>().RevokeAsync(request.Value.Client, request.Value.Token, call.Aborted);
        call.Response.Headers.CacheControl = "no-store";
        return revoked.Succeeded ? TypedResults.Ok() : OAuthResults.Error(revoked.Error, call.Context);
    }

    private static readonly AuthError TokenRequired = AuthError.InvalidRequest("'token' is required.");

    private const string NoIntrospection = "This client may not introspect tokens: its magma key needs the 'introspect' right (or 'administration').";

    /// <summary>Introspection and revocation: an authenticated client (RFC 7662 §2.1, RFC 7009 §2.1) and the <c>token</c> parameter.</summary>
    private static async Task<Outcome<(MagmaKey Client, string Token)>> ClientAndTokenAsync(RouteCall call, IReadOnlyDictionary<string, string> form)
    {
        var client = await OAuthClient.AuthenticateAsync(call, form);
        if (!client.Succeeded)
        {
            return client.Error;
        }

        return form.TryGetValue("token", out var token) ? (client.Value, token) : TokenRequired;
    }
}

/// <summary>A client's credentials as RFC 6749 §2.3.1 sends them.</summary>
internal readonly record struct ClientCredentials(string? Id, string? Secret);

/// <summary>Client authentication at <c>/oauth2/*</c>: a magma key, by HTTP Basic or in the form body.</summary>
internal static class OAuthClient
{
    public static readonly AuthError Required = AuthError.InvalidClient(
        "Client authentication is required: HTTP Basic with the magma key's name and secret, or 'client_id' and 'client_secret' in the body.");

    /// <summary>The credentials presented, if any (both Ids null when none); two methods at once is an error (RFC 6749 §2.3).</summary>
    public static Outcome<ClientCredentials> Read(HttpRequest request, IReadOnlyDictionary<string, string> form)
    {
        var inForm = form.TryGetValue("client_id", out var formId) | form.TryGetValue("client_secret", out var formSecret);
        if (AuthorizationHeader.TryGetCredentials(request, "Basic", out var basic))
        {
            if (inForm)
            {
                return AuthError.InvalidRequest("Use one client authentication method: HTTP Basic or the body, not both.");
            }

            // RFC 6749 §2.3.1: client id and secret are form-urlencoded before they go into Basic.
            return AuthorizationHeader.TryDecodePair(basic, out var id, out var secret) && RequestReader.Decode(id) is { } clientId && RequestReader.Decode(secret) is { } clientSecret
                ? new ClientCredentials(clientId, clientSecret)
                : AuthError.InvalidClient("The Basic credentials are not base64 of 'client_id:client_secret'.");
        }

        if (AuthorizationHeader.IsPresent(request))
        {
            return AuthError.InvalidClient("Only HTTP Basic client authentication is accepted in the Authorization header.");
        }

        return !inForm ? new ClientCredentials(null, null)
            : formId is null || formSecret is null ? AuthError.InvalidClient("'client_id' and 'client_secret' go together.")
            : new ClientCredentials(formId, formSecret);
    }

    /// <summary>The authenticated magma key; a missing or wrong one is <c>invalid_client</c>.</summary>
    public static async Task<Outcome<MagmaKey>> AuthenticateAsync(RouteCall call, IReadOnlyDictionary<string, string> form)
    {
        var credentials = Read(call.Request, form);
        if (!credentials.Succeeded)
        {
            return credentials.Error;
        }

        if (credentials.Value.Id is null)
        {
            return Required;
        }

        var key = await call.Service<MagmaLogin>().AuthenticateAsync(credentials.Value.Id, credentials.Value.Secret!, call.Aborted);
        return key is null ? MagmaLogin.InvalidKey : key;
    }
}
