using System.Text.Json;
using System.Text.RegularExpressions;
using AuthFunctions.Tests.Infrastructure;

namespace AuthFunctions.Tests.Infra;

/// <summary>infra/ compiled and linted by the real Bicep compiler, then checked structurally.</summary>
public sealed partial class BicepTemplateTests
{
    private static readonly string InfraFolder = Path.Combine(RepositoryPaths.Root, "infra");

    public static TheoryData<string> BicepFiles() =>
        [.. Directory.GetFiles(InfraFolder, "*.bicep", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(InfraFolder, f)).Order()];

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public async Task Every_template_lints_without_a_single_diagnostic(string file)
    {
        var lint = await Bicep.RunAsync("lint", Path.Combine(InfraFolder, file));

        Assert.True(lint.ExitCode == 0 && lint.Errors.Trim().Length == 0 && lint.Output.Trim().Length == 0, lint.Errors + lint.Output);
    }

    [Fact]
    public async Task The_deployment_and_its_parameters_build_without_a_single_diagnostic()
    {
        var build = await Bicep.RunAsync("build", Path.Combine(InfraFolder, "main.bicep"), "--stdout");
        var parameters = await Bicep.RunAsync("build-params", Path.Combine(InfraFolder, "main.bicepparam"), "--stdout");

        Assert.True(build.ExitCode == 0 && build.Errors.Trim().Length == 0, build.Errors);
        Assert.True(parameters.ExitCode == 0 && parameters.Errors.Trim().Length == 0, parameters.Errors);
    }

    [Fact]
    public async Task The_compiled_template_meets_every_deployment_rule()
    {
        var template = await CompileAsync(InfraFolder);

        Assert.Empty(DeploymentRules.Check(template.Template));
    }

    [Fact]
    public void Every_role_definition_id_in_the_templates_is_named_in_a_comment()
    {
        foreach (var file in Directory.GetFiles(InfraFolder, "*.bicep", SearchOption.AllDirectories))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                foreach (Match id in RoleId().Matches(lines[i]))
                {
                    var role = DeploymentRules.RequiredRoles.SingleOrDefault(r => r.Value == id.Value).Key;
                    Assert.True(role is not null, $"{file}:{i + 1}: {id.Value} is not a role we expect");
                    var comment = string.Join("\n", lines[Math.Max(0, i - 2)..(i + 1)]);
                    Assert.True(comment.Contains("// " + role, StringComparison.Ordinal), $"{file}:{i + 1}: role {id.Value} is not named '{role}' in a comment");
                }
            }
        }
    }

    public static TheoryData<string, string, string, string> BrokenCopies() => new()
    {
        // file, text to find, its replacement, what must be reported
        { "modules/storage.bicep", "allowSharedKeyAccess: false", "allowSharedKeyAcess: false", "The property \"allowSharedKeyAcess\" is not allowed" },
        { "modules/functionapp.bicep", "    Auth__Audience: audience\n", "    Auth__Audience: audience\n    Auth__ClientSecret: 'hunter2-in-plain-text'\n", "Auth__ClientSecret holds a literal value" },
        { "modules/roles.bicep", "roleDefinitions', keyVaultSecretsOfficer)", "roleDefinitions', storageTableDataContributor)", "no role assignment of Key Vault Secrets Officer" },
        { "modules/storage.bicep", "allowSharedKeyAccess: false", "allowSharedKeyAccess: true", "allowSharedKeyAccess must be False" },
        { "modules/keyvault.bicep", "enablePurgeProtection: true", "enablePurgeProtection: false", "enablePurgeProtection must be True" },
        { "modules/functionapp.bicep", "    Keys__Store: 'KeyVault'\n", "    Keys__Store: 'KeyVault'\n    FUNCTIONS_WORKER_RUNTIME: 'dotnet-isolated'\n", "FUNCTIONS_WORKER_RUNTIME must not be set" },
        { "modules/functionapp.bicep", "value: '${blobEndpoint}${deploymentContainerName}'", "value: 'https://x.blob.core.windows.net/${deploymentContainerName}'", "no-hardcoded-env-urls" },
    };

    [Theory]
    [MemberData(nameof(BrokenCopies))]
    public async Task A_deliberately_broken_copy_is_caught(string file, string find, string replace, string reported)
    {
        var copy = Path.Combine(Path.GetTempPath(), "authfn-infra-" + System.Guid.NewGuid().ToString("N"));
        try
        {
            CopyFolder(InfraFolder, copy);
            var path = Path.Combine(copy, file);
            var text = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
            Assert.Contains(find, text, StringComparison.Ordinal);
            await File.WriteAllTextAsync(path, text.Replace(find, replace, StringComparison.Ordinal), TestContext.Current.CancellationToken);

            var compiled = await CompileAsync(copy);
            var findings = compiled.Diagnostics + "\n" + string.Join("\n", compiled.Template.ValueKind == JsonValueKind.Undefined ? [] : DeploymentRules.Check(compiled.Template));

            Assert.Contains(reported, findings, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    private static async Task<(JsonElement Template, string Diagnostics)> CompileAsync(string folder)
    {
        var build = await Bicep.RunAsync("build", Path.Combine(folder, "main.bicep"), "--stdout");
        var template = build.ExitCode == 0 ? JsonDocument.Parse(build.Output).RootElement.Clone() : default;
        return (template, build.Errors);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(directory.Replace(from, to, StringComparison.Ordinal));
        }

        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
        }
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex RoleId();
}
