using System.Net;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Users;
using AuthFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AuthFunctions.Tests.Http;

/// <summary>/rs/authorise withstands guessing: 5 failures within 15 minutes lock the submitted username for 15 minutes, and no more than 5 passwords are checked however many guesses arrive at once.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class LockoutTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private LocalHostServer server = null!;

    public async ValueTask InitializeAsync()
    {
        server = await LocalHostServer.StartAsync(azurite.ConnectionString, configure: builder => builder.Services.AddSingleton<TimeProvider>(time));
        using var created = await server.SendAsync(HttpMethod.Post, "/admin/users", await server.AdminTokenAsync(), """{"username":"Carol","password":"carols-long-password","name":"Carol"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    public async ValueTask DisposeAsync() => await server.DisposeAsync();

    private async Task<HttpStatusCode> FailAsync(string username, int times)
    {
        var status = HttpStatusCode.OK;
        for (var i = 0; i < times; i++)
        {
            using var response = await server.PasswordLoginAsync(username, "a-wrong-guess-" + i);
            status = response.StatusCode;
        }

        return status;
    }

    [Fact]
    public async Task Five_failures_lock_the_username_even_for_the_right_password_and_the_lock_ends()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await FailAsync("carol", 5));

        using var locked = await server.PasswordLoginAsync("CAROL", "carols-long-password");
        var problem = await ProblemAssert.IsProblemAsync(locked, 429, "too_many_requests");
        Assert.Equal(TimeSpan.FromMinutes(15), locked.Headers.RetryAfter?.Delta);
        Assert.DoesNotContain("carol", problem.GetRawText(), StringComparison.OrdinalIgnoreCase);

        time.Advance(TimeSpan.FromMinutes(15));
        using var after = await server.PasswordLoginAsync("carol", "carols-long-password");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task An_unknown_username_locks_the_same_way_so_a_429_reveals_no_account()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await FailAsync("nobody-at-all", 5));

        using var locked = await server.PasswordLoginAsync("nobody-at-all", "whatever-password");

        await ProblemAssert.IsProblemAsync(locked, 429, "too_many_requests");
        Assert.Equal(TimeSpan.FromMinutes(15), locked.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task A_success_resets_the_count_and_old_failures_leave_the_window()
    {
        await FailAsync("carol", 4);
        using (var ok = await server.PasswordLoginAsync("carol", "carols-long-password"))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        await FailAsync("carol", 4);
        time.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(HttpStatusCode.Unauthorized, await FailAsync("carol", 4));

        using var stillOpen = await server.PasswordLoginAsync("carol", "carols-long-password");
        Assert.Equal(HttpStatusCode.OK, stillOpen.StatusCode);
    }

    [Fact]
    public async Task A_disabled_user_cannot_log_in_and_gets_the_same_answer_as_a_wrong_password()
    {
        var users = new global::Azure.Data.Tables.TableClient(azurite.ConnectionString, server.TablePrefix + "users");
        var carolId = (await server.Services.GetRequiredService<IUserStore>().FindByUsernameAsync("carol", Ct))!.Id;
        var row = (await users.GetEntityAsync<global::Azure.Data.Tables.TableEntity>(carolId, string.Empty, cancellationToken: Ct)).Value;
        row["Enabled"] = false;
        await users.UpdateEntityAsync(row, row.ETag, cancellationToken: Ct);

        using var disabled = await server.PasswordLoginAsync("carol", "carols-long-password");
        using var wrong = await server.PasswordLoginAsync("carol", "not-carols-password");

        var disabledProblem = await ProblemAssert.IsProblemAsync(disabled, 401, "invalid_grant");
        var wrongProblem = await ProblemAssert.IsProblemAsync(wrong, 401, "invalid_grant");
        Assert.Equal(wrongProblem.GetProperty("detail").GetString(), disabledProblem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_hundred_concurrent_guesses_check_at_most_MaxFailures_passwords_and_the_rest_get_429()
    {
        const int attempts = 100;

        var answers = await Task.WhenAll(Enumerable.Range(0, attempts).Select(async i =>
        {
            using var response = await server.PasswordLoginAsync("carol", "parallel-guess-" + i);
            return (response.StatusCode, response.Headers.RetryAfter?.Delta);
        }));

        // Each 401 is a password that was checked; a 429 is refused before any check.
        var checkedPasswords = answers.Count(a => a.StatusCode == HttpStatusCode.Unauthorized);
        Assert.InRange(checkedPasswords, 1, 5);
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.Unauthorized), a =>
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, a.StatusCode);
            Assert.NotNull(a.Delta);
        });

        // The right password is refused too while the lock holds (the documented trade-off).
        using var locked = await server.PasswordLoginAsync("carol", "carols-long-password");
        await ProblemAssert.IsProblemAsync(locked, 429, "too_many_requests");
    }

    [Fact]
    public async Task The_attempt_that_reaches_the_limit_is_checked_and_a_success_then_resets_the_lock()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await FailAsync("carol", 4));

        using (var fifth = await server.PasswordLoginAsync("carol", "carols-long-password"))
        {
            Assert.Equal(HttpStatusCode.OK, fifth.StatusCode);
        }

        Assert.Null(await server.Services.GetRequiredService<ILoginFailureStore>().FindAsync(Identifiers.KeyOf("carol"), Ct));
        using var again = await server.PasswordLoginAsync("carol", "carols-long-password");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task Concurrent_failures_on_one_username_lose_no_increment()
    {
        const int attempts = 12;

        // A limit above the attempts, so that no request meets a lock and every one must count.
        await using var roomy = await LocalHostServer.StartAsync(azurite.ConnectionString, new Dictionary<string, string?> { ["Lockout:MaxFailures"] = "100" });
        await Task.WhenAll(Enumerable.Range(0, attempts).Select(async i =>
        {
            using var response = await roomy.PasswordLoginAsync("Dave", "concurrent-guess-" + i);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }));

        var failures = await roomy.Services.GetRequiredService<ILoginFailureStore>().FindAsync(Identifiers.KeyOf("dave"), Ct);
        Assert.Equal(attempts, failures?.Count);
    }
}
