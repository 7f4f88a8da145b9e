namespace AuthFunctions.Core.Keys;

/// <summary>
/// One signing key as stored: its private key and its own dates, fixed at creation so that a
/// later change of the configured intervals never makes a published key vanish early.
/// </summary>
public sealed record SigningKeyRecord
{
    /// <summary>Position in the ring; the single-writer rule: one key per generation.</summary>
    public required int Generation { get; init; }

    public required string KeyId { get; init; }

    /// <summary><c>ES256</c> or <c>RS256</c>.</summary>
    public required string Algorithm { get; init; }

    /// <summary>PKCS#8 PEM of the private key.</summary>
    public required string PrivateKeyPem { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it starts signing: creation plus the propagation delay (the first key: at once).</summary>
    public required DateTimeOffset SignsFrom { get; init; }

    /// <summary>When its successor takes over signing.</summary>
    public required DateTimeOffset SignsUntil { get; init; }

    /// <summary>When it leaves JWKS: the last token it signed has expired, clock skew included.</summary>
    public required DateTimeOffset RetiresAt { get; init; }
}
