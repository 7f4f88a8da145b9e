using System.Buffers.Text;
using System.Security.Cryptography;
using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Tokens;
using AuthFunctions.Tests.Fakes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthFunctions.Tests.Core;

public sealed class TokenTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly AccessTokenClaims Claims = new()
    {
        Subject = "magma:server-1",
        Grant = TokenGrants.Magma,
        Rights = Rights.Data | Rights.Index,
        TenantId = "t1",
        ClientId = "server-1",
    };

    [Fact]
    public async Task An_issued_token_is_an_ES256_at_jwt_with_kid_and_the_contract_claims()
    {
        using var kit = new TokenKit();

        var issued = await kit.Issuer.IssueAsync(Claims, TimeSpan.FromHours(1), Ct);

        var jwt = new JsonWebToken(issued.AccessToken);
        Assert.Equal("ES256", jwt.Alg);
        Assert.Equal("at+jwt", jwt.Typ);
        Assert.Equal(kit.Store.Keys.Single().KeyId, jwt.Kid);
        Assert.Equal("https://auth.example.test", jwt.Issuer);
        Assert.Equal(["example-api"], jwt.Audiences);
        Assert.Equal("magma:server-1", jwt.Subject);
        Assert.Equal(issued.TokenId, jwt.Id);
        Assert.Equal("magma", jwt.GetPayloadValue<string>("grant"));
        Assert.Equal(["data", "index"], jwt.GetPayloadValue<List<string>>("rights"));
        Assert.Equal("t1", jwt.GetPayloadValue<string>("tid"));
        Assert.Equal("server-1", jwt.GetPayloadValue<string>("client_id"));
        Assert.Equal(TokenKit.Start.ToUnixTimeSeconds(), jwt.GetPayloadValue<long>("iat"));
        Assert.Equal(TokenKit.Start.ToUnixTimeSeconds(), jwt.GetPayloadValue<long>("nbf"));
        Assert.Equal(TokenKit.Start.AddHours(1).ToUnixTimeSeconds(), jwt.GetPayloadValue<long>("exp"));
        Assert.Equal(TokenKit.Start.AddHours(1), issued.ExpiresAt);
        Assert.Equal(3600, issued.ExpiresIn);
    }

    [Fact]
    public async Task The_jti_is_the_one_the_registry_draws_and_plain_ids_are_128_random_bits()
    {
        using var kit = new TokenKit();
        kit.Registry.NextTokenId = () => "drawn-by-the-registry";

        var issued = await kit.Issuer.IssueAsync(Claims, TimeSpan.FromHours(1), Ct);

        Assert.Equal("drawn-by-the-registry", new JsonWebToken(issued.AccessToken).Id);
        Assert.Equal("drawn-by-the-registry", kit.Registry.Records.Single().Key);
        var random = Enumerable.Range(0, 100).Select(_ => TokenIds.NewRandom()).ToList();
        Assert.All(random, id => Assert.Equal((TokenIds.Length, TokenIds.RandomBytes), (id.Length, Base64Url.DecodeFromChars(id).Length)));
        Assert.Equal(random.Count, random.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Every_issued_token_is_recorded_with_its_jti_and_expiry()
    {
        using var kit = new TokenKit();

        var issued = await kit.Issuer.IssueAsync(Claims, TimeSpan.FromHours(1), Ct);

        var record = kit.Registry.Records[issued.TokenId];
        Assert.Equal("magma:server-1", record.Subject);
        Assert.Equal(TokenGrants.Magma, record.Grant);
        Assert.Equal(issued.ExpiresAt, record.ExpiresAt);
        Assert.False(record.Revoked);
    }

    [Fact]
    public async Task Delegated_tokens_carry_act_and_round_trip_through_validation()
    {
        using var kit = new TokenKit();
        var delegated = Claims with { Subject = "user-7", Grant = TokenGrants.Delegated, ActorSubject = "magma:server-1", Name = "Ann", Email = "ann@example.test", Organisation = "Org" };

        var issued = await kit.Issuer.IssueAsync(delegated, TimeSpan.FromHours(1), Ct);
        var validated = await kit.Validator.ValidateAsync(issued.AccessToken, Ct);

        Assert.True(validated.Succeeded);
        Assert.Equal(delegated, validated.Value!.Claims);
        Assert.Equal(issued.TokenId, validated.Value.TokenId);
        Assert.Equal(issued.ExpiresAt, validated.Value.ExpiresAt);
    }

    [Fact]
    public async Task A_token_is_valid_until_exp_plus_60_seconds_of_skew_and_not_after()
    {
        using var kit = new TokenKit();
        var issued = await kit.Issuer.IssueAsync(Claims, TimeSpan.FromHours(1), Ct);

        kit.Time.SetUtcNow(issued.ExpiresAt + TimeSpan.FromSeconds(59));
        Assert.True((await kit.Validator.ValidateAsync(issued.AccessToken, Ct)).Succeeded);

        kit.Time.SetUtcNow(issued.ExpiresAt + TimeSpan.FromSeconds(61));
        var expired = await kit.Validator.ValidateAsync(issued.AccessToken, Ct);
        Assert.Equal(TokenRefusals.Expired, expired.Error);
    }

    [Fact]
    public async Task A_revoked_token_is_refused()
    {
        using var kit = new TokenKit();
        var issued = await kit.Issuer.IssueAsync(Claims, TimeSpan.FromHours(1), Ct);

        kit.Registry.Revoke(issued.TokenId);

        Assert.Equal(TokenRefusals.Revoked, (await kit.Validator.ValidateAsync(issued.AccessToken, Ct)).Error);
    }

    [Fact]
    public async Task A_validly_signed_token_without_a_record_is_refused()
    {
        using var kit = new TokenKit();
        var issued = await kit.Issuer.IssueAsync(Claims, TimeSpan.FromHours(1), Ct);

        kit.Registry.Records.Clear();

        Assert.Equal(TokenRefusals.Revoked, (await kit.Validator.ValidateAsync(issued.AccessToken, Ct)).Error);
    }

    [Fact]
    public async Task Alg_none_is_refused()
    {
        using var kit = new TokenKit();
        var issued = await kit.Issuer.IssueAsync(Claims, TimeSpan.FromHours(1), Ct);
        var parts = issued.AccessToken.Split('.');
        var header = Base64UrlEncoder.Encode($$"""{"alg":"none","typ":"at+jwt","kid":"{{new JsonWebToken(issued.AccessToken).Kid}}"}""");

        var unsigned = $"{header}.{parts[1]}.";

        Assert.Equal(TokenRefusals.Malformed, (await kit.Validator.ValidateAsync(unsigned, Ct)).Error);
    }

    [Fact]
    public async Task An_HS256_token_keyed_with_public_key_material_is_refused()
    {
        using var kit = new TokenKit();
        var snapshot = await kit.KeyRing.GetAsync(Ct);
        var publicBytes = snapshot.Jwks.ToArray();
        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = kit.TokenOptions.Issuer,
            Audience = kit.TokenOptions.Audience,
            TokenType = "at+jwt",
            Expires = TokenKit.Start.AddHours(1).UtcDateTime,
            NotBefore = TokenKit.Start.UtcDateTime,
            IssuedAt = TokenKit.Start.UtcDateTime,
            Claims = new Dictionary<string, object> { ["sub"] = "x", ["jti"] = "j", ["grant"] = "magma", ["rights"] = new[] { "administration" } },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(SHA256.HashData(publicBytes)) { KeyId = snapshot.Signer.Record.KeyId }, SecurityAlgorithms.HmacSha256),
        });

        Assert.Equal(TokenRefusals.UnsupportedType, (await kit.Validator.ValidateAsync(forged, Ct)).Error);
    }

    [Fact]
    public async Task A_token_signed_by_any_other_key_is_refused_even_with_a_known_kid()
    {
        using var kit = new TokenKit();
        using var other = new TokenKit(time: kit.Time);
        var known = (await kit.KeyRing.GetAsync(Ct)).Signer.Record.KeyId;
        var otherKey = (await other.KeyRing.GetAsync(Ct)).Signer.Credentials.Key;
        otherKey.KeyId = known;

        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = kit.TokenOptions.Issuer,
            Audience = kit.TokenOptions.Audience,
            TokenType = "at+jwt",
            Expires = TokenKit.Start.AddHours(1).UtcDateTime,
            Claims = new Dictionary<string, object> { ["sub"] = "x", ["jti"] = "j", ["grant"] = "magma", ["rights"] = new[] { "administration" } },
            SigningCredentials = new SigningCredentials(otherKey, "ES256"),
        });

        Assert.Equal(TokenRefusals.BadSignature, (await kit.Validator.ValidateAsync(TokenForm.WithLowS(forged, "ES256"), Ct)).Error);
    }

    [Fact]
    public async Task Unknown_kid_wrong_typ_issuer_or_audience_are_refused()
    {
        using var kit = new TokenKit();
        var key = (await kit.KeyRing.GetAsync(Ct)).Signer.Credentials;
        string Forge(string? kid, string typ, string issuer, string audience)
        {
            var descriptor = new SecurityTokenDescriptor
            {
                Issuer = issuer,
                Audience = audience,
                TokenType = typ,
                IssuedAt = TokenKit.Start.UtcDateTime,
                NotBefore = TokenKit.Start.UtcDateTime,
                Expires = TokenKit.Start.AddHours(1).UtcDateTime,
                Claims = new Dictionary<string, object> { ["sub"] = "x", ["jti"] = "j", ["grant"] = "magma", ["rights"] = Array.Empty<string>() },
                // Same private key, other kid: only the kid differs from the control case.
                SigningCredentials = kid is null ? key : new SigningCredentials(new ECDsaSecurityKey(((ECDsaSecurityKey)key.Key).ECDsa) { KeyId = kid }, "ES256"),
            };
            // Our issuer signs with a low S, and the validator refuses the high-S twin.
            return TokenForm.WithLowS(new JsonWebTokenHandler().CreateToken(descriptor), "ES256");
        }

        kit.Registry.Records["j"] = new TokenRecord { TokenId = "j", Subject = "x", Grant = "magma", IssuedAt = TokenKit.Start, ExpiresAt = TokenKit.Start.AddHours(1) };
        var options = kit.TokenOptions;
        Assert.True((await kit.Validator.ValidateAsync(Forge(null, "at+jwt", options.Issuer, options.Audience), Ct)).Succeeded, "the control case passes");
        Assert.Equal(TokenRefusals.UnknownKey, (await kit.Validator.ValidateAsync(Forge("unknown-kid", "at+jwt", options.Issuer, options.Audience), Ct)).Error);
        Assert.Equal(TokenRefusals.UnsupportedType, (await kit.Validator.ValidateAsync(Forge(null, "JWT", options.Issuer, options.Audience), Ct)).Error);
        Assert.Equal(TokenRefusals.WrongIssuer, (await kit.Validator.ValidateAsync(Forge(null, "at+jwt", "https://evil.example", options.Audience), Ct)).Error);
        Assert.Equal(TokenRefusals.WrongAudience, (await kit.Validator.ValidateAsync(Forge(null, "at+jwt", options.Issuer, "other-api"), Ct)).Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.AAAA")]
    public async Task Garbage_is_an_invalid_token_not_an_exception(string token)
    {
        using var kit = new TokenKit();

        var outcome = await kit.Validator.ValidateAsync(token, Ct);

        Assert.Equal(ErrorCodes.InvalidToken, outcome.Error?.Code);
    }
}
