using System.Text.Json;
using System.Text.RegularExpressions;

namespace AuthFunctions.Tests.Infra;

/// <summary>
/// What the compiled ARM template of infra/main.bicep must say, checked structurally: every
/// resource of every module, with the template's variables resolved where a value names one.
/// Returns the rules that are broken; none for a good template.
/// </summary>
internal static partial class DeploymentRules
{
    /// <summary>Role definition ids the app's identity must hold, by name.</summary>
    public static readonly IReadOnlyDictionary<string, string> RequiredRoles = new Dictionary<string, string>
    {
        ["Storage Blob Data Owner"] = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
        ["Storage Table Data Contributor"] = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
        ["Key Vault Secrets Officer"] = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
        ["Monitoring Metrics Publisher"] = "3913510d-42f4-4e42-8a64-420c390055eb",
    };

    private static readonly string[] ForbiddenSettings = ["FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "APPINSIGHTS_INSTRUMENTATIONKEY", "AzureWebJobsStorage"];

    public static List<string> Check(JsonElement template)
    {
        var broken = new List<string>();
        var resources = new List<(JsonElement Resource, IReadOnlyDictionary<string, string> Variables)>();
        Collect(template, resources);

        JsonElement Single(string type)
        {
            var found = resources.Where(r => Type(r.Resource) == type).Select(r => r.Resource).ToList();
            if (found.Count != 1)
            {
                broken.Add($"expected exactly one {type}, found {found.Count}");
                return default;
            }

            return found[0];
        }

        void Expect(JsonElement resource, string path, object expected)
        {
            if (resource.ValueKind == JsonValueKind.Undefined)
            {
                return;
            }

            var value = At(resource, path);
            var actual = value?.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.String => value.Value.GetString(),
                JsonValueKind.Number => (object?)value.Value.GetInt32(),
                _ => null,
            };
            if (!Equals(actual, expected))
            {
                broken.Add($"{Type(resource)} {path} must be {expected}, is {actual ?? "absent"}");
            }
        }

        var storage = Single("Microsoft.Storage/storageAccounts");
        Expect(storage, "properties.supportsHttpsTrafficOnly", true);
        Expect(storage, "properties.minimumTlsVersion", "TLS1_2");
        Expect(storage, "properties.allowBlobPublicAccess", false);
        Expect(storage, "properties.allowSharedKeyAccess", false);

        var vault = Single("Microsoft.KeyVault/vaults");
        Expect(vault, "properties.enableRbacAuthorization", true);
        Expect(vault, "properties.enableSoftDelete", true);
        Expect(vault, "properties.enablePurgeProtection", true);

        Single("Microsoft.OperationalInsights/workspaces");
        Expect(Single("Microsoft.Insights/components"), "properties.DisableLocalAuth", true);
        Expect(Single("Microsoft.Web/serverfarms"), "sku.name", "FC1");

        var site = Single("Microsoft.Web/sites");
        Expect(site, "identity.type", "SystemAssigned");
        Expect(site, "properties.httpsOnly", true);
        Expect(site, "properties.functionAppConfig.runtime.name", "dotnet-isolated");
        Expect(site, "properties.functionAppConfig.runtime.version", "10.0");
        Expect(site, "properties.functionAppConfig.deployment.storage.authentication.type", "SystemAssignedIdentity");
        if (site.ValueKind != JsonValueKind.Undefined && At(site, "properties.siteConfig.appSettings") is not null)
        {
            broken.Add("app settings belong in the sites/config 'appsettings' resource, not in siteConfig");
        }

        var settings = Single("Microsoft.Web/sites/config");
        if (settings.ValueKind != JsonValueKind.Undefined)
        {
            CheckSettings(settings.GetProperty("properties"), broken);
        }

        var assigned = resources
            .Where(r => Type(r.Resource) == "Microsoft.Authorization/roleAssignments")
            .Select(r => Resolve(r.Resource.GetProperty("properties").GetProperty("roleDefinitionId").GetString()!, r.Variables))
            .ToList();
        foreach (var (role, id) in RequiredRoles)
        {
            if (!assigned.Any(a => a.Contains(id, StringComparison.OrdinalIgnoreCase)))
            {
                broken.Add($"no role assignment of {role} ({id})");
            }
        }

        return broken;
    }

    private static void CheckSettings(JsonElement settings, List<string> broken)
    {
        var values = settings.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        foreach (var name in ForbiddenSettings.Where(values.ContainsKey))
        {
            broken.Add($"app setting {name} must not be set on Flex Consumption with identity-based storage");
        }

        void Require(string name, string? expected = null)
        {
            if (!values.TryGetValue(name, out var value))
            {
                broken.Add($"app setting {name} is missing");
            }
            else if (expected is not null && value.GetString() != expected)
            {
                broken.Add($"app setting {name} must be '{expected}'");
            }
        }

        Require("AzureWebJobsStorage__credential", "managedidentity");
        Require("AzureWebJobsStorage__blobServiceUri");
        Require("AzureWebJobsStorage__queueServiceUri");
        Require("AzureWebJobsStorage__tableServiceUri");
        Require("APPLICATIONINSIGHTS_CONNECTION_STRING");
        Require("APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "Authorization=AAD");
        Require("KeyVault__Uri");
        Require("Storage__TableServiceUri");
        Require("Keys__Store", "KeyVault");
        Require("Auth__Issuer");
        Require("Auth__Audience");

        foreach (var (name, value) in values)
        {
            if (SecretName().IsMatch(name) && !ReferenceName().IsMatch(name)
                && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text && !text.StartsWith('['))
            {
                broken.Add($"app setting {name} holds a literal value: a secret belongs in Key Vault");
            }
        }
    }

    /// <summary>Names that suggest a secret: password, secret, key, token, connection string, SAS.</summary>
    [GeneratedRegex(@"password|secret|connection_?string|apikey|accountkey|token|sas|(^|_)key($|_)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    /// <summary>Settings that name or locate a secret rather than hold one.</summary>
    [GeneratedRegex(@"(name|uri|__credential)$", RegexOptions.IgnoreCase)]
    private static partial Regex ReferenceName();

    private static void Collect(JsonElement template, List<(JsonElement, IReadOnlyDictionary<string, string>)> into)
    {
        var variables = template.TryGetProperty("variables", out var v)
            ? v.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Name, p => p.Value.GetString()!)
            : [];
        var resources = template.GetProperty("resources");
        var list = resources.ValueKind == JsonValueKind.Object ? resources.EnumerateObject().Select(p => p.Value) : resources.EnumerateArray();
        foreach (var resource in list)
        {
            if (Type(resource) == "Microsoft.Resources/deployments")
            {
                Collect(resource.GetProperty("properties").GetProperty("template"), into);
            }
            else
            {
                into.Add((resource, variables));
            }
        }
    }

    private static string Resolve(string expression, IReadOnlyDictionary<string, string> variables) =>
        VariableReference().Replace(expression, m => variables.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    [GeneratedRegex(@"variables\('([^']+)'\)")]
    private static partial Regex VariableReference();

    private static string Type(JsonElement resource) => resource.GetProperty("type").GetString()!;

    private static JsonElement? At(JsonElement element, string path)
    {
        foreach (var part in path.Split('.'))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(part, out element))
            {
                return null;
            }
        }

        return element;
    }
}
