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
        return (notBefore, expires, _, _) => Check(timeProvider, notBefore, expires) is null;
    }

    /// <summary>
    /// The same rule, but a failure throws the exception of the check that failed (expired, not yet valid,
    /// no <c>exp</c>), which the token handler hands back in its result: a delegate that only returns false
    /// leaves one "invalid lifetime" for both.
    /// </summary>
    public static LifetimeValidator NamingFailures(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return (notBefore, expires, _, _) => Check(timeProvider, notBefore, expires) switch
        {
            null => true,
            LifetimeFailure.NoExpiration => throw new SecurityTokenNoExpirationException("The token has no exp."),
            LifetimeFailure.Expired => throw new SecurityTokenExpiredException("The token has expired.") { Expires = expires!.Value },
            _ => throw new SecurityTokenNotYetValidException("The token is not valid yet.") { NotBefore = notBefore!.Value },
        };
    }

    private enum LifetimeFailure
    {
        NoExpiration,
        Expired,
        NotYetValid,
    }

    private static LifetimeFailure? Check(TimeProvider timeProvider, DateTime? notBefore, DateTime? expires)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;
        if (expires is not { } exp)
        {
            return LifetimeFailure.NoExpiration;
        }

        if (!(now < exp + KeyRing.ClockSkew))
        {
            return LifetimeFailure.Expired;
        }

        return notBefore is { } nbf && !(nbf - KeyRing.ClockSkew <= now) ? LifetimeFailure.NotYetValid : null;
    }
}
