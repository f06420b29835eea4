using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Api.EndToEndTests.Console;

/// <summary>
/// A real OpenID provider (panva/oidc-provider in Node.js, tests/oidc-node) on loopback, started once for these tests.
/// Without node/npm the fixture reports why and the tests pass without checking — except in CI, where .ci/run installs
/// and <c>npm ci</c>s it, so a missing provider fails.
/// </summary>
public sealed partial class OidcProviderFixture : IAsyncLifetime
{
    private Process? _process;

    public string? Issuer { get; private set; }

    public string? SkipReason { get; private set; }

    public async Task InitializeAsync()
    {
        var directory = FindDirectory();
        var node = FindOnPath("node");
        var npm = FindOnPath("npm");
        if (node is null || npm is null)
        {
            SkipReason = "node and npm are not on PATH; install Node.js to run the single sign-on tests.";
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), "CI must run the OIDC tests: " + SkipReason);
            return;
        }

        if (!Directory.Exists(Path.Combine(directory, "node_modules", "oidc-provider")))
        {
            using var install = Process.Start(new ProcessStartInfo(npm, "ci --no-audit --no-fund") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true })
                                ?? throw new InvalidOperationException("npm did not start");
            var stdout = install.StandardOutput.ReadToEndAsync();
            var stderr = install.StandardError.ReadToEndAsync();
            await install.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(5)).Token);
            Assert.True(install.ExitCode == 0, $"npm ci failed: {await stdout} {await stderr}");
        }

        var port = FreePort();
        _process = Process.Start(new ProcessStartInfo(node, ["provider.mjs", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("node did not start");
        _ = _process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("ready ", StringComparison.Ordinal))
            {
                Issuer = line["ready ".Length..].Trim();
                _ = _process.StandardOutput.ReadToEndAsync();
                return;
            }
        }

        throw new InvalidOperationException("The OIDC provider did not start.");
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
        }

        _process?.Dispose();
        return Task.CompletedTask;
    }

    private static string FindDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "oidc-node");
            if (File.Exists(Path.Combine(candidate, "provider.mjs")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/oidc-node not found above " + AppContext.BaseDirectory);
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
        .Select(p => Path.Combine(p, name)).FirstOrDefault(File.Exists);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// Single sign-on against the real provider: code flow with PKCE signs in and maps roles from the claim (just-in-time
/// account); a token with another issuer, another audience or past its expiry is refused, and so is a replayed
/// callback (state); a user whose claims map to no role gets no access. Each refusal is audited.
/// </summary>
public sealed partial class ConsoleSsoTests(OidcProviderFixture provider) : IClassFixture<OidcProviderFixture>
{
    [Fact]
    public async Task Sso_CodeFlowWithPkce_SignsInWithTheMappedRole_AndCreatesTheAccountJustInTime()
    {
        if (provider.Issuer is null)
        {
            return;
        }

        await using var server = await StartGatewayAsync("good");
        using var browser = new ConsoleClient(server.BaseAddress);

        var (callback, landing) = await SignInThroughProviderAsync(browser, "alice");

        // The provider requires PKCE (S256), so a successful exchange proves the verifier was sent. The handler pushes the
        // authorization request (PAR) when the provider offers it, so the browser only carries a request_uri.
        Assert.Matches("[?&](request_uri|code_challenge)=", callback.Authorize);
        Assert.Equal("/console", landing.Location);
        var home = await browser.GetAsync("/console");
        Assert.Equal(200, home.Status);
        Assert.Contains("alice@example.com", home.Body, StringComparison.Ordinal);
        var user = await server.Services.GetRequiredService<IConsoleStore>().FindUserByEmailAsync("alice@example.com", default);
        Assert.NotNull(user);
        Assert.Equal(provider.Issuer, user.ExternalIssuer);
        Assert.Equal(ConsoleRole.Owner, Assert.Single(user.Grants).Role);
        Assert.Null(Assert.Single(user.Grants).MerchantId);
        Assert.Equal(200, (await browser.GetAsync("/console/team")).Status);
        var audit = server.Services.GetRequiredService<IAuditStore>();
        var signIn = Assert.Single(await audit.ListAsync(new AuditQuery { TargetId = user.Id, Action = ConsoleAudit.SignIn }, default));
        Assert.Equal("oidc", signIn.Record.After?["method"]);
    }

    [Fact]
    public async Task Sso_ReplayedCallback_IsRefused()
    {
        if (provider.Issuer is null)
        {
            return;
        }

        await using var server = await StartGatewayAsync("good");
        using var browser = new ConsoleClient(server.BaseAddress);
        var (callback, landing) = await SignInThroughProviderAsync(browser, "dave");
        Assert.Equal("/console", landing.Location);

        var sameBrowser = await browser.GetAsync(callback.Url);
        using var otherBrowser = new ConsoleClient(server.BaseAddress);
        var elsewhere = await otherBrowser.GetAsync(callback.Url);

        Assert.Equal("/console/signin?sso=refused", sameBrowser.Location);
        Assert.Equal("/console/signin?sso=refused", elsewhere.Location);
        Assert.Equal(302, (await otherBrowser.GetAsync("/console")).Status);
        await AssertRefusalAuditedAsync(server, "oidc_state_invalid");
    }

    [Theory]
    [InlineData("bad-issuer", "oidc_bad_issuer")]
    [InlineData("wrong-audience", "oidc_wrong_audience")]
    [InlineData("expired", "oidc_token_expired")]
    public async Task Sso_TokenThatFailsValidation_IsRefused(string client, string reason)
    {
        if (provider.Issuer is null)
        {
            return;
        }

        await using var server = await StartGatewayAsync(client);
        using var browser = new ConsoleClient(server.BaseAddress);

        var (_, landing) = await SignInThroughProviderAsync(browser, "alice");

        Assert.Equal("/console/signin?sso=refused", landing.Location);
        Assert.Equal(302, (await browser.GetAsync("/console")).Status);
        Assert.Null(await server.Services.GetRequiredService<IConsoleStore>().FindUserByEmailAsync("alice@example.com", default));
        await AssertRefusalAuditedAsync(server, reason);
    }

    [Fact]
    public async Task Sso_IdentityWithoutAMappedRole_GetsNoAccess()
    {
        if (provider.Issuer is null)
        {
            return;
        }

        await using var server = await StartGatewayAsync("good");
        using var browser = new ConsoleClient(server.BaseAddress);

        var (_, landing) = await SignInThroughProviderAsync(browser, "nobody");

        Assert.Equal("/console/signin?sso=refused", landing.Location);
        Assert.Null(await server.Services.GetRequiredService<IConsoleStore>().FindUserByEmailAsync("nobody@example.com", default));
        var entries = await server.Services.GetRequiredService<IAuditStore>().ListAsync(new AuditQuery { Action = ConsoleAudit.SignInFailed }, default);
        Assert.Contains(entries, e => e.Record.After?["reason"] == "no_account");
    }

    [Fact]
    public async Task Sso_SignOut_AlsoEndsTheProviderSession_ThroughItsEndSessionEndpoint()
    {
        if (provider.Issuer is null)
        {
            return;
        }

        await using var server = await StartGatewayAsync("good");
        using var browser = new ConsoleClient(server.BaseAddress);
        var (_, landing) = await SignInThroughProviderAsync(browser, "fiona");
        Assert.Equal("/console", landing.Location);
        Assert.Equal(200, (await browser.GetAsync("/console")).Status);
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = browser.Cookies, AllowAutoRedirect = false });

        // While the provider's session lives, a new sign-in goes straight back to the gateway without a login page.
        Assert.True(await ProviderSessionAliveAsync(browser, http));

        var signOut = await browser.PostFormAsync("/console/signout", new Dictionary<string, string?>(), "/console/account");
        Assert.Equal(302, signOut.Status);
        var endSession = new Uri(signOut.Location ?? string.Empty);
        Assert.StartsWith(provider.Issuer, endSession.GetLeftPart(UriPartial.Path), StringComparison.Ordinal);
        var query = System.Web.HttpUtility.ParseQueryString(endSession.Query);
        Assert.Equal($"{server.BaseAddress}console/signout-oidc", query["post_logout_redirect_uri"]);
        Assert.Equal(3, query["id_token_hint"]?.Split('.').Length); // the session's ID token
        Assert.False(string.IsNullOrEmpty(query["state"]));
        Assert.Equal(302, (await browser.GetAsync("/console")).Status); // the gateway's session is over already

        // The provider asks to confirm; "Yes, sign me out" ends its session and it sends the browser back to the gateway.
        var confirmPage = await http.GetAsync(endSession);
        Assert.Equal(HttpStatusCode.OK, confirmPage.StatusCode);
        var html = await confirmPage.Content.ReadAsStringAsync();
        var confirm = await http.PostAsync(new Uri(endSession, WebUtility.HtmlDecode(FormAction().Match(html).Groups[1].Value)), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["xsrf"] = Xsrf().Match(html).Groups[1].Value,
            ["logout"] = "yes",
        }));
        var back = confirm.Headers.Location ?? throw new InvalidOperationException($"The provider answered {(int)confirm.StatusCode} without a redirect.");
        Assert.Equal("/console/signout-oidc", back.AbsolutePath);
        var signedOut = await browser.GetAsync(back.PathAndQuery);
        Assert.Equal("/console/signin?signedOut=1", signedOut.Location);

        Assert.False(await ProviderSessionAliveAsync(browser, http));
        var entries = await server.Services.GetRequiredService<IAuditStore>().ListAsync(new AuditQuery { Action = ConsoleAudit.SignOut }, default);
        Assert.Single(entries);
    }

    /// <summary>Starts a single sign-on and follows the provider: true when it comes back to the gateway without showing its login page.</summary>
    private static async Task<bool> ProviderSessionAliveAsync(ConsoleClient browser, HttpClient http)
    {
        var next = new Uri((await browser.GetAsync("/console/sso?returnUrl=/console")).Location ?? throw new InvalidOperationException("no redirect to the provider"));
        for (var hops = 0; hops < 10; hops++)
        {
            if (next.AbsolutePath == "/console/signin-oidc")
            {
                return true;
            }

            var response = await http.GetAsync(next);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return false; // the login page
            }

            next = response.Headers.Location is { } location ? new Uri(next, location) : throw new InvalidOperationException($"Provider answered {(int)response.StatusCode} at {next}.");
        }

        throw new InvalidOperationException("Too many redirects.");
    }

    private async Task<GatewayServer> StartGatewayAsync(string client) => await GatewayServer.StartAsync(new Dictionary<string, string?>
    {
        ["PaymentGateway:Console:Sso:Authority"] = provider.Issuer,
        ["PaymentGateway:Console:Sso:ClientId"] = "gw-" + client,
        ["PaymentGateway:Console:Sso:ClientSecret"] = "secret-" + client,
        ["PaymentGateway:Console:Sso:RequireHttpsMetadata"] = "false",
        ["PaymentGateway:Console:Sso:JustInTimeAccounts"] = "true",
        ["PaymentGateway:Console:Sso:Scopes:0"] = "openid",
        ["PaymentGateway:Console:Sso:Scopes:1"] = "email",
        ["PaymentGateway:Console:Sso:Scopes:2"] = "profile",
        ["PaymentGateway:Console:Sso:Scopes:3"] = "roles",
        ["PaymentGateway:Console:Sso:RoleMap:console-owner"] = "owner",
        ["PaymentGateway:Console:Sso:RoleMap:console-developer"] = "developer",
        ["PaymentGateway:Console:Sso:RoleMap:console-finance"] = "finance",
        ["PaymentGateway:Console:SignInRequestsPerMinute"] = "1000",
    });

    /// <summary>Clicks "sign in with single sign-on", logs in on the provider's page, and follows the redirects back to the gateway's callback.</summary>
    private static async Task<((string Authorize, string Url) Callback, ConsolePage Landing)> SignInThroughProviderAsync(ConsoleClient browser, string login)
    {
        var start = await browser.GetAsync("/console/sso?returnUrl=/console");
        Assert.Equal(302, start.Status);
        var authorize = start.Location ?? throw new InvalidOperationException("no redirect to the provider");
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = browser.Cookies, AllowAutoRedirect = false });
        var next = new Uri(authorize);
        for (var hops = 0; hops < 10; hops++)
        {
            if (next.AbsolutePath == "/console/signin-oidc")
            {
                var callback = next.PathAndQuery;
                return ((authorize, callback), await browser.GetAsync(callback));
            }

            var response = await http.GetAsync(next);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var html = await response.Content.ReadAsStringAsync();
                var action = WebUtility.HtmlDecode(FormAction().Match(html).Groups[1].Value);
                response = await http.PostAsync(new Uri(next, action), new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["prompt"] = "login",
                    ["login"] = login,
                    ["password"] = "any",
                }));
            }

            next = response.Headers.Location is { } location ? new Uri(next, location) : throw new InvalidOperationException($"Provider answered {(int)response.StatusCode} without a redirect at {next}.");
        }

        throw new InvalidOperationException("Too many redirects.");
    }

    private static async Task AssertRefusalAuditedAsync(GatewayServer server, string reason)
    {
        var entries = await server.Services.GetRequiredService<IAuditStore>().ListAsync(new AuditQuery { Action = ConsoleAudit.SignInFailed }, default);
        Assert.Contains(entries, e => e.Record.After?["reason"] == reason && e.Record.Outcome == AuditOutcomes.Refused);
    }

    [GeneratedRegex("<form[^>]*action=\"([^\"]+)\"")]
    private static partial Regex FormAction();

    [GeneratedRegex("name=\"xsrf\" value=\"([^\"]+)\"")]
    private static partial Regex Xsrf();
}
