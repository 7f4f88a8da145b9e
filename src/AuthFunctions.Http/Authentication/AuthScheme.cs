using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Principals;
using Microsoft.AspNetCore.Http;

namespace AuthFunctions.Http.Authentication;

/// <summary>
/// One scheme of the <c>Authorization</c> header (Bearer today; Plugin and PluginConnection plug in
/// here): it verifies the credentials into a <see cref="Caller"/> and writes its own challenge.
/// </summary>
public abstract class AuthScheme
{
    /// <summary>The scheme's name as sent on the wire, compared case-insensitively (RFC 9110 §11.1).</summary>
    public abstract string Name { get; }

    /// <summary>The answer when the request carries no credentials of any scheme the route accepts.</summary>
    public abstract AuthError Missing { get; }

    /// <summary>
    /// The <c>WWW-Authenticate</c> value: without an error when no credentials of this scheme were sent
    /// (RFC 6750 §3.1), with one when they were and failed.
    /// </summary>
    public abstract string Challenge(AuthError? failure);

    public abstract Task<Outcome<Caller>> AuthenticateAsync(string credentials, HttpContext context);
}
