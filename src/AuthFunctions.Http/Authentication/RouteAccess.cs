using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Principals;
using AuthFunctions.Http.Requests;
using Microsoft.AspNetCore.Http;

namespace AuthFunctions.Http.Authentication;

/// <summary>
/// Who may call a route: the schemes it accepts and the rights it needs. The one place where the
/// <c>Authorization</c> header is parsed and verified; handlers only ever see the resulting <see cref="Caller"/>.
/// </summary>
public sealed record RouteAccess
{
    private RouteAccess(IReadOnlyList<AuthScheme> schemes, Rights rights)
    {
        Schemes = schemes;
        Rights = rights;
    }

    /// <summary>No credentials needed: logins (which check their own), discovery, health.</summary>
    public static RouteAccess Anonymous { get; } = new([], Rights.None);

    /// <summary>Administration: a bearer token with the <c>administration</c> right.</summary>
    public static RouteAccess Administration { get; } = Bearer(Rights.Administration);

    public IReadOnlyList<AuthScheme> Schemes { get; }

    public Rights Rights { get; }

    public bool IsAnonymous => Schemes.Count == 0;

    /// <summary>One of our bearer tokens carrying every right in <paramref name="rights"/>.</summary>
    public static RouteAccess Bearer(Rights rights = Rights.None) => new([BearerScheme.Instance], rights);

    /// <summary>Any of <paramref name="schemes"/>, no particular right (the handler decides what the caller reaches).</summary>
    public static RouteAccess AnyOf(params AuthScheme[] schemes) => new(schemes, Rights.None);

    /// <summary>
    /// The caller, or the 401 (with the scheme's own challenge) or 403 to answer with. Runs before the
    /// handler, so the body of a refused caller is never read.
    /// </summary>
    public async Task<Outcome<Caller>> AuthenticateAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (IsAnonymous)
        {
            return Caller.Anonymous;
        }

        var scheme = AuthorizationHeader.TryParse(context.Request, out var name, out var credentials)
            ? Schemes.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            : null;
        if (scheme is null)
        {
            // No credentials of a scheme we accept: challenge with each, no error code (RFC 6750 §3.1).
            return Schemes[0].Missing with { Challenge = string.Join(", ", Schemes.Select(s => s.Challenge(null))) };
        }

        var outcome = await scheme.AuthenticateAsync(credentials, context);
        if (!outcome.Succeeded)
        {
            return outcome.Error with { Challenge = scheme.Challenge(outcome.Error) };
        }

        var missing = Rights & ~outcome.Value.Rights;
        if (missing != Rights.None)
        {
            return AuthError.AccessDenied($"This needs the '{RightNames.ToNames(missing)[0]}' right, which the caller does not hold.");
        }

        // 'administration' is the whole system: only a user or magma key of ours, with no tenant, has it
        // here, whatever a tenant-scoped, delegated, assertion, license or API token says.
        return (Rights & Rights.Administration) != 0 && !outcome.Value.IsSystemAdministrator
            ? AuthError.AccessDenied(
                "This needs 'administration' of the whole system, held by a user (password login) or a magma key of ours; "
                + "a token scoped to one tenant, one another system vouches for (delegated, assertion, license) or an API token does not carry it here.")
            : outcome;
    }
}
