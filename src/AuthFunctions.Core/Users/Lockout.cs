using System.ComponentModel.DataAnnotations;
using AuthFunctions.Core.Errors;
using Microsoft.Extensions.Options;

namespace AuthFunctions.Core.Users;

/// <summary>Password-login lockout settings (section <c>Lockout</c>): 5 failures within 15 minutes lock a username for 15 minutes.</summary>
public sealed class LockoutOptions : IValidatableObject
{
    public const string Section = "Lockout";

    public int MaxFailures { get; set; } = 5;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxFailures < 1)
        {
            yield return new ValidationResult("Lockout:MaxFailures must be at least 1.", [nameof(MaxFailures)]);
        }

        if (Window <= TimeSpan.Zero || Duration <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Lockout:Window and Lockout:Duration must be positive.", [nameof(Window)]);
        }
    }
}

/// <summary>The failed password logins of one submitted username (its comparison key), whether or not such a user exists.</summary>
public sealed record LoginFailures
{
    public required string UsernameKey { get; init; }

    public required int Count { get; init; }

    public required DateTimeOffset WindowStart { get; init; }

    public DateTimeOffset? LockedUntil { get; init; }

    /// <summary>The stored version (an ETag); null for a record not stored yet.</summary>
    public string? Version { get; init; }
}

public interface ILoginFailureStore
{
    Task<LoginFailures?> FindAsync(string usernameKey, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="failures"/> if the stored version is still its <see cref="LoginFailures.Version"/>
    /// (null: only if none is stored); false when another writer came first.
    /// </summary>
    Task<bool> TryWriteAsync(LoginFailures failures, CancellationToken cancellationToken);

    /// <summary>Forgets the failures of the username; nothing happens when there are none.</summary>
    Task ResetAsync(string usernameKey, CancellationToken cancellationToken);
}

/// <summary>
/// Counts failed password logins per submitted username and locks it for a while after too many:
/// temporary, never permanent. Counting uses optimistic concurrency, so concurrent failures on any
/// number of instances lose no increment.
/// </summary>
public sealed class Lockout(ILoginFailureStore store, IOptions<LockoutOptions> options, TimeProvider timeProvider)
{
    private const int MaxWriteAttempts = 16;

    private readonly LockoutOptions options = options.Value;

    /// <summary>The 429 to answer while <paramref name="failures"/> holds a lock in force; null otherwise.</summary>
    public AuthError? LockedOut(LoginFailures? failures)
    {
        var now = timeProvider.GetUtcNow();
        return failures?.LockedUntil is { } until && until > now
            ? new AuthError(ErrorCodes.TooManyRequests, "Too many failed logins for this username: try again later.") { RetryAfter = until - now }
            : null;
    }

    /// <summary>Adds one failure to <paramref name="current"/> (as read before the attempt), re-reading when another writer came first.</summary>
    public async Task RecordFailureAsync(string usernameKey, LoginFailures? current, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            if (await store.TryWriteAsync(Next(usernameKey, current), cancellationToken))
            {
                return;
            }

            current = await store.FindAsync(usernameKey, cancellationToken);
        }

        throw new InvalidOperationException($"The failed-login counter did not settle after {MaxWriteAttempts} attempts.");
    }

    public Task ResetAsync(string usernameKey, CancellationToken cancellationToken) => store.ResetAsync(usernameKey, cancellationToken);

    private LoginFailures Next(string usernameKey, LoginFailures? current)
    {
        var now = timeProvider.GetUtcNow();

        // Failures older than the window no longer count: the window starts again with this one.
        var counting = current is not null && now - current.WindowStart < options.Window ? current : null;
        var count = (counting?.Count ?? 0) + 1;
        return new LoginFailures
        {
            UsernameKey = usernameKey,
            Count = count,
            WindowStart = counting?.WindowStart ?? now,
            LockedUntil = count >= options.MaxFailures ? now + options.Duration : current?.LockedUntil,
            Version = current?.Version,
        };
    }
}
