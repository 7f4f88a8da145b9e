using Microsoft.Playwright;

namespace AuthFunctions.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium driven by Playwright (no browser download): headless, one per test class, closed
/// with the class, pass or fail. <c>./test.sh</c> installs Chromium through apt when it is missing and
/// it may; <c>AUTHFN_CHROMIUM</c> names another executable.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public static string? ExecutablePath =>
        Environment.GetEnvironmentVariable("AUTHFN_CHROMIUM") is { Length: > 0 } configured ? configured : Candidates.FirstOrDefault(File.Exists);

    public async ValueTask InitializeAsync()
    {
        var executable = ExecutablePath
            ?? throw new InvalidOperationException("Chromium is not installed: 'apt-get install chromium' (./test.sh does it when it runs as root), or set AUTHFN_CHROMIUM.");
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,

            // Containers run tests as root, where Chromium's sandbox cannot start.
            Args = ["--no-sandbox"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        playwright?.Dispose();
    }
}
