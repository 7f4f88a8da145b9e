using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Storage;
using AuthFunctions.Core.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthFunctions.Core.Tokens;

/// <summary>A long-lived API token as listed: never the token itself. Its id is the token's <c>jti</c>.</summary>
public sealed record ApiToken
{
    public required string Id { get; init; }

    public required string UserId { get; init; }

    public string? Description { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Who generated it: the administrator's subject.</summary>
    public required string CreatedBy { get; init; }

    /// <summary>False once the token has expired or its user was disabled or deleted after it was made (as listed).</summary>
    public bool Active { get; init; } = true;
}

/// <summary>API token metadata: by user (listing, one partition) and by id (one point read).</summary>
public interface IApiTokenStore
{
    /// <summary>Writes the id row, then the listing row; each is noted for the purge at its expiry.</summary>
    Task AddAsync(ApiToken token, CancellationToken cancellationToken);

    Task<ApiToken?> FindAsync(string id, CancellationToken cancellationToken);

    Task<PageOf<ApiToken>> ListAsync(string userId, PageRequest page, CancellationToken cancellationToken);

    /// <summary>Deletes the listing row, then the id row; idempotent.</summary>
    Task DeleteAsync(ApiToken token, CancellationToken cancellationToken);
}

/// <summary>What an API token is made of: the token, shown once, and its metadata.</summary>
public sealed record CreatedApiToken(ApiToken Token, string AccessToken);

/// <summary>
/// Long-lived API tokens for users (Terminalfour's "generate token" in user management): issued and
/// recorded like every token (grant <c>api_token</c>), answering to the user's cut-off, revocable by id.
/// </summary>
public sealed partial class ApiTokens(
    IUserStore users,
    IApiTokenStore store,
    TokenIssuer issuer,
    ITokenRegistry registry,
    IOptions<TokenOptions> options,
    TimeProvider timeProvider,
    ILogger<ApiTokens> logger)
{
    private static readonly AuthError NoSuchUser = AuthError.NotFound("There is no user with this id.");
    private static readonly AuthError NoSuchToken = AuthError.NotFound("There is no API token with this id.");

    public async Task<Outcome<CreatedApiToken>> CreateAsync(string? userId, string? description, DateTimeOffset? expiresAt, string actor, CancellationToken cancellationToken)
    {
        if (FieldRules.Text(description, "description", FieldRules.MaxDisplayNameLength, required: false) is { } invalid)
        {
            return invalid;
        }

        var now = timeProvider.GetUtcNow();
        var latest = now + options.Value.MaxApiTokenLifetime;
        if (expiresAt is not { } end || end <= now.AddMinutes(1) || end > latest)
        {
            return AuthError.InvalidRequest($"'expiresAt' is required: a moment in the future, at most {options.Value.MaxApiTokenLifetime.TotalDays:0} days away ({latest:yyyy-MM-dd'T'HH:mm:ss'Z'}).");
        }

        var user = Identifiers.IsGeneratedId(userId) ? await users.FindByIdAsync(userId!, cancellationToken) : null;
        if (user is null)
        {
            return NoSuchUser;
        }

        if (!user.Enabled)
        {
            return AuthError.InvalidRequest("The user is disabled.");
        }

        // Issued (and recorded) first: if the metadata write fails, a token exists that nobody ever received.
        var claims = new AccessTokenClaims
        {
            Subject = user.Id,
            Grant = TokenGrants.ApiToken,
            Rights = user.TokenRights,
            Name = user.DisplayName,
            Email = user.Email,
        };
        var issued = await issuer.IssueAsync(claims, end - now, notAfter: end, cancellationToken);
        if (await users.FindByIdAsync(user.Id, cancellationToken) is not { Enabled: true })
        {
            // Disabled or deleted while this token was being made, after its cut-off was written: it must not live.
            await registry.RevokeAsync(issued.TokenId, issued.ExpiresAt, cancellationToken);
            return NoSuchUser;
        }
        var token = new ApiToken
        {
            Id = issued.TokenId,
            UserId = user.Id,
            Description = description,
            CreatedAt = now,
            ExpiresAt = issued.ExpiresAt,
            CreatedBy = actor,
        };
        await store.AddAsync(token, cancellationToken);
        Log.Created(logger, token.Id, user.Id, token.ExpiresAt, actor);
        return new CreatedApiToken(token, issued.AccessToken);
    }

    /// <summary>The user's API tokens, each marked active or not (expired, or ended by the user's cut-off).</summary>
    public async Task<Outcome<PageOf<ApiToken>>> ListAsync(string? userId, PageRequest page, CancellationToken cancellationToken)
    {
        if (!Identifiers.IsGeneratedId(userId))
        {
            return NoSuchUser;
        }

        var listed = store.ListAsync(userId!, page, cancellationToken);
        var cutoffRead = registry.FindCutoffAsync(userId!, cancellationToken);
        await Task.WhenAll(listed, cutoffRead);
        var (tokens, cutoff, now) = (await listed, await cutoffRead, timeProvider.GetUtcNow());
        return tokens.Select(t => t with { Active = t.ExpiresAt > now && (cutoff is null || t.CreatedAt >= cutoff) });
    }

    /// <summary>Revokes the token at once (its record), then removes its metadata; a retry completes it.</summary>
    public async Task<Outcome<bool>> RevokeAsync(string id, string actor, CancellationToken cancellationToken)
    {
        var token = FieldRules.Text(id, "id", 64, required: true) is null && !id.AsSpan().ContainsAny("/\\#?")
            ? await store.FindAsync(id, cancellationToken)
            : null;
        if (token is null)
        {
            return NoSuchToken;
        }

        await registry.RevokeAsync(token.Id, token.ExpiresAt, cancellationToken);
        await store.DeleteAsync(token, cancellationToken);
        Log.Revoked(logger, token.Id, token.UserId, actor);
        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1251, Level = LogLevel.Information, Message = "API token {TokenId} for user {UserId} created by {Actor}, expires {ExpiresAt:o}")]
        public static partial void Created(ILogger logger, string tokenId, string userId, DateTimeOffset expiresAt, string actor);

        [LoggerMessage(EventId = 1252, Level = LogLevel.Information, Message = "API token {TokenId} of user {UserId} revoked by {Actor}")]
        public static partial void Revoked(ILogger logger, string tokenId, string userId, string actor);
    }
}
