using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Keys;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Tokens;
using AuthFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthFunctions.Tests.Http;

/// <summary>
/// A refused bearer token says which check failed, in the problem's detail and as error_description in
/// the Bearer challenge (RFC 6750 §3), with error="invalid_token" and 401 on every route that takes our tokens.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class BearerRefusalTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private LocalHostServer server = null!;
    private TenancyKit kit = null!;

    public async ValueTask InitializeAsync()
    {
        server = await LocalHostServer.StartAsync(azurite.ConnectionString, configure: builder => builder.Services.AddSingleton<TimeProvider>(time));
        kit = new TenancyKit(server, await server.AdminTokenAsync());
    }

    public async ValueTask DisposeAsync() => await server.DisposeAsync();

    private static readonly AccessTokenClaims Claims = new() { Subject = "magma:minted", Grant = TokenGrants.Magma, Rights = Rights.Data, ClientId = "minted" };

    private TokenOptions Ours => server.Services.GetRequiredService<IOptions<TokenOptions>>().Value;

    /// <summary>A token issued and recorded by our own issuer, with our key, under other options or another clock.</summary>
    private async Task<string> IssueAsync(TokenOptions? options = null, TimeProvider? clock = null)
    {
        var issuer = new TokenIssuer(
            server.Services.GetRequiredService<KeyRing>(),
            server.Services.GetRequiredService<ITokenRegistry>(),
            Options.Create(options ?? Ours),
            clock ?? time);
        return (await issuer.IssueAsync(Claims, TimeSpan.FromHours(1), Ct)).AccessToken;
    }

    /// <summary>Asserts the 401 invalid_token problem whose detail is <paramref name="refusal"/>'s, and the challenge that carries it.</summary>
    private static async Task AssertRefusedAsync(HttpResponseMessage response, AuthError refusal)
    {
        var problem = await ProblemAssert.IsProblemAsync(response, 401, "invalid_token");
        Assert.Equal(refusal.Detail, problem.GetProperty("detail").GetString());
        Assert.Equal($"Bearer realm=\"AuthFunctions\", error=\"invalid_token\", error_description=\"{refusal.Detail}\"", response.Headers.WwwAuthenticate.ToString());
    }

    private async Task AssertDetailsRefusedAsync(string token, AuthError refusal)
    {
        using var response = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", token);
        await AssertRefusedAsync(response, refusal);
    }

    [Fact]
    public async Task A_minted_control_token_is_accepted()
    {
        using var response = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", await IssueAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_expired_token_says_it_has_expired_on_every_route()
    {
        var token = await kit.MagmaTokenAsync("expiring", await SecretOfNewKeyAsync("expiring", """["administration","data"]"""));
        time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(61));

        await AssertDetailsRefusedAsync(token, TokenRefusals.Expired);
        using var admin = await server.SendAsync(HttpMethod.Get, "/admin/users", token);
        await AssertRefusedAsync(admin, TokenRefusals.Expired);
        using var tenants = await server.SendAsync(HttpMethod.Get, "/tenants", token);
        await AssertRefusedAsync(tenants, TokenRefusals.Expired);
    }

    [Fact]
    public async Task A_token_from_a_clock_ahead_says_it_is_not_valid_yet()
    {
        var ahead = new FakeTimeProvider(time.GetUtcNow() + TimeSpan.FromMinutes(5));

        await AssertDetailsRefusedAsync(await IssueAsync(clock: ahead), TokenRefusals.NotYetValid);
    }

    [Fact]
    public async Task A_token_for_another_audience_says_so()
    {
        var options = new TokenOptions { Issuer = Ours.Issuer, Audience = "another-api" };

        await AssertDetailsRefusedAsync(await IssueAsync(options), TokenRefusals.WrongAudience);
    }

    [Fact]
    public async Task A_token_from_another_issuer_says_so()
    {
        var options = new TokenOptions { Issuer = "https://auth.elsewhere.example", Audience = Ours.Audience };

        await AssertDetailsRefusedAsync(await IssueAsync(options), TokenRefusals.WrongIssuer);
    }

    [Fact]
    public async Task A_token_signed_with_a_key_not_in_our_jwks_says_so()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = Sign(new SigningCredentials(new ECDsaSecurityKey(ecdsa) { KeyId = "not-one-of-ours" }, SecurityAlgorithms.EcdsaSha256));

        await AssertDetailsRefusedAsync(token, TokenRefusals.UnknownKey);
    }

    [Fact]
    public async Task A_token_whose_payload_was_changed_says_its_signature_is_invalid()
    {
        var parts = (await IssueAsync()).Split('.');
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace("\"data\"", "\"administration\"", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";

        await AssertDetailsRefusedAsync(tampered, TokenRefusals.BadSignature);
    }

    [Fact]
    public async Task A_token_of_another_type_says_so()
    {
        var signer = (await server.Services.GetRequiredService<KeyRing>().GetAsync(Ct)).Signer;

        await AssertDetailsRefusedAsync(Sign(signer.Credentials, "JWT"), TokenRefusals.UnsupportedType);
    }

    [Theory]
    [InlineData("not.a.token")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.eyJzdWIi.AAAA")]
    public async Task Garbage_says_the_token_is_malformed(string token)
    {
        await AssertDetailsRefusedAsync(token, TokenRefusals.Malformed);
    }

    [Fact]
    public async Task A_JWT_without_typ_says_it_is_not_an_at_jwt()
    {
        // {"alg":"ES256"}.{"sub":"x"}: a JWT, but not one of our access tokens.
        await AssertDetailsRefusedAsync("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.AAAA", TokenRefusals.UnsupportedType);
    }

    [Fact]
    public async Task Every_cut_off_says_only_that_the_token_has_been_revoked()
    {
        // An API token revoked by id.
        var userId = await kit.CreateUserAsync("rita", """["data"]""");
        var expiresAt = time.GetUtcNow().AddDays(30).ToString("o", CultureInfo.InvariantCulture);
        using var created = await server.SendAsync(HttpMethod.Post, "/rs/tokens", kit.Admin, $$"""{"userId":"{{userId}}","description":"revoked","expiresAt":"{{expiresAt}}"}""");
        var apiToken = await TenancyKit.JsonAsync(created, HttpStatusCode.Created);
        using (var revoke = await server.SendAsync(HttpMethod.Delete, $"/rs/tokens/{apiToken.GetProperty("id").GetString()}", kit.Admin))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        // A deleted magma key, a disabled magma key and a disabled user: account state the holder cannot
        // see, so the same description as a revocation.
        var deletedKey = await kit.MagmaTokenAsync("to-delete", await SecretOfNewKeyAsync("to-delete"));
        var disabledKey = await kit.MagmaTokenAsync("to-disable", await SecretOfNewKeyAsync("to-disable"));
        var disabledUser = await kit.LoginAsync("rita");
        // A cut-off ends the tokens issued before it: let the (fake) clock move on, as a real one does.
        time.Advance(TimeSpan.FromSeconds(1));
        using (var deleted = await server.SendAsync(HttpMethod.Delete, "/admin/magma-keys/to-delete", kit.Admin))
        using (var disabled = await server.SendAsync(HttpMethod.Patch, "/admin/magma-keys/to-disable", kit.Admin, """{"enabled":false}"""))
        using (var disabledRita = await server.SendAsync(HttpMethod.Patch, $"/admin/users/{userId}", kit.Admin, """{"enabled":false}"""))
        {
            Assert.Equal(new[] { HttpStatusCode.NoContent, HttpStatusCode.NoContent, HttpStatusCode.NoContent }, new[] { deleted.StatusCode, disabled.StatusCode, disabledRita.StatusCode });
        }

        await AssertDetailsRefusedAsync(apiToken.GetProperty("accessToken").GetString()!, TokenRefusals.Revoked);
        await AssertDetailsRefusedAsync(deletedKey, TokenRefusals.Revoked);
        await AssertDetailsRefusedAsync(disabledKey, TokenRefusals.Revoked);
        await AssertDetailsRefusedAsync(disabledUser, TokenRefusals.Revoked);
    }

    [Fact]
    public async Task No_token_at_all_is_a_challenge_without_an_error_code()
    {
        // RFC 6750 §3.1: no error code when the request carried no credentials.
        using var response = await server.SendAsync(HttpMethod.Get, "/api/authentication/token");

        await ProblemAssert.IsProblemAsync(response, 401, "invalid_token");
        Assert.Equal("Bearer realm=\"AuthFunctions\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public void Every_description_is_an_RFC_6750_error_description()
    {
        // RFC 6750 §3: error-description = *( %x20-21 / %x23-5B / %x5D-7E ), and each one is its own.
        AuthError[] all =
        [
            TokenRefusals.Malformed, TokenRefusals.UnsupportedType, TokenRefusals.Expired, TokenRefusals.NotYetValid,
            TokenRefusals.WrongAudience, TokenRefusals.WrongIssuer, TokenRefusals.UnknownKey, TokenRefusals.BadSignature, TokenRefusals.Revoked,
        ];

        Assert.All(all, e => Assert.Equal(ErrorCodes.InvalidToken, e.Code));
        Assert.All(all, e => Assert.All(e.Detail, c => Assert.True(c is >= ' ' and <= '~' and not '"' and not '\\', $"'{c}' in {e.Detail}")));
        Assert.Equal(all.Length, all.Select(e => e.Detail).Distinct(StringComparer.Ordinal).Count());
    }

    /// <summary>Creates a magma key and returns its secret.</summary>
    private async Task<string> SecretOfNewKeyAsync(string name, string rightsJson = """["data"]""")
    {
        using var response = await server.SendAsync(HttpMethod.Post, "/admin/magma-keys", kit.Admin, $$"""{"name":"{{name}}","rights":{{rightsJson}}}""");
        return (await TenancyKit.JsonAsync(response, HttpStatusCode.Created)).GetProperty("secret").GetString()!;
    }

    /// <summary>A token with our issuer, audience and a fresh lifetime, signed by hand with <paramref name="credentials"/>.</summary>
    private string Sign(SigningCredentials credentials, string type = TokenIssuer.AccessTokenType)
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds()).UtcDateTime;
        var token = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Ours.Issuer,
            Audience = Ours.Audience,
            TokenType = type,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            Claims = new Dictionary<string, object> { ["sub"] = "magma:minted", ["jti"] = "minted", ["grant"] = "magma", ["rights"] = new[] { "data" } },
            SigningCredentials = credentials,
        });
        return TokenForm.WithLowS(token, SigningAlgorithms.ES256);
    }
}
