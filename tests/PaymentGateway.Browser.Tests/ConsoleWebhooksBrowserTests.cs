using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Browser.Tests.Infrastructure;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Webhooks;

namespace PaymentGateway.Browser.Tests;

/// <summary>
/// Developers → Webhooks in Debian's Chromium, against real webhook receivers on loopback: a developer adds an endpoint
/// (the signing secret shown once, and it is the secret that signs what the receiver gets), rotates the secret, disables
/// and enables it; a support agent on a phone reads the deliveries of a failing endpoint (the response's start shown as
/// text), resends one and resends every failed one in a date range behind a confirmation that states the count — a double
/// click sends once. Bad input is refused next to its field; a viewer reads but is offered no change.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleWebhooksBrowserTests(BrowserFixture fixture)
{
    private GatewayServer Gateway => fixture.Gateway;

    [BrowserFact]
    public async Task Developer_AddsAnEndpoint_SecretShownOnceAndSigns_RotatesDisablesAndEnables_Desktop()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var merchant = await Gateway.CreateMerchantAsync("Webhooks desktop shop");
        var developer = await ConsoleUsers.CreateAsync(Gateway, ConsoleRole.Developer, merchant.Id);
        var page = await fixture.NewPageAsync();
        var violations = ConsoleBrowser.WatchCsp(page);
        await ConsoleBrowser.SignInAsync(Gateway, page, developer);

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Webhooks" }).ClickAsync();
        await page.WaitForURLAsync("**/console/developers/webhooks**");
        await Assertions.Expect(page.Locator("#no-endpoints")).ToBeVisibleAsync();

        // Bad input: refused next to the field, nothing created.
        await page.GetByLabel("URL", new() { Exact = true }).FillAsync("ftp://shop.example/hooks");
        await page.GetByLabel("Events").FillAsync("payment.succeeded, payment.exploded");
        await page.ClickAsync("#create-endpoint");
        await Assertions.Expect(page.Locator("#Input_Url-error")).ToContainTextAsync("absolute http or https URL");
        Assert.Equal("true", await page.GetByLabel("URL", new() { Exact = true }).GetAttributeAsync("aria-invalid"));
        await page.GetByLabel("URL", new() { Exact = true }).FillAsync(receiver.Url);
        await page.ClickAsync("#create-endpoint");
        await Assertions.Expect(page.Locator("#Input_Events-error")).ToContainTextAsync("payment.exploded");
        Assert.Empty((await Gateway.Client(merchant.SecretKey).GetAsync("/v1/webhook_endpoints")).EnsureStatus(200).Json.GetProperty("data").EnumerateArray());

        // Create: the secret is shown once, and it is the one that signs what the receiver gets.
        await page.GetByLabel("Events").FillAsync("payment.created");
        await page.GetByLabel("Description").FillAsync("order service");
        await page.ClickAsync("#create-endpoint");
        var secret = (await page.Locator("#new-secret").InnerTextAsync()).Trim();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#endpoints")).ToContainTextAsync("order service");
        await BrowserFixture.ScreenshotAsync(page, "console-webhooks-created");
        var eventId = await WebhookSteps.CreatePaymentEventAsync(Gateway, merchant);
        var hook = (await receiver.WaitForAsync(r => r.Any(h => h.Id == eventId), what: "the payment.created webhook")).First(h => h.Id == eventId);
        Assert.True(Signed(hook, secret), "the secret shown does not sign the webhook");
        await page.Locator("#endpoints a", new() { HasText = receiver.Url }).First.ClickAsync();
        await Assertions.Expect(page.Locator("#deliveries tbody tr", new() { HasText = eventId })).ToContainTextAsync("succeeded");
        await Assertions.Expect(page.Locator("#deliveries tbody tr", new() { HasText = eventId }).Locator("ol.attempts")).ToContainTextAsync("200");
        await BrowserFixture.ScreenshotAsync(page, "console-webhook-deliveries");

        await page.GotoAsync($"{Gateway.BaseAddress}console/developers/webhooks?merchant={merchant.Id}");
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal); // never again
        await BrowserFixture.ScreenshotAsync(page, "console-webhooks");

        // Rotate with a one-hour overlap: a new secret, shown once; both sign meanwhile.
        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate secret" }).ClickAsync();
        await Assertions.Expect(page.Locator("#confirm")).ToContainTextAsync("Rotate the secret of " + receiver.Url);
        await page.GetByLabel("Overlap").SelectOptionAsync("3600");
        await page.ClickAsync("#confirm-rotate");
        var rotated = (await page.Locator("#new-secret").InnerTextAsync()).Trim();
        Assert.StartsWith("whsec_", rotated, StringComparison.Ordinal);
        Assert.NotEqual(secret, rotated);
        await Assertions.Expect(page.Locator("#endpoints")).ToContainTextAsync("previous secret signs until");
        var second = await WebhookSteps.CreatePaymentEventAsync(Gateway, merchant);
        var signedTwice = (await receiver.WaitForAsync(r => r.Any(h => h.Id == second), what: "the second webhook")).First(h => h.Id == second);
        Assert.True(Signed(signedTwice, rotated) && Signed(signedTwice, secret), "during the overlap both secrets sign");

        // Disable behind a confirmation, then enable.
        await page.GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await Assertions.Expect(page.Locator("#confirm")).ToContainTextAsync("Disable " + receiver.Url);
        await page.ClickAsync("#confirm-disable");
        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("The endpoint was disabled");
        await Assertions.Expect(page.Locator("#endpoints")).ToContainTextAsync("Disabled by the merchant.");
        var endpoint = (await Gateway.Client(merchant.SecretKey).GetAsync("/v1/webhook_endpoints")).EnsureStatus(200).Json.GetProperty("data")[0];
        Assert.Equal("disabled", endpoint.GetProperty("status").GetString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Enable" }).ClickAsync();
        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("The endpoint was enabled");
        endpoint = (await Gateway.Client(merchant.SecretKey).GetAsync("/v1/webhook_endpoints")).EnsureStatus(200).Json.GetProperty("data")[0];
        Assert.Equal("enabled", endpoint.GetProperty("status").GetString());

        var audit = await Gateway.Services.GetRequiredService<IAuditStore>().ListAsync(new AuditQuery { ActorId = developer.Id, Limit = 100 }, default);
        Assert.Contains(audit, a => a.Record.Action == "webhook_endpoint.created" && a.Record.Actor.Role == "developer");
        Assert.Contains(audit, a => a.Record.Action == "webhook_endpoint.secret_rotated" && a.Record.After?["secret"] == "rotated");
        Assert.Equal(2, audit.Count(a => a.Record.Action == "webhook_endpoint.updated"));
        Assert.All(audit, a => Assert.DoesNotContain("whsec_", string.Join(" ", a.Record.After?.Values ?? []), StringComparison.Ordinal));
        Assert.Empty(violations);
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task Support_OnAPhone_ReadsFailedDeliveries_ResendsOne_AndAllFailedInARange_ADoubleClickSendsOnce()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var failing = true;
        receiver.Handler = async (_, _, context) =>
        {
            context.Response.StatusCode = failing ? 500 : 200;
            await context.Response.WriteAsync(failing ? "<b>boom</b> database down\n" + new string('x', 160) : "ok");
        };
        var merchant = await Gateway.CreateMerchantAsync("Webhooks phone shop");
        var api = Gateway.Client(merchant.SecretKey);
        var (endpointId, _) = await WebhookSteps.CreateEndpointAsync(api, receiver.Url, "payment.created");
        var first = await WebhookSteps.CreatePaymentEventAsync(Gateway, merchant);
        var second = await WebhookSteps.CreatePaymentEventAsync(Gateway, merchant);
        await WebhookSteps.WaitForDeliveryStatusAsync(api, first, "failed");
        await WebhookSteps.WaitForDeliveryStatusAsync(api, second, "failed");
        failing = false;

        var support = await ConsoleUsers.CreateAsync(Gateway, ConsoleRole.Support, merchant.Id);
        var page = await fixture.NewPageAsync(390, 844, phone: true);
        var violations = ConsoleBrowser.WatchCsp(page);
        await ConsoleBrowser.SignInAsync(Gateway, page, support);
        await page.GotoAsync($"{Gateway.BaseAddress}console/developers/webhooks?merchant={merchant.Id}");
        Assert.Equal(0, await page.Locator("#create-endpoint").CountAsync()); // support resends, but does not manage endpoints
        await page.Locator("#endpoints a", new() { HasText = receiver.Url }).First.ClickAsync();
        await page.WaitForURLAsync($"**/console/developers/webhooks/{endpointId}**");
        await Assertions.Expect(page.Locator("#deliveries tbody tr")).ToHaveCountAsync(2);
        var row = page.Locator($"#deliveries tbody tr", new() { HasText = first });
        await Assertions.Expect(row).ToContainTextAsync("failed");
        await Assertions.Expect(row.Locator("ol.attempts li")).ToHaveCountAsync(4);
        // The receiver's answer is shown as text, cut short: its markup is never markup on the page.
        await Assertions.Expect(row.Locator("code.snippet").First).ToContainTextAsync("<b>boom</b> database down");
        Assert.Equal(0, await row.Locator("code.snippet b").CountAsync());
        Assert.True((await row.Locator("code.snippet").First.InnerTextAsync()).Length <= EndpointSnippetLimit, "the response body is not truncated");
        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= 390, $"the deliveries page is {scrollWidth}px wide on a 390px phone");
        await BrowserFixture.ScreenshotAsync(page, "console-webhook-deliveries-phone");

        // Resend one: it is sent again (same webhook-id) and succeeds.
        await row.GetByRole(AriaRole.Button, new() { Name = "Resend" }).ClickAsync();
        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("queued again");
        await WebhookSteps.WaitForDeliveryStatusAsync(api, first, "succeeded");

        // Bad range: refused beside the field, nothing queued.
        await page.GetByLabel("First day (YYYY-MM-DD)").FillAsync(DateTime.UtcNow.ToString("yyyy-MM-dd"));
        await page.GetByLabel("Last day (YYYY-MM-DD)").FillAsync(DateTime.UtcNow.AddDays(-3).ToString("yyyy-MM-dd"));
        await page.ClickAsync("#review-resend");
        await Assertions.Expect(page.Locator("#Input_To-error")).ToHaveTextAsync("The last day must be on or after the first day.");
        await Assertions.Expect(page.Locator("#error-summary")).ToBeFocusedAsync();

        // Resend every failed one of today: the confirmation states the count (the one still failed), a double click sends once.
        await page.GetByLabel("Last day (YYYY-MM-DD)").FillAsync(DateTime.UtcNow.ToString("yyyy-MM-dd"));
        await page.ClickAsync("#review-resend");
        await Assertions.Expect(page.Locator("#confirm-statement")).ToContainTextAsync("Resend 1 failed delivery created from");
        await BrowserFixture.ScreenshotAsync(page, "console-webhook-resend-confirm-phone");
        var before = receiver.Received.Count(h => h.Id == second);
        await page.Locator("#confirm-resend").DblClickAsync();
        // The second click's POST aborts the first one's navigation, so poll the address rather than wait for one navigation.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("[?&]done="));
        await WebhookSteps.WaitForDeliveryStatusAsync(api, second, "succeeded");
        await Task.Delay(1000); // time for a second, wrong, sending to arrive
        Assert.Equal(before + 1, receiver.Received.Count(h => h.Id == second));
        var audit = await Gateway.Services.GetRequiredService<IAuditStore>().ListAsync(new AuditQuery { ActorId = support.Id, Limit = 100 }, default);
        Assert.Single(audit, a => a.Record.Action == ConsoleWebhookService.ResentFailedAction && a.Record.After?["count"] == "1");
        Assert.Single(audit, a => a.Record.Action == ConsoleWebhookService.ResentAction && a.Record.Outcome == "succeeded");
        Assert.Empty(violations);
        await page.Context.CloseAsync();
    }

    [BrowserFact]
    public async Task Viewer_ReadsEndpointsAndDeliveries_WithNoChangeOffered_AndIsRefusedAChange()
    {
        var merchant = await Gateway.CreateMerchantAsync("Webhooks viewer shop");
        var (endpointId, _) = await WebhookSteps.CreateEndpointAsync(Gateway.Client(merchant.SecretKey), "https://viewer.example/hooks");
        var viewer = await ConsoleUsers.CreateAsync(Gateway, ConsoleRole.Viewer, merchant.Id);
        var page = await fixture.NewPageAsync();
        await ConsoleBrowser.SignInAsync(Gateway, page, viewer);
        await page.GotoAsync($"{Gateway.BaseAddress}console/developers/webhooks?merchant={merchant.Id}");
        await Assertions.Expect(page.Locator("#endpoints")).ToContainTextAsync("https://viewer.example/hooks");
        Assert.Equal(0, await page.Locator("#endpoints button").CountAsync());
        Assert.Equal(0, await page.Locator("#create-endpoint").CountAsync());
        await page.GotoAsync($"{Gateway.BaseAddress}console/developers/webhooks/{endpointId}?merchant={merchant.Id}");
        Assert.Equal(0, await page.Locator("#review-resend").CountAsync());
        await page.Context.CloseAsync();
    }

    /// <summary>What the deliveries page shows of a response body at most (its limit and the ellipsis).</summary>
    private const int EndpointSnippetLimit = 121;

    /// <summary>True when one of the webhook's signatures is this secret's (Standard Webhooks: v1,base64(HMAC-SHA256(id.timestamp.body))).</summary>
    private static bool Signed(ReceivedWebhook hook, string secret)
    {
        var expected = StandardWebhookSigner.Sign(secret, hook.Id ?? string.Empty, long.Parse(hook.Timestamp ?? "0", System.Globalization.CultureInfo.InvariantCulture),
            Encoding.UTF8.GetBytes(hook.Body));
        return (hook.Signature ?? string.Empty).Split(' ').Contains(expected, StringComparer.Ordinal);
    }
}

/// <summary>Webhook set-up through the API, for the console's webhook and event pages' tests.</summary>
internal static class WebhookSteps
{
    public static async Task<(string Id, string Secret)> CreateEndpointAsync(GatewayClient client, string url, params string[] events)
    {
        var created = (await client.PostAsync("/v1/webhook_endpoints", new { url, enabled_events = events.Length == 0 ? ["*"] : events })).EnsureStatus(200);
        return (created.Str("id") ?? throw new InvalidOperationException("no id"), created.Str("secret") ?? throw new InvalidOperationException("no secret"));
    }

    /// <summary>Creates a payment (not confirmed) and returns its <c>payment.created</c> event's id.</summary>
    public static async Task<string> CreatePaymentEventAsync(GatewayServer server, TestMerchant merchant)
    {
        var payment = (await server.Client(merchant.SecretKey).PostAsync("/v1/payments", new { amount = 1500, currency = "EUR" })).EnsureStatus(200);
        var events = await server.Client(merchant.SecretKey).GetAsync($"/v1/events?object_id={payment.Str("id")}&type=payment.created");
        return events.EnsureStatus(200).Json.GetProperty("data")[0].GetProperty("id").GetString() ?? throw new InvalidOperationException("no event");
    }

    /// <summary>Polls the (first) delivery of <paramref name="eventId"/> until its status is <paramref name="status"/>.</summary>
    public static async Task WaitForDeliveryStatusAsync(GatewayClient client, string eventId, string status)
    {
        var until = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        var last = string.Empty;
        while (DateTimeOffset.UtcNow < until)
        {
            var data = (await client.GetAsync($"/v1/events/{eventId}/deliveries")).EnsureStatus(200).Json.GetProperty("data");
            if (data.GetArrayLength() > 0)
            {
                last = data[0].GetProperty("status").GetString() ?? string.Empty;
                if (last == status)
                {
                    return;
                }
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"The delivery of {eventId} never became {status}; last: {last}");
    }
}
