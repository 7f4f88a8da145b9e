using System.Security.Cryptography;
using System.Text.Json;
using AuthFunctions.Core.MagmaKeys;
using Microsoft.IdentityModel.Tokens;

namespace AuthFunctions.Tests.Core;

/// <summary>Which public JWKs may verify SSO assertions: the bare key of a sound kind, nothing that points elsewhere.</summary>
public sealed class AssertionKeyJwkTests
{
    private static readonly RSAParameters Rsa2048 = CreateRsa(2048);

    private static RSAParameters CreateRsa(int bits)
    {
        using var rsa = RSA.Create(bits);
        return rsa.ExportParameters(false);
    }

    private static string Jwk(byte[] n, byte[] e, params (string Name, object Value)[] extra)
    {
        var members = new Dictionary<string, object> { ["kty"] = "RSA", ["n"] = Base64UrlEncoder.Encode(n), ["e"] = Base64UrlEncoder.Encode(e) };
        foreach (var (name, value) in extra)
        {
            members[name] = value;
        }

        return JsonSerializer.Serialize(members);
    }

    private static string? Refusal(string jwk) => AssertionKeys.TryReadPublicJwk(jwk, "k1", out _, out var problem) ? null : problem;

    [Fact]
    public void A_2048_bit_key_with_e_65537_is_accepted_also_with_a_leading_zero_byte()
    {
        Assert.Null(Refusal(Jwk(Rsa2048.Modulus!, Rsa2048.Exponent!)));
        Assert.Null(Refusal(Jwk([0, .. Rsa2048.Modulus!], [0, .. Rsa2048.Exponent!])));
    }

    [Theory]
    [InlineData(new byte[] { 1 })]
    [InlineData(new byte[] { 3 })]
    [InlineData(new byte[] { 1, 0, 0, 1 })]
    [InlineData(new byte[] { 0 })]
    public void An_exponent_other_than_65537_is_refused(byte[] exponent) =>
        Assert.Equal("The RSA key's public exponent (e) must be 65537 (\"AQAB\").", Refusal(Jwk(Rsa2048.Modulus!, exponent)));

    [Fact]
    public void A_modulus_under_2048_bits_is_refused_counting_bits_not_bytes()
    {
        byte[] under = [.. Rsa2048.Modulus!];
        under[0] = 0x7F;

        Assert.Equal("The RSA key's modulus (n) must be at least 2048 bits.", Refusal(Jwk(under, Rsa2048.Exponent!)));
        Assert.Equal("The RSA key's modulus (n) must be at least 2048 bits.", Refusal(Jwk(CreateRsa(1024).Modulus!, Rsa2048.Exponent!)));
    }

    [Fact]
    public void An_even_modulus_is_refused()
    {
        byte[] even = [.. Rsa2048.Modulus!];
        even[^1] &= 0xFE;

        Assert.Equal("The RSA key's modulus (n) must be odd: an even number is no RSA modulus.", Refusal(Jwk(even, Rsa2048.Exponent!)));
    }

    [Theory]
    [InlineData("x5c")]
    [InlineData("x5u")]
    [InlineData("jku")]
    public void A_JWK_that_carries_certificates_or_links_is_refused(string member)
    {
        object value = member == "x5c" ? new[] { "MIIB" } : "https://keys.example.test/k1";

        Assert.Equal(
            "The JWK carries x5c, x5u or jku: register the bare public key, without certificates or links.",
            Refusal(Jwk(Rsa2048.Modulus!, Rsa2048.Exponent!, (member, value))));
    }
}
