using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Tenants;
using AuthFunctions.Core.Tokens;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthFunctions.Core.Users;

/// <summary>Username and password to a short-lived token (<c>GET /rs/authorise</c>).</summary>
public sealed partial class PasswordLogin(
    IUserStore users,
    PasswordHashing hashing,
    Lockout lockout,
    ILoginFailureStore failures,
    IMembershipStore memberships,
    TokenIssuer issuer,
    ITokenRegistry registry,
    IOptions<TokenOptions> options,
    ILogger<PasswordLogin> logger)
{
    /// <summary>Never tells which part was wrong, nor whether the account exists.</summary>
    public static readonly AuthError InvalidCredentials = AuthError.InvalidGrant("The username or password is wrong.");

    private readonly TokenOptions options = options.Value;

    /// <param name="tenantId">
    /// Set for a login scoped to one tenant (MindLink's agent/user pair): the token carries <c>tid</c> and
    /// the member's <c>role</c>, and never <c>administration</c>. A user who is not a member is refused
    /// (403) only after the password checked out, so the answer reveals nothing to a stranger.
    /// </param>
    public async Task<Outcome<IssuedToken>> LoginAsync(string username, string password, string? tenantId, CancellationToken cancellationToken)
    {
        if (!Identifiers.TryUsername(username, out var name))
        {
            // No user can have this name: the same hash work and answer, nothing to count.
            hashing.Verify(null, password);
            Log.LoginRefused(logger, LogText.Username(username), "not a valid username");
            return InvalidCredentials;
        }

        // Failures count per submitted username, existing or not: the user and its counter are read at once.
        var usernameKey = Identifiers.KeyOf(name);
        var userRead = users.FindByUsernameAsync(name, cancellationToken);
        var failuresRead = failures.FindAsync(usernameKey, cancellationToken);
        await Task.WhenAll(userRead, failuresRead);
        var (user, failed) = (await userRead, await failuresRead);
        // The attempt is counted before its password is checked: however many arrive at once, at most
        // Lockout:MaxFailures checks of this username happen in a window (see Lockout.ReserveAsync).
        if (await lockout.ReserveAsync(usernameKey, failed, cancellationToken) is { } refused)
        {
            Log.LoginRefused(logger, name, "username locked, or too many attempts at once");
            return refused;
        }

        // The hash work is done whether or not the user exists, so timing reveals nothing.
        var passwordMatches = hashing.Verify(user?.PasswordHash, password);
        if (user is null || !passwordMatches || !user.Enabled)
        {
            Log.LoginRefused(logger, name, user is null ? "unknown username" : !passwordMatches ? "wrong password" : "user disabled");
            return InvalidCredentials;
        }

        await lockout.ResetAsync(usernameKey, cancellationToken);

        var claims = new AccessTokenClaims
        {
            Subject = user.Id,
            Grant = TokenGrants.Password,
            Rights = user.TokenRights,
            Name = user.DisplayName,
            Email = user.Email,
        };
        if (tenantId is not null)
        {
            var membership = user.SuperUser ? null : await memberships.FindAsync(user.Id, tenantId, cancellationToken);
            if (membership is null)
            {
                Log.TenantLoginRefused(logger, user.Id, tenantId);
                return NotAMember;
            }

            claims = claims with
            {
                Rights = user.Rights & ~Rights.Administration,
                TenantId = membership.TenantId,
                Role = TenantRoles.NameOf(membership.Role),
            };
        }

        var issued = await issuer.IssueAsync(claims, options.PasswordTokenLifetime, cancellationToken);

        // A disable or deletion may have happened while the password was hashed, after its cut-off was
        // written: read the user again, and withdraw the token if it is no longer enabled.
        if (await users.FindByIdAsync(user.Id, cancellationToken) is not { Enabled: true })
        {
            await registry.RevokeAsync(issued.TokenId, issued.ExpiresAt, cancellationToken);
            Log.LoginRefused(logger, name, "user disabled or deleted during the login");
            return InvalidCredentials;
        }

        return issued;
    }

    private static readonly AuthError NotAMember = AuthError.AccessDenied("The user is not a member of this tenant (a super user belongs to none).");

    private static partial class Log
    {
        [LoggerMessage(EventId = 1111, Level = LogLevel.Warning, Message = "Tenant login refused for user {UserId}: not a member of tenant {TenantId}")]
        public static partial void TenantLoginRefused(ILogger logger, string userId, string tenantId);

        [LoggerMessage(EventId = 1110, Level = LogLevel.Warning, Message = "Password login refused for {Username}: {Reason}")]
        public static partial void LoginRefused(ILogger logger, string username, string reason);
    }
}
