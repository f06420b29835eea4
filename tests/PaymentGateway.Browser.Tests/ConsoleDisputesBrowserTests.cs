using System.Text;
using Microsoft.Playwright;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Browser.Tests.Infrastructure;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Browser.Tests;

/// <summary>
/// The console's dispute queue and dispute page in Debian's Chromium, at phone width: a support agent opens Disputes
/// from the menu, finds the dispute due soonest first, opens it by keyboard, uploads a PDF, fills the evidence by its
/// labels, saves and submits; the payment page lists the dispute. A viewer sees the dispute and no form. No CSP
/// violation, nothing wider than the phone.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleDisputesBrowserTests(BrowserFixture fixture)
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    private GatewayServer Gateway => fixture.Gateway;

    [BrowserFact]
    public async Task Support_OnAPhone_AnswersTheDisputeDueSoonest_WithAFileAndEvidence_ByKeyboard()
    {
        var (paymentId, disputeId) = await DisputeSteps.DisputedPaymentAsync(Gateway, fixture.Keys, 4400);
        var support = await ConsoleUsers.CreateAsync(Gateway, ConsoleRole.Support, fixture.Keys.Id);
        var page = await fixture.NewPageAsync(390, 844, phone: true);
        var violations = ConsoleBrowser.WatchCsp(page);
        await ConsoleBrowser.SignInAsync(Gateway, page, support);

        await page.GotoAsync($"{Gateway.BaseAddress}console/disputes?merchant={fixture.Keys.Id}&status=needs_response");
        var row = page.Locator("#disputes tbody tr", new() { HasText = disputeId });
        await Assertions.Expect(row).ToContainTextAsync("44.00 EUR");
        await Assertions.Expect(row).ToContainTextAsync("left");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the queue is wider than the phone");
        await BrowserFixture.ScreenshotAsync(page, "console-disputes-phone");

        await row.GetByRole(AriaRole.Link, new() { Name = disputeId }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync($"**/console/disputes/{disputeId}");
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("needs_response");
        await Assertions.Expect(page.Locator("#withdrawn")).ToHaveTextAsync("44.00 EUR");

        await page.GetByLabel("Add a file").SetInputFilesAsync(new FilePayload { Name = "tracking.pdf", MimeType = "application/pdf", Buffer = Pdf });
        await page.ClickAsync("#upload");
        await page.WaitForURLAsync("**?done=file");
        await Assertions.Expect(page.Locator("#files")).ToContainTextAsync("tracking.pdf");

        await page.GetByLabel("Shipping tracking number").FillAsync("1Z999AA10123456784");
        await page.GetByLabel("Shipping documentation (file)").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await page.Locator("#save-evidence").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**?done=evidence");
        await Assertions.Expect(page.GetByLabel("Shipping tracking number")).ToHaveValueAsync("1Z999AA10123456784");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the dispute page is wider than the phone");
        await BrowserFixture.ScreenshotAsync(page, "console-dispute-evidence-phone");

        await page.ClickAsync("#submit-evidence");
        await page.WaitForURLAsync("**?done=submit");
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("under_review");
        Assert.Equal(0, await page.Locator("#evidence-form").CountAsync());
        var dispute = (await Gateway.Client(fixture.Keys.SecretKey).GetAsync($"/v1/disputes/{disputeId}")).EnsureStatus(200);
        Assert.Equal("under_review", dispute.Str("status"));
        Assert.Contains("1Z999AA10123456784", dispute.Body, StringComparison.Ordinal);

        await page.GotoAsync($"{Gateway.BaseAddress}console/payments/{paymentId}");
        await Assertions.Expect(page.Locator("#payment-disputes")).ToContainTextAsync(disputeId);
        Assert.Empty(violations);
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task Viewer_SeesTheDispute_AndNoEvidenceForm()
    {
        var (_, disputeId) = await DisputeSteps.DisputedPaymentAsync(Gateway, fixture.Keys, 1500);
        var viewer = await ConsoleUsers.CreateAsync(Gateway, ConsoleRole.Viewer, fixture.Keys.Id);
        var page = await fixture.NewPageAsync();
        var violations = ConsoleBrowser.WatchCsp(page);
        await ConsoleBrowser.SignInAsync(Gateway, page, viewer);

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Disputes" }).ClickAsync();
        await page.WaitForURLAsync("**/console/disputes");
        await page.Locator("#disputes a", new() { HasText = disputeId }).ClickAsync();
        await page.WaitForURLAsync($"**/console/disputes/{disputeId}");
        await Assertions.Expect(page.Locator("#amount")).ToHaveTextAsync("15.00 EUR");
        Assert.Equal(0, await page.Locator("#evidence-form, #upload-form, #accept-form").CountAsync());
        Assert.Empty(violations);
        await page.Context.CloseAsync();
    }
}
