using System.Diagnostics;
using System.Text.Json.Nodes;
using AuthFunctions.LocalHost.Development;
using AuthFunctions.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthFunctions.Tests.Http;

/// <summary>The development keys of the walk-throughs (<c>tools/DevKeys</c> and the local host's development license system).</summary>
public sealed class DevelopmentKeyTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "authfn-dev-key-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_key_is_made_once_readable_by_its_owner_only_and_signs_what_its_public_JWK_verifies()
    {
        using var first = DevelopmentKey.LoadOrCreate(folder, "sso");
        using var again = DevelopmentKey.LoadOrCreate(folder, "sso");
        var token = again.Sign(new JsonObject { ["iss"] = "intranet", ["exp"] = DateTimeOffset.UtcNow.AddMinutes(4).ToUnixTimeSeconds() });

        var publicJwk = first.PublicJwk();
        Assert.Null(publicJwk["d"]);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, "sso.jwk")));
        }

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = "intranet",
            ValidateAudience = false,
            IssuerSigningKey = new JsonWebKey(publicJwk.ToJsonString()),
            ValidAlgorithms = ["ES256"],
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("sso", ((JsonWebToken)result.SecurityToken).Kid);
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("Upper")]
    [InlineData("")]
    public void A_name_that_is_not_a_plain_file_name_is_refused(string name)
    {
        Assert.Throws<ArgumentException>(() => DevelopmentKey.LoadOrCreate(folder, name));
        Assert.False(Directory.Exists(folder));
    }

    [Theory]
    [InlineData("sign", "../outside")]
    [InlineData("sign", "sso", "no-equals-sign")]
    [InlineData("sign", "sso", "rights:=[not json")]
    [InlineData("key")]
    [InlineData("unknown", "sso")]
    public async Task The_tool_refuses_bad_arguments_with_exit_code_2_and_writes_nothing_to_standard_output(params string[] arguments)
    {
        var tool = Path.Combine(RepositoryPaths.Root, "tools", "DevKeys", "bin", "Release", "net10.0", "devkeys.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(tool);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AUTHFN_DATA_DIR"] = folder;
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, process.ExitCode);
        Assert.Empty(output);
        Assert.NotEmpty(errors);
    }
}
