namespace AuthFunctions.Core.Secrets;

/// <summary>
/// A principal that authenticates with a secret we handed out and store only as its hash: magma keys
/// today; plugins, plugin connections and OAuth clients use the same check.
/// </summary>
public interface ISecretHolder
{
    string SecretHash { get; }

    bool Enabled { get; }

    DateTimeOffset? ExpiresAt { get; }
}

/// <summary>Why a presented secret was refused; the caller is told none of this, the security log all of it.</summary>
public enum SecretRefusal
{
    None,
    UnknownPrincipal,
    WrongSecret,
    Disabled,
    Expired,
}

/// <summary>The one check of a presented secret against a stored hash.</summary>
public static class SecretCheck
{
    private static readonly string DecoyHash = SecretValue.Hash(SecretValue.Generate(SecretValue.MagmaPrefix));

    /// <summary>
    /// <see cref="SecretRefusal.None"/> when <paramref name="presented"/> is the holder's secret and the holder
    /// is enabled and unexpired. An unknown holder is checked against a decoy hash, so the answer costs
    /// the same either way (constant-time comparison in <see cref="SecretValue.Matches"/>).
    /// </summary>
    public static SecretRefusal Verify(ISecretHolder? holder, string presented, DateTimeOffset now)
    {
        var matches = SecretValue.Matches(presented, holder?.SecretHash ?? DecoyHash);
        return holder is null ? SecretRefusal.UnknownPrincipal
            : !matches ? SecretRefusal.WrongSecret
            : !holder.Enabled ? SecretRefusal.Disabled
            : holder.ExpiresAt is { } expiresAt && expiresAt <= now ? SecretRefusal.Expired
            : SecretRefusal.None;
    }
}
