using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AuthFunctions.Tests.Fakes;

/// <summary>
/// An in-memory Key Vault secrets endpoint, as much of the REST API as the signing-key store uses
/// (list versions, get, set, update), behind the challenge that the real SecretClient expects.
/// </summary>
internal sealed class FakeKeyVault : HttpMessageHandler
{
    public const string VaultUri = "https://test.vault.azure.net/";

    private readonly Lock gate = new();
    private readonly List<Version> versions = [];
    private long clock = 1_795_000_000;

    /// <summary>Answer every request with 503 (the vault is down).</summary>
    public bool Unavailable { get; set; }

    /// <summary>Called before a PUT is stored: lets a test slip in another writer's version.</summary>
    public Action<FakeKeyVault, JsonObject>? BeforeSet { get; set; }

    public List<string> Patches { get; } = [];

    public IReadOnlyList<Version> Versions
    {
        get
        {
            lock (gate)
            {
                return [.. versions];
            }
        }
    }

    /// <summary>Adds a version directly, with a creation time earlier than any later one.</summary>
    public Version Add(string name, string value, IDictionary<string, string> tags, bool enabled = true, long? expires = null)
    {
        lock (gate)
        {
            var version = new Version(name, Guid.NewGuid().ToString("N"), value, new Dictionary<string, string>(tags), ++clock) { Enabled = enabled, Expires = expires };
            versions.Add(version);
            return version;
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.Authorization is null)
        {
            // The client's challenge-based authentication first asks without a token.
            var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized);
            challenge.Headers.TryAddWithoutValidation("WWW-Authenticate", "Bearer authorization=\"https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000\", resource=\"https://vault.azure.net\"");
            return challenge;
        }

        if (Unavailable)
        {
            return Json(HttpStatusCode.ServiceUnavailable, new JsonObject { ["error"] = new JsonObject { ["code"] = "ServiceUnavailable", ["message"] = "down" } });
        }

        var segments = request.RequestUri!.AbsolutePath.Trim('/').Split('/');
        var body = request.Content is null ? null : JsonNode.Parse(await request.Content.ReadAsStringAsync(cancellationToken))?.AsObject();
        if (request.Method == HttpMethod.Put)
        {
            BeforeSet?.Invoke(this, body!);
        }

        lock (gate)
        {
            return (request.Method.Method, segments) switch
            {
                ("GET", ["secrets", var name, "versions"]) => List(name),
                ("GET", ["secrets", var name]) => versions.LastOrDefault(v => v.Name == name && v.Enabled) is { } latest ? Json(HttpStatusCode.OK, Bundle(latest, withValue: true)) : NotFound(),
                ("GET", ["secrets", var name, var id]) => Find(name, id) is { } v ? Json(HttpStatusCode.OK, Bundle(v, withValue: true)) : NotFound(),
                ("PUT", ["secrets", var name]) => Set(name, body!),
                ("PATCH", ["secrets", var name, var id]) => Update(name, id, body!),
                _ => Json(HttpStatusCode.BadRequest, new JsonObject { ["error"] = new JsonObject { ["code"] = "BadRequest", ["message"] = request.RequestUri.ToString() } }),
            };
        }
    }

    private HttpResponseMessage List(string name)
    {
        var items = versions.Where(v => v.Name == name).ToList();
        if (items.Count == 0)
        {
            return NotFound();
        }

        var array = new JsonArray([.. items.Select(v => (JsonNode)Bundle(v, withValue: false))]);
        return Json(HttpStatusCode.OK, new JsonObject { ["value"] = array, ["nextLink"] = null });
    }

    private HttpResponseMessage Set(string name, JsonObject body)
    {
        var tags = body["tags"]?.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()) ?? [];
        var expires = body["attributes"]?["exp"]?.GetValue<long>();
        var version = new Version(name, Guid.NewGuid().ToString("N"), body["value"]!.GetValue<string>(), tags, ++clock)
        {
            Expires = expires,
            ContentType = body["contentType"]?.GetValue<string>(),
        };
        versions.Add(version);
        return Json(HttpStatusCode.OK, Bundle(version, withValue: true));
    }

    private HttpResponseMessage Update(string name, string id, JsonObject body)
    {
        if (Find(name, id) is not { } version)
        {
            return NotFound();
        }

        Patches.Add(id);
        if (body["attributes"]?["enabled"] is { } enabled)
        {
            version.Enabled = enabled.GetValue<bool>();
        }

        return Json(HttpStatusCode.OK, Bundle(version, withValue: false));
    }

    private Version? Find(string name, string id) => versions.FirstOrDefault(v => v.Name == name && v.Id == id);

    private static JsonObject Bundle(Version version, bool withValue)
    {
        var attributes = new JsonObject { ["enabled"] = version.Enabled, ["created"] = version.Created, ["updated"] = version.Created, ["recoveryLevel"] = "Recoverable" };
        if (version.Expires is { } expires)
        {
            attributes["exp"] = expires;
        }

        var bundle = new JsonObject
        {
            ["id"] = $"{VaultUri}secrets/{version.Name}/{version.Id}",
            ["attributes"] = attributes,
            ["tags"] = new JsonObject([.. version.Tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))]),
        };
        if (version.ContentType is not null)
        {
            bundle["contentType"] = version.ContentType;
        }

        if (withValue)
        {
            bundle["value"] = version.Value;
        }

        return bundle;
    }

    private static HttpResponseMessage NotFound() =>
        Json(HttpStatusCode.NotFound, new JsonObject { ["error"] = new JsonObject { ["code"] = "SecretNotFound", ["message"] = "A secret with (name/id) was not found in this key vault." } });

    private static HttpResponseMessage Json(HttpStatusCode status, JsonNode body) =>
        new(status) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };

    internal sealed class Version(string name, string id, string value, Dictionary<string, string> tags, long created)
    {
        public string Name { get; } = name;

        public string Id { get; } = id;

        public string Value { get; } = value;

        public Dictionary<string, string> Tags { get; } = tags;

        public long Created { get; } = created;

        public bool Enabled { get; set; } = true;

        public long? Expires { get; set; }

        public string? ContentType { get; set; }
    }
}
