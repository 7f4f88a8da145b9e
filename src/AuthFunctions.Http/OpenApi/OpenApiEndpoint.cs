using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using AuthFunctions.Core.Principals;
using AuthFunctions.Http.Authentication;
using AuthFunctions.Http.Discovery;
using AuthFunctions.Http.Json;
using AuthFunctions.Http.Problems;
using AuthFunctions.Http.Requests;
using AuthFunctions.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace AuthFunctions.Http.OpenApi;

/// <summary>
/// <c>GET /openapi.json</c>: an OpenAPI 3.1 document generated from the route table (methods, paths,
/// path parameters, JSON bodies, credential schemes and rights) and <see cref="RouteContracts"/> (answers,
/// query and form parameters), built once. The repository keeps the same bytes in <c>docs/openapi.json</c>.
/// </summary>
public static partial class OpenApiEndpoint
{
    public const string Name = "OpenApi";

    public const string Pattern = "openapi.json";

    /// <summary>The Function app's function of this route.</summary>
    public static IReadOnlyList<FunctionRoute> Functions { get; } = [new(Name, Pattern)];

    public static IReadOnlyList<AuthRoute> Routes { get; } = [new(Name, HttpMethods.Get, Pattern, RouteAccess.Anonymous, ServeAsync)];

    private static readonly Lazy<byte[]> Document = new(() => Build(RouteTable.All));

    /// <summary>The document as served: indented JSON with a final newline.</summary>
    public static byte[] Bytes => Document.Value;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static Task<IResult> ServeAsync(RouteCall call)
    {
        call.Response.Headers.CacheControl = DiscoveryEndpoints.CacheControl;
        return Task.FromResult<IResult>(TypedResults.Bytes(Document.Value, "application/json"));
    }

    internal static byte[] Build(IReadOnlyList<AuthRoute> routes)
    {
        var schemas = new JsonObject();
        var paths = new JsonObject();
        foreach (var route in routes)
        {
            var contract = RouteContracts.ByRoute.TryGetValue(route.Name, out var known)
                ? known
                : throw new InvalidOperationException($"The route '{route.Name}' has no contract in {nameof(RouteContracts)}.");
            var path = "/" + PathParameter().Replace(route.Template, "{${name}}");
            if (paths[path] is not JsonObject item)
            {
                paths[path] = item = [];
            }

            item[route.Method.ToLowerInvariant()] = Operation(route, contract, schemas);
        }

        var document = new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = "AuthFunctions",
                ["version"] = "1.0.0",
                ["description"] = "Turns credentials into short-lived JWT access tokens (RFC 9068), tells callers what a token means, and manages users, tenants, keys and plugins. Errors are RFC 9457 problem details; the OAuth endpoints answer RFC 6749 §5.2 errors.",
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = "/" }),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas,
                ["responses"] = new JsonObject
                {
                    ["Problem"] = Answer("A problem (RFC 9457).", ProblemResult.ContentType, Reference(AuthJson.Default.ProblemBody, schemas)),
                    ["OAuthError"] = Answer("An OAuth error (RFC 6749 §5.2).", "application/json", Reference(AuthJson.Default.OAuthErrorResponse, schemas)),
                },
                ["securitySchemes"] = new JsonObject
                {
                    ["bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["bearerFormat"] = "JWT", ["description"] = "One of our access tokens (`at+jwt`)." },
                    [RouteContracts.BasicScheme] = new JsonObject { ["type"] = "http", ["scheme"] = "basic", ["description"] = "A user's username and password." },
                    ["plugin"] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = "Authorization", ["description"] = "`Plugin base64(pluginId:pluginToken)`: a plugin acting for itself." },
                    ["pluginConnection"] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = "Authorization", ["description"] = "`PluginConnection base64(connectionId:connectionToken)`: a plugin acting in the one tenant that installed it." },
                    [RouteContracts.OAuthClientScheme] = new JsonObject { ["type"] = "http", ["scheme"] = "basic", ["description"] = "OAuth client authentication with a magma key: its name and secret with Basic (`client_secret_basic`), or as `client_id` and `client_secret` in the form (`client_secret_post`)." },
                },
            },
        };
        return JsonSerializer.SerializeToUtf8Bytes(document, Indented).Concat("\n"u8.ToArray()).ToArray();
    }

    private static JsonObject Operation(AuthRoute route, RouteContract contract, JsonObject schemas)
    {
        var description = route.Access.Rights == Rights.None
            ? null
            : $"Needs the right{(RightNames.ToNames(route.Access.Rights).Count > 1 ? "s" : string.Empty)} {string.Join(", ", RightNames.ToNames(route.Access.Rights).Select(r => $"`{r}`"))}.";
        var operation = new JsonObject { ["operationId"] = route.Name, ["summary"] = contract.Summary };
        if (description is not null)
        {
            operation["description"] = description;
        }

        var parameters = new JsonArray();
        foreach (Match parameter in PathParameter().Matches(route.Template))
        {
            parameters.Add(Parameter(parameter.Groups["name"].Value, "path", required: true, description: null));
        }

        foreach (var field in contract.Query)
        {
            parameters.Add(Parameter(field.Name, "query", field.Required, field.Description));
        }

        if (contract.Paged)
        {
            parameters.Add(Parameter(Listing.LimitParameter, "query", required: false, "Rows per page, 1–1000 (default 100).", integer: true));
            parameters.Add(Parameter(Listing.ContinuationParameter, "query", required: false, "The opaque token of the previous page's `Continuation-Token` (or `Link rel=next`)."));
        }

        if (parameters.Count > 0)
        {
            operation["parameters"] = parameters;
        }

        if (route.RequestBody is { } body)
        {
            operation["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Reference(body, schemas) } },
            };
        }
        else if (contract.Form is { } form)
        {
            var properties = new JsonObject();
            foreach (var field in form)
            {
                properties[field.Name] = new JsonObject { ["type"] = "string", ["description"] = field.Description };
            }

            operation["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject
                {
                    ["application/x-www-form-urlencoded"] = new JsonObject
                    {
                        ["schema"] = new JsonObject
                        {
                            ["type"] = "object",
                            ["properties"] = properties,
                            ["required"] = new JsonArray(form.Where(f => f.Required).Select(f => (JsonNode)f.Name).ToArray()),
                        },
                    },
                },
            };
        }

        var security = new JsonArray();
        foreach (var scheme in contract.Security ?? route.Access.Schemes.Select(SchemeName).ToList())
        {
            security.Add(new JsonObject { [scheme] = new JsonArray() });
        }

        operation["security"] = security;
        var responses = new JsonObject { [contract.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Success(contract, schemas) };
        if (contract.AlsoStatus is { } also)
        {
            responses[also.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Success(contract, schemas);
        }

        var errors = contract.OAuthErrors ? "OAuthError" : "Problem";
        responses["4XX"] = new JsonObject { ["$ref"] = "#/components/responses/" + errors };
        responses["5XX"] = new JsonObject { ["$ref"] = "#/components/responses/Problem" };
        operation["responses"] = responses;
        return operation;
    }

    private static JsonObject Success(RouteContract contract, JsonObject schemas)
    {
        var answer = contract.Status switch
        {
            201 => new JsonObject { ["description"] = "Created." },
            204 => new JsonObject { ["description"] = "Done; no content." },
            _ => new JsonObject { ["description"] = "OK." },
        };
        if (contract.Response is { } response)
        {
            var schema = Reference(response, schemas);
            if (contract.OrResponse is { } other)
            {
                schema = new JsonObject { ["anyOf"] = new JsonArray(schema, Reference(other, schemas)) };
            }

            answer["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schema } };
        }
        else if (contract.ResponseMediaType is { } mediaType)
        {
            answer["content"] = new JsonObject { [mediaType] = new JsonObject() };
        }

        if (contract.Paged)
        {
            answer["headers"] = new JsonObject
            {
                ["Link"] = new JsonObject { ["description"] = "`<…>; rel=\"next\"` (RFC 8288) when more rows follow.", ["schema"] = new JsonObject { ["type"] = "string" } },
                [Listing.ContinuationHeader] = new JsonObject { ["description"] = "The next page's continuation token, when more rows follow.", ["schema"] = new JsonObject { ["type"] = "string" } },
            };
        }

        return answer;
    }

    private static JsonObject Answer(string description, string mediaType, JsonNode schema) => new()
    {
        ["description"] = description,
        ["content"] = new JsonObject { [mediaType] = new JsonObject { ["schema"] = schema } },
    };

    private static JsonObject Parameter(string name, string location, bool required, string? description, bool integer = false)
    {
        var parameter = new JsonObject
        {
            ["name"] = name,
            ["in"] = location,
            ["required"] = required,
            ["schema"] = new JsonObject { ["type"] = integer ? "integer" : "string" },
        };
        if (description is not null)
        {
            parameter["description"] = description;
        }

        return parameter;
    }

    /// <summary>A reference to the type's schema in <c>components</c> (added there once); lists and dictionaries inline around it.</summary>
    private static JsonNode Reference(JsonTypeInfo type, JsonObject schemas)
    {
        if (type.Kind == JsonTypeInfoKind.Enumerable && type.ElementType is { } element)
        {
            return new JsonObject { ["type"] = "array", ["items"] = Reference(type.Options.GetTypeInfo(element), schemas) };
        }

        if (type.Kind == JsonTypeInfoKind.Dictionary)
        {
            return JsonSchemaExporter.GetJsonSchemaAsNode(type, ExporterOptions);
        }

        var name = type.Type.Name;
        if (!schemas.ContainsKey(name))
        {
            schemas[name] = JsonSchemaExporter.GetJsonSchemaAsNode(type, ExporterOptions);
        }

        return new JsonObject { ["$ref"] = "#/components/schemas/" + name };
    }

    /// <summary>
    /// Null members are left out of what we write (<c>WhenWritingNull</c>), so a member that may be null is
    /// not required: a client validating our answers must accept its absence.
    /// </summary>
    private static readonly JsonSchemaExporterOptions ExporterOptions = new()
    {
        TreatNullObliviousAsNonNullable = true,
        TransformSchemaNode = (_, schema) =>
        {
            if (schema is JsonObject { } node && node["required"] is JsonArray required && node["properties"] is JsonObject properties)
            {
                foreach (var name in required.Select(n => (string)n!).Where(n => MayBeNull(properties[n])).ToList())
                {
                    required.Remove(required.First(n => (string)n! == name));
                }
            }

            return schema;
        },
    };

    private static bool MayBeNull(JsonNode? property) =>
        property?["type"] is JsonArray types && types.Any(t => (string?)t == "null");

    private static string SchemeName(AuthScheme scheme) => scheme switch
    {
        BearerScheme => "bearer",
        PluginScheme => "plugin",
        PluginConnectionScheme => "pluginConnection",
        _ => throw new InvalidOperationException($"The scheme {scheme.Name} has no OpenAPI security scheme."),
    };

    /// <summary>A template's parameter, <c>{name}</c>, <c>{name:constraint}</c> or the catch-all <c>{*name}</c>.</summary>
    [GeneratedRegex(@"\{\*?(?<name>[A-Za-z][A-Za-z0-9]*)(:[^}]*)?\}")]
    private static partial Regex PathParameter();
}
