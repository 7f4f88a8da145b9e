namespace AuthFunctions.Core.Storage;

/// <summary>
/// One page of a listing: at most <see cref="Limit"/> items after the position <see cref="After"/>
/// (null: from the start). Positions are the store's own sort keys; the HTTP surface wraps them in
/// opaque continuation tokens bound to the listing.
/// </summary>
public sealed record PageRequest(int Limit, string? After = null)
{
    public const int DefaultLimit = 100;

    public const int MaxLimit = 1000;

    public static PageRequest First { get; } = new(DefaultLimit);
}

/// <summary>A page of items and the position the next page starts after (null: this was the last page).</summary>
public sealed record PageOf<T>(IReadOnlyList<T> Items, string? Next)
{
    public PageOf<TResult> Select<TResult>(Func<T, TResult> map) => new([.. Items.Select(map)], Next);
}
