using System.Net;
using System.Text.Json;
using AuthFunctions.Http.AdminConsole;
using AuthFunctions.Tests.Http;
using AuthFunctions.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AuthFunctions.Tests.AdminConsole;

/// <summary>
/// The console in a real browser (Debian's Chromium through Playwright) against the real local host
/// on Azurite: what an administrator and a tenant admin do, end to end, through the same admin API.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConsoleBrowserTests(AzuriteFixture azurite, ChromiumFixture chromium) : IAsyncLifetime, IClassFixture<ChromiumFixture>
{
    /// <summary>
    /// Where the screenshots go: beside the test binaries on every run, and into the README's
    /// <c>docs/console</c> when <c>AUTHFN_UPDATE_SCREENSHOTS=1</c> (so a test run leaves the tree clean).
    /// </summary>
    private static readonly string Screenshots = Environment.GetEnvironmentVariable("AUTHFN_UPDATE_SCREENSHOTS") == "1"
        ? Path.Combine(RepositoryPaths.Root, "docs", "console")
        : Path.Combine(AppContext.BaseDirectory, "screenshots");

    private LocalHostServer server = null!;
    private IBrowserContext context = null!;
    private IPage page = null!;
    private readonly List<string> consoleErrors = [];

    public async ValueTask InitializeAsync()
    {
        server = await LocalHostServer.StartAsync(azurite.ConnectionString);
        context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.Client.BaseAddress!.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                consoleErrors.Add(message.Text);
            }
        };
    }

    public async ValueTask DisposeAsync()
    {
        await context.CloseAsync();
        await server.DisposeAsync();
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private ILocator Button(string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    private ILocator Nav(string name) => page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Button, new() { Name = name, Exact = true })
        .Or(page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = name, Exact = true }));

    private ILocator Alert => page.GetByRole(AriaRole.Alert);

    private async Task SignInAsync(string username, string password)
    {
        await page.GotoAsync("/console/");
        await page.GetByLabel("Username", new() { Exact = true }).FillAsync(username);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await Button("Sign in").ClickAsync();
        await Expect(Button("Sign out")).ToBeVisibleAsync();
    }

    /// <summary>A PATCH through the API that must answer 204.</summary>
    private async Task ChangeAsync(string path, string bearer, string json)
    {
        using var response = await server.SendAsync(HttpMethod.Patch, path, bearer, json);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    private async Task<JsonElement> ApiAsync(HttpMethod method, string path, string bearer, HttpStatusCode status, string? json = null)
    {
        using var response = await server.SendAsync(method, path, bearer, json);
        return await TenancyKit.JsonAsync(response, status);
    }

    [Fact]
    public async Task An_administrator_creates_a_user_generates_an_api_token_that_works_and_revokes_it()
    {
        await SignInAsync("admin", LocalHostServer.AdminPassword);
        foreach (var screen in new[] { "Users", "API tokens", "Magma keys", "Tenants", "Plugins", "Signing keys" })
        {
            await Expect(Nav(screen)).ToBeVisibleAsync();
        }

        // Users: create one.
        await Nav("Users").ClickAsync();
        var create = page.Locator("form", new() { Has = Button("Create user") });
        await create.GetByLabel("Username", new() { Exact = true }).FillAsync("grace");
        await create.GetByLabel("Password", new() { Exact = true }).FillAsync("grace-hopper-cobol-1959");
        await create.GetByLabel("Name", new() { Exact = true }).FillAsync("Grace Hopper");
        await create.GetByLabel("data", new() { Exact = true }).CheckAsync();
        await Button("Create user").ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Grace Hopper" });
        await Expect(row).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "users.png") });

        // API tokens for that user: generate, read it once from the panel, use it.
        await row.GetByRole(AriaRole.Button, new() { Name = "API tokens" }).ClickAsync();
        await page.GetByLabel("Description").FillAsync("CI deploy");
        await Button("Generate token").ClickAsync();
        var secret = page.GetByLabel("New API token");
        await Expect(secret).ToBeVisibleAsync();
        var apiToken = await secret.InputValueAsync();
        Assert.StartsWith("ey", apiToken, StringComparison.Ordinal);
        await Expect(Button("Copy")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "CI deploy" })).ToBeVisibleAsync();
        // The token itself is painted over: a screenshot is committed, a token never is.
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "api-tokens.png"), Mask = [secret], MaskColor = "#c8ced6" });
        Assert.True(File.Exists(Path.Combine(Screenshots, "api-tokens.png")));

        var details = await ApiAsync(HttpMethod.Get, "/api/authentication/token", apiToken, HttpStatusCode.OK);
        Assert.Equal("api_token", details.GetProperty("grant").GetString());
        Assert.Equal("Grace Hopper", details.GetProperty("name").GetString());

        // Revoke it: refused at once.
        await Button("Done").ClickAsync();
        await Expect(secret).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "CI deploy" }).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("revoked");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "CI deploy" })).ToHaveCountAsync(0);
        using var refused = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", apiToken);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        // The token never reached storage the page keeps, nor a cookie.
        await AssertNoTokenKeptAsync(apiToken);
        Assert.Empty(consoleErrors);
    }

    [Fact]
    public async Task An_administrator_creates_and_deletes_a_magma_key_and_adds_a_tenant_member()
    {
        var kit = new TenancyKit(server, await server.AdminTokenAsync());
        await kit.CreateUserAsync("lin");
        await SignInAsync("admin", LocalHostServer.AdminPassword);

        await Nav("Magma keys").ClickAsync();
        var create = page.Locator("form", new() { Has = Button("Create magma key") });
        await create.GetByLabel("Name", new() { Exact = true }).FillAsync("billing-server");
        await create.GetByLabel("index", new() { Exact = true }).CheckAsync();
        await Button("Create magma key").ClickAsync();
        var secret = await page.GetByLabel("New magma key secret").InputValueAsync();
        Assert.NotEmpty(await kit.MagmaTokenAsync("billing-server", secret));
        await Button("Done").ClickAsync();

        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "billing-server" });
        await row.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        using (var login = await server.SendAsync(HttpMethod.Post, "/api/authentication/magma", json: $$"""{"magmaName":"billing-server","secret":"{{secret}}"}"""))
        {
            await ProblemAssert.IsProblemAsync(login, 401, "invalid_client");
        }

        // Tenants: add lin to the demo tenant as an operator.
        await Nav("Tenants").ClickAsync();
        await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "demo" }).GetByRole(AriaRole.Button, new() { Name = "Members" }).ClickAsync();
        await page.GetByLabel("Member username").FillAsync("lin");
        await page.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("operator");
        await Button("Add member").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "lin" })).ToContainTextAsync("operator");

        var roster = await ApiAsync(HttpMethod.Get, "/admin/tenants/demo/members", kit.Admin, HttpStatusCode.OK);
        var member = Assert.Single(roster.EnumerateArray());
        Assert.Equal("lin", member.GetProperty("username").GetString());
        Assert.Equal("operator", member.GetProperty("role").GetString());

        // An error shows the problem's detail: the same member's tenant again with a bad id.
        await Nav("Tenants").ClickAsync();
        var tenantForm = page.Locator("form", new() { Has = Button("Create tenant") });
        await tenantForm.GetByLabel("Id", new() { Exact = true }).FillAsync("demo");
        await tenantForm.GetByLabel("Name", new() { Exact = true }).FillAsync("Again");
        await Button("Create tenant").ClickAsync();
        await Expect(Alert).ToContainTextAsync("exists already");
        Assert.DoesNotContain(consoleErrors, e => !e.Contains("409", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_tenant_admin_sees_only_its_tenant()
    {
        var kit = new TenancyKit(server, await server.AdminTokenAsync());
        await kit.CreateTenantAsync("acme", "Acme Ltd");
        await kit.CreateTenantAsync("globex", "Globex Corp");
        await kit.MemberAsync("tess", "acme", "admin");

        await SignInAsync("tess", TenancyKit.Password);

        await Expect(Nav("Tenants")).ToBeVisibleAsync();
        await Expect(Nav("Users")).ToHaveCountAsync(0);
        await Expect(Nav("Signing keys")).ToHaveCountAsync(0);
        await Nav("Tenants").ClickAsync();

        // Both listings have arrived (its tenants, and the roster of the one it administers) before anything is ruled out.
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "tess" })).ToContainTextAsync("admin");
        var tenantRows = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Acme Ltd" });
        await Expect(tenantRows).ToHaveCountAsync(1);
        await Expect(page.GetByRole(AriaRole.Main)).Not.ToContainTextAsync("Globex");
        await Expect(page.GetByRole(AriaRole.Main)).Not.ToContainTextAsync("demo");
    }

    [Fact]
    public async Task A_wrong_password_shows_the_problem_detail_and_an_ended_session_brings_the_sign_in_back()
    {
        await page.GotoAsync("/console/");
        await page.GetByLabel("Username", new() { Exact = true }).FillAsync("admin");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("not-the-password");
        await Button("Sign in").ClickAsync();
        await Expect(Alert).ToContainTextAsync("The username or password is wrong.");
        await Expect(page.GetByLabel("Password", new() { Exact = true })).ToHaveValueAsync(string.Empty);

        await SignInAsync("admin", LocalHostServer.AdminPassword);
        var response = await page.GotoAsync("/console/");
        Assert.Equal(ConsoleEndpoints.ContentSecurityPolicy, await response!.HeaderValueAsync("content-security-policy"));

        // A reload forgets the token (memory only): the sign-in form is back.
        await Expect(Button("Sign in")).ToBeVisibleAsync();
        await AssertNoTokenKeptAsync(null);
    }

    [Fact]
    public async Task An_administrator_disables_resets_and_edits_a_user_rotates_keys_and_a_tenant_admin_installs_a_plugin()
    {
        var kit = new TenancyKit(server, await server.AdminTokenAsync());
        var userId = await kit.CreateUserAsync("mira");
        await SignInAsync("admin", LocalHostServer.AdminPassword);

        // Users: disable, enable, reset the password, edit the rights.
        await Nav("Users").ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Cell, new() { Name = "mira", Exact = true }) });
        await row.GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await Expect(row).ToContainTextAsync("Disabled");
        using (var refused = await kit.LoginResponseAsync("mira", TenancyKit.Password, null))
        {
            await ProblemAssert.IsProblemAsync(refused, 401, "invalid_grant");
        }

        await row.GetByRole(AriaRole.Button, new() { Name = "Enable" }).ClickAsync();
        await Expect(row).ToContainTextAsync("Enabled");
        await row.GetByRole(AriaRole.Button, new() { Name = "Reset password" }).ClickAsync();
        await page.GetByLabel("New password for mira").FillAsync("short");
        await Button("Set password").ClickAsync();
        await Expect(Alert).ToContainTextAsync("12");
        await page.GetByLabel("New password for mira").FillAsync("mira-has-a-new-passphrase");
        await Button("Set password").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).Not.ToBeEmptyAsync();
        using (var fresh = await kit.LoginResponseAsync("mira", "mira-has-a-new-passphrase", null))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }

        await row.GetByRole(AriaRole.Button, new() { Name = "Edit rights" }).ClickAsync();
        var rightsForm = page.Locator("form", new() { Has = Button("Save rights") });
        await Expect(rightsForm.GetByRole(AriaRole.Checkbox, new() { Name = "data", Exact = true })).ToBeCheckedAsync();
        await rightsForm.GetByRole(AriaRole.Checkbox, new() { Name = "statistics", Exact = true }).CheckAsync();
        await Button("Save rights").ClickAsync();
        await Expect(row).ToContainTextAsync("statistics");
        var listed = (await ApiAsync(HttpMethod.Get, "/admin/users?username=mira", kit.Admin, HttpStatusCode.OK)).EnumerateArray().Single();
        Assert.Equal(userId, listed.GetProperty("id").GetString());
        Assert.Contains("statistics", listed.GetProperty("rights").EnumerateArray().Select(r => r.GetString()));

        // Signing keys: rotate now adds the next key.
        await Nav("Signing keys").ClickAsync();
        var before = (await ApiAsync(HttpMethod.Get, "/admin/signing-keys", kit.Admin, HttpStatusCode.OK)).GetArrayLength();
        await Button("Rotate now").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("A new signing key was created");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "next" })).ToHaveCountAsync(1);
        Assert.Equal(before + 1, (await ApiAsync(HttpMethod.Get, "/admin/signing-keys", kit.Admin, HttpStatusCode.OK)).GetArrayLength());

        // Plugins: create one; its token is shown once and works.
        await Nav("Plugins").ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Wiki");
        await Button("Create plugin").ClickAsync();
        var pluginToken = await page.GetByLabel("New plugin token").InputValueAsync();
        var pluginId = (await ApiAsync(HttpMethod.Get, "/admin/plugins", kit.Admin, HttpStatusCode.OK)).EnumerateArray().Single().GetProperty("pluginId").GetString()!;
        using (var asPlugin = await server.SendAsync(HttpMethod.Get, $"/plugins/{pluginId}/installations", TenancyKit.Plugin(pluginId, pluginToken)))
        {
            Assert.Equal(HttpStatusCode.OK, asPlugin.StatusCode);
        }

        // A tenant admin installs it in its tenant; the administrator sees the installation.
        await kit.CreateTenantAsync("acme", "Acme Ltd");
        await kit.MemberAsync("tina", "acme", "admin");
        await Button("Sign out").ClickAsync();
        await SignInAsync("tina", TenancyKit.Password);
        await Nav("Plugins").ClickAsync();
        await page.GetByLabel("Plugin", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Value = pluginId });
        await Button("Install plugin").ClickAsync();
        var connectionToken = await page.GetByLabel("New connection token").InputValueAsync();
        Assert.StartsWith("plc_", connectionToken, StringComparison.Ordinal);
        var installation = (await ApiAsync(HttpMethod.Get, $"/admin/plugins/{pluginId}/installations", kit.Admin, HttpStatusCode.OK)).EnumerateArray().Single();
        Assert.Equal("acme", installation.GetProperty("tenantId").GetString());
    }

    [Fact]
    public async Task An_administrator_disables_enables_rotates_and_deletes_a_plugin_and_deletes_a_tenant()
    {
        var kit = new TenancyKit(server, await server.AdminTokenAsync());
        await kit.CreateTenantAsync("acme", "Acme Ltd");
        var (pluginId, oldToken) = await kit.CreatePluginAsync("Chat widget");
        var (connectionId, connectionToken) = await kit.InstallAsync(kit.Admin, "acme", pluginId);
        var connection = TenancyKit.Connection(connectionId, connectionToken);
        await SignInAsync("admin", LocalHostServer.AdminPassword);

        // Plugins: disable and enable; the plugin's token follows at once.
        await Nav("Plugins").ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Chat widget" });
        await row.GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await Expect(row).ToContainTextAsync("Disabled");
        using (var refused = await server.SendAsync(HttpMethod.Get, "/tenants", TenancyKit.Plugin(pluginId, oldToken)))
        {
            await ProblemAssert.IsProblemAsync(refused, 401, "invalid_client");
        }

        await row.GetByRole(AriaRole.Button, new() { Name = "Enable" }).ClickAsync();
        await Expect(row).ToContainTextAsync("Enabled");
        Assert.Equal(["acme"], await kit.TenantIdsAsync(TenancyKit.Plugin(pluginId, oldToken)));

        // Rotate the token: the new one is shown once and works, the old one is dead.
        await row.GetByRole(AriaRole.Button, new() { Name = "Rotate token" }).ClickAsync();
        var newToken = await page.GetByLabel("New plugin token").InputValueAsync();
        Assert.StartsWith("plg_", newToken, StringComparison.Ordinal);
        Assert.Equal(["acme"], await kit.TenantIdsAsync(TenancyKit.Plugin(pluginId, newToken)));
        Assert.Equal(["acme"], await kit.TenantIdsAsync(connection));
        using (var old = await server.SendAsync(HttpMethod.Get, "/tenants", TenancyKit.Plugin(pluginId, oldToken)))
        {
            await ProblemAssert.IsProblemAsync(old, 401, "invalid_client");
        }

        await Button("Done").ClickAsync();

        // Delete it: uninstalled everywhere, gone from the list.
        await row.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        using (var gone = await server.SendAsync(HttpMethod.Get, "/tenants", TenancyKit.Plugin(pluginId, newToken)))
        {
            await ProblemAssert.IsProblemAsync(gone, 401, "invalid_client");
        }

        using (var connectionGone = await server.SendAsync(HttpMethod.Get, "/tenants", connection))
        {
            await ProblemAssert.IsProblemAsync(connectionGone, 401, "invalid_client");
        }

        // Tenants: delete acme; its member's tenant token dies with it.
        await kit.MemberAsync("tess", "acme", "admin");
        var tessAcme = await kit.LoginAsync("tess", tenant: "acme");
        await Nav("Tenants").ClickAsync();
        var tenantRow = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Acme Ltd" });
        await tenantRow.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(tenantRow).ToHaveCountAsync(0);
        Assert.DoesNotContain(
            "acme",
            (await ApiAsync(HttpMethod.Get, "/admin/tenants", kit.Admin, HttpStatusCode.OK)).EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        using (var details = await server.SendAsync(HttpMethod.Get, "/api/authentication/token", tessAcme))
        {
            await ProblemAssert.IsProblemAsync(details, 401, "invalid_token");
        }

        Assert.Empty(consoleErrors);
    }

    [Fact]
    public async Task A_401_ends_the_session_and_brings_the_sign_in_back()
    {
        var kit = new TenancyKit(server, await server.AdminTokenAsync());
        var opsId = await kit.CreateUserAsync("ops", """["administration"]""");
        await SignInAsync("ops", TenancyKit.Password);
        await Nav("Users").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "ops" })).ToBeVisibleAsync();

        // Another administrator disables ops: its token is dead, and the console's next call says so.
        using (var disabled = await server.SendAsync(HttpMethod.Patch, $"/admin/users/{opsId}", kit.Admin, """{"enabled":false}"""))
        {
            Assert.Equal(HttpStatusCode.NoContent, disabled.StatusCode);
        }

        await Nav("Tenants").ClickAsync();
        await Expect(Button("Sign in")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your session has ended; sign in again.");
        await Expect(Nav("Users")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_token_expiring_brings_the_sign_in_back()
    {
        await page.Clock.InstallAsync();
        await SignInAsync("admin", LocalHostServer.AdminPassword);

        // Password tokens live 30 minutes; the page's own clock runs past that.
        await page.Clock.RunForAsync((long)TimeSpan.FromMinutes(31).TotalMilliseconds);

        await Expect(Button("Sign in")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your session has ended; sign in again.");
    }

    [Fact]
    public async Task Every_control_on_every_screen_has_a_label_and_every_button_a_name()
    {
        await SignInAsync("admin", LocalHostServer.AdminPassword);
        foreach (var screen in new[] { "Users", "API tokens", "Magma keys", "Tenants", "Plugins", "Signing keys" })
        {
            await Nav(screen).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = screen, Level = 2, Exact = true })).ToBeVisibleAsync();
            await Expect(Nav(screen)).ToHaveAttributeAsync("aria-current", "page");
            var unlabelled = await page.EvaluateAsync<string[]>(
                """
                () => [...document.querySelectorAll('input, select, textarea')]
                  .filter(e => e.type !== 'hidden' && e.labels.length === 0 && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
                  .map(e => e.outerHTML)
                """);
            Assert.Empty(unlabelled);
            var unnamed = await page.EvaluateAsync<string[]>(
                "() => [...document.querySelectorAll('button')].filter(b => !b.textContent.trim() && !b.getAttribute('aria-label')).map(b => b.outerHTML)");
            Assert.Empty(unnamed);
        }

        // The keyboard alone reaches the navigation from the top of the page and opens a screen.
        await page.Locator("body").FocusAsync();
        var reached = false;
        for (var presses = 0; presses < 20 && !reached; presses++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached = await page.EvaluateAsync<string>("() => document.activeElement?.textContent?.trim() ?? ''") == "Tenants";
        }

        Assert.True(reached, "Tab never reached the 'Tenants' navigation entry.");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Tenants", Level = 2, Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_tenant_admin_installs_a_plugin_picked_from_the_catalog_and_uninstalls_one_from_its_row()
    {
        var kit = new TenancyKit(server, await server.AdminTokenAsync());
        await kit.CreateTenantAsync("acme", "Acme Ltd");
        var (_, tina) = await kit.MemberAsync("tina", "acme", "admin");
        var (wikiId, _) = await kit.CreatePluginAsync("Wiki");
        var (chatId, _) = await kit.CreatePluginAsync("Chat");
        var (oldId, _) = await kit.CreatePluginAsync("Retired");
        await kit.InstallAsync(tina, "acme", chatId);
        await ChangeAsync($"/admin/plugins/{oldId}", kit.Admin, """{"enabled":false}""");

        await SignInAsync("tina", TenancyKit.Password);
        await Nav("Plugins").ClickAsync();

        // Installed: Chat, in the table with its own uninstall button. Offered: Wiki only (Chat is
        // installed, Retired disabled), by name, with no field to type an id into.
        var installed = page.GetByRole(AriaRole.Table, new() { Name = "Plugins installed in Acme Ltd" });
        var chatRow = installed.GetByRole(AriaRole.Row).Filter(new() { HasText = "Chat" });
        await Expect(chatRow).ToContainTextAsync(chatId);
        var picker = page.GetByRole(AriaRole.Combobox, new() { Name = "Plugin", Exact = true });
        await Expect(picker.Locator("option")).ToHaveCountAsync(2);
        Assert.Equal(["", wikiId], await picker.Locator("option").EvaluateAllAsync<string[]>("options => options.map(o => o.value)"));
        await Expect(picker.Locator("option").Nth(1)).ToHaveTextAsync($"Wiki ({wikiId})");
        await Expect(page.GetByRole(AriaRole.Textbox)).ToHaveCountAsync(0);

        // Install Wiki: its connection token is shown once under a heading that names it, and works.
        await picker.SelectOptionAsync(new SelectOptionValue { Label = $"Wiki ({wikiId})" });
        await Button("Install plugin").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Connection token of plugin 'Wiki' in Acme Ltd — shown once", Exact = true })).ToBeVisibleAsync();
        var connectionToken = await page.GetByLabel("New connection token").InputValueAsync();
        var connectionId = await page.Locator(".secret-panel code").TextContentAsync();
        Assert.Equal(["acme"], await kit.TenantIdsAsync(TenancyKit.Connection(connectionId!, connectionToken)));
        await Expect(installed.GetByRole(AriaRole.Row).Filter(new() { HasText = "Wiki" })).ToContainTextAsync(connectionId!);
        Assert.Equal([""], await picker.Locator("option").EvaluateAllAsync<string[]>("options => options.map(o => o.value)"));

        // Uninstall Chat from its row (the button names it): gone from the table, offered again, and gone from the API's listing.
        await installed.GetByRole(AriaRole.Button, new() { Name = "Uninstall plugin Chat", Exact = true }).ClickAsync();
        await Expect(chatRow).ToHaveCountAsync(0);
        await Expect(picker.Locator("option")).ToHaveCountAsync(2);
        await Expect(picker.Locator("option").Nth(1)).ToHaveTextAsync($"Chat ({chatId})");
        var listed = await ApiAsync(HttpMethod.Get, "/tenants/acme/plugins", tina, HttpStatusCode.OK);
        Assert.Equal([wikiId], listed.EnumerateArray().Select(p => p.GetProperty("pluginId").GetString()));
        Assert.Empty(consoleErrors);
    }

    [Fact]
    public async Task A_magma_key_tenant_is_picked_from_the_tenants_and_its_secret_panel_names_the_key_and_closes_when_another_panel_opens()
    {
        var kit = new TenancyKit(server, await server.AdminTokenAsync());
        await kit.CreateTenantAsync("acme", "Acme Ltd");
        await SignInAsync("admin", LocalHostServer.AdminPassword);

        await Nav("Magma keys").ClickAsync();
        var create = page.Locator("form", new() { Has = Button("Create magma key") });
        var tenant = create.GetByRole(AriaRole.Combobox, new() { Name = "Tenant", Exact = true });
        await Expect(tenant.Locator("option")).ToHaveCountAsync(3);
        Assert.Equal(["", "acme", "demo"], await tenant.Locator("option").EvaluateAllAsync<string[]>("options => options.map(o => o.value)"));
        await create.GetByLabel("Name", new() { Exact = true }).FillAsync("acme-server");
        await create.GetByLabel("data", new() { Exact = true }).CheckAsync();
        await tenant.SelectOptionAsync(new SelectOptionValue { Label = "Acme Ltd (acme)" });
        await Button("Create magma key").ClickAsync();

        var heading = page.GetByRole(AriaRole.Heading, new() { Name = "Secret of magma key 'acme-server' — shown once", Exact = true });
        await Expect(heading).ToBeVisibleAsync();
        var secret = page.GetByLabel("New magma key secret");
        var token = await kit.MagmaTokenAsync("acme-server", await secret.InputValueAsync());
        Assert.Equal(["acme"], await kit.TenantIdsAsync(token));
        Assert.Equal("acme", (await ApiAsync(HttpMethod.Get, "/admin/magma-keys/acme-server", kit.Admin, HttpStatusCode.OK)).GetProperty("tenantId").GetString());

        // "None" makes a key of no tenant.
        await create.GetByLabel("Name", new() { Exact = true }).FillAsync("plain-server");
        await create.GetByLabel("data", new() { Exact = true }).CheckAsync();
        await Expect(tenant).ToHaveValueAsync(string.Empty);
        await Button("Create magma key").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Secret of magma key 'plain-server' — shown once", Exact = true })).ToBeVisibleAsync();
        await Expect(heading).ToHaveCountAsync(0);
        Assert.False((await ApiAsync(HttpMethod.Get, "/admin/magma-keys/plain-server", kit.Admin, HttpStatusCode.OK)).TryGetProperty("tenantId", out var none) && none.ValueKind != JsonValueKind.Null);

        // Opening another panel closes the secret's, and the secret leaves the page with it.
        var plainSecret = await secret.InputValueAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Assertion keys of magma key acme-server", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Assertion keys of acme-server", Exact = true })).ToBeVisibleAsync();
        await Expect(secret).ToHaveCountAsync(0);
        await Expect(page.Locator(".secret-panel")).ToHaveCountAsync(0);
        Assert.DoesNotContain(plainSecret, await page.ContentAsync(), StringComparison.Ordinal);

        // So does a row's inline form (a plugin's token panel, then a user's edit form).
        await Nav("Plugins").ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Wiki");
        await Button("Create plugin").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Token of plugin 'Wiki' — shown once", Exact = true })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Installations of plugin Wiki", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Installations of Wiki", Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator(".secret-panel")).ToHaveCountAsync(0);
        Assert.Empty(consoleErrors);
    }

    [Fact]
    public async Task An_administrator_edits_a_users_name_and_email()
    {
        var kit = new TenancyKit(server, await server.AdminTokenAsync());
        var userId = await kit.CreateUserAsync("mira");
        await SignInAsync("admin", LocalHostServer.AdminPassword);

        await Nav("Users").ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Cell, new() { Name = "mira", Exact = true }) });
        await row.GetByRole(AriaRole.Button, new() { Name = "Edit name and email of user mira", Exact = true }).ClickAsync();
        var name = page.GetByLabel("Name of mira", new() { Exact = true });
        var email = page.GetByLabel("Email of mira", new() { Exact = true });
        await Expect(name).ToHaveValueAsync("mira");
        await Expect(email).ToHaveValueAsync(string.Empty);
        await name.FillAsync("Mira Okafor");
        await email.FillAsync("mira@example.com");
        await Button("Save name and email").ClickAsync();
        await Expect(row).ToContainTextAsync("Mira Okafor");
        await Expect(row).ToContainTextAsync("mira@example.com");
        var listed = (await ApiAsync(HttpMethod.Get, "/admin/users?username=mira", kit.Admin, HttpStatusCode.OK)).EnumerateArray().Single();
        Assert.Equal(userId, listed.GetProperty("id").GetString());
        Assert.Equal("Mira Okafor", listed.GetProperty("name").GetString());
        Assert.Equal("mira@example.com", listed.GetProperty("email").GetString());

        // An empty email clears it.
        await row.GetByRole(AriaRole.Button, new() { Name = "Edit name and email of user mira", Exact = true }).ClickAsync();
        await Expect(email).ToHaveValueAsync("mira@example.com");
        await email.FillAsync(string.Empty);
        await Button("Save name and email").ClickAsync();
        await Expect(row).Not.ToContainTextAsync("mira@example.com");
        listed = (await ApiAsync(HttpMethod.Get, "/admin/users?username=mira", kit.Admin, HttpStatusCode.OK)).EnumerateArray().Single();
        Assert.False(listed.TryGetProperty("email", out var cleared) && cleared.ValueKind != JsonValueKind.Null);
        Assert.Equal("Mira Okafor", listed.GetProperty("name").GetString());
        Assert.Empty(consoleErrors);
    }

    /// <summary>Fails when the page scrolls sideways or two headings (captions included) on it say the same.</summary>
    private async Task AssertFitsAndNamesHeadingsOnceAsync(string where)
    {
        await page.WaitForFunctionAsync("() => document.querySelectorAll('[aria-busy]').length === 0");
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= 800, $"{where}: the page is {width} px wide at an 800 px viewport");
        var scrolling = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('.table-wrap')].filter(w => w.scrollWidth > w.clientWidth + 1).map(w => `${w.querySelector('table')?.getAttribute('aria-labelledby') ?? w.querySelector('caption')?.textContent}: ${w.scrollWidth} > ${w.clientWidth}`)");
        Assert.True(scrolling.Length == 0, $"{where}: tables scroll sideways: {string.Join("; ", scrolling)}");
        var headings = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6, caption')].filter(h => h.getClientRects().length > 0).map(h => h.textContent.trim())");
        Assert.True(headings.Length > 1, where);
        var repeated = headings.GroupBy(h => h, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        Assert.True(repeated.Length == 0, $"{where}: repeated headings {string.Join(", ", repeated)} in [{string.Join(" | ", headings)}]");
    }

    [Fact]
    public async Task At_800_pixels_wide_no_screen_scrolls_sideways_and_no_screen_repeats_a_heading()
    {
        var kit = new TenancyKit(server, await server.AdminTokenAsync());
        await kit.CreateTenantAsync("acme-international-holdings", "Acme International Holdings Limited");
        var (userId, userToken) = await kit.MemberAsync("a-rather-long-username-for-a-tenant-admin", "acme-international-holdings", "admin", """["data","index","modify","statistics","management","authenticate"]""");
        await ChangeAsync($"/admin/users/{userId}", kit.Admin, """{"email":"a.rather.long.address.for.an.admin@acme-international-holdings.example"}""");
        await server.CreateMagmaKeyAsync("a-magma-key-with-a-rather-long-name", """["data","index","modify","statistics","management","authenticate"]""", tenantId: "acme-international-holdings");
        var (pluginId, _) = await kit.CreatePluginAsync("A plugin with a rather long display name");
        await kit.InstallAsync(kit.Admin, "acme-international-holdings", pluginId);
        await ApiAsync(HttpMethod.Post, "/rs/tokens", kit.Admin, HttpStatusCode.Created,
            $$"""{"userId":"{{userId}}","description":"A token with a rather long description","expiresAt":"{{DateTimeOffset.UtcNow.AddDays(30):yyyy-MM-ddTHH:mm:ssZ}}"}""");
        await page.SetViewportSizeAsync(800, 900);

        await SignInAsync("admin", LocalHostServer.AdminPassword);
        var userRow = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "a-rather-long-username" });
        await Nav("Users").ClickAsync();
        await Expect(userRow).ToBeVisibleAsync();
        await AssertFitsAndNamesHeadingsOnceAsync("Users");
        await userRow.GetByRole(AriaRole.Button, new() { Name = "Edit name and email of user a-rather-long-username-for-a-tenant-admin" }).ClickAsync();
        await AssertFitsAndNamesHeadingsOnceAsync("Users, editing a user");
        await userRow.GetByRole(AriaRole.Button, new() { Name = "API tokens of user a-rather-long-username-for-a-tenant-admin" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "A token with a rather long description" })).ToBeVisibleAsync();
        await AssertFitsAndNamesHeadingsOnceAsync("API tokens");
        await Button("Generate token").ClickAsync();
        await Expect(page.GetByLabel("New API token")).ToBeVisibleAsync();
        await AssertFitsAndNamesHeadingsOnceAsync("API tokens, a new token shown");

        await Nav("Magma keys").ClickAsync();
        var keyRow = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "a-magma-key-with-a-rather-long-name" });
        await Expect(keyRow).ToBeVisibleAsync();
        await AssertFitsAndNamesHeadingsOnceAsync("Magma keys");
        await keyRow.GetByRole(AriaRole.Button, new() { Name = "Assertion keys of magma key a-magma-key-with-a-rather-long-name" }).ClickAsync();
        await AssertFitsAndNamesHeadingsOnceAsync("Magma keys, assertion keys");

        await Nav("Tenants").ClickAsync();
        var tenantRow = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Acme International Holdings Limited" });
        await Expect(tenantRow).ToBeVisibleAsync();
        await AssertFitsAndNamesHeadingsOnceAsync("Tenants");
        await tenantRow.GetByRole(AriaRole.Button, new() { Name = "Members of tenant Acme International Holdings Limited" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "a-rather-long-username" })).ToBeVisibleAsync();
        await AssertFitsAndNamesHeadingsOnceAsync("Tenants, members");

        await Nav("Plugins").ClickAsync();
        var pluginRow = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "A plugin with a rather long display name" });
        await Expect(pluginRow).ToBeVisibleAsync();
        await AssertFitsAndNamesHeadingsOnceAsync("Plugins");
        await pluginRow.GetByRole(AriaRole.Button, new() { Name = "Installations of plugin A plugin with a rather long display name" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "acme-international-holdings" })).ToBeVisibleAsync();
        await AssertFitsAndNamesHeadingsOnceAsync("Plugins, installations");

        await Nav("Signing keys").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "signing" })).ToBeVisibleAsync();
        await AssertFitsAndNamesHeadingsOnceAsync("Signing keys");

        // The tenant admin's three screens.
        await Button("Sign out").ClickAsync();
        await SignInAsync("a-rather-long-username-for-a-tenant-admin", TenancyKit.Password);
        await Nav("Magma keys").ClickAsync();
        await Expect(keyRow).ToBeVisibleAsync();
        await AssertFitsAndNamesHeadingsOnceAsync("Magma keys of a tenant admin");
        await Nav("Tenants").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "a-rather-long-username" })).ToBeVisibleAsync();
        await AssertFitsAndNamesHeadingsOnceAsync("Tenants of a tenant admin");
        await Nav("Plugins").ClickAsync();
        await Expect(pluginRow).ToBeVisibleAsync();
        await AssertFitsAndNamesHeadingsOnceAsync("Plugins of a tenant admin");
        Assert.NotEmpty(userToken);
        Assert.Empty(consoleErrors);
    }

    /// <summary>No token (or anything) in localStorage, sessionStorage or a cookie.</summary>
    private async Task AssertNoTokenKeptAsync(string? token)
    {
        Assert.Equal(0, await page.EvaluateAsync<int>("() => localStorage.length"));
        Assert.Equal(0, await page.EvaluateAsync<int>("() => sessionStorage.length"));
        Assert.Empty(await context.CookiesAsync());
        Assert.Equal(string.Empty, await page.EvaluateAsync<string>("() => document.cookie"));
        if (token is not null)
        {
            Assert.DoesNotContain(token, await page.ContentAsync(), StringComparison.Ordinal);
        }
    }
}
