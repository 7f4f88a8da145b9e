namespace AuthFunctions.Core.Storage;

/// <summary>Answers whether storage is reachable (for <c>/health</c>); throws <see cref="StoreUnavailableException"/> when not.</summary>
public interface IStorageProbe
{
    Task ProbeAsync(CancellationToken cancellationToken);
}
