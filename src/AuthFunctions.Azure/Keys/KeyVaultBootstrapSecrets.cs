using AuthFunctions.Azure.Tables;
using AuthFunctions.Core.Bootstrap;
using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.DependencyInjection;

namespace AuthFunctions.Azure.Keys;

/// <summary>
/// Start-up secrets from Key Vault, read with the app's own SecretClient and managed identity
/// (Key Vault references in app settings are not confirmed on Flex Consumption).
/// </summary>
public sealed class KeyVaultBootstrapSecrets(IServiceProvider services) : IBootstrapSecrets
{
    public async Task<string?> ReadAsync(string secretName, CancellationToken cancellationToken)
    {
        // Resolved only when a secret is asked for: without KeyVault:Uri there is no client to build.
        var client = services.GetRequiredService<SecretClient>();
        try
        {
            var secret = await AuthTables.Run(() => client.GetSecretAsync(secretName, cancellationToken: cancellationToken));
            return secret.Value.Value;
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            return null;
        }
    }
}
