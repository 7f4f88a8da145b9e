using AuthFunctions.Core.Errors;

namespace AuthFunctions.Core.Tokens;

/// <summary>
/// Why one of our access tokens was refused: one <c>invalid_token</c> per failed check, its detail sent
/// as the problem's <c>detail</c> and as <c>error_description</c> in the Bearer challenge (RFC 6750 §3).
/// Each names only something the token's holder can already see in the token (its <c>exp</c>, <c>nbf</c>,
/// <c>aud</c>, <c>iss</c>, <c>kid</c>, <c>typ</c>, <c>alg</c>) or in our public discovery and JWKS
/// documents, never a value of ours or of the token, and never the state of an account: every reason a
/// live token is cut off (revoked, its key or user deleted or disabled, a right or membership taken
/// away, a password reset, a purged record) is the one <see cref="Revoked"/>.
/// Printable ASCII without <c>"</c> or <c>\</c>, as RFC 6750 §3 requires of <c>error_description</c>.
/// </summary>
public static class TokenRefusals
{
    /// <summary>Not three canonical base64url segments of a JWS, or not our canonical form, or lacking our claims.</summary>
    public static readonly AuthError Malformed = AuthError.InvalidToken("The access token is malformed.");

    /// <summary><c>typ</c> is not at+jwt or <c>alg</c> is not ES256/RS256 (both in the token's own header).</summary>
    public static readonly AuthError UnsupportedType = AuthError.InvalidToken("The access token is not an at+jwt signed with ES256 or RS256.");

    /// <summary><c>exp</c> (+60 s of skew) has passed.</summary>
    public static readonly AuthError Expired = AuthError.InvalidToken("The access token has expired.");

    /// <summary><c>nbf</c> or <c>iat</c> is more than 60 s ahead of our clock.</summary>
    public static readonly AuthError NotYetValid = AuthError.InvalidToken("The access token is not valid yet.");

    /// <summary><c>aud</c> is not ours.</summary>
    public static readonly AuthError WrongAudience = AuthError.InvalidToken("The access token is for another audience.");

    /// <summary><c>iss</c> is not ours.</summary>
    public static readonly AuthError WrongIssuer = AuthError.InvalidToken("The access token is from another issuer.");

    /// <summary>The <c>kid</c> is missing or names no key in our JWKS.</summary>
    public static readonly AuthError UnknownKey = AuthError.InvalidToken("The access token is signed with a key that is not in our JWKS.");

    /// <summary>The key is ours but the signature does not verify (or is the high-S twin of one that does).</summary>
    public static readonly AuthError BadSignature = AuthError.InvalidToken("The access token's signature is invalid.");

    /// <summary>Revoked, unrecorded, or issued before a cut-off of its principal: one answer for all, so no account state leaks.</summary>
    public static readonly AuthError Revoked = AuthError.InvalidToken("The access token has been revoked.");
}
