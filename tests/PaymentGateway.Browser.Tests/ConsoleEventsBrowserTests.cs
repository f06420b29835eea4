using Microsoft.Playwright;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Browser.Tests.Infrastructure;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Browser.Tests;

/// <summary>
/// The events browser in Debian's Chromium: a viewer filters a merchant's events by type and day, pages through them by
/// cursor, opens one and reads its JSON payload and its delivery to a real receiver; a bad filter is refused beside its
/// field. On a phone the event page fits the screen. Another merchant's event is 403.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleEventsBrowserTests(BrowserFixture fixture)
{
    private GatewayServer Gateway => fixture.Gateway;

    [BrowserFact]
    public async Task Viewer_FiltersAndPagesEvents_OpensOne_AndReadsItsPayloadAndDelivery_Desktop()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var merchant = await Gateway.CreateMerchantAsync("Events desktop shop");
        var api = Gateway.Client(merchant.SecretKey);
        await WebhookSteps.CreateEndpointAsync(api, receiver.Url, "payment.created");
        var events = new List<string>();
        for (var i = 0; i < 51; i++)
        {
            events.Add(await WebhookSteps.CreatePaymentEventAsync(Gateway, merchant));
        }

        var newest = events[^1];
        await WebhookSteps.WaitForDeliveryStatusAsync(api, newest, "succeeded");
        var viewer = await ConsoleUsers.CreateAsync(Gateway, ConsoleRole.Viewer, merchant.Id);
        var page = await fixture.NewPageAsync();
        var violations = ConsoleBrowser.WatchCsp(page);
        await ConsoleBrowser.SignInAsync(Gateway, page, viewer);

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Events" }).ClickAsync();
        await page.WaitForURLAsync("**/console/events**");

        // A bad filter: refused beside its field, nothing listed.
        await page.GetByLabel("Created from (YYYY-MM-DD)").FillAsync("2026-02-30");
        await page.ClickAsync("#apply-filters");
        await Assertions.Expect(page.Locator("#filter-from-error")).ToHaveTextAsync("Enter a date as YYYY-MM-DD.");
        await Assertions.Expect(page.Locator("#error-summary")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#events tbody tr")).ToHaveCountAsync(0);

        // Type and today: 51 payment.created events, 50 a page, newest first.
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        await page.GetByLabel("Created from (YYYY-MM-DD)").FillAsync(today);
        await page.GetByLabel("Created to (YYYY-MM-DD)").FillAsync(today);
        await page.GetByLabel("Type").SelectOptionAsync("payment.created");
        await page.ClickAsync("#apply-filters");
        await Assertions.Expect(page.Locator("#events tbody tr")).ToHaveCountAsync(50);
        Assert.Contains(newest, await page.Locator("#events tbody tr").First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("api_key.", await page.Locator("#events").InnerTextAsync(), StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "console-events");
        await page.ClickAsync("#older");
        await Assertions.Expect(page.Locator("#events tbody tr")).ToHaveCountAsync(1);
        Assert.Contains(events[0], await page.Locator("#events").InnerTextAsync(), StringComparison.Ordinal);
        await page.ClickAsync("#newer");
        await Assertions.Expect(page.Locator("#events tbody tr")).ToHaveCountAsync(50);

        // The event: type, a link to its payment, the payload as JSON text, its delivery.
        await page.Locator("#events a", new() { HasText = newest }).ClickAsync();
        await page.WaitForURLAsync($"**/console/events/{newest}**");
        await Assertions.Expect(page.Locator("#event-type")).ToHaveTextAsync("payment.created");
        var paymentId = (await page.Locator("#event-object a").InnerTextAsync()).Trim();
        Assert.StartsWith("pay_", paymentId, StringComparison.Ordinal);
        var payload = await page.Locator("#payload").InnerTextAsync();
        Assert.Contains($"\"id\": \"{paymentId}\"", payload, StringComparison.Ordinal);
        Assert.Contains("\"amount\": 1500", payload, StringComparison.Ordinal);
        Assert.DoesNotContain(merchant.SecretKey, await page.ContentAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#deliveries tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#deliveries")).ToContainTextAsync("succeeded");
        await BrowserFixture.ScreenshotAsync(page, "console-event-detail");
        await page.Locator("#event-object a").ClickAsync();
        await page.WaitForURLAsync($"**/console/payments/{paymentId}");
        Assert.Empty(violations);
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task Viewer_OnAPhone_ReadsAnEvent_AndAnotherMerchantsEventIsRefused()
    {
        var merchant = await Gateway.CreateMerchantAsync("Events phone shop");
        var other = await Gateway.CreateMerchantAsync("Events other shop");
        var eventId = await WebhookSteps.CreatePaymentEventAsync(Gateway, merchant);
        var foreign = await WebhookSteps.CreatePaymentEventAsync(Gateway, other);
        var viewer = await ConsoleUsers.CreateAsync(Gateway, ConsoleRole.Viewer, merchant.Id);
        var page = await fixture.NewPageAsync(390, 844, phone: true);
        var violations = ConsoleBrowser.WatchCsp(page);
        await ConsoleBrowser.SignInAsync(Gateway, page, viewer);

        await page.GotoAsync($"{Gateway.BaseAddress}console/events?merchant={merchant.Id}");
        await page.Locator("#events a", new() { HasText = eventId }).ClickAsync();
        await Assertions.Expect(page.Locator("#payload")).ToContainTextAsync("\"object\": \"payment\"");
        await Assertions.Expect(page.Locator("#no-deliveries")).ToBeVisibleAsync();
        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= 390, $"the event page is {scrollWidth}px wide on a 390px phone");
        await BrowserFixture.ScreenshotAsync(page, "console-event-phone");

        var refused = await page.GotoAsync($"{Gateway.BaseAddress}console/events/{foreign}?merchant={other.Id}");
        Assert.Equal(403, refused?.Status);
        var hidden = await page.GotoAsync($"{Gateway.BaseAddress}console/events/{foreign}?merchant={merchant.Id}");
        Assert.Equal(404, hidden?.Status);
        Assert.Empty(violations);
        await page.Context.CloseAsync();
    }
}
