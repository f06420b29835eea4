using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Browser.Tests.Infrastructure;
using PaymentGateway.Providers.ContractTests.Adyen;
using PaymentGateway.Providers.ContractTests.Infrastructure;
using PaymentGateway.Providers.ContractTests.Stripe;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Types;
using WireMock.Util;

namespace PaymentGateway.Browser.Tests;

/// <summary>
/// The hosted checkout in Chromium paying through a real provider's documented API (WireMock) that asks for 3-D Secure:
/// the browser follows the provider's action to an issuer's page (also WireMock: plain HTML, no script) and the issuer
/// sends it back to the gateway's return endpoint, which finishes the authorization and continues to the checkout and
/// the merchant's success URL - or back to the checkout with an error when the issuer refuses.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ProviderThreeDSecureBrowserTests(BrowserFixture fixture) : IDisposable
{
    private const long Amount = 1000;
    private const string StripeIntent = "pi_3ds_browser";
    private readonly List<ProviderWireMock> _mocks = [];

    private GatewayServer Gateway => fixture.Gateway;

    public void Dispose()
    {
        foreach (var mock in _mocks)
        {
            mock.Dispose();
        }
    }

    [BrowserFact]
    public async Task Adyen_POST_redirect_is_auto_submitted_to_the_issuer_whose_answer_authorizes_the_payment_and_ends_on_the_success_url()
    {
        var (merchant, mock) = await ProviderMerchantAsync("adyen");
        var issuer = ArrangeAdyenPostRedirect(mock);
        var session = await SessionAsync(merchant);
        var page = await fixture.NewPageAsync();
        var navigations = new List<string>();
        var consoleErrors = new List<string>();
        page.FrameNavigated += (_, frame) => navigations.Add(frame.Url);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                consoleErrors.Add(message.Text);
            }
        };

        await page.GotoAsync(session.Url);
        await CheckoutBrowserTests.FillCardAsync(page, CheckoutBrowserTests.Visa);
        await page.ClickAsync("#pay-button");

        // The checkout navigated to the gateway's action page, whose script posted Adyen's fields to the issuer.
        await page.WaitForURLAsync(issuer);
        Assert.Contains(navigations, url => url.StartsWith($"{GatewayOrigin}/provider_actions/", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("#received-md")).ToHaveTextAsync(AdyenMd);
        await BrowserFixture.ScreenshotAsync(page, "provider-3ds-adyen-issuer");
        await page.ClickAsync("#authenticate");

        await page.WaitForURLAsync($"{fixture.Merchant.ShopOrigin}/thanks?**");
        Assert.Equal(session.Id, await page.Locator("#session").InnerTextAsync());
        var details = JsonNode.Parse(Assert.Single(mock.Requests, r => r.Path == "/v71/payments/details").Body!)!["details"]!.AsObject();
        Assert.Equal(["MD", "PaRes"], details.Select(d => d.Key));
        Assert.Equal(IssuerPaRes, details["PaRes"]!.GetValue<string>());
        var checkout = await SessionStatusAsync(merchant, session.Id);
        Assert.Equal("complete", checkout.Status);
        Assert.Equal("requires_capture", checkout.PaymentStatus);

        // Nothing on the way was refused by a Content-Security-Policy (an inline script would have been).
        Assert.DoesNotContain(consoleErrors, e => e.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task Adyen_action_page_without_its_script_has_no_inline_script_and_its_labelled_button_works_by_keyboard()
    {
        var (merchant, mock) = await ProviderMerchantAsync("adyen");
        var issuer = ArrangeAdyenPostRedirect(mock);
        var session = await SessionAsync(merchant);
        var page = await fixture.NewPageAsync();

        // As if scripts did not run on the action page: its script file never arrives.
        await page.RouteAsync("**/provider_actions/action.js", route => route.AbortAsync());
        await page.GotoAsync(session.Url);
        await CheckoutBrowserTests.FillCardAsync(page, CheckoutBrowserTests.Visa);
        await page.ClickAsync("#pay-button");
        await page.WaitForURLAsync($"{GatewayOrigin}/provider_actions/**");

        // No inline script: the only script is the same-origin file, and the CSP allows only 'self'.
        Assert.Equal(0, await page.Locator("script:not([src])").CountAsync());
        Assert.Equal(["/provider_actions/action.js"], await page.Locator("script[src]").EvaluateAllAsync<string[]>("s => s.map(e => e.getAttribute('src'))"));
        var button = page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Continue to your bank" });
        await Assertions.Expect(button).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "provider-3ds-action-page");

        // By keyboard: Tab reaches the button, Enter submits the form to the issuer.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("continue", await page.EvaluateAsync<string>("document.activeElement.id"));
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(issuer);
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("authenticate", await page.EvaluateAsync<string>("document.activeElement.id"));
        await page.Keyboard.PressAsync("Enter");

        await page.WaitForURLAsync($"{fixture.Merchant.ShopOrigin}/thanks?**");
        Assert.Equal("complete", (await SessionStatusAsync(merchant, session.Id)).Status);
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task Stripe_GET_redirect_to_the_issuer_that_refuses_returns_to_the_checkout_with_an_error_and_the_payment_failed()
    {
        var (merchant, mock) = await ProviderMerchantAsync("stripe");
        var issuer = mock.BaseUrl + "/issuer/stripe/authenticate";
        string? returnUrl = null;
        string? paymentId = null;

        // Stripe answers redirect_to_url (GET) to the issuer; after the challenge Stripe sends the customer to the
        // return_url it was given, adding payment_intent and redirect_status.
        mock.Server.Given(Request.Create().WithPath("/v1/payment_intents").UsingPost()).RespondWith(Response.Create().WithCallback(request =>
        {
            var form = ProviderWireMock.Form(request);
            returnUrl = form.GetValueOrDefault("return_url");
            paymentId = form.GetValueOrDefault("metadata[gateway_payment_id]");
            var intent = StripeFixtures.RequiresAction(StripeIntent, Amount, "eur", issuer);
            intent["metadata"] = new JsonObject { ["gateway_payment_id"] = paymentId };
            return Body(200, "application/json", intent.ToJsonString());
        }));
        mock.Server.Given(Request.Create().WithPath("/issuer/stripe/authenticate").UsingGet()).RespondWith(Response.Create().WithCallback(_ =>
        {
            var back = $"{returnUrl}?payment_intent={StripeIntent}&payment_intent_client_secret={StripeIntent}_secret_b&redirect_status=failed";
            return Body(200, "text/html; charset=utf-8", IssuerPage("Authentication failed",
                $"<p>The cardholder did not confirm the payment.</p><p><a id=\"back\" href=\"{WebUtility.HtmlEncode(back)}\">Return to the merchant</a></p>"));
        }));
        mock.Server.Given(Request.Create().WithPath($"/v1/payment_intents/{StripeIntent}").UsingGet()).RespondWith(Response.Create().WithCallback(_ =>
        {
            var intent = StripeFixtures.PaymentIntent(StripeIntent, "requires_payment_method", Amount, "eur", capture: false, paymentId);
            intent["last_payment_error"] = new JsonObject
            {
                ["type"] = "invalid_request_error",
                ["code"] = "payment_intent_authentication_failure",
                ["message"] = "The provided PaymentMethod has failed authentication.",
            };
            return Body(200, "application/json", intent.ToJsonString());
        }));

        var session = await SessionAsync(merchant);
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(session.Url);
        await CheckoutBrowserTests.FillCardAsync(page, CheckoutBrowserTests.Visa);
        await page.ClickAsync("#pay-button");

        // A GET redirect is followed as a plain navigation, straight to the issuer.
        await page.WaitForURLAsync(issuer);
        Assert.StartsWith($"{GatewayOrigin}/provider_returns/", returnUrl, StringComparison.Ordinal);
        await page.ClickAsync("#back");

        // The gateway read the PaymentIntent back and sent the customer on to the checkout, which shows the failure.
        await page.WaitForURLAsync($"{session.Url}?**");
        await Assertions.Expect(page.Locator("#form-error")).ToContainTextAsync("failed authentication");
        await BrowserFixture.ScreenshotAsync(page, "provider-3ds-stripe-failed");
        Assert.Contains("status=failed", page.Url, StringComparison.Ordinal);
        var checkout = await SessionStatusAsync(merchant, session.Id);
        Assert.Equal("open", checkout.Status);
        Assert.Equal("failed", checkout.PaymentStatus);
        Assert.Equal(1, mock.Requests.Count(r => r.Method == "GET" && r.Path == $"/v1/payment_intents/{StripeIntent}"));
        await page.Context.CloseAsync();
    }

    // ------------------------------------------------------------------ helpers

    private const string AdyenMd = "Ab02b4c0!BQABAgA";
    private const string IssuerPaRes = "eNrNV1mTokq";

    private string GatewayOrigin => Gateway.BaseAddress.ToString().TrimEnd('/');

    /// <summary>
    /// Adyen answers <c>RedirectShopper</c> with a POST redirect (3-D Secure 1: <c>MD</c>, <c>PaReq</c>, <c>TermUrl</c>,
    /// the URL the issuer posts its <c>PaRes</c> to - here the return URL the gateway gave Adyen); the issuer's page is
    /// a form that posts <c>MD</c> and <c>PaRes</c> there; <c>/payments/details</c> answers <c>Authorised</c>.
    /// </summary>
    private static string ArrangeAdyenPostRedirect(ProviderWireMock mock)
    {
        var issuer = mock.BaseUrl + "/acs/3ds1/authenticate";
        mock.Server.Given(Request.Create().WithPath("/v71/payments").UsingPost()).RespondWith(Response.Create().WithCallback(request =>
        {
            var returnUrl = JsonNode.Parse(request.Body!)!["returnUrl"]!.GetValue<string>();
            var answer = new JsonObject
            {
                ["pspReference"] = AdyenScenarioFixture.PspReference,
                ["resultCode"] = "RedirectShopper",
                ["action"] = new JsonObject
                {
                    ["paymentMethodType"] = "scheme",
                    ["type"] = "redirect",
                    ["method"] = "POST",
                    ["url"] = issuer,
                    ["data"] = new JsonObject { ["MD"] = AdyenMd, ["PaReq"] = "eNpVUk1z", ["TermUrl"] = returnUrl },
                },
            };
            return Body(200, "application/json", answer.ToJsonString());
        }));
        mock.Server.Given(Request.Create().WithPath("/acs/3ds1/authenticate").UsingPost()).RespondWith(Response.Create().WithCallback(request =>
        {
            var form = ProviderWireMock.Form(request);
            var md = form.GetValueOrDefault("MD") ?? string.Empty;
            return Body(200, "text/html; charset=utf-8", IssuerPage("Your bank: confirm this payment", $"""
                <p>Merchant data: <span id="received-md">{WebUtility.HtmlEncode(md)}</span></p>
                <form method="post" action="{WebUtility.HtmlEncode(form.GetValueOrDefault("TermUrl"))}">
                  <input type="hidden" name="MD" value="{WebUtility.HtmlEncode(md)}">
                  <input type="hidden" name="PaRes" value="{IssuerPaRes}">
                  <button type="submit" id="authenticate">Confirm</button>
                </form>
                """));
        }));
        mock.Server.Given(Request.Create().WithPath("/v71/payments/details").UsingPost())
            .RespondWith(ProviderWireMock.Json(200, AdyenScenarioFixture.PaymentResponse("Authorised")));
        return issuer;
    }

    /// <summary>A live-mode merchant whose every card payment goes to one <paramref name="provider"/> account at a new WireMock.</summary>
    private async Task<(TestMerchant Merchant, ProviderWireMock Mock)> ProviderMerchantAsync(string provider)
    {
        var merchant = await Gateway.CreateMerchantAsync($"{provider} 3-D Secure shop", withLiveKeys: true);
        var mock = new ProviderWireMock();
        _mocks.Add(mock);
        await ProviderAccountSetup.AddRoutedAccountAsync(Gateway, merchant.Id, provider, mock.BaseUrl);
        return (merchant, mock);
    }

    /// <summary>A live checkout session; manual capture, so an authorization completes it (Adyen captures asynchronously).</summary>
    private async Task<(string Id, string Url)> SessionAsync(TestMerchant merchant)
    {
        var response = await Gateway.Client(merchant.LiveSecretKey!).PostAsync("/v1/checkout/sessions", new
        {
            currency = "EUR",
            capture_method = "manual",
            line_items = new object[] { new { name = "Espresso machine descaler", quantity = 1, unit_amount = Amount } },
            success_url = $"{fixture.Merchant.ShopOrigin}/thanks",
            cancel_url = $"{fixture.Merchant.ShopOrigin}/cart",
        });
        response.EnsureStatus(200);
        return (response.Str("id")!, response.Str("url")!);
    }

    private async Task<(string? Status, string? PaymentStatus)> SessionStatusAsync(TestMerchant merchant, string sessionId)
    {
        var api = Gateway.Client(merchant.LiveSecretKey!);
        var session = (await api.GetAsync($"/v1/checkout/sessions/{sessionId}")).EnsureStatus(200);
        var payment = session.Str("payment") is { } id ? (await api.GetAsync($"/v1/payments/{id}")).EnsureStatus(200).Str("status") : null;
        return (session.Str("status"), payment);
    }

    /// <summary>An issuer's page: plain HTML, no script.</summary>
    private static string IssuerPage(string title, string body) =>
        $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(title)}</title></head><body><h1>{WebUtility.HtmlEncode(title)}</h1>{body}</body></html>";

    private static ResponseMessage Body(int status, string contentType, string body)
    {
        var response = new ResponseMessage
        {
            StatusCode = status,
            BodyData = new BodyData { BodyAsString = body, DetectedBodyType = BodyType.String, Encoding = Encoding.UTF8 },
        };
        response.AddHeader("Content-Type", contentType);
        return response;
    }
}
