using AuthFunctions.Core.Keys;
using Microsoft.IdentityModel.Tokens;

namespace AuthFunctions.Core.Tokens;

/// <summary>The lifetime rule for every JWT we accept, ours or another issuer's: <c>exp</c> required, 60 s of skew each way.</summary>
public static class TokenLifetime
{
    /// <summary>A <see cref="LifetimeValidator"/> on <paramref name="timeProvider"/>'s clock (tests use a fake one).</summary>
    public static LifetimeValidator On(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return (notBefore, expires, _, _) =>
        {
            var now = timeProvider.GetUtcNow().UtcDateTime;
            return expires is { } exp
                && now < exp + KeyRing.ClockSkew
                && (notBefore is not { } nbf || nbf - KeyRing.ClockSkew <= now);
        };
    }
}
