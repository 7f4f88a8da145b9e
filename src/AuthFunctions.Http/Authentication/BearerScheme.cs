using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AuthFunctions.Http.Authentication;

/// <summary><c>Authorization: Bearer</c> (RFC 6750 §2.1) with one of our own access tokens.</summary>
public sealed class BearerScheme : AuthScheme
{
    public static BearerScheme Instance { get; } = new();

    private static readonly AuthError MissingToken = AuthError.InvalidToken("A bearer token is required: Authorization: Bearer <token>.");

    private BearerScheme()
    {
    }

    public override string Name => "Bearer";

    public override AuthError Missing => MissingToken;

    public override string Challenge(AuthError? failure) => failure is null
        ? "Bearer realm=\"AuthFunctions\""
        : $"Bearer realm=\"AuthFunctions\", error=\"{ErrorCodes.InvalidToken}\"";

    public override async Task<Outcome<Caller>> AuthenticateAsync(string credentials, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var validator = context.RequestServices.GetRequiredService<TokenValidator>();
        var outcome = await validator.ValidateAsync(credentials, context.RequestAborted);
        return outcome.Succeeded ? Caller.From(outcome.Value) : outcome.Error;
    }
}
