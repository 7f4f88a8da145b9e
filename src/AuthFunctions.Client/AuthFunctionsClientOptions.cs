namespace AuthFunctions.Client;

/// <summary>How a client logs in to AuthFunctions.</summary>
public enum AuthFunctionsGrant
{
    /// <summary><c>POST /api/authentication/magma</c> with <see cref="AuthFunctionsClientOptions.MagmaName"/> and <see cref="AuthFunctionsClientOptions.Secret"/>.</summary>
    Magma,

    /// <summary><c>POST /oauth2/token</c>, <c>grant_type=client_credentials</c>, the magma key as the client.</summary>
    ClientCredentials,

    /// <summary><c>POST /api/authentication/magma</c> for <see cref="AuthFunctionsClientOptions.User"/>; the key needs <c>authenticate</c>.</summary>
    Delegated,

    /// <summary><c>GET /rs/authorise</c> with <see cref="AuthFunctionsClientOptions.Username"/> and <see cref="AuthFunctionsClientOptions.Password"/>.</summary>
    Password,
}

/// <summary>One AuthFunctions client: where to log in, with which credentials, and when to renew.</summary>
public sealed class AuthFunctionsClientOptions
{
    /// <summary>The AuthFunctions URL, e.g. <c>https://auth.example.com</c> (a path is kept: <c>https://host/auth/</c>).</summary>
    public Uri? BaseAddress { get; set; }

    public AuthFunctionsGrant Grant { get; set; } = AuthFunctionsGrant.Magma;

    /// <summary>The magma key's name (the <c>client_id</c> at <c>/oauth2/token</c>).</summary>
    public string? MagmaName { get; set; }

    /// <summary>The magma key's secret.</summary>
    public string? Secret { get; set; }

    /// <summary>The user a delegated login acts for.</summary>
    public AuthFunctionsUser? User { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>
    /// A token is renewed this long before it expires, or at half its lifetime if that comes later,
    /// so that a short-lived token is not fetched anew on every call.
    /// </summary>
    public TimeSpan RenewalMargin { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>The user of a delegated login: <c>sub</c> becomes <c>delegated:&lt;key&gt;:&lt;Id&gt;</c>.</summary>
public sealed class AuthFunctionsUser
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Email { get; set; }

    public string? OrganisationName { get; set; }

    /// <summary>Rights the token asks for (<c>data</c>, <c>index</c>, <c>modify</c>, <c>statistics</c>, <c>management</c>, <c>administration</c>), at most the key's.</summary>
    public IList<string> Rights { get; } = [];
}
