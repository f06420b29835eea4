using Microsoft.Playwright;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Browser.Tests.Infrastructure;
using static PaymentGateway.Browser.Tests.CheckoutBrowserTests;

namespace PaymentGateway.Browser.Tests;

/// <summary>Saving the card in the hosted checkout and through gateway.js, in Debian's Chromium (docs/saved-cards.md).</summary>
[Collection(BrowserCollection.Name)]
public sealed class SavedCardCheckoutBrowserTests(BrowserFixture fixture)
{
    private const string MitApproved = "4000 0000 0000 3089";

    [BrowserFact]
    public async Task HostedPage_OfferedSaveCard_IsALabelledCheckboxInKeyboardOrder_AndTickingItSavesTheCard()
    {
        var (customer, session) = await SessionAsync("offer");
        var page = await fixture.NewPageAsync(390, 844, phone: true);
        await page.GotoAsync(session.Url);

        var box = page.GetByLabel("Save this card for future payments");
        Assert.False(await box.IsCheckedAsync());
        Assert.Equal("save-card-help", await box.GetAttributeAsync("aria-describedby"));
        await Assertions.Expect(page.Locator("#save-card-help")).ToContainTextAsync("charge it later");
        await page.FocusAsync("#card-cvc");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("save-card", await page.EvaluateAsync<string>("document.activeElement.id"));
        await page.Keyboard.PressAsync("Space");
        Assert.True(await box.IsCheckedAsync());
        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= 390, $"page is {scrollWidth}px wide on a 390px phone");

        await FillCardAsync(page, MitApproved);
        await BrowserFixture.ScreenshotAsync(page, "checkout-save-card-phone");
        await page.ClickAsync("#pay-button");
        await page.WaitForURLAsync($"{fixture.Merchant.ShopOrigin}/thanks?**");

        var methods = await SavedMethodsAsync(customer);
        Assert.Single(methods);
        var payment = (await fixture.Gateway.Client(fixture.Keys.SecretKey).GetAsync($"/v1/payments/{(await GetSessionAsync(fixture, session.Id)).Str("payment")}"))
            .EnsureStatus(200);
        Assert.Equal("off_session", payment.Str("setup_future_usage"));
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task HostedPage_OfferedButNotTicked_DoesNotSaveTheCard()
    {
        var (customer, session) = await SessionAsync("offer");
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(session.Url);

        await FillCardAsync(page, MitApproved);
        await page.ClickAsync("#pay-button");
        await page.WaitForURLAsync($"{fixture.Merchant.ShopOrigin}/thanks?**");

        Assert.Empty(await SavedMethodsAsync(customer));
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task HostedPage_RequiredSaveCard_SaysSoWithoutACheckbox_AndSavesTheCard()
    {
        var (customer, session) = await SessionAsync("require");
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(session.Url);

        Assert.Equal(0, await page.Locator("#save-card").CountAsync());
        await Assertions.Expect(page.Locator("#save-card-notice")).ToContainTextAsync("Paying saves this card");
        await FillCardAsync(page, MitApproved);
        await BrowserFixture.ScreenshotAsync(page, "checkout-save-card-required");
        await page.ClickAsync("#pay-button");
        await page.WaitForURLAsync($"{fixture.Merchant.ShopOrigin}/thanks?**");

        Assert.Single(await SavedMethodsAsync(customer));
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task JsSdk_PayWithSaveCard_SavesTheCardForTheSessionsCustomer()
    {
        var (customer, session) = await SessionAsync("offer", allowShop: true);
        var page = await fixture.NewPageAsync();
        var gatewayOrigin = fixture.Gateway.BaseAddress.ToString().TrimEnd('/');
        await page.GotoAsync($"{fixture.Merchant.ShopOrigin}/sdk?gateway={Uri.EscapeDataString(gatewayOrigin)}&pk={fixture.Keys.PublishableKey}&secret={Uri.EscapeDataString(session.ClientSecret)}");
        await page.WaitForFunctionAsync("() => window.__ready && window.__messages.some(m => m.data && m.data.type === 'fields.ready')");

        await FillCardAsync(page.FrameLocator("#card iframe").Locator("body"), MitApproved);
        await page.CheckAsync("#save-card");
        await page.ClickAsync("#pay");
        await page.WaitForFunctionAsync("() => { const t = document.getElementById('result').textContent; return t && t !== 'paying'; }");
        var result = Parse(await page.Locator("#result").InnerTextAsync());

        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.Equal("succeeded", result.GetProperty("payment").GetProperty("status").GetString());
        var methods = await SavedMethodsAsync(customer);
        var saved = Assert.Single(methods);
        var charge = (await fixture.Gateway.Client(fixture.Keys.SecretKey).PostAsync("/v1/payments", new
        {
            amount = 1500,
            currency = "EUR",
            customer,
            payment_method = saved,
            off_session = true,
            mit_type = "recurring",
            confirm = true,
        })).EnsureStatus(200);
        Assert.Equal("succeeded", charge.Str("status"));
        await page.Context.CloseAsync();
    }

    private async Task<(string Customer, (string Id, string Url, string ClientSecret) Session)> SessionAsync(string saveCard, bool allowShop = false)
    {
        var api = fixture.Gateway.Client(fixture.Keys.SecretKey);
        var customer = (await api.PostAsync("/v1/customers", new { email = $"c{Guid.NewGuid():N}@shop.example" })).EnsureStatus(200).Str("id")!;
        var response = (await api.PostAsync("/v1/checkout/sessions", new
        {
            currency = "EUR",
            line_items = new object[] { new { name = "Coffee subscription, first month", quantity = 1, unit_amount = 1500 } },
            success_url = $"{fixture.Merchant.ShopOrigin}/thanks",
            cancel_url = $"{fixture.Merchant.ShopOrigin}/cart",
            allowed_frame_ancestors = allowShop ? new[] { fixture.Merchant.ShopOrigin } : null,
            customer,
            save_card = saveCard,
        })).EnsureStatus(200);
        return (customer, (response.Str("id")!, response.Str("url")!, response.Str("client_secret")!));
    }

    private async Task<List<string>> SavedMethodsAsync(string customer) =>
        [.. (await fixture.Gateway.Client(fixture.Keys.SecretKey).GetAsync($"/v1/customers/{customer}/payment_methods")).EnsureStatus(200)
            .Json.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString() ?? string.Empty)];
}
