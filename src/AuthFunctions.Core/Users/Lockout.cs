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

/// <summary>The counted password attempts of one submitted username (its comparison key), whether or not such a user exists; a success deletes them.</summary>
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
/// Counts password checks per submitted username and locks it for a while after too many: temporary,
/// never permanent. Each attempt is counted <em>before</em> its password is checked, under the stored
/// ETag, so that at most <see cref="LockoutOptions.MaxFailures"/> checks of one username happen within
/// a window however many requests arrive at once, on however many instances; a success resets the count.
/// </summary>
public sealed class Lockout(ILoginFailureStore store, IOptions<LockoutOptions> options, TimeProvider timeProvider)
{
    private const int MaxWriteAttempts = 16;

    /// <summary>How soon a caller refused for contention (not for a lock) may try again.</summary>
    internal static readonly TimeSpan ContentionRetryAfter = TimeSpan.FromSeconds(1);

    private readonly LockoutOptions options = options.Value;

    /// <summary>The 429 to answer while <paramref name="failures"/> holds a lock in force; null otherwise.</summary>
    public AuthError? LockedOut(LoginFailures? failures)
    {
        var now = timeProvider.GetUtcNow();
        return failures?.LockedUntil is { } until && until > now
            ? new AuthError(ErrorCodes.TooManyRequests, "Too many failed logins for this username: try again later.") { RetryAfter = until - now }
            : null;
    }

    /// <summary>
    /// Counts one attempt on <paramref name="usernameKey"/> before its password is checked, starting from
    /// <paramref name="current"/> (as read beside the user) and re-reading when another writer came first.
    /// Null: the attempt is counted and its password may be checked; the attempt that reaches the limit
    /// also sets the lock, so no later one is checked until it ends or a success resets it. Otherwise the
    /// 429 to answer, with nothing checked: the lock in force, or more contention than
    /// <see cref="MaxWriteAttempts"/> writes could settle (then <see cref="ContentionRetryAfter"/>).
    /// </summary>
    public async Task<AuthError?> ReserveAsync(string usernameKey, LoginFailures? current, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            if (LockedOut(current) is { } locked)
            {
                return locked;
            }

            if (await store.TryWriteAsync(Next(usernameKey, current), cancellationToken))
            {
                return null;
            }

            current = await store.FindAsync(usernameKey, cancellationToken);
        }

        return new AuthError(ErrorCodes.TooManyRequests, "Too many logins for this username at once: try again shortly.") { RetryAfter = ContentionRetryAfter };
    }

    public Task ResetAsync(string usernameKey, CancellationToken cancellationToken) => store.ResetAsync(usernameKey, cancellationToken);

    private LoginFailures Next(string usernameKey, LoginFailures? current)
    {
        var now = timeProvider.GetUtcNow();

        // Attempts older than the window no longer count: the window starts again with this one.
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
