using System.ComponentModel.DataAnnotations;

namespace AuthFunctions.Azure.Keys;

/// <summary>Where signing keys live (<c>Keys:Store</c>) and the Key Vault settings (section <c>KeyVault</c>).</summary>
public sealed class KeyStoreOptions : IValidatableObject
{
    public const string KeyVault = "KeyVault";
    public const string DevelopmentTable = "DevelopmentTable";
    public const string DevelopmentFile = "DevelopmentFile";

    /// <summary><c>KeyVault</c> (default), or for local development only <c>DevelopmentTable</c> or <c>DevelopmentFile</c>.</summary>
    public string Store { get; set; } = KeyVault;

    /// <summary>Folder of the <c>DevelopmentFile</c> store.</summary>
    public string? DevelopmentFolder { get; set; }

    /// <summary><c>KeyVault:Uri</c>, e.g. https://name.vault.azure.net/.</summary>
    public string? VaultUri { get; set; }

    /// <summary><c>KeyVault:SigningKeySecretName</c>: the secret whose versions are the keys.</summary>
    public string SecretName { get; set; } = "signing-keys";

    /// <summary>True when running in Azure App Service / Functions, where development stores are refused.</summary>
    public bool RunningInAzure { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        switch (Store)
        {
            case KeyVault:
                if (!Uri.TryCreate(VaultUri, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
                {
                    yield return new ValidationResult("KeyVault:Uri must be the https URL of the vault when Keys:Store is KeyVault.", [nameof(VaultUri)]);
                }

                break;
            case DevelopmentTable or DevelopmentFile when RunningInAzure:
                yield return new ValidationResult($"Keys:Store={Store} is a development key store and is refused in Azure: use KeyVault.", [nameof(Store)]);
                break;
            case DevelopmentTable:
                break;
            case DevelopmentFile when string.IsNullOrWhiteSpace(DevelopmentFolder):
                yield return new ValidationResult("Keys:DevelopmentFolder is required when Keys:Store is DevelopmentFile.", [nameof(DevelopmentFolder)]);
                break;
            case DevelopmentFile:
                break;
            default:
                yield return new ValidationResult($"Keys:Store must be {KeyVault}, {DevelopmentTable} or {DevelopmentFile}.", [nameof(Store)]);
                break;
        }
    }
}
