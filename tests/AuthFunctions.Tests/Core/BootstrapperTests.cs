using AuthFunctions.Core.Bootstrap;
using AuthFunctions.Core.MagmaKeys;
using AuthFunctions.Core.Storage;
using AuthFunctions.Core.Users;
using AuthFunctions.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AuthFunctions.Tests.Core;

public sealed class BootstrapperTests
{
    private readonly InMemoryUserStore users = new();
    private readonly InMemoryTenantStore tenants = new();
    private readonly InMemoryMagmaKeyStore keys = new();
    private readonly FakeTimeProvider time = new(TokenKit.Start);

    private Bootstrapper Create(BootstrapOptions options, IBootstrapSecrets? secrets = null, IUserStore? userStore = null) => new(
        userStore ?? users,
        new UserAdministration(
            userStore ?? users,
            new PasswordHashing(),
            new InMemoryTokenRegistry(),
            Mock.Of<AuthFunctions.Core.Tenants.IMembershipStore>(),
            new AuthFunctions.Core.Tenants.TenantMemberships(new InMemoryTenantStore(), userStore ?? users, Mock.Of<AuthFunctions.Core.Tenants.IMembershipStore>(), new InMemoryTokenRegistry(), time, NullLogger<AuthFunctions.Core.Tenants.TenantMemberships>.Instance),
            time,
            NullLogger<UserAdministration>.Instance),
        tenants,
        new MagmaKeyAdministration(keys, new InMemoryAssertionKeyStore(), tenants, new InMemoryTokenRegistry(), time, NullLogger<MagmaKeyAdministration>.Instance),
        keys,
        new PasswordHashing(),
        Options.Create(options),
        time,
        secrets);

    [Fact]
    public async Task Where_a_generated_password_may_not_be_printed_no_super_user_is_made_and_no_secret_is_said()
    {
        var report = await Create(new BootstrapOptions { MayPrintGeneratedPassword = false }).RunAsync(TestContext.Current.CancellationToken);

        Assert.Empty(users.Users);
        var line = Assert.Single(report.Lines);
        Assert.Contains("Bootstrap__SuperUser__Password is not set", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configured_password_is_used_even_where_none_may_be_printed()
    {
        var options = new BootstrapOptions { MayPrintGeneratedPassword = false, SuperUser = { Username = "root", Password = "a-long-enough-password" } };

        await Create(options).RunAsync(TestContext.Current.CancellationToken);

        var user = users.Users["root"];
        Assert.True(user.SuperUser);
        Assert.True(new PasswordHashing().Verify(user.PasswordHash, "a-long-enough-password"));
    }

    [Fact]
    public async Task Demo_data_is_seeded_once_and_its_secret_is_reported_once()
    {
        var options = new BootstrapOptions { SeedDemoData = true, SuperUser = { Password = "a-long-enough-password" } };

        var first = await Create(options).RunAsync(TestContext.Current.CancellationToken);
        var second = await Create(options).RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal(3, first.Lines.Count);
        Assert.Empty(second.Lines);
        Assert.True(keys.Keys.ContainsKey(Bootstrapper.DemoMagmaKeyName));
        Assert.Equal(Bootstrapper.DemoTenantId, keys.Keys[Bootstrapper.DemoMagmaKeyName].TenantId);
    }

    [Fact]
    public async Task A_password_configured_after_the_super_user_exists_is_said_to_be_ignored_in_one_line_that_never_holds_it()
    {
        await Create(new BootstrapOptions { SuperUser = { Password = "the-first-long-password" } }).RunAsync(TestContext.Current.CancellationToken);
        var options = new BootstrapOptions { StartAfresh = "`./run.sh --reset` starts afresh", SuperUser = { Password = "a-later-long-password" } };

        var report = await Create(options).RunAsync(TestContext.Current.CancellationToken);

        var line = Assert.Single(report.Lines);
        Assert.Equal("The super user 'admin' exists already; Bootstrap:SuperUser:Password is used only when it is created; `./run.sh --reset` starts afresh.", line);
        Assert.True(new PasswordHashing().Verify(users.Users["admin"].PasswordHash, "the-first-long-password"));
    }

    [Fact]
    public async Task The_same_password_configured_on_a_restart_says_nothing()
    {
        var options = new BootstrapOptions { SuperUser = { Password = "the-first-long-password" } };
        await Create(options).RunAsync(TestContext.Current.CancellationToken);

        var report = await Create(options).RunAsync(TestContext.Current.CancellationToken);

        Assert.Empty(report.Lines);
    }

    [Fact]
    public async Task The_first_password_can_come_from_a_Key_Vault_secret_and_is_never_reported()
    {
        var options = new BootstrapOptions { MayPrintGeneratedPassword = false, SuperUser = { PasswordSecretName = "bootstrap-password" } };
        var secrets = new Secrets { ["bootstrap-password"] = "from-the-vault-password" };

        var report = await Create(options, secrets).RunAsync(TestContext.Current.CancellationToken);

        Assert.True(new PasswordHashing().Verify(users.Users["admin"].PasswordHash, "from-the-vault-password"));
        Assert.DoesNotContain(report.Lines, l => l.Contains("from-the-vault-password", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_Key_Vault_secret_creates_no_super_user_and_says_which_secret()
    {
        var options = new BootstrapOptions { SuperUser = { PasswordSecretName = "bootstrap-password" } };

        var report = await Create(options, new Secrets()).RunAsync(TestContext.Current.CancellationToken);

        Assert.Empty(users.Users);
        Assert.Contains("'bootstrap-password'", Assert.Single(report.Lines), StringComparison.Ordinal);
    }

    private sealed class Secrets : Dictionary<string, string>, IBootstrapSecrets
    {
        public Task<string?> ReadAsync(string secretName, CancellationToken cancellationToken) =>
            Task.FromResult(TryGetValue(secretName, out var value) ? value : null);
    }

    [Fact]
    public async Task An_instance_that_loses_the_race_to_create_the_super_user_reports_nothing()
    {
        var report = await Create(new BootstrapOptions(), userStore: new RacingUserStore()).RunAsync(TestContext.Current.CancellationToken);

        Assert.Empty(report.Lines);
    }

    /// <summary>Another instance creates the user between this one's lookup and its write.</summary>
    private sealed class RacingUserStore : IUserStore
    {
        public Task<User?> FindByUsernameAsync(string username, CancellationToken cancellationToken) => Task.FromResult<User?>(null);

        public Task<User?> FindByIdAsync(string userId, CancellationToken cancellationToken) => Task.FromResult<User?>(null);

        public Task<IReadOnlyList<User?>> FindByIdsAsync(IReadOnlyList<string> userIds, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<User?>>([.. userIds.Select(_ => (User?)null)]);

        public Task<AuthFunctions.Core.Storage.WriteResult> AddAsync(User user, CancellationToken cancellationToken) =>
            Task.FromResult(AuthFunctions.Core.Storage.WriteResult.Conflict);

        public Task<bool> UpdateAsync(string userId, UserChange change, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task<PageOf<User>> ListAsync(string? usernamePrefix, PageRequest page, CancellationToken cancellationToken) =>
            Task.FromResult(new PageOf<User>([], null));

        public Task DeleteAsync(User user, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
