using AuthFunctions.Core.Licenses;

namespace AuthFunctions.LocalHost.Development;

/// <summary>
/// Locally, when no license system is configured, the local host trusts a development one: issuer
/// <see cref="Issuer"/>, audience <see cref="Audience"/>, and the key <see cref="KeyName"/> in the
/// development key folder (made on first start), so license tokens can be signed with
/// <c>tools/DevKeys</c> and the license walk-through runs. A configured license system always wins;
/// the Function app never does this.
/// </summary>
internal static class DevelopmentLicenseSystem
{
    public const string KeyName = "dev-license-system";

    public const string Issuer = "dev-license-system";

    public const string Audience = "authfunctions";

    /// <summary>The setting naming the development key folder; empty turns the development license system off.</summary>
    public const string FolderSetting = "DevelopmentKeys:Folder";

    public static void Apply(LicenseSystemOptions options, string? folder)
    {
        if (options.IsConfigured || string.IsNullOrWhiteSpace(folder))
        {
            return;
        }

        using var key = DevelopmentKey.LoadOrCreate(folder, KeyName);
        options.Issuer = Issuer;
        options.Audience = Audience;
        options.Jwks = key.PublicJwks();
    }
}
