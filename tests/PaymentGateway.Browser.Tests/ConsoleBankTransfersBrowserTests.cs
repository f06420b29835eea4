using Microsoft.Playwright;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Browser.Tests.Infrastructure;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Browser.Tests;

/// <summary>
/// The console's Bank transfers pages in Debian's Chromium, at desktop and phone sizes: a finance user finds an
/// unmatched credit, opens its match by keyboard, is told of a bad payment next to the field, picks an open transfer
/// from the list, reads the confirmation that states the amount and the payment, and confirms; the payment is paid.
/// No CSP violation, nothing wider than the screen.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleBankTransfersBrowserTests(BrowserFixture fixture)
{
    private GatewayServer Gateway => fixture.Gateway;

    [BrowserTheory]
    [InlineData(1280, 900, false, "console-bank-transfers")]
    [InlineData(390, 844, true, "console-bank-transfers-phone")]
    public async Task Finance_MatchesAnUnmatchedCredit_ToAnOpenTransfer_ThroughTheConfirmation(int width, int height, bool phone, string screenshot)
    {
        var debtor = "Ada Lovelace " + Guid.NewGuid().ToString("N")[..4];
        var entry = await BankStatementSteps.UnmatchedCreditAsync(Gateway, fixture.Keys, 7350, debtor: debtor);
        var transfer = await BankStatementSteps.OpenTransferAsync(Gateway, fixture.Keys, 7350);
        var finance = await ConsoleUsers.CreateAsync(Gateway, ConsoleRole.Finance, fixture.Keys.Id);
        var page = await fixture.NewPageAsync(width, height, phone);
        var violations = ConsoleBrowser.WatchCsp(page);
        await ConsoleBrowser.SignInAsync(Gateway, page, finance);

        await page.GotoAsync($"{Gateway.BaseAddress}console/bank-transfers?merchant={fixture.Keys.Id}");
        var row = page.Locator("#entries tbody tr", new() { HasText = entry });
        await Assertions.Expect(row).ToContainTextAsync("73.50 EUR");
        await Assertions.Expect(row).ToContainTextAsync(debtor);
        await Assertions.Expect(row).ToContainTextAsync("unmatched");
        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"the bank transfers page is {scrollWidth}px wide on a {width}px screen");
        await BrowserFixture.ScreenshotAsync(page, screenshot);

        // By keyboard: the link names the credit it matches.
        await page.GetByRole(AriaRole.Link, new() { Name = $"Match 73.50 EUR from {debtor}" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync($"**/console/bank-transfers/{entry}?**");

        // A payment that does not exist: refused next to the field, nothing changed.
        await page.GetByLabel("Payment", new() { Exact = true }).FillAsync("pay_doesnotexist");
        await page.ClickAsync("#review");
        await Assertions.Expect(page.Locator("#Input_Payment-error")).ToHaveTextAsync("No payment of this merchant and mode has this id or reference.");
        await Assertions.Expect(page.GetByLabel("Payment", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");

        // Pick the open transfer from the list, then confirm.
        await page.Locator($"#choose-{transfer.Id}").ClickAsync();
        await Assertions.Expect(page.GetByLabel("Payment", new() { Exact = true })).ToHaveValueAsync(transfer.Id);
        await page.ClickAsync("#review");
        await Assertions.Expect(page.Locator("#confirm-statement")).ToContainTextAsync($"Credit 73.50 EUR from {debtor} to payment {transfer.Id}");
        if (!phone)
        {
            await BrowserFixture.ScreenshotAsync(page, "console-bank-match-confirm");
        }

        await page.ClickAsync("#confirm");
        await page.WaitForURLAsync("**done=matched**");
        await Assertions.Expect(page.Locator("#notice")).ToHaveTextAsync($"The entry was credited to {transfer.Id}.");
        await Assertions.Expect(page.Locator("#entries tbody tr", new() { HasText = entry })).ToContainTextAsync("matched");
        var paid = (await Gateway.Client(fixture.Keys.SecretKey).GetAsync($"/v1/payments/{transfer.Id}")).EnsureStatus(200);
        Assert.Equal(7350, paid.Long("amount_received"));
        Assert.Empty(violations);
        await page.Context.CloseAsync();
    }
}
