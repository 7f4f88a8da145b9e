using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace AuthFunctions.Azure.Tables;

/// <summary>Table Storage settings (section <c>Storage</c>).</summary>
public sealed partial class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";

    /// <summary>For Azurite only; in Azure use <see cref="TableServiceUri"/> with the managed identity.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>e.g. https://account.table.core.windows.net, reached with DefaultAzureCredential.</summary>
    public string? TableServiceUri { get; set; }

    /// <summary>Prefix of every table name (letters and digits), so one account can hold several deployments or test runs.</summary>
    public string TablePrefix { get; set; } = "auth";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var hasConnectionString = !string.IsNullOrWhiteSpace(ConnectionString);
        var hasUri = !string.IsNullOrWhiteSpace(TableServiceUri);
        if (hasConnectionString == hasUri)
        {
            yield return new ValidationResult("Set exactly one of Storage:ConnectionString (Azurite) or Storage:TableServiceUri (Azure, managed identity).", [nameof(ConnectionString)]);
        }

        if (hasUri && !Uri.TryCreate(TableServiceUri, UriKind.Absolute, out _))
        {
            yield return new ValidationResult("Storage:TableServiceUri must be an absolute URL.", [nameof(TableServiceUri)]);
        }

        if (!PrefixPattern().IsMatch(TablePrefix ?? string.Empty))
        {
            yield return new ValidationResult("Storage:TablePrefix must be 1-40 letters or digits, starting with a letter.", [nameof(TablePrefix)]);
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,39}$")]
    private static partial Regex PrefixPattern();
}
