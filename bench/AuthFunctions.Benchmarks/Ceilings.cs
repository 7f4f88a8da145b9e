using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Azure.Data.Tables;

namespace AuthFunctions.Benchmarks;

/// <summary>
/// The two ceilings a login is read against, measured in the same run as the load (bench/load.sh):
/// raw ES256 signatures per second on one core, and Azurite's point reads per second.
/// </summary>
internal static class Ceilings
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync(string connectionString)
    {
        var signatures = SignaturesPerSecond();
        var reads = await PointReadsPerSecondAsync(connectionString);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CEILING es256_signatures_per_core {signatures:F0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CEILING azurite_point_reads {reads:F0}"));
        return 0;
    }

    /// <summary>One thread signing token-sized inputs (SHA-256 + P-256), as the issuer does per token.</summary>
    private static double SignaturesPerSecond()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var input = RandomNumberGenerator.GetBytes(400);
        for (var i = 0; i < 200; i++)
        {
            key.SignData(input, HashAlgorithmName.SHA256);
        }

        var count = 0L;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Window)
        {
            key.SignData(input, HashAlgorithmName.SHA256);
            count++;
        }

        return count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>16 concurrent point reads of one entity, as many logins at once would read their keys.</summary>
    private static async Task<double> PointReadsPerSecondAsync(string connectionString)
    {
        var table = new TableClient(connectionString, "ceiling" + Guid.NewGuid().ToString("N")[..12]);
        await table.CreateAsync();
        try
        {
            await table.AddEntityAsync(new TableEntity("probe", string.Empty) { ["Value"] = 1 });
            var count = 0L;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
            {
                while (clock.Elapsed < Window)
                {
                    await table.GetEntityIfExistsAsync<TableEntity>("probe", string.Empty);
                    Interlocked.Increment(ref count);
                }
            }));
            return count / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            await table.DeleteAsync();
        }
    }
}
