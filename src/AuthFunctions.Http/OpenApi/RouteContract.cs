using System.Text.Json.Serialization.Metadata;

namespace AuthFunctions.Http.OpenApi;

/// <summary>
/// What the route table cannot say about a route: its summary, its answer and the parameters a handler
/// reads by itself. Method, path, path parameters, JSON request body and credential schemes come from
/// the route table; <see cref="RouteContracts"/> holds one of these per route name.
/// </summary>
internal sealed record RouteContract(string Summary)
{
    /// <summary>The status of a success.</summary>
    public int Status { get; init; } = 200;

    /// <summary>Another success status with the same answer (e.g. 204 when a PUT replaced).</summary>
    public int? AlsoStatus { get; init; }

    /// <summary>The JSON answer of a success; null: none, or <see cref="ResponseMediaType"/> without schema.</summary>
    public JsonTypeInfo? Response { get; init; }

    /// <summary>A second JSON shape the success may take (introspection: inactive).</summary>
    public JsonTypeInfo? OrResponse { get; init; }

    /// <summary>A non-JSON answer's media type.</summary>
    public string? ResponseMediaType { get; init; }

    /// <summary>A paged listing: <c>limit</c>, <c>continuationToken</c>, and the <c>Link</c> and <c>Continuation-Token</c> headers.</summary>
    public bool Paged { get; init; }

    /// <summary>Query parameters the handler reads (besides paging).</summary>
    public IReadOnlyList<Field> Query { get; init; } = [];

    /// <summary>An <c>application/x-www-form-urlencoded</c> body (the OAuth endpoints).</summary>
    public IReadOnlyList<Field>? Form { get; init; }

    /// <summary>Credentials checked by the handler itself, where the route table says anonymous (Basic at /rs/authorise, OAuth client authentication).</summary>
    public IReadOnlyList<string>? Security { get; init; }

    /// <summary>Errors are RFC 6749 §5.2 JSON (<c>error</c>, <c>error_description</c>), not problem details.</summary>
    public bool OAuthErrors { get; init; }

    /// <summary>A parameter: its name, whether it is required, what it means.</summary>
    internal sealed record Field(string Name, bool Required, string Description);
}
