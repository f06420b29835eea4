using Microsoft.Playwright;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Browser.Tests.Infrastructure;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Browser.Tests;

/// <summary>
/// The console's Direct-debit batches pages in Debian's Chromium, at desktop and phone sizes: a viewer opens the newest
/// collection file by keyboard and reads its debits (amount, status, mandate reference, sequence type), then opens one
/// debit's payment. No CSP violation, nothing wider than the screen.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleDirectDebitsBrowserTests(BrowserFixture fixture)
{
    private GatewayServer Gateway => fixture.Gateway;

    [BrowserTheory]
    [InlineData(1280, 900, false, "console-direct-debits")]
    [InlineData(390, 844, true, "console-direct-debits-phone")]
    public async Task Viewer_OpensABatch_AndReadsItsDebits(int width, int height, bool phone, string screenshot)
    {
        var (batch, debits) = await BankStatementSteps.DirectDebitBatchAsync(Gateway, fixture.Keys, 2990, 1500);
        var viewer = await ConsoleUsers.CreateAsync(Gateway, ConsoleRole.Viewer, fixture.Keys.Id);
        var page = await fixture.NewPageAsync(width, height, phone);
        var violations = ConsoleBrowser.WatchCsp(page);
        await ConsoleBrowser.SignInAsync(Gateway, page, viewer);

        await page.GotoAsync($"{Gateway.BaseAddress}console/direct-debits?merchant={fixture.Keys.Id}");
        await Assertions.Expect(page.Locator("#batches tbody tr").First).ToContainTextAsync(batch);
        await Assertions.Expect(page.Locator("#batches tbody tr", new() { HasText = batch })).ToContainTextAsync("44.90 EUR");
        await BrowserFixture.ScreenshotAsync(page, screenshot);

        await page.Locator("#batches a", new() { HasText = batch }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync($"**/console/direct-debits/{batch}?**");
        await Assertions.Expect(page.Locator("#debits tbody tr")).ToHaveCountAsync(2);
        var row = page.Locator("#debits tbody tr", new() { HasText = debits[0] });
        await Assertions.Expect(row).ToContainTextAsync("29.90 EUR");
        await Assertions.Expect(row).ToContainTextAsync("FRST");
        await Assertions.Expect(row).ToContainTextAsync("processing");
        await Assertions.Expect(page.Locator("#total")).ToHaveTextAsync("44.90 EUR");
        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"the batch page is {scrollWidth}px wide on a {width}px screen");
        await BrowserFixture.ScreenshotAsync(page, screenshot + "-batch");

        await row.Locator("a").ClickAsync();
        await page.WaitForURLAsync($"**/console/payments/{debits[0]}");
        Assert.DoesNotContain("DE89370400440532013000", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Empty(violations);
        await page.Context.CloseAsync();
    }
}
