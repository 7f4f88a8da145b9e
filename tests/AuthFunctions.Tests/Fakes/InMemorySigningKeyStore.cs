using AuthFunctions.Core.Keys;
using AuthFunctions.Core.Storage;

namespace AuthFunctions.Tests.Fakes;

/// <summary>A hand-written key store (Duende's KeyManagerTests style): the conditional write by generation, in memory.</summary>
internal class InMemorySigningKeyStore : ISigningKeyStore
{
    private readonly Lock gate = new();
    private readonly List<SigningKeyRecord> keys = [];

    public string Description => "in-memory test store";

    public int Writes { get; private set; }

    public IReadOnlyList<SigningKeyRecord> Keys
    {
        get
        {
            lock (gate)
            {
                return [.. keys];
            }
        }
    }

    public Task<IReadOnlyList<SigningKeyRecord>> LoadAsync(CancellationToken cancellationToken) => Task.FromResult(Keys);

    public virtual Task<WriteResult> TryAddAsync(SigningKeyRecord key, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (keys.Any(k => k.Generation == key.Generation))
            {
                return Task.FromResult(WriteResult.Conflict);
            }

            keys.Add(key);
            Writes++;
            return Task.FromResult(WriteResult.Written);
        }
    }
}
