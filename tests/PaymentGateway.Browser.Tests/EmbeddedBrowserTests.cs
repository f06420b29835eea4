using System.Text.Json;
using Microsoft.Playwright;
using PaymentGateway.Browser.Tests.Infrastructure;
using static PaymentGateway.Browser.Tests.CheckoutBrowserTests;

namespace PaymentGateway.Browser.Tests;

/// <summary>Iframe mode and the JS SDK, on a merchant page served from other loopback origins.</summary>
[Collection(BrowserCollection.Name)]
public sealed class EmbeddedBrowserTests(BrowserFixture fixture)
{
    private string GatewayOrigin => fixture.Gateway.BaseAddress.ToString().TrimEnd('/');

    [BrowserFact]
    public async Task IframeMode_AllowedOriginFramesTheCheckout_AndHearsTheResultFromTheGatewayOrigin()
    {
        var session = await CreateSessionAsync(fixture, allowShop: true);
        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"{fixture.Merchant.ShopOrigin}/embed?url={Uri.EscapeDataString(session.Url)}");
        var frame = page.FrameLocator("#checkout");

        await Assertions.Expect(frame.Locator("#pay-button")).ToBeVisibleAsync();
        await FillCardAsync(frame.Locator("body"), Visa);
        await BrowserFixture.ScreenshotAsync(page, "iframe-allowed");
        await frame.Locator("#pay-button").ClickAsync();

        await page.WaitForFunctionAsync("() => window.__messages.some(m => m.data && m.data.type === 'checkout.completed')");
        var messages = await MessagesAsync(page);
        Assert.All(messages, m => Assert.Equal(GatewayOrigin, m.GetProperty("origin").GetString()));
        var completed = messages.Single(m => m.GetProperty("data").GetProperty("type").GetString() == "checkout.completed").GetProperty("data");
        Assert.Equal(session.Id, completed.GetProperty("session").GetString());
        Assert.StartsWith($"{fixture.Merchant.ShopOrigin}/thanks?session_id=", completed.GetProperty("redirect_url").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("4242", JsonSerializer.Serialize(messages), StringComparison.Ordinal);
        Assert.Equal("complete", (await GetSessionAsync(fixture, session.Id)).Str("status"));
        await BrowserFixture.ScreenshotAsync(page, "iframe-completed");
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task IframeMode_AnotherOriginIsRefusedByFrameAncestors()
    {
        var session = await CreateSessionAsync(fixture, allowShop: true);
        var page = await fixture.NewPageAsync();
        var refusals = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("frame-ancestors", StringComparison.Ordinal))
            {
                refusals.Add(message.Text);
            }
        };

        await page.GotoAsync($"{fixture.Merchant.OtherOrigin}/embed?url={Uri.EscapeDataString(session.Url)}");
        await page.WaitForTimeoutAsync(1000);

        var child = page.Frames.Single(f => f != page.MainFrame);
        Assert.Equal(0, await child.Locator("#pay-button").CountAsync());
        Assert.Contains(refusals, r => r.Contains(fixture.Merchant.ShopOrigin, StringComparison.Ordinal));
        Assert.Empty(await MessagesAsync(page));
        await BrowserFixture.ScreenshotAsync(page, "iframe-refused");

        // A session without allowed origins cannot be framed even by the shop.
        var unframeable = await CreateSessionAsync(fixture);
        var shop = await fixture.NewPageAsync();
        await shop.GotoAsync($"{fixture.Merchant.ShopOrigin}/embed?url={Uri.EscapeDataString(unframeable.Url)}");
        await shop.WaitForTimeoutAsync(500);
        Assert.Equal(0, await shop.Frames.Single(f => f != shop.MainFrame).Locator("#pay-button").CountAsync());
        await page.Context.CloseAsync();
        await shop.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task JsSdk_HostedFieldsAndPay_ResolveWithTheSucceededPayment()
    {
        var session = await CreateSessionAsync(fixture, allowShop: true);
        var page = await OpenSdkPageAsync(session.ClientSecret);

        await FillCardAsync(page.FrameLocator("#card iframe").Locator("body"), Visa);
        await BrowserFixture.ScreenshotAsync(page, "sdk-fields");
        await page.ClickAsync("#pay");
        var result = await ResultAsync(page);

        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.Equal("succeeded", result.GetProperty("payment").GetProperty("status").GetString());
        var fetched = await GetSessionAsync(fixture, session.Id);
        Assert.Equal("complete", fetched.Str("status"));
        Assert.Equal(result.GetProperty("payment").GetProperty("id").GetString(), fetched.Str("payment"));
        await BrowserFixture.ScreenshotAsync(page, "sdk-succeeded");
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task JsSdk_DeclineAndValidation_RejectWithClearErrorObjects()
    {
        var session = await CreateSessionAsync(fixture, allowShop: true);
        var page = await OpenSdkPageAsync(session.ClientSecret);
        var fields = page.FrameLocator("#card iframe");

        await fields.Locator("#card-number").FillAsync("4242 4242 4242 4241");
        await page.ClickAsync("#pay");
        var invalid = await ResultAsync(page);
        Assert.False(invalid.GetProperty("ok").GetBoolean());
        Assert.Equal("GatewayError", invalid.GetProperty("name").GetString());
        Assert.Equal("validation_error", invalid.GetProperty("type").GetString());
        Assert.Equal("card_number_invalid", invalid.GetProperty("code").GetString());

        await FillCardAsync(fields.Locator("body"), Declined);
        await page.ClickAsync("#pay");
        var declined = await ResultAsync(page);
        Assert.Equal("card_error", declined.GetProperty("type").GetString());
        Assert.Equal("card_declined", declined.GetProperty("code").GetString());
        Assert.Equal("generic_decline", declined.GetProperty("decline_code").GetString());
        await BrowserFixture.ScreenshotAsync(page, "sdk-declined");

        await FillCardAsync(fields.Locator("body"), Visa);
        await page.ClickAsync("#pay");
        Assert.Equal("succeeded", (await ResultAsync(page)).GetProperty("payment").GetProperty("status").GetString());
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task JsSdk_ThreeDSecure_ChallengeRunsInTheFrame_AndPayResolvesAfterIt()
    {
        var session = await CreateSessionAsync(fixture, allowShop: true);
        var page = await OpenSdkPageAsync(session.ClientSecret);
        var fields = page.FrameLocator("#card iframe");

        await FillCardAsync(fields.Locator("body"), ThreeDSecure);
        await page.ClickAsync("#pay");
        await Assertions.Expect(fields.Locator("#pass")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "sdk-3ds-challenge");
        await fields.Locator("#pass").ClickAsync();

        var result = await ResultAsync(page);
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.Equal("succeeded", result.GetProperty("payment").GetProperty("status").GetString());
        Assert.Equal("complete", (await GetSessionAsync(fixture, session.Id)).Str("status"));
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task MerchantPage_CannotReadTheCardNumberFromTheFrame()
    {
        var session = await CreateSessionAsync(fixture, allowShop: true);
        var page = await OpenSdkPageAsync(session.ClientSecret);
        var fields = page.FrameLocator("#card iframe");
        await FillCardAsync(fields.Locator("body"), Visa);
        Assert.Equal(Visa, await fields.Locator("#card-number").InputValueAsync()); // it is there, in the gateway's frame

        var probe = await page.EvaluateAsync<JsonElement>("""
            () => {
              const frame = document.querySelector('#card iframe');
              const result = { contentDocument: frame.contentDocument === null, html: document.documentElement.outerHTML };
              try { result.read = frame.contentWindow.document.querySelector('#card-number').value; } catch (e) { result.error = e.name; }
              return result;
            }
            """);

        Assert.True(probe.GetProperty("contentDocument").GetBoolean());
        Assert.Equal("SecurityError", probe.GetProperty("error").GetString());
        Assert.False(probe.TryGetProperty("read", out _));
        Assert.DoesNotContain("4242", probe.GetProperty("html").GetString(), StringComparison.Ordinal);

        await page.ClickAsync("#pay");
        Assert.True((await ResultAsync(page)).GetProperty("ok").GetBoolean());
        var messages = JsonSerializer.Serialize(await MessagesAsync(page));
        Assert.DoesNotContain("4242", messages, StringComparison.Ordinal);
        Assert.DoesNotContain("424242", await page.ContentAsync(), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    private async Task<IPage> OpenSdkPageAsync(string clientSecret)
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"{fixture.Merchant.ShopOrigin}/sdk?gateway={Uri.EscapeDataString(GatewayOrigin)}&pk={fixture.Keys.PublishableKey}&secret={Uri.EscapeDataString(clientSecret)}");
        await page.WaitForFunctionAsync("() => window.__ready && window.__messages.some(m => m.data && m.data.type === 'fields.ready')");
        return page;
    }

    private static async Task<JsonElement> ResultAsync(IPage page)
    {
        await page.WaitForFunctionAsync("() => { const t = document.getElementById('result').textContent; return t && t !== 'paying'; }");
        var text = await page.Locator("#result").InnerTextAsync();
        await page.EvaluateAsync("() => { document.getElementById('result').textContent = ''; }");
        return Parse(text);
    }

    private static async Task<JsonElement[]> MessagesAsync(IPage page) =>
        [.. (await page.EvaluateAsync<JsonElement>("() => window.__messages")).EnumerateArray()];
}
