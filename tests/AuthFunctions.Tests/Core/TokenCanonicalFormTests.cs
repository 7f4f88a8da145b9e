using System.Buffers.Text;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Keys;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Tokens;
using AuthFunctions.Tests.Fakes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthFunctions.Tests.Core;

/// <summary>
/// One token, one string: every variant below is signed with the ring's real key, so only the
/// validator's own rules can refuse it (the control case, signed the same way, passes).
/// </summary>
public sealed class TokenCanonicalFormTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly BigInteger P256Order = BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);

    private readonly TokenKit kit = new();

    public void Dispose() => kit.Dispose();

    private static readonly long Iat = TokenKit.Start.ToUnixTimeSeconds();

    /// <summary>Our header; <c>KID</c> becomes the ring's key id when signed.</summary>
    private static string Header(string extra = "") => $$"""{"alg":"ES256","kid":"KID","typ":"at+jwt"{{extra}}}""";

    private string Payload(string exp = "", string nbf = "", string iat = "", string rights = """["data"]""", string extra = "") =>
        $$"""{"aud":"{{kit.TokenOptions.Audience}}","iss":"{{kit.TokenOptions.Issuer}}","exp":{{Or(exp, (Iat + 3600).ToString(System.Globalization.CultureInfo.InvariantCulture))}},"iat":{{Or(iat, Iat.ToString(System.Globalization.CultureInfo.InvariantCulture))}},"nbf":{{Or(nbf, Iat.ToString(System.Globalization.CultureInfo.InvariantCulture))}},"sub":"magma:k","jti":"j1","grant":"magma","rights":{{rights}}{{extra}}}""";

    private static string Or(string value, string fallback) => value.Length > 0 ? value : fallback;

    /// <summary>Signs the exact header and payload text with the ring's private key (low S, as we issue).</summary>
    private async Task<string> SignAsync(string header, string payload)
    {
        var signer = (await kit.KeyRing.GetAsync(Ct)).Signer;
        var key = (ECDsaSecurityKey)signer.Credentials.Key;
        header = header.Replace("\"KID\"", $"\"{signer.Record.KeyId}\"", StringComparison.Ordinal);
        var input = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
        var signature = key.ECDsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256);
        kit.Registry.Records["j1"] = new TokenRecord { TokenId = "j1", Subject = "magma:k", Grant = "magma", IssuedAt = TokenKit.Start, ExpiresAt = TokenKit.Start.AddHours(1) };
        return TokenForm.WithLowS(input + "." + Base64Url.EncodeToString(signature), SigningAlgorithms.ES256);
    }

    private async Task<AuthError?> ErrorOfAsync(string token) => (await kit.Validator.ValidateAsync(token, Ct)).Error;

    [Fact]
    public async Task The_control_token_signed_by_hand_is_accepted()
    {
        var token = await SignAsync(Header(), Payload());

        var outcome = await kit.Validator.ValidateAsync(token, Ct);

        Assert.True(outcome.Succeeded);
        Assert.Equal(Rights.Data, outcome.Value.Claims.Rights);
    }

    [Theory]
    [InlineData(",\"crit\":[\"exp\"]")]
    [InlineData(",\"crit\":[\"x-ours\"],\"x-ours\":true")]
    [InlineData(",\"crit\":[]")]
    [InlineData(",\"kid\":\"other\"")]
    public async Task A_crit_header_or_a_repeated_header_member_is_refused(string extra)
    {
        var token = await SignAsync(Header(extra), Payload());

        Assert.Equal(ErrorCodes.InvalidToken, (await ErrorOfAsync(token))?.Code);
    }

    [Theory]
    [InlineData("\"1795580188\"", "", "")]
    [InlineData("", "true", "")]
    [InlineData("", "", "{\"t\":1}")]
    [InlineData("", "", "1795576588.5")]
    [InlineData("", "", "null")]
    public async Task Non_integer_times_are_refused(string exp, string nbf, string iat)
    {
        var payload = Payload(exp: exp.Length > 0 && exp.StartsWith('"') ? $"\"{Iat + 3600}\"" : exp, nbf: nbf, iat: iat);
        var token = await SignAsync(Header(), payload);

        Assert.Equal(ErrorCodes.InvalidToken, (await ErrorOfAsync(token))?.Code);
    }

    [Theory]
    [InlineData(59, 0, null)]
    [InlineData(0, 59, null)]
    [InlineData(61, 0, "nbf")]
    [InlineData(0, 61, "iat")]
    public async Task A_token_whose_nbf_or_iat_is_more_than_60_seconds_ahead_is_not_valid_yet(int nbfAhead, int iatAhead, string? refused)
    {
        var token = await SignAsync(Header(), Payload(nbf: (Iat + nbfAhead).ToString(System.Globalization.CultureInfo.InvariantCulture), iat: (Iat + iatAhead).ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(refused is null ? null : TokenRefusals.NotYetValid, await ErrorOfAsync(token));
    }

    [Fact]
    public async Task A_token_without_nbf_or_iat_is_refused()
    {
        var noIat = await SignAsync(Header(), Payload().Replace($",\"iat\":{Iat}", string.Empty, StringComparison.Ordinal));

        Assert.Equal(ErrorCodes.InvalidToken, (await ErrorOfAsync(noIat))?.Code);
    }

    [Theory]
    [InlineData("""["data","data"]""")]
    [InlineData("""["data",null]""")]
    [InlineData("""[null]""")]
    [InlineData("""["data",5]""")]
    [InlineData("""["data",["index"]]""")]
    [InlineData("null")]
    [InlineData("\"data\"")]
    [InlineData("""["Data"]""")]
    public async Task Rights_that_are_not_an_array_of_distinct_known_names_are_an_invalid_token_not_a_500(string rights)
    {
        var token = await SignAsync(Header(), Payload(rights: rights));

        Assert.Equal(ErrorCodes.InvalidToken, (await ErrorOfAsync(token))?.Code);
    }

    [Theory]
    [InlineData(",\"act\":\"magma:k\"")]
    [InlineData(",\"act\":{}")]
    [InlineData(",\"act\":{\"sub\":5}")]
    [InlineData(",\"act\":{\"sub\":null}")]
    [InlineData(",\"act\":{\"act\":{\"sub\":\"x\"}}")]
    public async Task An_act_that_is_not_an_object_with_a_string_sub_is_refused(string act)
    {
        var token = await SignAsync(Header(), Payload(extra: act));

        Assert.Equal(ErrorCodes.InvalidToken, (await ErrorOfAsync(token))?.Code);
    }

    [Fact]
    public async Task A_nested_actor_chain_keeps_the_outer_actor()
    {
        var token = await SignAsync(Header(), Payload(extra: ",\"act\":{\"sub\":\"magma:outer\",\"act\":{\"sub\":\"magma:inner\"}}"));

        var outcome = await kit.Validator.ValidateAsync(token, Ct);

        Assert.Equal("magma:outer", outcome.Value?.Claims.ActorSubject);
    }

    [Fact]
    public async Task A_repeated_claim_is_refused()
    {
        var token = await SignAsync(Header(), Payload(extra: ",\"sub\":\"u_the-super-user\""));

        Assert.Equal(ErrorCodes.InvalidToken, (await ErrorOfAsync(token))?.Code);
    }

    [Fact]
    public async Task Padding_or_stray_bits_make_another_string_of_the_same_token_and_are_refused()
    {
        var token = (await kit.Issuer.IssueAsync(new AccessTokenClaims { Subject = "magma:k", Grant = TokenGrants.Magma, Rights = Rights.Data }, TimeSpan.FromHours(1), Ct)).AccessToken;
        var parts = token.Split('.');
        Assert.Equal(2, parts[2].Length % 4);
        var last = parts[2][^1];
        var strayBits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".IndexOf(last, StringComparison.Ordinal) | 1];
        var twin = $"{parts[0]}.{parts[1]}.{parts[2][..^1]}{strayBits}";

        Assert.True((await kit.Validator.ValidateAsync(token, Ct)).Succeeded);
        Assert.Equal(ErrorCodes.InvalidToken, (await ErrorOfAsync(twin))?.Code);
        Assert.Equal(ErrorCodes.InvalidToken, (await ErrorOfAsync(token + "=="))?.Code);
        Assert.Equal(ErrorCodes.InvalidToken, (await ErrorOfAsync($"{parts[0]}=.{parts[1]}.{parts[2]}"))?.Code);
        Assert.Equal(ErrorCodes.InvalidToken, (await ErrorOfAsync(token + "."))?.Code);
        Assert.Equal(ErrorCodes.InvalidToken, (await ErrorOfAsync(" " + token))?.Code);
    }

    [Fact]
    public async Task Issued_ES256_tokens_have_a_low_S_and_the_high_S_twin_is_refused()
    {
        var claims = new AccessTokenClaims { Subject = "magma:k", Grant = TokenGrants.Magma, Rights = Rights.Data };
        var half = P256Order >> 1;
        for (var i = 0; i < 64; i++)
        {
            var token = (await kit.Issuer.IssueAsync(claims, TimeSpan.FromHours(1), Ct)).AccessToken;
            var signature = Base64Url.DecodeFromChars(token.Split('.')[2]);
            var s = new BigInteger(signature.AsSpan(32), isUnsigned: true, isBigEndian: true);
            Assert.True(s <= half, "an issued ES256 signature has a high S");

            var twinSignature = signature.ToArray();
            var highS = (P256Order - s).ToByteArray(isUnsigned: true, isBigEndian: true);
            Array.Clear(twinSignature, 32, 32);
            highS.CopyTo(twinSignature.AsSpan(64 - highS.Length));
            var twin = token[..(token.LastIndexOf('.') + 1)] + Base64Url.EncodeToString(twinSignature);

            Assert.True((await kit.Validator.ValidateAsync(token, Ct)).Succeeded);
            Assert.Equal(ErrorCodes.InvalidToken, (await ErrorOfAsync(twin))?.Code);
        }
    }

    [Fact]
    public async Task RS256_tokens_keep_working()
    {
        using var rsa = new TokenKit(new KeyRingOptions { Algorithm = SigningAlgorithms.RS256 });

        var issued = await rsa.Issuer.IssueAsync(new AccessTokenClaims { Subject = "magma:k", Grant = TokenGrants.Magma, Rights = Rights.Data | Rights.Index }, TimeSpan.FromHours(1), Ct);

        Assert.Equal("RS256", new JsonWebToken(issued.AccessToken).Alg);
        Assert.True((await rsa.Validator.ValidateAsync(issued.AccessToken, Ct)).Succeeded);
    }
}
