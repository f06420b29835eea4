using Microsoft.Playwright;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Browser.Tests.Infrastructure;

namespace PaymentGateway.Browser.Tests;

/// <summary>
/// /docs in Debian's Chromium (docs/api-reference.md): the index, a guide rendered from docs/, the state diagram and the
/// API reference, at phone and desktop width, with no Content-Security-Policy violation, nothing requested from another
/// origin, and none of the reference tool's own promotion (no link to its vendor, no API-client or agent buttons).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DocsBrowserTests(BrowserFixture fixture)
{
    private GatewayServer Gateway => fixture.Gateway;

    [BrowserFact]
    public async Task Docs_IndexGuideAndStateDiagram_WorkOnAPhoneByKeyboard()
    {
        var page = await fixture.NewPageAsync(390, 844, phone: true);
        var problems = Watch(page);

        await page.GotoAsync($"{Gateway.BaseAddress}docs");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "PaymentGateway documentation" })).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" })).ToBeFocusedAsync();
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"the index is {width}px wide on a 390px phone");

        // A guide from docs/, rendered on the server, with its links between guides rewritten to the site.
        await page.GetByRole(AriaRole.Link, new() { Name = "The API reference" }).ClickAsync();
        await page.WaitForURLAsync("**/docs/guides/api-reference");
        await Assertions.Expect(page.Locator("main table")).ToContainTextAsync("/openapi/v1.json");
        await page.GotoAsync($"{Gateway.BaseAddress}docs/guides/payments");
        await Assertions.Expect(page.Locator("main h1")).ToBeVisibleAsync();
        Assert.DoesNotContain(await page.Locator("main a[href$='.md']").AllAsync(), _ => true);

        await page.GotoAsync($"{Gateway.BaseAddress}docs/state-diagram");
        await Assertions.Expect(page.Locator("main table tbody")).ToContainTextAsync("requires_capture");
        await BrowserFixture.ScreenshotAsync(page, "docs-state-diagram-phone");
        Assert.Empty(problems);
    }

    [BrowserFact]
    public async Task Reference_ShowsTheOperations_WithoutTheToolsPromotion()
    {
        var page = await fixture.NewPageAsync(1280, 900);
        var problems = Watch(page);

        await page.GotoAsync($"{Gateway.BaseAddress}docs/reference");
        await Assertions.Expect(page.GetByText("Create payment").First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "PaymentGateway API" }).First).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "docs-reference");

        var vendorLinks = await page.EvaluateAsync<int>(
            "() => [...document.querySelectorAll('a[href*=\"scalar.com\"]')].filter(a => a.offsetParent !== null).length");
        Assert.Equal(0, vendorLinks);
        var text = await page.Locator("body").InnerTextAsync();
        Assert.DoesNotContain("Powered by", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Ask AI", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Generate MCP", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Open API Client", text, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(problems);
    }

    /// <summary>CSP violations, page errors and any request to another origin.</summary>
    private List<string> Watch(IPage page)
    {
        var problems = new List<string>();
        var origin = Gateway.BaseAddress.GetLeftPart(UriPartial.Authority);
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add("CSP: " + message.Text);
            }
        };
        page.PageError += (_, error) => problems.Add("page error: " + error);
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(origin, StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                problems.Add("request to another origin: " + request.Url);
            }
        };
        return problems;
    }
}
