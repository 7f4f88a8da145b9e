namespace AuthFunctions.Core.Storage;

/// <summary>
/// Storage or the key store did not answer (a 5xx, a timeout, a refused connection). Adapters wrap
/// infrastructure failures in this type so that the HTTP surface answers 503, never 500.
/// </summary>
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException()
    {
    }

    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Storage refused a value as too large or malformed (Table Storage 400 or 413: PropertyValueTooLarge,
/// InvalidInput, OutOfRangeInput, RequestBodyTooLarge…). Bounds should stop such input before it gets
/// there; if one slips through, the HTTP surface answers 400, never 500.
/// </summary>
public sealed class StoreRejectedInputException : Exception
{
    public StoreRejectedInputException()
    {
    }

    public StoreRejectedInputException(string message)
        : base(message)
    {
    }

    public StoreRejectedInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>An optimistic-concurrency or uniqueness write lost: the name or version is taken.</summary>
public enum WriteResult
{
    Written,
    Conflict,
}
