using AuthFunctions.Core.Storage;

namespace AuthFunctions.Core.Keys;

/// <summary>Where signing keys live: Key Vault in Azure, a development store locally.</summary>
public interface ISigningKeyStore
{
    /// <summary>A short name for logs, e.g. "Key Vault https://x.vault.azure.net/ secret signing-keys".</summary>
    string Description { get; }

    /// <summary>Every stored key, retired ones included. Throws <see cref="StoreUnavailableException"/>.</summary>
    Task<IReadOnlyList<SigningKeyRecord>> LoadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Adds a key unless a key of the same generation exists already (a conditional write), so that
    /// many instances starting at once converge on one key instead of each minting its own.
    /// </summary>
    Task<WriteResult> TryAddAsync(SigningKeyRecord key, CancellationToken cancellationToken);
}
