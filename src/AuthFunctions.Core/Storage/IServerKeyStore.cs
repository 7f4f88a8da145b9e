namespace AuthFunctions.Core.Storage;

/// <summary>
/// Random keys the server keeps for itself (e.g. to sign continuation tokens), the same on every
/// instance: created once with a conditional write, then only read.
/// </summary>
public interface IServerKeyStore
{
    /// <summary>The 256-bit key for <paramref name="purpose"/>, created on first use.</summary>
    Task<byte[]> GetOrCreateAsync(string purpose, CancellationToken cancellationToken);
}
