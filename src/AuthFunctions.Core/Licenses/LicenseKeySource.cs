using AuthFunctions.Core.Storage;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace AuthFunctions.Core.Licenses;

/// <summary>Fetches a JWKS document (the HTTP client lives outside Core).</summary>
public interface IJwksFetcher
{
    Task<string> FetchAsync(Uri uri, CancellationToken cancellationToken);
}

/// <summary>
/// The license system's verification keys: the inline JWKS, or the one at <c>JwksUri</c>, fetched on
/// first use and again when a token names an unknown <c>kid</c>, at most once a minute. Fails closed:
/// without keys no license token is accepted.
/// </summary>
public sealed class LicenseKeySource(IOptions<LicenseSystemOptions> options, IJwksFetcher fetcher, TimeProvider timeProvider) : IDisposable
{
    public static readonly TimeSpan MinimumRefreshInterval = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim gate = new(1, 1);
    private IList<SecurityKey>? keys;
    private DateTimeOffset fetchedAt = DateTimeOffset.MinValue;

    public async Task<SecurityKey?> FindAsync(string keyId, bool refresh, CancellationToken cancellationToken)
    {
        var current = keys ?? await LoadAsync(force: false, cancellationToken);
        if (refresh && !string.IsNullOrEmpty(options.Value.JwksUri))
        {
            current = await LoadAsync(force: true, cancellationToken);
        }

        return current.FirstOrDefault(k => string.Equals(k.KeyId, keyId, StringComparison.Ordinal) && IsStrongEnough(k));
    }

    public void Dispose() => gate.Dispose();

    private static bool IsStrongEnough(SecurityKey key) => key is not RsaSecurityKey and not JsonWebKey { Kty: "RSA" } || key.KeySize >= 2048;

    private async Task<IList<SecurityKey>> LoadAsync(bool force, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!string.IsNullOrWhiteSpace(settings.Jwks))
        {
            return keys ??= LicenseSystemOptions.TryParseJwks(settings.Jwks, out var inline) ? inline : [];
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            var now = timeProvider.GetUtcNow();
            if (keys is not null && (!force || now - fetchedAt < MinimumRefreshInterval))
            {
                return keys;
            }

            fetchedAt = now;
            string json;
            try
            {
                json = await fetcher.FetchAsync(new Uri(settings.JwksUri!), cancellationToken);
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                if (keys is not null)
                {
                    return keys;
                }

                throw new StoreUnavailableException("The license system's keys could not be fetched.", exception);
            }

            return keys = LicenseSystemOptions.TryParseJwks(json, out var fetched) ? fetched : keys ?? [];
        }
        finally
        {
            gate.Release();
        }
    }
}
