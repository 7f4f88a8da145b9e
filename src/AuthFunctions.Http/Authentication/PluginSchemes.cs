using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Plugins;
using AuthFunctions.Core.Principals;
using AuthFunctions.Http.Requests;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AuthFunctions.Http.Authentication;

/// <summary>
/// A scheme whose credentials are <c>base64(id:token)</c> (the shape of Basic, RFC 7617), checked
/// against a hashed token: <c>Plugin</c> and <c>PluginConnection</c>.
/// </summary>
public abstract class PairScheme : AuthScheme
{
    private readonly AuthError missing;

    protected PairScheme(string name, string idName, string tokenName)
    {
        Name = name;
        missing = AuthError.InvalidClient($"{name} credentials are required: Authorization: {name} base64({idName}:{tokenName}).");
        Malformed = AuthError.InvalidRequest($"The {name} credentials are not base64 of '{idName}:{tokenName}' in UTF-8.");
    }

    public override string Name { get; }

    public override AuthError Missing => missing;

    private AuthError Malformed { get; }

    public override string Challenge(AuthError? failure) => $"{Name} realm=\"AuthFunctions\"";

    public override Task<Outcome<Caller>> AuthenticateAsync(string credentials, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return AuthorizationHeader.TryDecodePair(credentials, out var id, out var token)
            ? AuthenticateAsync(id, token, context.RequestServices.GetRequiredService<PluginInstallations>(), context.RequestAborted)
            : Task.FromResult<Outcome<Caller>>(Malformed);
    }

    protected abstract Task<Outcome<Caller>> AuthenticateAsync(string id, string token, PluginInstallations plugins, CancellationToken cancellationToken);
}

/// <summary><c>Authorization: Plugin base64(pluginId:pluginToken)</c>: a plugin acting for itself.</summary>
public sealed class PluginScheme : PairScheme
{
    public static PluginScheme Instance { get; } = new();

    private PluginScheme()
        : base("Plugin", "pluginId", "pluginToken")
    {
    }

    protected override async Task<Outcome<Caller>> AuthenticateAsync(string id, string token, PluginInstallations plugins, CancellationToken cancellationToken)
    {
        var plugin = await plugins.AuthenticateAsync(id, token, cancellationToken);
        return plugin.Succeeded
            ? new Caller { Kind = CallerKind.Plugin, Subject = Subjects.Plugin(plugin.Value.Id), Rights = Rights.None, PluginId = plugin.Value.Id }
            : plugin.Error;
    }
}

/// <summary><c>Authorization: PluginConnection base64(connectionId:connectionToken)</c>: a plugin in one tenant.</summary>
public sealed class PluginConnectionScheme : PairScheme
{
    public static PluginConnectionScheme Instance { get; } = new();

    private PluginConnectionScheme()
        : base("PluginConnection", "connectionId", "connectionToken")
    {
    }

    protected override async Task<Outcome<Caller>> AuthenticateAsync(string id, string token, PluginInstallations plugins, CancellationToken cancellationToken)
    {
        var connection = await plugins.AuthenticateConnectionAsync(id, token, cancellationToken);
        return connection.Succeeded
            ? new Caller
            {
                Kind = CallerKind.PluginConnection,
                Subject = Subjects.PluginConnection(connection.Value.Id),
                Rights = Rights.None,
                TenantId = connection.Value.TenantId,
                PluginId = connection.Value.PluginId,
            }
            : connection.Error;
    }
}
