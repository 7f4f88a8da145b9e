using System.Buffers.Text;
using System.Security.Cryptography;
using AuthFunctions.Core.Errors;
using AuthFunctions.Core.MagmaKeys;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Storage;
using AuthFunctions.Core.Tenants;
using AuthFunctions.Core.Users;
using Microsoft.Extensions.Options;

namespace AuthFunctions.Core.Bootstrap;

/// <summary>Start-up settings (section <c>Bootstrap</c>).</summary>
public sealed class BootstrapOptions
{
    public const string Section = "Bootstrap";

    public SuperUserOptions SuperUser { get; set; } = new();

    /// <summary>Seed a demo tenant and a demo magma key on first start (the local host turns this on).</summary>
    public bool SeedDemoData { get; set; }

    /// <summary>
    /// Whether a missing super-user password may be generated and printed once. Off in Azure, where
    /// standard output is kept in the logs: there the password must come from configuration.
    /// </summary>
    public bool MayPrintGeneratedPassword { get; set; } = true;

    /// <summary>
    /// How to start afresh, told when a configured super-user password is ignored because the user
    /// exists already (the local host names <c>./run.sh --reset</c> and its data folder); none in Azure.
    /// </summary>
    public string? StartAfresh { get; set; }
}

public sealed class SuperUserOptions
{
    public const string DefaultUsername = "admin";

    public string? Username { get; set; }

    /// <summary>When absent and the super user does not exist yet, a password is generated and shown once.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// In Azure: the name of the Key Vault secret that holds the first password, read with the
    /// app's own identity at start-up, so the password never stands in an app setting.
    /// </summary>
    public string? PasswordSecretName { get; set; }
}

/// <summary>Reads start-up secrets (Key Vault in Azure); null when the secret does not exist.</summary>
public interface IBootstrapSecrets
{
    Task<string?> ReadAsync(string secretName, CancellationToken cancellationToken);
}

/// <summary>
/// Makes sure a super user exists and, locally, seeds demo data. Idempotent: what exists is left
/// alone, so a restart changes nothing. Returns what the operator must be told once (a generated
/// password, a demo secret) instead of logging it: secrets never reach a log line.
/// </summary>
public sealed class Bootstrapper(
    IUserStore users,
    UserAdministration userAdministration,
    ITenantStore tenants,
    MagmaKeyAdministration magmaKeys,
    IMagmaKeyStore magmaKeyStore,
    PasswordHashing passwordHashing,
    IOptions<BootstrapOptions> options,
    TimeProvider timeProvider,
    IBootstrapSecrets? secrets = null)
{
    public const string DemoTenantId = "demo";
    public const string DemoMagmaKeyName = "demo-server";
    public const Rights DemoMagmaKeyRights = Rights.Data | Rights.Index | Rights.Modify | Rights.Statistics | Rights.Authenticate;

    /// <summary>The actor named in the security log for what the bootstrap creates.</summary>
    public const string Actor = "bootstrap";

    private readonly BootstrapOptions options = options.Value;

    public async Task<BootstrapReport> RunAsync(CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        var username = string.IsNullOrWhiteSpace(options.SuperUser.Username) ? SuperUserOptions.DefaultUsername : options.SuperUser.Username.Trim();
        var existing = await users.FindByUsernameAsync(username, cancellationToken);
        if (existing is not null && !string.IsNullOrEmpty(options.SuperUser.Password)
            && !passwordHashing.Verify(existing.PasswordHash, options.SuperUser.Password))
        {
            // The natural mistake: a password set on a restart, after the first start made the user.
            lines.Add($"The super user '{username}' exists already; Bootstrap:SuperUser:Password is used only when it is created"
                + (string.IsNullOrWhiteSpace(options.StartAfresh) ? "." : $"; {options.StartAfresh}."));
        }

        if (existing is null)
        {
            var configured = options.SuperUser.Password;
            if (string.IsNullOrEmpty(configured) && options.SuperUser.PasswordSecretName is { Length: > 0 } secretName)
            {
                configured = secrets is null ? null : await secrets.ReadAsync(secretName, cancellationToken);
                if (string.IsNullOrEmpty(configured))
                {
                    lines.Add($"No super user '{username}' exists and the Key Vault secret '{secretName}' is missing or empty: none was created.");
                    return await FinishAsync(lines, cancellationToken);
                }
            }

            var generated = string.IsNullOrEmpty(configured);
            if (generated && !options.MayPrintGeneratedPassword)
            {
                lines.Add($"No super user '{username}' exists and Bootstrap__SuperUser__Password is not set: none was created.");
                return await FinishAsync(lines, cancellationToken);
            }

            var password = generated ? GeneratePassword() : configured!;
            var created = await userAdministration.CreateAsync(
                new NewUser { Username = username, Password = password, DisplayName = "Super user", Rights = Rights.Administration, SuperUser = true, CreatedBy = Actor },
                cancellationToken);
            if (created.Error is { Code: not ErrorCodes.Conflict } error)
            {
                throw new InvalidOperationException($"Bootstrap:SuperUser is invalid: {error.Detail}");
            }

            // A conflict: another instance starting at the same moment created it first.
            if (created.Succeeded)
            {
                lines.Add(generated
                    ? $"Created super user '{username}' with the generated password: {password}  (shown once; set Bootstrap__SuperUser__Password to choose it)"
                    : $"Created super user '{username}' with the configured password.");
            }
        }

        return await FinishAsync(lines, cancellationToken);
    }

    private async Task<BootstrapReport> FinishAsync(List<string> lines, CancellationToken cancellationToken)
    {
        if (options.SeedDemoData)
        {
            await SeedDemoAsync(lines, cancellationToken);
        }

        return new BootstrapReport(lines);
    }

    private async Task SeedDemoAsync(List<string> lines, CancellationToken cancellationToken)
    {
        // Read first: a restart finds it, and a write that conflicts is logged by the storage client as a failure.
        if (await tenants.FindAsync(DemoTenantId, cancellationToken) is null
            && await tenants.AddAsync(new Tenant { Id = DemoTenantId, Name = "Demo tenant", CreatedAt = timeProvider.GetUtcNow() }, cancellationToken) == WriteResult.Written)
        {
            lines.Add($"Created demo tenant '{DemoTenantId}'.");
        }

        if (await magmaKeyStore.FindAsync(DemoMagmaKeyName, cancellationToken) is not null)
        {
            return;
        }

        var created = await magmaKeys.CreateAsync(
            new NewMagmaKey { Name = DemoMagmaKeyName, Rights = DemoMagmaKeyRights, TenantId = DemoTenantId, CreatedBy = Actor },
            cancellationToken);
        if (created.Value is { } key)
        {
            lines.Add($"Created demo magma key '{key.Name}' for tenant '{DemoTenantId}' with the secret: {key.Secret}  (shown once)");
        }
    }

    private static string GeneratePassword()
    {
        Span<byte> random = stackalloc byte[18];
        RandomNumberGenerator.Fill(random);
        return Base64Url.EncodeToString(random);
    }
}

/// <summary>What the bootstrap did, for the host to print once to the console (never to the log).</summary>
public sealed record BootstrapReport(IReadOnlyList<string> Lines);
