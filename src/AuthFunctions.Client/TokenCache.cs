using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace AuthFunctions.Client;

/// <summary>
/// Each client's current token in memory. However many callers need a new one at once, one login
/// runs and they all await it; a failed login is not kept, so the next caller tries afresh.
/// </summary>
internal sealed class TokenCache(IOptionsMonitor<AuthFunctionsClientOptions> options, TokenEndpoint endpoint, TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, Slot> slots = new(StringComparer.Ordinal);

    public async Task<CachedToken> GetAsync(string clientName, CancellationToken cancellationToken)
    {
        var slot = slots.GetOrAdd(clientName, static _ => new Slot());
        TaskCompletionSource<CachedToken>? login = null;
        Task<CachedToken> pending;
        lock (slot)
        {
            if (slot.Current is { } current && timeProvider.GetUtcNow() < current.RenewAt)
            {
                return current;
            }

            if (slot.Pending is null)
            {
                login = new TaskCompletionSource<CachedToken>(TaskCreationOptions.RunContinuationsAsynchronously);
                slot.Pending = login.Task;
            }

            pending = slot.Pending;
        }

        if (login is not null)
        {
            // Started outside the lock and not tied to this caller's token: others await the same login.
            _ = LoginAsync(clientName, slot, login);
        }

        return await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forgets <paramref name="token"/> if it is still the current one (the server refused it).</summary>
    public void Invalidate(string clientName, CachedToken token)
    {
        if (slots.TryGetValue(clientName, out var slot))
        {
            lock (slot)
            {
                // Only the token that was refused: a fresh one fetched meanwhile by another caller stays.
                if (ReferenceEquals(slot.Current, token))
                {
                    slot.Current = null;
                }
            }
        }
    }

    private async Task LoginAsync(string clientName, Slot slot, TaskCompletionSource<CachedToken> login)
    {
        try
        {
            var token = await endpoint.LoginAsync(clientName, options.Get(clientName), CancellationToken.None).ConfigureAwait(false);
            lock (slot)
            {
                slot.Current = token;
                slot.Pending = null;
            }

            login.SetResult(token);
        }
        catch (Exception exception)
        {
            lock (slot)
            {
                slot.Pending = null;
            }

            login.SetException(exception);
        }
    }

    private sealed class Slot
    {
        public CachedToken? Current { get; set; }

        public Task<CachedToken>? Pending { get; set; }
    }
}
