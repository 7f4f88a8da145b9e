using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Tokens;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthFunctions.Core.Users;

/// <summary>Username and password to a short-lived token (<c>GET /rs/authorise</c>).</summary>
public sealed partial class PasswordLogin(IUserStore users, PasswordHashing hashing, TokenIssuer issuer, IOptions<TokenOptions> options, ILogger<PasswordLogin> logger)
{
    /// <summary>Never tells which part was wrong, nor whether the account exists.</summary>
    public static readonly AuthError InvalidCredentials = AuthError.InvalidGrant("The username or password is wrong.");

    private readonly TokenOptions options = options.Value;

    public async Task<Outcome<IssuedToken>> LoginAsync(string username, string password, CancellationToken cancellationToken)
    {
        var user = Identifiers.TryUsername(username, out var name)
            ? await users.FindByUsernameAsync(name, cancellationToken)
            : null;

        // The hash work is done whether or not the user exists, so timing reveals nothing.
        var passwordMatches = hashing.Verify(user?.PasswordHash, password);
        if (user is null || !passwordMatches || !user.Enabled)
        {
            Log.LoginRefused(logger, LogText.Username(username), user is null ? "unknown username" : !passwordMatches ? "wrong password" : "user disabled");
            return InvalidCredentials;
        }

        var claims = new AccessTokenClaims
        {
            Subject = user.Id,
            Grant = TokenGrants.Password,
            Rights = user.TokenRights,
            Name = user.DisplayName,
            Email = user.Email,
        };
        return await issuer.IssueAsync(claims, options.PasswordTokenLifetime, cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1110, Level = LogLevel.Warning, Message = "Password login refused for {Username}: {Reason}")]
        public static partial void LoginRefused(ILogger logger, string username, string reason);
    }
}
