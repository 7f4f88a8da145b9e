using AuthFunctions.Core.Tokens;

namespace AuthFunctions.Core.Principals;

/// <summary>What kind of principal a request comes from.</summary>
public enum CallerKind
{
    /// <summary>No credentials were required or sent.</summary>
    Anonymous,

    /// <summary>A magma key acting for itself (<c>magma</c>, <c>client_credentials</c> grants).</summary>
    MagmaKey,

    /// <summary>A user of ours (<c>password</c>, <c>api_token</c> grants).</summary>
    User,

    /// <summary>Someone another system vouches for (<c>delegated</c>, <c>license</c>, <c>token_exchange</c> grants).</summary>
    External,

    /// <summary>A plugin with its own credentials (<c>Plugin base64(pluginId:pluginToken)</c>).</summary>
    Plugin,

    /// <summary>A plugin's installation in one tenant (<c>PluginConnection base64(connectionId:connectionToken)</c>).</summary>
    PluginConnection,
}

/// <summary>
/// The authenticated principal of a request, as the route's authentication scheme established it:
/// subject, kind, rights, tenant scope and the client (magma key) it came through.
/// </summary>
public sealed record Caller
{
    public static Caller Anonymous { get; } = new() { Kind = CallerKind.Anonymous, Subject = string.Empty, Rights = Rights.None };

    public required CallerKind Kind { get; init; }

    public required string Subject { get; init; }

    public required Rights Rights { get; init; }

    /// <summary>Set when the caller reaches exactly one tenant (a realm key, a tenant-scoped login).</summary>
    public string? TenantId { get; init; }

    /// <summary>The magma key (client) the caller's token was issued through, if any.</summary>
    public string? ClientId { get; init; }

    /// <summary>The plugin, for <see cref="CallerKind.Plugin"/> and <see cref="CallerKind.PluginConnection"/>.</summary>
    public string? PluginId { get; init; }

    /// <summary>
    /// True for a principal of ours acting with its own credentials: a user who logged in with its
    /// password, or a magma key with its secret. Not a token another system vouches for (delegated,
    /// assertion, license, token exchange), nor a long-lived API token.
    /// </summary>
    public bool IsOwnPrincipal =>
        Kind == CallerKind.MagmaKey || (Kind == CallerKind.User && Token?.Claims.Grant == TokenGrants.Password);

    /// <summary>
    /// True for a caller that configures the whole system: <c>administration</c>, no tenant, and one of
    /// our own principals (<see cref="IsOwnPrincipal"/>). A tenant-scoped caller never counts as one, nor
    /// does a delegated, assertion, license or API token, whatever its rights say: <c>administration</c>
    /// stays delegable, and then means administration in the resource APIs that read the token, not here.
    /// </summary>
    public bool IsSystemAdministrator => (Rights & Rights.Administration) != 0 && TenantId is null && IsOwnPrincipal;

    /// <summary>The bearer token the caller presented, when it authenticated with one.</summary>
    public ValidatedToken? Token { get; init; }

    /// <summary>The caller of a validated access token.</summary>
    public static Caller From(ValidatedToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var claims = token.Claims;
        return new Caller
        {
            Kind = claims.Grant switch
            {
                TokenGrants.Magma or TokenGrants.ClientCredentials => CallerKind.MagmaKey,
                TokenGrants.Password or TokenGrants.ApiToken => CallerKind.User,
                _ => CallerKind.External,
            },
            Subject = claims.Subject,
            Rights = claims.Rights,
            TenantId = claims.TenantId,
            ClientId = claims.ClientId,
            Token = token,
        };
    }
}
