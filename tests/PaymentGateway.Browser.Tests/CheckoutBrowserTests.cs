using System.Text.Json;
using Microsoft.Playwright;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Browser.Tests.Infrastructure;

namespace PaymentGateway.Browser.Tests;

/// <summary>The hosted checkout page in a real browser (Debian's Chromium): redirect mode, declines, 3-D Secure, expiry.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CheckoutBrowserTests(BrowserFixture fixture)
{
    public const string Visa = "4242 4242 4242 4242";
    public const string Declined = "4000 0000 0000 0002";
    public const string ThreeDSecure = "4000 0000 0000 3220";

    private GatewayServer Gateway => fixture.Gateway;

    [BrowserFact]
    public async Task Redirect_SuccessCard_EndsOnTheMerchantsSuccessUrl_AndCompletesTheSession()
    {
        var session = await CreateSessionAsync(fixture);
        var page = await fixture.NewPageAsync();

        var response = await page.GotoAsync(session.Url);
        Assert.Equal(200, response!.Status);
        Assert.Equal("Card number", await page.Locator("label[for=card-number]").InnerTextAsync());
        await FillCardAsync(page, Visa);
        await BrowserFixture.ScreenshotAsync(page, "checkout-desktop");
        await page.ClickAsync("#pay-button");

        await page.WaitForURLAsync($"{fixture.Merchant.ShopOrigin}/thanks?**");
        Assert.Equal(session.Id, await page.Locator("#session").InnerTextAsync());
        Assert.Contains("session_id=" + session.Id, page.Url, StringComparison.Ordinal);
        Assert.DoesNotContain("4242", page.Url, StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "redirect-success");
        var fetched = await GetSessionAsync(fixture, session.Id);
        Assert.Equal("complete", fetched.Str("status"));
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task PhoneViewport_IsUsable_AndKeyboardOrderFollowsTheForm()
    {
        var session = await CreateSessionAsync(fixture);
        var page = await fixture.NewPageAsync(390, 844, phone: true);
        await page.GotoAsync(session.Url);

        // No horizontal scrolling on a phone, and the pay button spans the screen.
        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= 390, $"page is {scrollWidth}px wide on a 390px phone");
        var button = await page.Locator("#pay-button").BoundingBoxAsync();
        Assert.True(button!.Width > 300, $"pay button is {button.Width}px wide");

        await page.FocusAsync("#cardholder");
        var order = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            order.Add(await page.EvaluateAsync<string>("document.activeElement.id"));
        }

        Assert.Equal(["card-number", "card-expiry", "card-cvc", "pay-button", "cancel-link"], order);
        await FillCardAsync(page, Visa);
        await BrowserFixture.ScreenshotAsync(page, "checkout-phone");
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task Decline_ShowsAnAnnouncedError_ThenRetryInTheSameSessionSucceeds()
    {
        var session = await CreateSessionAsync(fixture);
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(session.Url);

        await FillCardAsync(page, Declined);
        await page.ClickAsync("#pay-button");
        var error = page.Locator("#form-error");
        await Assertions.Expect(error).ToBeVisibleAsync();
        await Assertions.Expect(error).ToContainTextAsync("declined");
        Assert.Equal("alert", await error.GetAttributeAsync("role"));
        Assert.Equal(page.Url, session.Url);
        Assert.True(await page.Locator("#pay-button").IsEnabledAsync());
        await BrowserFixture.ScreenshotAsync(page, "decline-error");

        await FillCardAsync(page, Visa);
        await page.ClickAsync("#pay-button");
        await page.WaitForURLAsync($"{fixture.Merchant.ShopOrigin}/thanks?**");
        Assert.Equal("complete", (await GetSessionAsync(fixture, session.Id)).Str("status"));
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task ThreeDSecure_Pass_ReturnsThroughTheCheckoutToTheSuccessUrl()
    {
        var session = await CreateSessionAsync(fixture);
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(session.Url);

        await FillCardAsync(page, ThreeDSecure);
        await page.ClickAsync("#pay-button");
        await page.WaitForURLAsync($"{Gateway.BaseAddress.ToString().TrimEnd('/')}/simulator/challenge/**");
        await BrowserFixture.ScreenshotAsync(page, "3ds-challenge");
        await page.ClickAsync("#pass");

        await page.WaitForURLAsync($"{fixture.Merchant.ShopOrigin}/thanks?**");
        var fetched = await GetSessionAsync(fixture, session.Id);
        Assert.Equal("complete", fetched.Str("status"));
        await BrowserFixture.ScreenshotAsync(page, "3ds-pass-success");
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task ThreeDSecure_Fail_ReturnsToTheCheckoutWithAnError_AndTheSessionStaysOpen()
    {
        var session = await CreateSessionAsync(fixture);
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(session.Url);

        await FillCardAsync(page, ThreeDSecure);
        await page.ClickAsync("#pay-button");
        await page.WaitForURLAsync("**/simulator/challenge/**");
        await page.ClickAsync("#fail");

        await page.WaitForURLAsync($"{session.Url}?**");
        await Assertions.Expect(page.Locator("#form-error")).ToBeVisibleAsync();
        Assert.Equal("open", (await GetSessionAsync(fixture, session.Id)).Str("status"));
        await BrowserFixture.ScreenshotAsync(page, "3ds-fail");

        // The customer can still pay in the same session.
        await FillCardAsync(page, Visa);
        await page.ClickAsync("#pay-button");
        await page.WaitForURLAsync($"{fixture.Merchant.ShopOrigin}/thanks?**");
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task ExpiredSession_ShowsExpired_AndOffersNoCardForm()
    {
        var session = await CreateSessionAsync(fixture, expiresAt: DateTimeOffset.UtcNow.AddSeconds(1.5));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var page = await fixture.NewPageAsync();

        var response = await page.GotoAsync(session.Url);

        Assert.Equal(410, response!.Status);
        await Assertions.Expect(page.Locator("#outcome h2")).ToHaveTextAsync("This checkout has expired");
        Assert.Equal(0, await page.Locator("#card-number").CountAsync());
        Assert.Equal($"{fixture.Merchant.ShopOrigin}/cart", await page.Locator("#cancel-link").GetAttributeAsync("href"));
        await BrowserFixture.ScreenshotAsync(page, "expired");
        Assert.Equal("expired", (await GetSessionAsync(fixture, session.Id)).Str("status"));
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task CancelLink_GoesToTheCancelUrl()
    {
        var session = await CreateSessionAsync(fixture);
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(session.Url);

        await page.ClickAsync("#cancel-link");

        await page.WaitForURLAsync($"{fixture.Merchant.ShopOrigin}/cart");
        await BrowserFixture.ScreenshotAsync(page, "cancel");
        Assert.Equal("open", (await GetSessionAsync(fixture, session.Id)).Str("status"));
        await page.Context.CloseAsync();
    }

    internal static async Task FillCardAsync(IPage page, string number) => await FillCardAsync(page.Locator("body"), number);

    internal static async Task FillCardAsync(ILocator scope, string number)
    {
        await scope.Locator("#cardholder").FillAsync("Ada Lovelace");
        await scope.Locator("#card-number").FillAsync(number);
        await scope.Locator("#card-expiry").FillAsync($"12/{(DateTime.UtcNow.Year + 2) % 100:00}");
        await scope.Locator("#card-cvc").FillAsync("123");
    }

    internal static async Task<(string Id, string Url, string ClientSecret)> CreateSessionAsync(BrowserFixture fixture, DateTimeOffset? expiresAt = null, bool allowShop = false)
    {
        var response = await fixture.Gateway.Client(fixture.Keys.SecretKey).PostAsync("/v1/checkout/sessions", new
        {
            currency = "EUR",
            line_items = new object[]
            {
                new { name = "Single-origin coffee beans, 1 kg", quantity = 2, unit_amount = 1250 },
                new { name = "Burr grinder", quantity = 1, unit_amount = 4999 },
            },
            success_url = $"{fixture.Merchant.ShopOrigin}/thanks",
            cancel_url = $"{fixture.Merchant.ShopOrigin}/cart",
            allowed_frame_ancestors = allowShop ? new[] { fixture.Merchant.ShopOrigin } : null,
            expires_at = expiresAt,
        });
        response.EnsureStatus(200);
        return (response.Str("id")!, response.Str("url")!, response.Str("client_secret")!);
    }

    internal static async Task<ApiResponse> GetSessionAsync(BrowserFixture fixture, string id) =>
        (await fixture.Gateway.Client(fixture.Keys.SecretKey).GetAsync($"/v1/checkout/sessions/{id}")).EnsureStatus(200);

    internal static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
