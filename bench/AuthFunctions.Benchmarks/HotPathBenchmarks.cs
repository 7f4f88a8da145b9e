using System.Collections.Concurrent;
using System.Text;
using AuthFunctions.Azure.Tables;
using AuthFunctions.Core.Keys;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Secrets;
using AuthFunctions.Core.Storage;
using AuthFunctions.Core.Tokens;
using AuthFunctions.Core.Users;
using AuthFunctions.Http.Requests;
using Azure.Data.Tables;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AuthFunctions.Benchmarks;

/// <summary>
/// Creating and validating an access token, per algorithm: the CPU part of every login and every
/// authenticated call, with storage replaced by memory (its cost is what bench/load.sh measures).
/// </summary>
[MemoryDiagnoser]
public class TokenBenchmarks : IDisposable
{
    private KeyRing ring = null!;
    private TokenIssuer issuer = null!;
    private TokenValidator validator = null!;
    private string token = null!;

    private static readonly AccessTokenClaims Claims = new()
    {
        Subject = "magma:load-client",
        Grant = TokenGrants.Magma,
        Rights = Rights.Data | Rights.Index,
        ClientId = "load-client",
    };

    [Params(SigningAlgorithms.ES256, SigningAlgorithms.RS256)]
    public string Algorithm { get; set; } = SigningAlgorithms.ES256;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var options = Options.Create(new TokenOptions { Issuer = "https://auth.example.test", Audience = "example-api" });
        ring = new KeyRing(new MemoryKeyStore(), Options.Create(new KeyRingOptions { Algorithm = Algorithm }), TimeProvider.System, NullLogger<KeyRing>.Instance);
        var registry = new MemoryTokenRegistry();
        issuer = new TokenIssuer(ring, registry, options, TimeProvider.System);
        validator = new TokenValidator(ring, registry, options, TimeProvider.System);
        token = (await issuer.IssueAsync(Claims, TimeSpan.FromHours(1), CancellationToken.None)).AccessToken;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        ring?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public Task<IssuedToken> Issue() => issuer.IssueAsync(Claims, TimeSpan.FromHours(1), CancellationToken.None);

    [Benchmark]
    public async Task<bool> Validate() => (await validator.ValidateAsync(token, CancellationToken.None)).Succeeded;

    /// <summary>What a key ring refresh costs: keys parsed and the JWKS document serialised once per snapshot.</summary>
    [Benchmark]
    public Task<KeyRingSnapshot> RefreshWithJwks() => ring.RefreshAsync(CancellationToken.None);
}

/// <summary>
/// Drawing a token id: a plain random one, and the token table's, which draws random ids until one falls in
/// the shard of the current run (HMAC of the run's number, then 16 draws on average). No storage is touched.
/// </summary>
[MemoryDiagnoser]
public class TokenIdBenchmarks
{
    private readonly TokenTable table = new(new AuthTables(
        new TableServiceClient("UseDevelopmentStorage=true"),
        Options.Create(new StorageOptions { ConnectionString = "UseDevelopmentStorage=true" })));

    [Benchmark(Baseline = true)]
    public string Random() => TokenIds.NewRandom();

    [Benchmark]
    public string InShardRuns() => table.NewTokenId();
}

/// <summary>The secret checks of a login: a magma key's SHA-256 comparison and a password at the configured cost.</summary>
[MemoryDiagnoser]
public class SecretBenchmarks
{
    private readonly string secret = SecretValue.Generate("mk_");
    private readonly PasswordHashing hashing = new();
    private string secretHash = null!;
    private string passwordHash = null!;

    [GlobalSetup]
    public void Setup()
    {
        secretHash = SecretValue.Hash(secret);
        passwordHash = hashing.Hash("load-user-passphrase");
    }

    [Benchmark]
    public bool MagmaSecretHashCheck() => SecretValue.Matches(secret, secretHash);

    [Benchmark]
    public bool PasswordVerification() => hashing.Verify(passwordHash, "load-user-passphrase");
}

/// <summary>Reading <c>Authorization</c>: Basic (password login, OAuth clients) and the Plugin pair scheme.</summary>
[MemoryDiagnoser]
public class HeaderBenchmarks
{
    private readonly HttpRequest basic = Request("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("load-user:load-user-passphrase")));
    private readonly HttpRequest plugin = Request("Plugin " + Convert.ToBase64String(Encoding.UTF8.GetBytes("p_0123456789abcdef:plg_" + new string('x', 43))));

    private static HttpRequest Request(string authorization)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = authorization;
        return context.Request;
    }

    [Benchmark]
    public bool Basic() => AuthorizationHeader.TryGetCredentials(basic, "Basic", out var credentials) && AuthorizationHeader.TryDecodePair(credentials, out _, out _);

    [Benchmark]
    public bool Plugin() => AuthorizationHeader.TryGetCredentials(plugin, "Plugin", out var credentials) && AuthorizationHeader.TryDecodePair(credentials, out _, out _);
}

internal sealed class MemoryKeyStore : ISigningKeyStore
{
    private readonly ConcurrentDictionary<int, SigningKeyRecord> keys = new();

    public string Description => "benchmark memory store";

    public Task<IReadOnlyList<SigningKeyRecord>> LoadAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SigningKeyRecord>>([.. keys.Values]);

    public Task<WriteResult> TryAddAsync(SigningKeyRecord key, CancellationToken cancellationToken) =>
        Task.FromResult(keys.TryAdd(key.Generation, key) ? WriteResult.Written : WriteResult.Conflict);
}

internal sealed class MemoryTokenRegistry : ITokenRegistry
{
    private readonly ConcurrentDictionary<string, TokenRecord> records = new(StringComparer.Ordinal);

    public Task RecordAsync(TokenRecord record, CancellationToken cancellationToken)
    {
        records[record.TokenId] = record;
        return Task.CompletedTask;
    }

    public Task<TokenRecord?> FindAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        Task.FromResult(records.TryGetValue(tokenId, out var record) ? record : null);

    public Task<DateTimeOffset?> FindCutoffAsync(string principal, CancellationToken cancellationToken) => Task.FromResult<DateTimeOffset?>(null);

    public Task SetCutoffAsync(string principal, DateTimeOffset validAfter, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<bool> RevokeAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken) => Task.FromResult(records.TryRemove(tokenId, out _));
}
