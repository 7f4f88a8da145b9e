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

    public override string Challenge(AuthError? failure) => ChallengeFor(failure);

    /// <summary>
    /// RFC 6750 §3: no error when no token was sent (§3.1); otherwise <c>error="invalid_token"</c> and the
    /// failure's detail as <c>error_description</c>, the same text as the problem body's <c>detail</c>.
    /// </summary>
    public static string ChallengeFor(AuthError? failure) => failure is null
        ? "Bearer realm=\"AuthFunctions\""
        : $"Bearer realm=\"AuthFunctions\", error=\"{ErrorCodes.InvalidToken}\", error_description=\"{QuotedStringContent(failure.Detail)}\"";

    /// <summary>
    /// RFC 6750 §3: error_description is %x20-21 / %x23-5B / %x5D-7E, so no <c>"</c> or <c>\</c> to escape.
    /// Our descriptions are written that way (<see cref="TokenRefusals"/>); this only keeps the header
    /// well-formed should one ever not be.
    /// </summary>
    internal static string QuotedStringContent(string description) =>
        string.Create(description.Length, description, static (chars, text) =>
        {
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                chars[i] = c switch
                {
                    '"' => '\'',
                    '\\' => '/',
                    >= ' ' and <= '~' => c,
                    _ => '?',
                };
            }
        });

    public override async Task<Outcome<Caller>> AuthenticateAsync(string credentials, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var validator = context.RequestServices.GetRequiredService<TokenValidator>();
        var outcome = await validator.ValidateAsync(credentials, context.RequestAborted);
        return outcome.Succeeded ? Caller.From(outcome.Value) : outcome.Error;
    }
}
