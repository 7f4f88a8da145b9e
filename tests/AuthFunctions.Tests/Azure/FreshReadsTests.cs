using AuthFunctions.Azure.Tables;

namespace AuthFunctions.Tests.Azure;

/// <summary>
/// The shared point read: callers that ask at once share a read, and no caller is ever answered by a
/// read that was sent before it asked (so a completed write is always seen).
/// </summary>
public sealed class FreshReadsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A read the test completes by hand: it answers with the value stored when it was sent.</summary>
    private sealed class GatedStore
    {
        private readonly Lock gate = new();
        private readonly List<(TaskCompletionSource<int> Read, int Seen)> sent = [];

        public int Value { get; set; }

        public int Sent
        {
            get
            {
                lock (gate)
                {
                    return sent.Count;
                }
            }
        }

        public Task<int> ReadAsync(CancellationToken cancellationToken)
        {
            Assert.False(cancellationToken.CanBeCanceled, "a shared read must not run on one caller's cancellation");
            var read = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (gate)
            {
                sent.Add((read, Value));
            }

            return read.Task;
        }

        public void Answer(int index)
        {
            lock (gate)
            {
                sent[index].Read.SetResult(sent[index].Seen);
            }
        }

        public void Fail(int index, Exception exception)
        {
            lock (gate)
            {
                sent[index].Read.SetException(exception);
            }
        }

        public async Task WaitForSentAsync(int count)
        {
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            patience.CancelAfter(TimeSpan.FromSeconds(10));
            while (Sent < count)
            {
                await Task.Delay(1, patience.Token);
            }
        }
    }

    [Fact]
    public async Task A_caller_alone_costs_one_read_and_leaves_nothing_behind()
    {
        var reads = new FreshReads<int>();
        var store = new GatedStore { Value = 7 };

        var answer = reads.ReadAsync("k", store.ReadAsync, Ct);
        await store.WaitForSentAsync(1);
        store.Answer(0);

        Assert.Equal(7, await answer);
        Assert.Equal(1, store.Sent);
        Assert.Equal(0, reads.Count);
    }

    [Fact]
    public async Task Callers_arriving_while_a_read_is_out_share_the_next_read_and_see_a_write_made_before_they_asked()
    {
        var reads = new FreshReads<int>();
        var store = new GatedStore { Value = 1 };
        var first = reads.ReadAsync("key", store.ReadAsync, Ct);
        await store.WaitForSentAsync(1);

        // A write completes while the first read is out; everyone who asks after it must see it.
        store.Value = 2;
        var later = Enumerable.Range(0, 10).Select(_ => reads.ReadAsync("key", store.ReadAsync, Ct)).ToList();
        Assert.Equal(1, store.Sent);
        store.Answer(0);
        Assert.Equal(1, await first);

        await store.WaitForSentAsync(2);
        Assert.All(later, answer => Assert.False(answer.IsCompleted));
        store.Answer(1);

        Assert.Equal(Enumerable.Repeat(2, 10), await Task.WhenAll(later));
        Assert.Equal(2, store.Sent);
        Assert.Equal(0, reads.Count);
    }

    [Fact]
    public async Task Different_entities_are_read_apart()
    {
        var reads = new FreshReads<int>();
        var store = new GatedStore { Value = 3 };

        var a = reads.ReadAsync("a", store.ReadAsync, Ct);
        var b = reads.ReadAsync("b", store.ReadAsync, Ct);
        await store.WaitForSentAsync(2);
        store.Answer(0);
        store.Answer(1);

        var both = await Task.WhenAll(a, b);
        Assert.Equal(new[] { 3, 3 }, both);
    }

    [Fact]
    public async Task A_failed_read_fails_only_the_callers_it_answers()
    {
        var reads = new FreshReads<int>();
        var store = new GatedStore { Value = 5 };
        var first = reads.ReadAsync("k", store.ReadAsync, Ct);
        var second = reads.ReadAsync("k", store.ReadAsync, Ct);

        await store.WaitForSentAsync(1);
        store.Fail(0, new InvalidOperationException("storage is down"));
        await store.WaitForSentAsync(2);
        store.Answer(1);

        Assert.Equal("storage is down", (await Assert.ThrowsAsync<InvalidOperationException>(() => first)).Message);
        Assert.Equal(5, await second);
        Assert.Equal(0, reads.Count);
    }

    [Fact]
    public async Task A_caller_that_gives_up_leaves_the_shared_read_to_the_others()
    {
        var reads = new FreshReads<int>();
        var store = new GatedStore { Value = 9 };
        using var giveUp = new CancellationTokenSource();
        var quitter = reads.ReadAsync("k", store.ReadAsync, giveUp.Token);
        var patient = reads.ReadAsync("k", store.ReadAsync, Ct);

        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => quitter);
        await store.WaitForSentAsync(1);
        store.Answer(0);
        await store.WaitForSentAsync(2);
        store.Answer(1);

        Assert.Equal(9, await patient);
        Assert.Equal(0, reads.Count);
    }

    [Fact]
    public async Task Under_contention_no_answer_is_older_than_its_question()
    {
        // Each read returns the version of the store when it was sent; each caller notes the version
        // before asking. An answer older than its question would be a stale read.
        var reads = new FreshReads<long>();
        long version = 0;
        long sent = 0;
        async Task<long> ReadAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref sent);
            var seen = Interlocked.Read(ref version);
            await Task.Delay(Random.Shared.Next(0, 3), cancellationToken);
            return seen;
        }

        var callers = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 300; i++)
            {
                var key = "k" + (i % 3);
                var asked = Interlocked.Increment(ref version);
                var answer = await reads.ReadAsync(key, ReadAsync, Ct);
                Assert.True(answer >= asked, $"answered with version {answer}, asked at {asked}");
            }
        }, Ct));
        await Task.WhenAll(callers);

        Assert.InRange(Interlocked.Read(ref sent), 1, 8 * 300 - 1);
        Assert.Equal(0, reads.Count);
    }
}
