using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Api.EndToEndTests.Console;

/// <summary>
/// The console against the attacks the issue names: clickjacking, CSRF, open redirect, session fixation, user
/// enumeration on sign-in and reset, brute force, and a removed user's live session; plus forced two-factor enrolment.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleSecurityTests(ConsoleFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    private IAuditStore Audit => Server.Services.GetRequiredService<IAuditStore>();

    [Fact]
    public async Task Clickjacking_EveryConsolePageForbidsFraming()
    {
        var owner = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Owner, fixture.MerchantId);
        using var client = await ConsoleUsers.SignedInAsync(Server, owner);
        foreach (var path in new[] { "/console/signin", "/console", "/console/team", "/console/account", "/console/password/forgot" })
        {
            var page = path == "/console/signin" ? await new ConsoleClient(Server.BaseAddress).GetAsync(path) : await client.GetAsync(path);
            Assert.Equal(200, page.Status);
            var csp = page.Response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.Equal("DENY", page.Response.Headers.GetValues("X-Frame-Options").Single());
            Assert.DoesNotContain("<script>", page.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(" style=", page.Body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Csrf_FormPostWithoutTheToken_IsRefusedAndChangesNothing()
    {
        var owner = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Owner, fixture.MerchantId);
        using var client = await ConsoleUsers.SignedInAsync(Server, owner);
        var email = $"csrf-{Guid.NewGuid():N}@example.com";

        var forged = await client.PostFormAsync("/console/team?handler=Invite",
            new Dictionary<string, string?> { ["Input.Email"] = email, ["Input.Role"] = "owner", ["Input.Merchant"] = fixture.MerchantId }, withToken: false);
        var anonymous = await new ConsoleClient(Server.BaseAddress).PostFormAsync("/console/signin",
            new Dictionary<string, string?> { ["Input.Email"] = owner.Email, ["Input.Password"] = owner.Password }, withToken: false);

        Assert.Equal(400, forged.Status);
        Assert.Equal(400, anonymous.Status);
        var invitations = await Server.Services.GetRequiredService<IConsoleStore>().ListOpenLinksAsync(ConsoleLinkPurpose.Invitation, DateTimeOffset.UtcNow, 500, default);
        Assert.DoesNotContain(invitations, l => l.Email == email);
    }

    [Theory]
    [InlineData("https://evil.example/console")]
    [InlineData("//evil.example/console")]
    [InlineData("/\\evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/docs")]
    public async Task OpenRedirect_ReturnUrlOutsideTheConsole_GoesToTheConsoleHome(string returnUrl)
    {
        var viewer = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Viewer, fixture.MerchantId);
        using var client = new ConsoleClient(Server.BaseAddress);

        var signedIn = await client.SignInAsync(viewer, returnUrl);

        Assert.Equal(302, signedIn.Status);
        Assert.Equal("/console", signedIn.Location);
    }

    [Fact]
    public async Task OpenRedirect_ReturnUrlInsideTheConsole_IsFollowed()
    {
        var viewer = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Viewer, fixture.MerchantId);
        using var client = new ConsoleClient(Server.BaseAddress);

        var signedIn = await client.SignInAsync(viewer, "/console/account");

        Assert.Equal("/console/account", signedIn.Location);
    }

    [Fact]
    public async Task SessionFixation_APlantedSessionCookieIsReplacedAtSignIn_AndEachSignInGetsANewSession()
    {
        var viewer = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Viewer, fixture.MerchantId);
        using var client = new ConsoleClient(Server.BaseAddress);
        client.Cookies.Add(Server.BaseAddress, new Cookie("pg_console", "planted-by-attacker"));
        Assert.Equal(302, (await client.GetAsync("/console")).Status); // the planted value is no session

        await client.SignInAsync(viewer);
        var first = client.SessionCookie;
        Assert.NotNull(first);
        Assert.NotEqual("planted-by-attacker", first);
        Assert.Equal(200, (await client.GetAsync("/console")).Status);

        await client.PostFormAsync("/console/signout", new Dictionary<string, string?>(), "/console/signout");
        await client.SignInAsync(viewer);
        Assert.NotEqual(first, client.SessionCookie);

        // The old session's cookie, replayed by someone who captured it before sign-out, is still only as good as its
        // stamp: sign-out everywhere ends it (see SignOutEverywhere test); here it must not equal the new one.
        var cookieHeader = client.Cookies.GetCookieHeader(Server.BaseAddress);
        Assert.Contains("pg_console=", cookieHeader, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enumeration_SignIn_UnknownAccountAndWrongPassword_LookAndTakeTheSame()
    {
        var viewer = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Viewer, fixture.MerchantId);
        using var client = new ConsoleClient(Server.BaseAddress);
        async Task<(ConsolePage Page, double Ms)> TryAsync(string email)
        {
            var token = (await client.GetAsync("/console/signin")).Token;
            var watch = Stopwatch.StartNew();
            var page = await client.PostFormAsync("/console/signin", new Dictionary<string, string?>
            {
                ["Input.Email"] = email,
                ["Input.Password"] = "wrong password for sure",
                ["__RequestVerificationToken"] = token,
            }, withToken: false);
            return (page, watch.Elapsed.TotalMilliseconds);
        }

        var unknown = new List<double>();
        var known = new List<double>();
        ConsolePage? unknownPage = null, knownPage = null;
        for (var i = 0; i < 4; i++)
        {
            var u = await TryAsync($"nobody-{Guid.NewGuid():N}@example.com");
            var k = await TryAsync(viewer.Email);
            unknown.Add(u.Ms);
            known.Add(k.Ms);
            (unknownPage, knownPage) = (u.Page, k.Page);
        }

        Assert.NotNull(unknownPage);
        Assert.NotNull(knownPage);
        Assert.Equal(knownPage.Status, unknownPage.Status);
        Assert.Contains(WebUtility.HtmlEncode(ConsoleSignInService.GenericFailure), unknownPage.Body, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode(ConsoleSignInService.GenericFailure), knownPage.Body, StringComparison.Ordinal);

        // Both paths verify a PBKDF2 hash (the unknown one against a decoy), so neither is a fast path. Bounds are wide: the machine is shared.
        var ratio = Median(unknown) / Median(known);
        Assert.InRange(ratio, 0.33, 3.0);
    }

    [Fact]
    public async Task Enumeration_PasswordReset_AnswersTheSameForKnownAndUnknownAddresses_AndMailsOnlyTheKnownOne()
    {
        var viewer = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Viewer, fixture.MerchantId);
        using var client = new ConsoleClient(Server.BaseAddress);
        var unknownEmail = $"nobody-{Guid.NewGuid():N}@example.com";

        var known = await client.PostFormAsync("/console/password/forgot", new Dictionary<string, string?> { ["Input.Email"] = viewer.Email });
        var unknown = await client.PostFormAsync("/console/password/forgot", new Dictionary<string, string?> { ["Input.Email"] = unknownEmail });

        Assert.Equal(known.Status, unknown.Status);
        Assert.Equal(Notice(known.Body), Notice(unknown.Body));
        var mail = await WaitForMailAsync(viewer.Email);
        Assert.Contains("/console/password/reset?token=", mail, StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.EnumerateFiles(fixture.MailDirectory), f => File.ReadAllText(f).Contains(unknownEmail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PasswordReset_LinkWorksOnce_EndsOtherSessions_AndRefusesAWeakPasswordWithoutUsingTheLink()
    {
        var viewer = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Viewer, fixture.MerchantId);
        using var session = await ConsoleUsers.SignedInAsync(Server, viewer);
        using var client = new ConsoleClient(Server.BaseAddress);
        await client.PostFormAsync("/console/password/forgot", new Dictionary<string, string?> { ["Input.Email"] = viewer.Email });
        var path = "/console/password/reset?token=" + System.Text.RegularExpressions.Regex.Match(await WaitForMailAsync(viewer.Email), @"reset\?token=([A-Za-z0-9_-]+)").Groups[1].Value;

        var weak = await client.PostFormAsync(path, new Dictionary<string, string?> { ["Input.NewPassword"] = "password1234", ["Input.ConfirmPassword"] = "password1234" });
        Assert.Equal(400, weak.Status);
        Assert.Contains("too common", weak.Body, StringComparison.Ordinal);
        Assert.Contains("aria-describedby=\"Input_NewPassword-error Input_NewPassword-hint\"", weak.Body, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", weak.Body, StringComparison.Ordinal);

        var done = await client.PostFormAsync(path, new Dictionary<string, string?> { ["Input.NewPassword"] = "a much better passphrase 7", ["Input.ConfirmPassword"] = "a much better passphrase 7" });
        Assert.Equal("/console/signin?reset=1", done.Location);
        Assert.Equal(404, (await client.GetAsync(path)).Status);
        Assert.Equal(302, (await session.GetAsync("/console")).Status); // the old session ended
        var again = new ConsoleTestUser(viewer.Id, viewer.Email, "a much better passphrase 7", null);
        Assert.Equal("/console", (await new ConsoleClient(Server.BaseAddress).SignInAsync(again)).Location);
    }

    [Fact]
    public async Task BruteForce_FiveWrongPasswordsLockTheAccount_EvenTheRightPasswordIsThenRefused_AndItIsAudited()
    {
        var viewer = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Viewer, fixture.MerchantId);
        using var client = new ConsoleClient(Server.BaseAddress);
        for (var i = 0; i < 5; i++)
        {
            var wrong = await client.PostFormAsync("/console/signin", new Dictionary<string, string?> { ["Input.Email"] = viewer.Email, ["Input.Password"] = "not it at all " + i });
            Assert.Equal(400, wrong.Status);
        }

        var right = await client.SignInAsync(viewer);

        Assert.Equal(400, right.Status);
        Assert.Contains(WebUtility.HtmlEncode(ConsoleSignInService.GenericFailure), right.Body, StringComparison.Ordinal);
        var entries = await Audit.ListAsync(new AuditQuery { TargetId = viewer.Id }, default);
        Assert.Contains(entries, e => e.Record.Action == ConsoleAudit.LockedOut);
        Assert.Equal(5, entries.Count(e => e.Record is { Action: ConsoleAudit.SignInFailed } r && r.After?["reason"] == "wrong_password"));
        Assert.Contains(entries, e => e.Record.After?["reason"] == "locked_out");
        Assert.All(entries, e => Assert.Equal("127.0.0.1", e.Record.Context.Ip));
    }

    [Fact]
    public async Task BruteForce_SignInPostsArePerAddressRateLimited()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?> { ["PaymentGateway:Console:SignInRequestsPerMinute"] = "3" });
        using var client = new ConsoleClient(server.BaseAddress);
        var statuses = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await client.PostFormAsync("/console/signin", new Dictionary<string, string?> { ["Input.Email"] = "x@example.com", ["Input.Password"] = "wrong" })).Status);
        }

        Assert.Equal([400, 400, 400, 429, 429], statuses);
        Assert.Equal(200, (await client.GetAsync("/console/signin")).Status); // reading the page is not limited
    }

    [Fact]
    public async Task RateLimit_ResetInvitationAndCodePostsShareThePerAddressLimit_429IsAClearPage_AndChangesNothing()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?> { ["PaymentGateway:Console:SignInRequestsPerMinute"] = "3" });
        var owner = await ConsoleUsers.CreateAsync(server, ConsoleRole.Owner, merchantId: null);
        var viewer = await ConsoleUsers.CreateAsync(server, ConsoleRole.Viewer);
        var team = server.Services.GetRequiredService<ConsoleTeamService>();
        var caller = new ConsoleCaller { UserId = owner.Id, Email = owner.Email, Grants = [new ConsoleGrant { Role = ConsoleRole.Owner }], Context = AuditContext.None };
        var invitee = $"invitee-{Guid.NewGuid():N}@example.com";
        var invitation = await team.InviteAsync(caller, invitee, "viewer", null, server.BaseAddress + "console/join", default);
        using var client = new ConsoleClient(server.BaseAddress);
        var forgot = new Dictionary<string, string?> { ["Input.Email"] = viewer.Email };
        var join = $"/console/join?token={invitation.Token}";
        var accept = new Dictionary<string, string?> { ["Input.Email"] = invitee, ["Input.Name"] = "Late", ["Input.Password"] = "a long enough password 7", ["Input.ConfirmPassword"] = "a long enough password 7" };

        Assert.Equal(200, (await client.PostFormAsync("/console/password/forgot", forgot)).Status);
        Assert.Equal(200, (await client.PostFormAsync("/console/password/forgot", forgot)).Status);
        Assert.Equal(400, (await client.PostFormAsync(join, new Dictionary<string, string?>(accept) { ["Input.ConfirmPassword"] = "not the same one" })).Status);

        var limited = await client.PostFormAsync(join, accept);
        Assert.Equal(429, limited.Status);
        Assert.Equal("60", limited.Response.Headers.RetryAfter?.ToString());
        Assert.StartsWith("text/html", limited.Response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Contains("Too many attempts", limited.Body, StringComparison.Ordinal);
        Assert.Contains("Wait a minute, then try again.", limited.Body, StringComparison.Ordinal);
        Assert.Equal(429, (await client.PostFormAsync("/console/password/forgot", forgot)).Status);
        Assert.Equal(429, (await client.PostFormAsync("/console/signin/two-factor", new Dictionary<string, string?> { ["Input.Code"] = "123456" }, "/console/signin")).Status);
        Assert.Equal(429, (await client.PostFormAsync("/console/password/reset?token=x", new Dictionary<string, string?> { ["Input.NewPassword"] = "x" }, "/console/signin")).Status);

        // Nothing behind the limit ran: the invitation is still open, nobody joined, two reset requests were recorded, not three.
        Assert.NotNull(await team.FindJoinLinkAsync(invitation.Token, default));
        Assert.Null(await server.Services.GetRequiredService<PaymentGateway.Core.Storage.IConsoleStore>().FindUserByEmailAsync(invitee, default));
        var requests = await server.Services.GetRequiredService<PaymentGateway.Core.Storage.IAuditStore>().ListAsync(new AuditQuery { Action = ConsoleAudit.PasswordResetRequested }, default);
        Assert.Equal(2, requests.Count);
        Assert.Equal(200, (await client.GetAsync(join)).Status); // reading pages is not limited
    }

    [Fact]
    public async Task Sessions_EndAfterTheIdleTimeout_AndAfterTheAbsoluteTimeoutEvenWhenActive()
    {
        // Generous margins: the machine is shared, and a sign-in (PBKDF2) can take seconds under load.
        await using var idle = await GatewayServer.StartAsync(new Dictionary<string, string?> { ["PaymentGateway:Console:IdleTimeout"] = "00:00:04" });
        await using var absolute = await GatewayServer.StartAsync(new Dictionary<string, string?> { ["PaymentGateway:Console:AbsoluteTimeout"] = "00:00:10" });
        using var idleClient = await ConsoleUsers.SignedInAsync(idle, await ConsoleUsers.CreateAsync(idle, ConsoleRole.Viewer));
        Assert.Equal(200, (await idleClient.GetAsync("/console")).Status);
        var idleSince = Stopwatch.StartNew();
        using var activeClient = await ConsoleUsers.SignedInAsync(absolute, await ConsoleUsers.CreateAsync(absolute, ConsoleRole.Viewer));
        var signedIn = Stopwatch.StartNew();

        for (var i = 0; i < 2; i++)
        {
            await Task.Delay(1000);
            Assert.Equal(200, (await activeClient.GetAsync("/console")).Status);
        }

        await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, 6.5 - idleSince.Elapsed.TotalSeconds)));
        Assert.Equal(302, (await idleClient.GetAsync("/console")).Status);
        await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, 11 - signedIn.Elapsed.TotalSeconds)));
        Assert.Equal(302, (await activeClient.GetAsync("/console")).Status);
    }

    [Fact]
    public async Task RemovedUser_LiveSessionEndsAtItsNextRequest()
    {
        var owner = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Owner, fixture.MerchantId);
        var support = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Support, fixture.MerchantId);
        using var ownerClient = await ConsoleUsers.SignedInAsync(Server, owner);
        using var supportClient = await ConsoleUsers.SignedInAsync(Server, support);
        Assert.Equal(200, (await supportClient.GetAsync("/console")).Status);

        var removed = await ownerClient.PostFormAsync($"/console/team/{support.Id}?handler=Remove", new Dictionary<string, string?>(), $"/console/team/{support.Id}");

        Assert.Equal("/console/team?removed=1", removed.Location);
        var next = await supportClient.GetAsync("/console");
        Assert.Equal(302, next.Status);
        Assert.Contains("/console/signin", next.Location, StringComparison.Ordinal);
        Assert.Equal(400, (await supportClient.SignInAsync(support)).Status);
        var entry = Assert.Single(await Audit.ListAsync(new AuditQuery { TargetId = support.Id, Action = ConsoleAudit.UserRemoved }, default));
        Assert.Equal(owner.Id, entry.Record.Actor.Id);
        Assert.Equal("owner", entry.Record.Actor.Role);
        Assert.Equal("removed", entry.Record.After?["status"]);
        Assert.NotNull(entry.Record.Context.RequestId);
    }

    [Fact]
    public async Task SignOutEverywhere_EndsTheUsersOtherSessions()
    {
        var developer = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Developer, fixture.MerchantId);
        using var phone = await ConsoleUsers.SignedInAsync(Server, developer);
        using var laptop = await ConsoleUsers.SignedInAsync(Server, developer);

        var result = await laptop.PostFormAsync("/console/account?handler=SignOutEverywhere", new Dictionary<string, string?>(), "/console/account");

        Assert.Equal("/console/signin?signedOut=1", result.Location);
        Assert.Equal(302, (await phone.GetAsync("/console")).Status);
        Assert.Equal(302, (await laptop.GetAsync("/console")).Status);
    }

    [Fact]
    public async Task TwoFactor_OwnerWithoutIt_IsSentToEnrolmentFirst_AndServicesRefuseUntilDone()
    {
        var owner = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Owner, fixture.MerchantId, twoFactor: false);
        using var client = new ConsoleClient(Server.BaseAddress);
        Assert.Equal("/console", (await client.SignInAsync(owner)).Location);

        foreach (var path in new[] { "/console", "/console/team", "/console/audit" })
        {
            var page = await client.GetAsync(path);
            Assert.Equal(302, page.Status);
            Assert.Equal("/console/two-factor/setup", page.Location);
        }

        Assert.Equal(403, (await client.GetAsync("/console/audit/export")).Status);
        var setup = await client.GetAsync("/console/two-factor/setup");
        Assert.Equal(200, setup.Status);
        var key = System.Text.RegularExpressions.Regex.Match(setup.Body, "id=\"manual-key\">([A-Z2-7 ]+)<").Groups[1].Value.Replace(" ", string.Empty, StringComparison.Ordinal);
        var qr = await client.GetAsync("/console/two-factor/qr.png");
        Assert.Equal(200, qr.Status);
        Assert.Equal("image/png", qr.Response.Content.Headers.ContentType?.MediaType);

        var wrong = await client.PostFormAsync("/console/two-factor/setup", new Dictionary<string, string?> { ["Input.Code"] = "000000" });
        Assert.Equal(400, wrong.Status);
        var code = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(key)).ComputeTotp(DateTime.UtcNow);
        var confirmed = await client.PostFormAsync("/console/two-factor/setup", new Dictionary<string, string?> { ["Input.Code"] = code });
        Assert.Equal(200, confirmed.Status);
        var codes = System.Text.RegularExpressions.Regex.Matches(confirmed.Body, "<li>([a-z2-9]{5}-[a-z2-9]{5})</li>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(10, codes.Count);
        Assert.Equal(200, (await client.GetAsync("/console/team")).Status);

        // A recovery code signs in once.
        using var other = new ConsoleClient(Server.BaseAddress);
        var step = await other.PostFormAsync("/console/signin", new Dictionary<string, string?> { ["Input.Email"] = owner.Email, ["Input.Password"] = owner.Password });
        Assert.Equal("/console", (await other.PostFormAsync(step.Location ?? string.Empty, new Dictionary<string, string?> { ["Input.Code"] = codes[0] })).Location);
        using var third = new ConsoleClient(Server.BaseAddress);
        step = await third.PostFormAsync("/console/signin", new Dictionary<string, string?> { ["Input.Email"] = owner.Email, ["Input.Password"] = owner.Password });
        Assert.Equal(400, (await third.PostFormAsync(step.Location ?? string.Empty, new Dictionary<string, string?> { ["Input.Code"] = codes[0] })).Status);
    }

    [Fact]
    public async Task TwoFactor_ACodeIsAcceptedOnlyOnce()
    {
        var support = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Support, fixture.MerchantId);
        var code = await support.NextCodeAsync();
        using var first = new ConsoleClient(Server.BaseAddress);
        using var second = new ConsoleClient(Server.BaseAddress);
        var a = await first.PostFormAsync("/console/signin", new Dictionary<string, string?> { ["Input.Email"] = support.Email, ["Input.Password"] = support.Password });
        var b = await second.PostFormAsync("/console/signin", new Dictionary<string, string?> { ["Input.Email"] = support.Email, ["Input.Password"] = support.Password });

        Assert.Equal("/console", (await first.PostFormAsync(a.Location ?? string.Empty, new Dictionary<string, string?> { ["Input.Code"] = code })).Location);
        Assert.Equal(400, (await second.PostFormAsync(b.Location ?? string.Empty, new Dictionary<string, string?> { ["Input.Code"] = code })).Status);
    }

    private async Task<string> WaitForMailAsync(string to)
    {
        for (var i = 0; i < 50; i++)
        {
            if (Directory.Exists(fixture.MailDirectory))
            {
                foreach (var file in Directory.EnumerateFiles(fixture.MailDirectory, "*.eml"))
                {
                    var text = await File.ReadAllTextAsync(file);
                    if (text.Contains("To: " + to, StringComparison.OrdinalIgnoreCase))
                    {
                        // Quoted-printable soft line breaks and '=' escapes.
                        return text.Replace("=\r\n", string.Empty, StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal);
                    }
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No mail to {to}.");
    }

    private static string Notice(string body) => System.Text.RegularExpressions.Regex.Match(body, "id=\"notice\">([^<]*)<").Groups[1].Value;

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
