using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OtpNet;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Browser.Tests.Infrastructure;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Browser.Tests;

/// <summary>
/// The console in Debian's Chromium at desktop and phone sizes: the first owner's journey (join link, forced two-factor
/// enrolment from the QR page, recovery codes, team, invitation, audit log), keyboard order and labels on sign-in, a
/// refused form read out from its error summary, and no CSP violation on any page. Screenshots are kept as artifacts
/// (docs/images has a few of them).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleBrowserTests(BrowserFixture fixture)
{
    private GatewayServer Gateway => fixture.Gateway;

    [BrowserFact]
    public async Task FirstOwner_JoinsEnrolsTwoFactorInvitesAndReadsTheAuditLog_Desktop()
    {
        var (_, token) = await Gateway.Services.GetRequiredService<ConsoleTeamService>().CreateOwnerSetupLinkAsync(null, AuditActor.System, default);
        var page = await fixture.NewPageAsync();
        var violations = WatchCsp(page);
        var email = $"owner-{Guid.NewGuid():N}@example.com";

        await page.GotoAsync($"{Gateway.BaseAddress}console/join?token={token}");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Your name").FillAsync("Olivia Owner");
        await page.GetByLabel("Choose a password").FillAsync("orange kettle mountain 8");
        await page.GetByLabel("Password again").FillAsync("orange kettle mountain 8");
        await page.ClickAsync("#join");

        await page.WaitForURLAsync("**/console/two-factor/setup");
        await Assertions.Expect(page.Locator("#qr")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("document.getElementById('qr').naturalWidth > 0"), "the QR code image did not load");
        await BrowserFixture.ScreenshotAsync(page, "console-two-factor-setup");
        var key = (await page.Locator("#manual-key").InnerTextAsync()).Replace(" ", string.Empty, StringComparison.Ordinal);
        await page.GetByLabel("Code from the app").FillAsync(new Totp(Base32Encoding.ToBytes(key)).ComputeTotp(DateTime.UtcNow));
        await page.ClickAsync("#confirm");
        await Assertions.Expect(page.Locator("#recovery-codes li")).ToHaveCountAsync(10);
        await BrowserFixture.ScreenshotAsync(page, "console-recovery-codes");
        await page.ClickAsync("#continue");

        await page.WaitForURLAsync("**/console");
        Assert.Equal("rgb(13, 17, 23)", await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('.site-header')).backgroundColor"));
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Team" }).ClickAsync();
        await page.WaitForURLAsync("**/console/team");
        Assert.Equal("page", await page.Locator(".site-nav a[href='/console/team']").GetAttributeAsync("aria-current"));
        await page.GetByLabel("Email").FillAsync($"sam-{Guid.NewGuid():N}@example.com");
        await page.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("support");
        await page.ClickAsync("#invite");
        await Assertions.Expect(page.Locator("#invitation-link")).ToContainTextAsync("/console/join?token=");
        await Assertions.Expect(page.Locator("#users")).ToContainTextAsync(email);
        await BrowserFixture.ScreenshotAsync(page, "console-team");

        await page.ClickAsync(".site-nav a[href='/console/audit']");
        await page.WaitForURLAsync("**/console/audit");
        await Assertions.Expect(page.Locator("#audit-entries")).ToContainTextAsync("console.invitation.created");
        await Assertions.Expect(page.Locator("#audit-entries")).ToContainTextAsync("console.two_factor.enabled");
        await page.Locator("#filter-action").SelectOptionAsync("console.invitation.created");
        await page.ClickAsync("#apply-filters");
        await Assertions.Expect(page.Locator("#audit-entries")).Not.ToContainTextAsync("console.two_factor.enabled");
        await BrowserFixture.ScreenshotAsync(page, "console-audit");
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export"));
        Assert.EndsWith(".csv", download.SuggestedFilename, StringComparison.Ordinal);

        Assert.Empty(violations);
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task SignIn_OnAPhone_FitsTheScreen_FollowsTheKeyboardOrder_AndSignsIn()
    {
        var viewer = await ConsoleUsers.CreateAsync(Gateway, ConsoleRole.Viewer, fixture.Keys.Id);
        var page = await fixture.NewPageAsync(390, 844, phone: true);
        var violations = WatchCsp(page);
        await page.GotoAsync($"{Gateway.BaseAddress}console");

        await page.WaitForURLAsync("**/console/signin**");
        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= 390, $"page is {scrollWidth}px wide on a 390px phone");
        Assert.Equal("Input_Email", await page.EvaluateAsync<string>("document.activeElement.id")); // autofocus
        await page.Keyboard.PressAsync("Shift+Tab");
        await page.Keyboard.PressAsync("Shift+Tab");
        Assert.Equal("Skip to main content", await page.EvaluateAsync<string>("document.activeElement.textContent"));
        await page.FocusAsync("#Input_Email");
        var order = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            order.Add(await page.EvaluateAsync<string>("document.activeElement.id || document.activeElement.getAttribute('href')"));
        }

        Assert.Equal(["Input_Password", "sign-in", "/console/password/forgot"], order);
        await BrowserFixture.ScreenshotAsync(page, "console-signin-phone");

        await page.GetByLabel("Email").FillAsync(viewer.Email);
        await page.GetByLabel("Password").FillAsync(viewer.Password);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/console");
        await Assertions.Expect(page.Locator("#access")).ToContainTextAsync("viewer");
        scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= 390, $"home is {scrollWidth}px wide on a 390px phone");
        await BrowserFixture.ScreenshotAsync(page, "console-home-phone");
        Assert.Empty(violations);
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task RefusedForm_MovesFocusToTheErrorSummary_AndTiesEachMessageToItsField()
    {
        var page = await fixture.NewPageAsync();
        var violations = WatchCsp(page);
        await page.GotoAsync($"{Gateway.BaseAddress}console/signin");

        await page.ClickAsync("#sign-in");

        await Assertions.Expect(page.Locator("#error-summary")).ToBeFocusedAsync();
        var password = page.Locator("#Input_Password");
        Assert.Equal("true", await password.GetAttributeAsync("aria-invalid"));
        var describedBy = await password.GetAttributeAsync("aria-describedby");
        Assert.Equal("Enter your password.", await page.Locator("#" + describedBy).InnerTextAsync());
        await page.ClickAsync("#error-summary a[href='#Input_Email']");
        Assert.Equal("Input_Email", await page.EvaluateAsync<string>("document.activeElement.id"));
        await BrowserFixture.ScreenshotAsync(page, "console-signin-error");
        Assert.Empty(violations);
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task Owner_TeamMemberPage_OnAPhone_ChangesARole()
    {
        var owner = await ConsoleUsers.CreateAsync(Gateway, ConsoleRole.Owner, fixture.Keys.Id);
        var member = await ConsoleUsers.CreateAsync(Gateway, ConsoleRole.Viewer, fixture.Keys.Id);
        var page = await fixture.NewPageAsync(390, 844, phone: true);
        var violations = WatchCsp(page);
        await page.GotoAsync($"{Gateway.BaseAddress}console/signin");
        await page.GetByLabel("Email").FillAsync(owner.Email);
        await page.GetByLabel("Password").FillAsync(owner.Password);
        await page.ClickAsync("#sign-in");
        await page.WaitForURLAsync("**/console/signin/two-factor**");
        await page.GetByLabel("Code").FillAsync(await owner.NextCodeAsync());
        await page.ClickAsync("#verify");
        await page.WaitForURLAsync("**/console");

        await page.GotoAsync($"{Gateway.BaseAddress}console/team/{member.Id}");
        await page.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("finance");
        await page.ClickAsync("#save-role");

        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("The role was saved.");
        await Assertions.Expect(page.Locator("#member-roles")).ToContainTextAsync("finance");
        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= 390, $"the member page is {scrollWidth}px wide on a 390px phone");
        await BrowserFixture.ScreenshotAsync(page, "console-team-member-phone");
        Assert.Empty(violations);
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task MerchantSelector_UserOfTwoMerchants_SwitchesByKeyboard_OnDesktopAndPhone()
    {
        var second = await Gateway.CreateMerchantAsync("Second Roastery");
        var user = await ConsoleUsers.CreateAsync(Gateway, ConsoleRole.Finance, fixture.Keys.Id,
            moreGrants: [new ConsoleGrant { MerchantId = second.Id, Role = ConsoleRole.Viewer }]);
        foreach (var (width, height, phone) in new[] { (1280, 900, false), (390, 844, true) })
        {
            var page = await fixture.NewPageAsync(width, height, phone);
            var violations = WatchCsp(page);
            await page.GotoAsync($"{Gateway.BaseAddress}console/signin");
            await page.GetByLabel("Email").FillAsync(user.Email);
            await page.GetByLabel("Password").FillAsync(user.Password);
            await page.ClickAsync("#sign-in");
            await page.WaitForURLAsync("**/console");
            await Assertions.Expect(page.Locator("#current-merchant")).ToContainTextAsync("All your merchants");

            await page.FocusAsync("#switch-merchant");
            await page.Keyboard.PressAsync("Enter");
            await page.WaitForURLAsync("**/console/merchant**");
            var target = phone ? second.Id : fixture.Keys.Id;
            await page.GetByLabel(phone ? "Second Roastery" : "Fine Coffee Ltd").FocusAsync();
            await page.Keyboard.PressAsync("Space");
            await page.FocusAsync("#choose-merchant");
            await page.Keyboard.PressAsync("Enter");
            await page.WaitForURLAsync("**/console");
            await Assertions.Expect(page.Locator("#current-merchant")).ToContainTextAsync(target);
            var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            Assert.True(scrollWidth <= width, $"the console is {scrollWidth}px wide on a {width}px screen");
            await BrowserFixture.ScreenshotAsync(page, phone ? "console-merchant-selector-phone" : "console-merchant-selector");
            Assert.Empty(violations);
            await page.Context.CloseAsync();
        }
    }

    /// <summary>Collects Chromium's reports of anything the page's CSP blocked (an inline script or style would show up here).</summary>
    private static List<string> WatchCsp(IPage page)
    {
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };
        return violations;
    }
}
