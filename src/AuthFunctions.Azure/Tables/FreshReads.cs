using System.Collections.Concurrent;

namespace AuthFunctions.Azure.Tables;

/// <summary>
/// Point reads of one entity that many callers want at the same moment, shared without ever answering a
/// caller with a read sent before it asked: the read-side twin of the token records' group commit.
/// While a read of an entity is in flight, the callers that arrive wait for the next read, which goes out
/// as soon as the one in flight returns and answers all of them at once.
/// </summary>
/// <remarks>
/// So a write that completed before a caller asked is always in its answer ("a deleted key stops working
/// at once" holds exactly as with a read of its own), and a hot entity (the one key a busy client logs in
/// with, the cut-off of that client's tokens) costs at most one read in flight and one waiting, however
/// many requests want it. A caller alone still costs one read and no wait. The shared read runs apart
/// from any one caller, so a caller that gives up (its cancellation) never fails the others; a failed
/// read fails only the callers it was answering. Idle entities leave nothing behind.
/// </remarks>
internal sealed class FreshReads<T>
{
    private readonly ConcurrentDictionary<string, Slot> slots = new(StringComparer.Ordinal);

    /// <summary>Slots alive now (entities with a read in flight): for tests.</summary>
    internal int Count => slots.Count;

    /// <summary>
    /// The entity named by <paramref name="key"/> from a read sent after this call began.
    /// <paramref name="read"/> must depend on <paramref name="key"/> alone: whichever caller's delegate
    /// runs answers every caller waiting on the same key.
    /// </summary>
    public Task<T> ReadAsync(string key, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(read);
        while (true)
        {
            var slot = slots.GetOrAdd(key, static _ => new Slot());
            TaskCompletionSource<T> answer;
            var first = false;
            lock (slot)
            {
                if (slot.Retired)
                {
                    // Went idle and left the dictionary between GetOrAdd and the lock: take a new slot.
                    continue;
                }

                if (slot.InFlight is null)
                {
                    answer = slot.InFlight = NewAnswer();
                    first = true;
                }
                else
                {
                    answer = slot.Next ??= NewAnswer();
                }
            }

            if (first)
            {
                // Apart from the first caller: the reads it leads to answer others, so they carry
                // none of its context (its Activity, its logging scopes) and none run on its thread.
                using (ExecutionContext.SuppressFlow())
                {
                    _ = Task.Run(() => RunAsync(key, slot, answer, read), CancellationToken.None);
                }
            }

            return answer.Task.WaitAsync(cancellationToken);
        }
    }

    private async Task RunAsync(string key, Slot slot, TaskCompletionSource<T> answer, Func<CancellationToken, Task<T>> read)
    {
        while (true)
        {
            T? value = default;
            Exception? failure = null;
            try
            {
                value = await read(CancellationToken.None);
            }
            catch (Exception exception)
            {
                failure = exception;
            }

            // The slot moves on before the answer goes out, so a caller woken by it finds the state settled.
            var answered = answer;
            var done = false;
            lock (slot)
            {
                if (slot.Next is null)
                {
                    slot.InFlight = null;
                    slot.Retired = true;
                    slots.TryRemove(new KeyValuePair<string, Slot>(key, slot));
                    done = true;
                }
                else
                {
                    // Everyone who arrived while that read was out gets this one, sent only now.
                    answer = slot.InFlight = slot.Next;
                    slot.Next = null;
                }
            }

            if (failure is null)
            {
                answered.TrySetResult(value!);
            }
            else
            {
                answered.TrySetException(failure);
            }

            if (done)
            {
                return;
            }
        }
    }

    private static TaskCompletionSource<T> NewAnswer() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Slot
    {
        public TaskCompletionSource<T>? InFlight;
        public TaskCompletionSource<T>? Next;
        public bool Retired;
    }
}
