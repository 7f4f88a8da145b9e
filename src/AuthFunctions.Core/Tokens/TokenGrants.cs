namespace AuthFunctions.Core.Tokens;

/// <summary>Values of the <c>grant</c> claim: how a token was obtained.</summary>
public static class TokenGrants
{
    public const string Magma = "magma";
    public const string Delegated = "delegated";
    public const string License = "license";
    public const string Password = "password";
    public const string ApiToken = "api_token";
    public const string ClientCredentials = "client_credentials";
    public const string TokenExchange = "token_exchange";
}
