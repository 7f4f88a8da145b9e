using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Tokens;
using AuthFunctions.Http.Problems;
using AuthFunctions.Http.Requests;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AuthFunctions.Http.Authentication;

/// <summary>Authenticates <c>Authorization: Bearer</c> (RFC 6750 §2.1) with our own tokens.</summary>
public static class BearerAuthentication
{
    private static readonly AuthError Missing = AuthError.InvalidToken("A bearer token is required: Authorization: Bearer <token>.");

    /// <summary>The validated token, or the 401/403 problem to answer with.</summary>
    public static async Task<(ValidatedToken? Token, ProblemResult? Problem)> AuthenticateAsync(HttpContext context, Rights requiredRights = Rights.None)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!AuthorizationHeader.TryGetCredentials(context.Request, "Bearer", out var token))
        {
            return (null, Problem.From(Missing));
        }

        var validator = context.RequestServices.GetRequiredService<TokenValidator>();
        var outcome = await validator.ValidateAsync(token, context.RequestAborted);
        if (outcome.Value is not { } validated)
        {
            return (null, Problem.From(outcome.Error!));
        }

        var missing = requiredRights & ~validated.Claims.Rights;
        return missing == Rights.None
            ? (validated, null)
            : (null, Problem.From(AuthError.AccessDenied($"This needs the '{RightNames.ToNames(missing)[0]}' right, which the token does not carry.")));
    }
}
