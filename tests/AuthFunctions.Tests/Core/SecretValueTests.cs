using System.Buffers.Text;
using AuthFunctions.Core.Secrets;

namespace AuthFunctions.Tests.Core;

public sealed class SecretValueTests
{
    [Theory]
    [InlineData(SecretValue.MagmaPrefix)]
    [InlineData(SecretValue.PluginPrefix)]
    [InlineData(SecretValue.PluginConnectionPrefix)]
    public void A_secret_is_its_prefix_and_256_random_bits(string prefix)
    {
        var secret = SecretValue.Generate(prefix);

        Assert.StartsWith(prefix, secret, StringComparison.Ordinal);
        Assert.Equal(32, Base64Url.DecodeFromChars(secret.AsSpan(prefix.Length)).Length);
        Assert.NotEqual(secret, SecretValue.Generate(prefix));
    }

    [Fact]
    public void The_stored_hash_is_SHA256_and_reveals_nothing_of_the_secret()
    {
        var secret = SecretValue.Generate(SecretValue.MagmaPrefix);

        var hash = SecretValue.Hash(secret);

        Assert.Equal(32, Base64Url.DecodeFromChars(hash).Length);
        Assert.DoesNotContain(secret[3..13], hash, StringComparison.Ordinal);
        Assert.Equal(hash, SecretValue.Hash(secret));
    }

    [Fact]
    public void Matches_accepts_the_secret_and_refuses_anything_else()
    {
        var secret = SecretValue.Generate(SecretValue.MagmaPrefix);
        var hash = SecretValue.Hash(secret);

        Assert.True(SecretValue.Matches(secret, hash));
        Assert.False(SecretValue.Matches(secret + "x", hash));
        Assert.False(SecretValue.Matches(string.Empty, hash));
        Assert.False(SecretValue.Matches(secret, "not-a-hash"));
    }

    private sealed record Holder(string SecretHash, bool Enabled, DateTimeOffset? ExpiresAt) : ISecretHolder;

    [Fact]
    public void The_secret_check_names_each_refusal_and_accepts_only_a_live_holders_secret()
    {
        var now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        var secret = SecretValue.Generate(SecretValue.PluginPrefix);
        var live = new Holder(SecretValue.Hash(secret), Enabled: true, ExpiresAt: now.AddSeconds(1));

        Assert.Equal(SecretRefusal.None, SecretCheck.Verify(live, secret, now));
        Assert.Equal(SecretRefusal.None, SecretCheck.Verify(live with { ExpiresAt = null }, secret, now));
        Assert.Equal(SecretRefusal.UnknownPrincipal, SecretCheck.Verify(null, secret, now));
        Assert.Equal(SecretRefusal.WrongSecret, SecretCheck.Verify(live, secret + "x", now));
        Assert.Equal(SecretRefusal.WrongSecret, SecretCheck.Verify(live with { Enabled = false }, "wrong", now));
        Assert.Equal(SecretRefusal.Disabled, SecretCheck.Verify(live with { Enabled = false }, secret, now));
        Assert.Equal(SecretRefusal.Expired, SecretCheck.Verify(live with { ExpiresAt = now }, secret, now));
    }
}
