using System.Text.Json;
using AuthFunctions.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace AuthFunctions.Core.Keys;

/// <summary>
/// The signing keys in memory: which key signs now, which keys verify, and the JWKS document.
/// Loaded from the store at first use and refreshed in the background every
/// <see cref="KeyRingOptions.RefreshInterval"/>; never fetched per request.
/// </summary>
public sealed partial class KeyRing(
    ISigningKeyStore store,
    IOptions<KeyRingOptions> options,
    TimeProvider timeProvider,
    ILogger<KeyRing> logger) : IDisposable
{
    /// <summary>How far apart two servers' clocks may be; validation allows the same.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);

    private const int MaxCreateAttempts = 5;

    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly KeyRingOptions options = options.Value;
    private readonly SemaphoreSlim refreshGate = new(1, 1);
    private volatile KeyRingSnapshot? current;
    private int backgroundRefreshRunning;

    /// <summary>The current keys; loads them on first use, and starts a background refresh when they are stale.</summary>
    public async ValueTask<KeyRingSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        var snapshot = current;
        if (snapshot is null)
        {
            return await RefreshAsync(cancellationToken);
        }

        var now = timeProvider.GetUtcNow();
        if (now - snapshot.LoadedAt >= options.RefreshInterval || now >= snapshot.NextChangeAt)
        {
            StartBackgroundRefresh();
        }

        // A snapshot whose signer has stopped signing is not used: wait for the new one.
        return now < snapshot.Signer.Record.SignsUntil ? snapshot : await RefreshAsync(cancellationToken);
    }

    /// <summary>Reloads the keys from the store, creating the first or the next key when it is due.</summary>
    public async Task<KeyRingSnapshot> RefreshAsync(CancellationToken cancellationToken)
    {
        await refreshGate.WaitAsync(cancellationToken);
        try
        {
            int? lostGeneration = null;
            for (var attempt = 1; ; attempt++)
            {
                var records = await store.LoadAsync(cancellationToken);
                var now = timeProvider.GetUtcNow();
                var due = KeyToCreate(records, now);
                var giveUp = attempt > MaxCreateAttempts;
                if (due is null || (giveUp && KeyRingSnapshot.FindSigner(records, now) is not null))
                {
                    if (due is not null)
                    {
                        // Only the successor could not be created: keep signing, try again at the next refresh.
                        Log.SuccessorNotSettled(logger, due.Generation, store.Description);
                    }

                    return Publish(KeyRingSnapshot.Create(records, now, options));
                }

                if (giveUp)
                {
                    throw new StoreUnavailableException($"The key ring could not settle on a signing key in {store.Description}.");
                }

                if (lostGeneration == due.Generation)
                {
                    // Another instance holds the write of this generation but its key is not visible yet.
                    await Task.Delay(RetryDelay * attempt, timeProvider, cancellationToken);
                }

                var result = await store.TryAddAsync(due, cancellationToken);
                if (result == WriteResult.Written)
                {
                    Log.KeyCreated(logger, due.KeyId, due.Generation, due.Algorithm, due.SignsFrom);
                }
                else
                {
                    lostGeneration = due.Generation;
                    Log.KeyCreationLost(logger, due.Generation);
                }
            }
        }
        finally
        {
            refreshGate.Release();
        }
    }

    /// <summary>
    /// Rotation on demand: adds the next generation, published now and signing once the propagation
    /// delay has passed (every resource server has fetched it by then); the current key signs until
    /// that moment and stays published until every token it may have signed has expired. The write is
    /// conditional on the generation, so instances rotating at once converge on one new key: a loser
    /// answers with the key that won.
    /// </summary>
    public async Task<SigningKeyRecord> RotateAsync(CancellationToken cancellationToken)
    {
        SigningKeyRecord? rotated = null;
        await refreshGate.WaitAsync(cancellationToken);
        try
        {
            var records = await store.LoadAsync(cancellationToken);
            var now = timeProvider.GetUtcNow();
            var generation = records.Count == 0 ? 1 : records.Max(k => k.Generation) + 1;
            var key = NewKey(generation, now, signsFrom: now + options.PropagationDelay);
            if (await store.TryAddAsync(key, cancellationToken) == WriteResult.Written)
            {
                Log.Rotated(logger, key.KeyId, key.Generation, key.SignsFrom);
                rotated = key;
            }
            else
            {
                Log.KeyCreationLost(logger, generation);
                rotated = (await store.LoadAsync(cancellationToken)).FirstOrDefault(k => k.Generation == generation)
                    ?? throw new StoreUnavailableException($"Signing key generation {generation} was taken, but is not visible in {store.Description}.");
            }
        }
        finally
        {
            refreshGate.Release();
        }

        await RefreshAsync(cancellationToken);
        return rotated;
    }

    /// <summary>Every stored key, retired ones included, as the store holds them now (for administrators; never per request).</summary>
    public Task<IReadOnlyList<SigningKeyRecord>> ListAsync(CancellationToken cancellationToken) => store.LoadAsync(cancellationToken);

    public void Dispose() => refreshGate.Dispose();

    private KeyRingSnapshot Publish(KeyRingSnapshot snapshot)
    {
        var previous = current;
        current = snapshot;
        if (previous is null || previous.Signer.Record.KeyId != snapshot.Signer.Record.KeyId)
        {
            Log.SigningWith(logger, snapshot.Signer.Record.KeyId, snapshot.Signer.Record.Algorithm, store.Description, snapshot.ValidationKeys.Count);
        }

        return snapshot;
    }

    /// <summary>The key that must be created now, if any: the first key, a successor that is due, or a replacement signer.</summary>
    internal SigningKeyRecord? KeyToCreate(IReadOnlyList<SigningKeyRecord> records, DateTimeOffset now)
    {
        var signer = KeyRingSnapshot.FindSigner(records, now);
        var nextGeneration = records.Count == 0 ? 1 : records.Max(k => k.Generation) + 1;
        if (signer is null)
        {
            // The first key, or every key has stopped signing: this one signs at once.
            return NewKey(nextGeneration, now, signsFrom: now);
        }

        var hasSuccessor = records.Any(k => k.Generation > signer.Generation && k.SignsFrom >= signer.SignsFrom);
        if (!hasSuccessor && now >= signer.SignsUntil - options.PropagationDelay)
        {
            return NewKey(nextGeneration, now, signsFrom: signer.SignsUntil);
        }

        return null;
    }

    private SigningKeyRecord NewKey(int generation, DateTimeOffset now, DateTimeOffset signsFrom)
    {
        var signsUntil = signsFrom + options.RotationInterval;
        return new SigningKeyRecord
        {
            Generation = generation,
            KeyId = SigningKeyMaterial.NewKeyId(),
            Algorithm = options.Algorithm,
            PrivateKeyPem = SigningKeyMaterial.CreatePrivateKeyPem(options.Algorithm),
            CreatedAt = now,
            SignsFrom = signsFrom,
            SignsUntil = signsUntil,
            RetiresAt = signsUntil + options.MaxTokenLifetime + ClockSkew,
        };
    }

    private void StartBackgroundRefresh()
    {
        if (Interlocked.Exchange(ref backgroundRefreshRunning, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await RefreshAsync(CancellationToken.None);
            }
#pragma warning disable CA1031 // A failed background refresh keeps the cached keys; the next request tries again.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Log.RefreshFailed(logger, exception, store.Description);
            }
            finally
            {
                Volatile.Write(ref backgroundRefreshRunning, 0);
            }
        });
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Signing with key {KeyId} ({Algorithm}) from {Store}; {KeyCount} keys published")]
        public static partial void SigningWith(ILogger logger, string keyId, string algorithm, string store, int keyCount);

        [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Created signing key {KeyId}, generation {Generation} ({Algorithm}), signing from {SignsFrom:o}")]
        public static partial void KeyCreated(ILogger logger, string keyId, int generation, string algorithm, DateTimeOffset signsFrom);

        [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Another instance created signing key generation {Generation} first; using that one")]
        public static partial void KeyCreationLost(ILogger logger, int generation);

        [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "The successor signing key (generation {Generation}) could not be created in {Store}; the current key keeps signing")]
        public static partial void SuccessorNotSettled(ILogger logger, int generation, string store);

        [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Signing keys rotated on demand: key {KeyId}, generation {Generation}, published now, signing from {SignsFrom:o}")]
        public static partial void Rotated(ILogger logger, string keyId, int generation, DateTimeOffset signsFrom);

        [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Refreshing the signing keys from {Store} failed; the cached keys stay in use")]
        public static partial void RefreshFailed(ILogger logger, Exception exception, string store);
    }
}

/// <summary>An immutable view of the key ring at one moment: the signer, the verification keys, the JWKS bytes.</summary>
public sealed class KeyRingSnapshot
{
    private KeyRingSnapshot(
        DateTimeOffset loadedAt,
        DateTimeOffset nextChangeAt,
        (SigningKeyRecord Record, SigningCredentials Credentials) signer,
        IReadOnlyDictionary<string, AsymmetricSecurityKey> validationKeys,
        byte[] jwks)
    {
        LoadedAt = loadedAt;
        NextChangeAt = nextChangeAt;
        Signer = signer;
        ValidationKeys = validationKeys;
        Jwks = jwks;
    }

    public DateTimeOffset LoadedAt { get; }

    /// <summary>The next moment at which the signer changes or a key retires.</summary>
    public DateTimeOffset NextChangeAt { get; }

    public (SigningKeyRecord Record, SigningCredentials Credentials) Signer { get; }

    /// <summary>Every published key by kid: the signer, its predecessors until they retire, its successor.</summary>
    public IReadOnlyDictionary<string, AsymmetricSecurityKey> ValidationKeys { get; }

    /// <summary>The JWKS document (RFC 7517 §5), UTF-8 JSON, built once per snapshot.</summary>
    public ReadOnlyMemory<byte> Jwks { get; }

    internal static SigningKeyRecord? FindSigner(IReadOnlyList<SigningKeyRecord> records, DateTimeOffset now) =>
        records
            .Where(k => k.SignsFrom <= now && now < k.SignsUntil && now < k.RetiresAt)
            .OrderByDescending(k => k.SignsFrom)
            .ThenByDescending(k => k.Generation)
            .FirstOrDefault();

    internal static KeyRingSnapshot Create(IReadOnlyList<SigningKeyRecord> records, DateTimeOffset now, KeyRingOptions options)
    {
        var signerRecord = FindSigner(records, now)
            ?? throw new InvalidOperationException("The key ring has no signing key.");
        var published = records.Where(k => now < k.RetiresAt).OrderByDescending(k => k.Generation).ToList();

        var keys = new Dictionary<string, AsymmetricSecurityKey>(StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys");
            foreach (var record in published)
            {
                var securityKey = SigningKeyMaterial.ToSecurityKey(record);
                keys[record.KeyId] = securityKey;
                SigningKeyMaterial.WritePublicJwk(writer, record, securityKey);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        var credentials = new SigningCredentials(keys[signerRecord.KeyId], signerRecord.Algorithm);
        var changes = published
            .SelectMany(k => new[] { k.SignsFrom, k.SignsUntil, k.RetiresAt })
            .Append(signerRecord.SignsUntil - options.PropagationDelay)
            .Where(t => t > now);
        var nextChangeAt = changes.DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        return new KeyRingSnapshot(now, nextChangeAt, (signerRecord, credentials), keys, buffer.ToArray());
    }
}
