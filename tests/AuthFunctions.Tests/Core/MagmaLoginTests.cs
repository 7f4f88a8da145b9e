using AuthFunctions.Core.Errors;
using AuthFunctions.Core.MagmaKeys;
using AuthFunctions.Core.Principals;
using AuthFunctions.Core.Tenants;
using AuthFunctions.Tests.Fakes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace AuthFunctions.Tests.Core;

public sealed class MagmaLoginTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly TokenKit kit = new();
    private readonly InMemoryMagmaKeyStore keys = new();
    private readonly InMemoryTenantStore tenants = new();
    private readonly FakeLogger<MagmaLogin> loginLog = new();
    private readonly FakeLogger<MagmaKeyAdministration> adminLog = new();
    private readonly MagmaLogin login;
    private readonly MagmaKeyAdministration administration;

    public MagmaLoginTests()
    {
        login = new MagmaLogin(keys, kit.Issuer, Options.Create(kit.TokenOptions), kit.Time, loginLog);
        administration = new MagmaKeyAdministration(keys, new InMemoryAssertionKeyStore(), tenants, kit.Registry, kit.Time, adminLog);
    }

    public void Dispose() => kit.Dispose();

    private async Task<string> CreateAsync(string name, Rights rights, string? tenantId = null, DateTimeOffset? expiresAt = null)
    {
        var created = await administration.CreateAsync(new NewMagmaKey { Name = name, Rights = rights, TenantId = tenantId, ExpiresAt = expiresAt, CreatedBy = "magma:ops" }, Ct);
        return created.Value!.Secret;
    }

    [Fact]
    public async Task The_key_logs_in_with_its_secret_and_gets_its_own_rights()
    {
        var secret = await CreateAsync("srv", Rights.Data | Rights.Modify);

        var outcome = await login.LoginAsync("srv", secret, Ct);

        var validated = await kit.Validator.ValidateAsync(outcome.Value!.AccessToken, Ct);
        Assert.Equal("magma:srv", validated.Value!.Claims.Subject);
        Assert.Equal(Rights.Data | Rights.Modify, validated.Value.Claims.Rights);
        Assert.Equal("magma", validated.Value.Claims.Grant);
        Assert.Null(validated.Value.Claims.TenantId);
        Assert.Equal(3600, outcome.Value.ExpiresIn);
    }

    [Fact]
    public async Task A_token_never_outlives_the_key_it_came_from()
    {
        var secret = await CreateAsync("short-lived", Rights.Data | Rights.Authenticate, expiresAt: TokenKit.Start.AddMinutes(10).AddMilliseconds(500));
        var user = new DelegatedUser { Id = "42", Name = "U", Rights = Rights.Data };

        var own = await login.LoginAsync("short-lived", secret, Ct);
        var delegated = await login.LoginDelegatedAsync("short-lived", secret, user, Ct);

        Assert.Equal(TokenKit.Start.AddMinutes(10), own.Value!.ExpiresAt);
        Assert.Equal(600, own.Value.ExpiresIn);
        Assert.Equal(TokenKit.Start.AddMinutes(10), delegated.Value!.ExpiresAt);
    }

    [Fact]
    public async Task Deleting_a_key_ends_its_own_and_its_delegated_tokens_at_once()
    {
        var secret = await CreateAsync("doomed", Rights.Data | Rights.Authenticate);
        var other = await CreateAsync("other", Rights.Data);
        var own = (await login.LoginAsync("doomed", secret, Ct)).Value!;
        var delegated = (await login.LoginDelegatedAsync("doomed", secret, new DelegatedUser { Id = "42", Name = "U", Rights = Rights.Data }, Ct)).Value!;
        var unrelated = (await login.LoginAsync("other", other, Ct)).Value!;
        kit.Time.Advance(TimeSpan.FromSeconds(1));

        var deleted = await administration.DeleteAsync("doomed", "magma:ops", Ct);

        Assert.True(deleted.Succeeded);
        Assert.Equal(ErrorCodes.InvalidToken, (await kit.Validator.ValidateAsync(own.AccessToken, Ct)).Error?.Code);
        Assert.Equal(ErrorCodes.InvalidToken, (await kit.Validator.ValidateAsync(delegated.AccessToken, Ct)).Error?.Code);
        Assert.True((await kit.Validator.ValidateAsync(unrelated.AccessToken, Ct)).Succeeded);
        Assert.Equal(TokenKit.Start.AddSeconds(1), kit.Registry.Cutoffs["magma:doomed"]);
        Assert.False(kit.Registry.Records[own.TokenId].Revoked);
    }

    [Fact]
    public async Task A_key_created_again_under_a_deleted_name_gets_working_tokens_the_old_ones_stay_dead()
    {
        var first = await CreateAsync("reborn", Rights.Data);
        var old = (await login.LoginAsync("reborn", first, Ct)).Value!;
        kit.Time.Advance(TimeSpan.FromSeconds(1));
        await administration.DeleteAsync("reborn", "magma:ops", Ct);
        kit.Time.Advance(TimeSpan.FromSeconds(1));
        var second = await CreateAsync("reborn", Rights.Data);

        var fresh = (await login.LoginAsync("reborn", second, Ct)).Value!;

        Assert.True((await kit.Validator.ValidateAsync(fresh.AccessToken, Ct)).Succeeded);
        Assert.False((await kit.Validator.ValidateAsync(old.AccessToken, Ct)).Succeeded);
    }

    [Fact]
    public async Task The_secret_is_stored_only_as_its_hash()
    {
        var secret = await CreateAsync("srv", Rights.Data);

        var stored = keys.Keys["srv"];
        Assert.NotEqual(secret, stored.SecretHash);
        Assert.DoesNotContain(secret, stored.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_realm_key_carries_its_tenant()
    {
        tenants.Tenants["t1"] = new Tenant { Id = "t1", Name = "T1", CreatedAt = TokenKit.Start };
        var secret = await CreateAsync("realm", Rights.Data, tenantId: "t1");

        var outcome = await login.LoginAsync("realm", secret, Ct);

        Assert.Equal("t1", (await kit.Validator.ValidateAsync(outcome.Value!.AccessToken, Ct)).Value!.Claims.TenantId);
    }

    [Fact]
    public async Task Unknown_key_wrong_secret_disabled_and_expired_keys_get_the_same_answer()
    {
        var secret = await CreateAsync("srv", Rights.Data);
        var expiring = await CreateAsync("expiring", Rights.Data, expiresAt: TokenKit.Start.AddMinutes(5));
        var disabledSecret = await CreateAsync("disabled", Rights.Data);
        keys.Keys["disabled"] = keys.Keys["disabled"] with { Enabled = false };
        kit.Time.Advance(TimeSpan.FromMinutes(5));

        var answers = new[]
        {
            await login.LoginAsync("nope", secret, Ct),
            await login.LoginAsync("srv", secret + "x", Ct),
            await login.LoginAsync("disabled", disabledSecret, Ct),
            await login.LoginAsync("expiring", expiring, Ct),
            await login.LoginAsync("bad/name", secret, Ct),
        };

        Assert.All(answers, a => Assert.Same(MagmaLogin.InvalidKey, a.Error));
        Assert.Equal(ErrorCodes.InvalidClient, MagmaLogin.InvalidKey.Code);
        Assert.True((await login.LoginAsync("srv", secret, Ct)).Succeeded, "the control case still logs in");
    }

    [Fact]
    public async Task Refused_logins_are_logged_with_their_reason_and_never_the_secret()
    {
        var secret = await CreateAsync("srv", Rights.Data);
        var wrong = "mk_" + new string('x', 43);
        await login.LoginAsync("srv", wrong, Ct);
        await login.LoginAsync("ghost", secret, Ct);
        await login.LoginAsync("bad\nname", secret, Ct);
        await login.LoginDelegatedAsync("srv", secret, new DelegatedUser { Id = "1", Name = "U", Rights = Rights.Data }, Ct);

        var records = loginLog.Collector.GetSnapshot();
        Assert.Equal(
            [
                (1101, LogLevel.Warning, "Magma login refused for key srv: WrongSecret"),
                (1101, LogLevel.Warning, "Magma login refused for key ghost: UnknownPrincipal"),
                (1101, LogLevel.Warning, "Magma login refused for key (not a valid key name): UnknownPrincipal"),
                (1102, LogLevel.Warning, "Delegated login through key srv refused: the key lacks the 'authenticate' right"),
            ],
            records.Select(r => (r.Id.Id, r.Level, r.Message)));
        Assert.DoesNotContain(records, r => r.Message.Contains(secret, StringComparison.Ordinal) || r.Message.Contains(wrong, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Key_changes_are_logged_with_the_acting_principal()
    {
        await CreateAsync("srv", Rights.Data | Rights.Index);
        kit.Time.Advance(TimeSpan.FromMinutes(1));
        await administration.DeleteAsync("srv", "u_admin", Ct);

        Assert.Equal(
            [
                (1201, "Magma key srv created by magma:ops: rights Data, Index, tenant (null), expires (null)"),
                (1202, "Magma key srv deleted by u_admin; its tokens issued before 2026-11-22T18:01:00.0000000+00:00 are inactive"),
            ],
            adminLog.Collector.GetSnapshot().Select(r => (r.Id.Id, r.Message)));
    }

    [Fact]
    public async Task A_deleted_key_cannot_log_in()
    {
        var secret = await CreateAsync("srv", Rights.Data);

        Assert.True((await administration.DeleteAsync("srv", "magma:ops", Ct)).Succeeded);

        Assert.Same(MagmaLogin.InvalidKey, (await login.LoginAsync("srv", secret, Ct)).Error);
        Assert.Equal(ErrorCodes.NotFound, (await administration.DeleteAsync("srv", "magma:ops", Ct)).Error?.Code);
    }

    [Fact]
    public async Task Creating_a_taken_name_is_a_conflict_and_keeps_the_first_secret()
    {
        var secret = await CreateAsync("srv", Rights.Data);

        var again = await administration.CreateAsync(new NewMagmaKey { Name = "srv", Rights = Rights.Index, CreatedBy = "magma:ops" }, Ct);

        Assert.Equal(ErrorCodes.Conflict, again.Error?.Code);
        Assert.True((await login.LoginAsync("srv", secret, Ct)).Succeeded);
    }

    [Fact]
    public async Task Creating_with_a_bad_name_past_expiry_or_unknown_tenant_is_refused()
    {
        Assert.Equal(ErrorCodes.InvalidRequest, (await administration.CreateAsync(new NewMagmaKey { Name = "a/b", Rights = Rights.Data, CreatedBy = "magma:ops" }, Ct)).Error?.Code);
        Assert.Equal(ErrorCodes.InvalidRequest, (await administration.CreateAsync(new NewMagmaKey { Name = "a", Rights = Rights.Data, ExpiresAt = TokenKit.Start, CreatedBy = "magma:ops" }, Ct)).Error?.Code);
        Assert.Equal(ErrorCodes.InvalidRequest, (await administration.CreateAsync(new NewMagmaKey { Name = "a", Rights = Rights.Data, TenantId = "ghost", CreatedBy = "magma:ops" }, Ct)).Error?.Code);
        Assert.Empty(keys.Keys);
    }

    [Fact]
    public async Task Delegation_gives_the_user_a_subset_of_the_keys_rights_with_act()
    {
        var secret = await CreateAsync("trusted", Rights.Data | Rights.Index | Rights.Authenticate);
        var user = new DelegatedUser { Id = "u1", Name = "Ann", Email = "ann@example.test", OrganisationName = "Org", Rights = Rights.Data };

        var outcome = await login.LoginDelegatedAsync("trusted", secret, user, Ct);

        var claims = (await kit.Validator.ValidateAsync(outcome.Value!.AccessToken, Ct)).Value!.Claims;
        Assert.Equal("delegated:trusted:u1", claims.Subject);
        Assert.Equal("magma:trusted", claims.ActorSubject);
        Assert.Equal(Rights.Data, claims.Rights);
        Assert.Equal("delegated", claims.Grant);
        Assert.Equal("Org", claims.Organisation);
    }

    [Fact]
    public async Task Delegation_needs_authenticate_never_delegates_it_and_names_a_missing_right()
    {
        var plain = await CreateAsync("plain", Rights.Data);
        var trusted = await CreateAsync("trusted", Rights.Data | Rights.Authenticate);
        DelegatedUser User(Rights rights) => new() { Id = "u1", Name = "Ann", Rights = rights };

        var noAuthenticate = await login.LoginDelegatedAsync("plain", plain, User(Rights.Data), Ct);
        var delegatesAuthenticate = await login.LoginDelegatedAsync("trusted", trusted, User(Rights.Authenticate), Ct);
        var exceeds = await login.LoginDelegatedAsync("trusted", trusted, User(Rights.Data | Rights.Modify), Ct);

        Assert.Equal(ErrorCodes.AccessDenied, noAuthenticate.Error?.Code);
        Assert.Equal(ErrorCodes.AccessDenied, delegatesAuthenticate.Error?.Code);
        Assert.Equal(ErrorCodes.AccessDenied, exceeds.Error?.Code);
        Assert.Contains("'modify'", exceeds.Error!.Detail, StringComparison.Ordinal);
        Assert.Empty(kit.Registry.Records);
    }

    [Fact]
    public async Task Introspect_is_never_delegable_even_by_a_key_that_holds_it()
    {
        var resourceApi = await CreateAsync("resource-api", Rights.Data | Rights.Authenticate | Rights.Introspect);

        var delegated = await login.LoginDelegatedAsync("resource-api", resourceApi, new DelegatedUser { Id = "u1", Name = "Ann", Rights = Rights.Data | Rights.Introspect }, Ct);
        var own = await login.LoginAsync("resource-api", resourceApi, Ct);

        Assert.Equal((ErrorCodes.AccessDenied, "The 'introspect' right is never delegable."), (delegated.Error?.Code, delegated.Error?.Detail));
        var rights = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(own.Value!.AccessToken).GetPayloadValue<List<string>>("rights");
        Assert.Equal(["data", "authenticate", "introspect"], rights);
    }
}
