using AuthFunctions.Core.Errors;
using AuthFunctions.Core.Users;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AuthFunctions.Tests.Core;

/// <summary>The lockout counts an attempt before its password is checked, and never lets contention through unchecked-but-uncounted.</summary>
public sealed class LockoutReservationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));

    private Lockout NewLockout(ILoginFailureStore store) => new(store, Options.Create(new LockoutOptions()), time);

    [Fact]
    public async Task Contention_beyond_the_retry_budget_is_a_429_with_Retry_After_and_no_check()
    {
        var store = new AlwaysOutrunStore();

        var refused = await NewLockout(store).ReserveAsync("carol", current: null, Ct);

        Assert.Equal(ErrorCodes.TooManyRequests, refused?.Code);
        Assert.Equal(TimeSpan.FromSeconds(1), refused?.RetryAfter);
        Assert.Equal(16, store.Writes);
    }

    [Fact]
    public async Task The_attempt_that_reaches_the_limit_sets_the_lock_and_the_next_is_refused_unwritten()
    {
        var store = new AlwaysOutrunStore { Accept = true };
        var lockout = NewLockout(store);
        LoginFailures? current = null;
        for (var i = 1; i <= 5; i++)
        {
            Assert.Null(await lockout.ReserveAsync("carol", current, Ct));
            current = store.Last;
            Assert.Equal(i, current?.Count);
        }

        Assert.Equal(time.GetUtcNow() + TimeSpan.FromMinutes(15), current?.LockedUntil);
        var sixth = await lockout.ReserveAsync("carol", current, Ct);

        Assert.Equal(ErrorCodes.TooManyRequests, sixth?.Code);
        Assert.Equal(TimeSpan.FromMinutes(15), sixth?.RetryAfter);
        Assert.Equal(5, store.Writes);
    }

    /// <summary>A store that another writer always outruns (or, with <see cref="Accept"/>, one that takes every write).</summary>
    private sealed class AlwaysOutrunStore : ILoginFailureStore
    {
        public bool Accept { get; init; }

        public int Writes { get; private set; }

        public LoginFailures? Last { get; private set; }

        public Task<LoginFailures?> FindAsync(string usernameKey, CancellationToken cancellationToken) => Task.FromResult(Last);

        public Task<bool> TryWriteAsync(LoginFailures failures, CancellationToken cancellationToken)
        {
            Writes++;
            if (Accept)
            {
                Last = failures with { Version = "v" + Writes };
            }

            return Task.FromResult(Accept);
        }

        public Task ResetAsync(string usernameKey, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
