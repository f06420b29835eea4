using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Api.EndToEndTests.Console;

/// <summary>
/// The console's Payments pages over HTTP, as a browser without JavaScript sends them: search and pasted ids, the CSV
/// export, and the money actions — one refund for a double-submitted confirmation, the support role's refund limit and
/// another merchant's payment refused in the service and audited as refused, partial capture and cancel.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class ConsolePaymentsTests(ConsoleFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    private TestMerchant Shop => fixture.Shop ?? throw new InvalidOperationException("No shop.");

    [Fact]
    public async Task Refund_DoubleSubmittedConfirmation_MakesOneRefund_AndOneAuditEntry()
    {
        var payment = await Steps.SucceededPaymentAsync(Server, Shop, 1000);
        var support = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Support, Shop.Id);
        using var client = await ConsoleUsers.SignedInAsync(Server, support);

        var form = await client.GetAsync($"/console/payments/{payment}/refund");
        Assert.Equal(200, form.Status);
        var formToken = FormToken(form.Body);
        var review = await client.PostFormAsync($"/console/payments/{payment}/refund?handler=Review",
            new Dictionary<string, string?> { ["Input.Amount"] = "4.00", ["Input.FormToken"] = formToken });
        Assert.Equal(200, review.Status);
        Assert.Contains("Refund 4.00 EUR to the customer?", review.Body, StringComparison.Ordinal);
        Assert.Equal(formToken, FormToken(review.Body));

        // The same confirmation sent twice at once (a double click), then once more (the back button and resubmit).
        var confirm = new Dictionary<string, string?> { ["Input.Amount"] = "4.00", ["Input.FormToken"] = formToken, ["__RequestVerificationToken"] = review.Token };
        var path = $"/console/payments/{payment}/refund?handler=Confirm";
        var both = await Task.WhenAll(client.PostFormAsync(path, confirm, withToken: false), client.PostFormAsync(path, confirm, withToken: false));
        var again = await client.PostFormAsync(path, confirm, withToken: false);

        Assert.All(both.Append(again), r => Assert.Equal(302, r.Status));
        Assert.Contains(both, r => r.Location?.EndsWith("?done=refund", StringComparison.Ordinal) == true);
        Assert.EndsWith("?done=again", again.Location, StringComparison.Ordinal);
        var refunds = (await Server.Client(Shop.SecretKey).GetAsync($"/v1/refunds?payment={payment}")).EnsureStatus(200);
        var only = Assert.Single(refunds.Json.GetProperty("data").EnumerateArray());
        Assert.Equal(400, only.GetProperty("amount").GetInt64());
        Assert.Equal(400, (await Server.Client(Shop.SecretKey).GetAsync($"/v1/payments/{payment}")).Long("amount_refunded"));
        var audit = await Audit(payment);
        var entry = Assert.Single(audit, e => e.Record.Action == ConsolePaymentService.RefundedAction);
        Assert.Equal("succeeded", entry.Record.Outcome);
        Assert.Equal(support.Id, entry.Record.Actor.Id);
        Assert.Equal("support", entry.Record.Actor.Role);
        Assert.Equal("400", entry.Record.After?["amount"]);
        Assert.Equal(only.GetProperty("id").GetString(), entry.Record.After?["refund_id"]);

        var detail = await client.GetAsync($"/console/payments/{payment}?done=refund");
        Assert.Contains("The refund was made.", detail.Body, StringComparison.Ordinal);
        Assert.Contains(only.GetProperty("id").GetString() ?? "?", detail.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(TestCards.Visa, detail.Body, StringComparison.Ordinal);
        Assert.Contains("4242", detail.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refund_OverTheSupportUsersLimit_IsRefusedNextToTheField_MovesNothing_AndIsAudited()
    {
        var payment = await Steps.SucceededPaymentAsync(Server, Shop, 1000);
        var support = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Support, Shop.Id);
        var store = Server.Services.GetRequiredService<IConsoleStore>();
        var user = await store.GetUserAsync(support.Id, default) ?? throw new InvalidOperationException();
        user.RefundLimit = 500;
        var changes = new ConsoleChanges();
        changes.UpdatedUsers.Add(user);
        await store.CommitAsync(changes, default);
        using var client = await ConsoleUsers.SignedInAsync(Server, support);

        var refused = await client.PostFormAsync($"/console/payments/{payment}/refund?handler=Confirm",
            new Dictionary<string, string?> { ["Input.Amount"] = "5.01", ["Input.FormToken"] = FormToken((await client.GetAsync($"/console/payments/{payment}/refund")).Body) },
            formPage: $"/console/payments/{payment}/refund");

        Assert.Equal(400, refused.Status);
        Assert.Matches("id=\"Input_Amount-error\"[^>]*>This is more than your refund limit \\(5.00 EUR\\)", refused.Body);
        Assert.Equal(0, (await Server.Client(Shop.SecretKey).GetAsync($"/v1/payments/{payment}")).Long("amount_refunded"));
        var entry = Assert.Single(await Audit(payment), e => e.Record.Action == ConsolePaymentService.RefundedAction);
        Assert.Equal("refused", entry.Record.Outcome);
        Assert.Equal("over_refund_limit", entry.Record.After?["reason"]);

        // Within the limit it goes through.
        var allowed = await client.PostFormAsync($"/console/payments/{payment}/refund?handler=Confirm",
            new Dictionary<string, string?> { ["Input.Amount"] = "5.00", ["Input.FormToken"] = FormToken((await client.GetAsync($"/console/payments/{payment}/refund")).Body) },
            formPage: $"/console/payments/{payment}/refund");
        Assert.Equal(302, allowed.Status);
        Assert.Equal(500, (await Server.Client(Shop.SecretKey).GetAsync($"/v1/payments/{payment}")).Long("amount_refunded"));
    }

    [Fact]
    public async Task Refund_OfAnotherMerchantsPayment_IsRefused_AndAuditedAsRefused()
    {
        var other = fixture.OtherShop ?? throw new InvalidOperationException();
        var payment = await Steps.SucceededPaymentAsync(Server, other, 1000);
        var owner = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Owner, Shop.Id);
        using var client = await ConsoleUsers.SignedInAsync(Server, owner);

        Assert.Equal(404, (await client.GetAsync($"/console/payments/{payment}")).Status);
        var refused = await client.PostFormAsync($"/console/payments/{payment}/refund?handler=Confirm",
            new Dictionary<string, string?> { ["Input.Amount"] = "1.00", ["Input.FormToken"] = "tok_0123456789abcdef0123456789" }, formPage: "/console/account");

        Assert.Equal(404, refused.Status);
        Assert.Equal(0, (await Server.Client(other.SecretKey).GetAsync($"/v1/payments/{payment}")).Long("amount_refunded"));
        var entry = Assert.Single(await Audit(payment), e => e.Record.Action == ConsolePaymentService.RefundedAction);
        Assert.Equal("refused", entry.Record.Outcome);
        Assert.Equal(owner.Id, entry.Record.Actor.Id);
    }

    [Fact]
    public async Task Capture_Partial_ThenCancelAnother_ThroughTheirConfirmations()
    {
        var authorized = await Steps.AuthorizedPaymentAsync(Server, Shop, 1000);
        var toCancel = await Steps.AuthorizedPaymentAsync(Server, Shop, 700);
        var owner = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Owner, Shop.Id);
        using var client = await ConsoleUsers.SignedInAsync(Server, owner);

        var bad = await client.PostFormAsync($"/console/payments/{authorized}/capture?handler=Review",
            new Dictionary<string, string?> { ["Input.Amount"] = "6.001", ["Input.FormToken"] = FormToken((await client.GetAsync($"/console/payments/{authorized}/capture")).Body) },
            formPage: $"/console/payments/{authorized}/capture");
        Assert.Equal(400, bad.Status);
        Assert.Contains("at most 2 decimals", bad.Body, StringComparison.Ordinal);

        var capture = await client.PostFormAsync($"/console/payments/{authorized}/capture?handler=Confirm",
            new Dictionary<string, string?> { ["Input.Amount"] = "6.00", ["Input.FormToken"] = FormToken((await client.GetAsync($"/console/payments/{authorized}/capture")).Body) },
            formPage: $"/console/payments/{authorized}/capture");
        Assert.Equal(302, capture.Status);
        var captured = await Server.Client(Shop.SecretKey).GetAsync($"/v1/payments/{authorized}");
        Assert.Equal("succeeded", captured.Str("status"));
        Assert.Equal(600, captured.Long("amount_received"));

        var cancelPage = await client.GetAsync($"/console/payments/{toCancel}/cancel");
        Assert.Contains("release 7.00 EUR", cancelPage.Body, StringComparison.Ordinal);
        var cancel = await client.PostFormAsync($"/console/payments/{toCancel}/cancel?handler=Confirm",
            new Dictionary<string, string?> { ["Input.FormToken"] = FormToken(cancelPage.Body) }, formPage: $"/console/payments/{toCancel}/cancel");
        Assert.Equal(302, cancel.Status);
        Assert.Equal("canceled", (await Server.Client(Shop.SecretKey).GetAsync($"/v1/payments/{toCancel}")).Str("status"));
        Assert.Contains(await Audit(toCancel), e => e.Record.Action == ConsolePaymentService.CanceledAction && e.Record.Outcome == "succeeded");
    }

    [Fact]
    public async Task Search_PastedIdsGoStraightToThePayment_FiltersNarrow_AndBadFiltersAreRefusedByField()
    {
        var payment = await Steps.SucceededPaymentAsync(Server, Shop, 1234);
        var refund = (await Server.Client(Shop.SecretKey).PostAsync("/v1/refunds", new { payment, amount = 100 })).EnsureStatus(200).Str("id");
        var viewer = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Viewer, Shop.Id);
        using var client = await ConsoleUsers.SignedInAsync(Server, viewer);
        var scope = $"merchant={Shop.Id}&mode=test";

        Assert.Equal($"/console/payments/{payment}", (await client.GetAsync($"/console/payments?{scope}&q={payment}")).Location);
        Assert.Equal($"/console/payments/{payment}", (await client.GetAsync($"/console/payments?{scope}&q={refund}")).Location);
        var events = (await Server.Client(Shop.SecretKey).GetAsync($"/v1/events?limit=100")).EnsureStatus(200);
        var refundEvent = events.Json.GetProperty("data").EnumerateArray().First(e => e.GetProperty("type").GetString() == "refund.created"
            && e.GetProperty("data").GetProperty("id").GetString() == refund).GetProperty("id").GetString();
        Assert.Equal($"/console/payments/{payment}", (await client.GetAsync($"/console/payments?{scope}&q={refundEvent}")).Location);
        Assert.Equal(404, (await client.GetAsync($"/console/payments?{scope}&q=pay_00000000000000000000000000000")).Status);

        var narrow = await client.GetAsync($"/console/payments?{scope}&currency=eur&amount_min=12.34&amount_max=12.34&brand=visa&last4=4242");
        Assert.Equal(200, narrow.Status);
        Assert.Contains(payment, narrow.Body, StringComparison.Ordinal);
        var none = await client.GetAsync($"/console/payments?{scope}&currency=eur&amount_min=12.35");
        Assert.DoesNotContain(payment, none.Body, StringComparison.Ordinal);

        var bad = await client.GetAsync($"/console/payments?{scope}&amount_min=5&last4=42&from=yesterday");
        Assert.Equal(400, bad.Status);
        Assert.Contains("Choose a currency to filter by amount.", bad.Body, StringComparison.Ordinal);
        Assert.Contains("Enter the card&#x27;s last 4 digits.", bad.Body, StringComparison.Ordinal);
        Assert.Contains("Enter a date as YYYY-MM-DD.", bad.Body, StringComparison.Ordinal);

        // A merchant the viewer has no grant on is refused, not silently shown.
        Assert.Equal(403, (await client.GetAsync($"/console/payments?merchant={fixture.OtherMerchantId}")).Status);
    }

    [Fact]
    public async Task Export_StreamsTheFilteredPaymentsAsCsv_ForFinance()
    {
        var small = await Steps.SucceededPaymentAsync(Server, Shop, 111);
        var large = await Steps.SucceededPaymentAsync(Server, Shop, 98_765);
        var finance = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Finance, Shop.Id);
        using var client = await ConsoleUsers.SignedInAsync(Server, finance);

        var csv = await client.GetAsync($"/console/payments/export?merchant={Shop.Id}&mode=test&currency=eur&amount_min=987.65");

        Assert.Equal(200, csv.Status);
        Assert.Equal("text/csv", csv.Response.Content.Headers.ContentType?.MediaType);
        var lines = csv.Body.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith(large + ",", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith(small + ",", StringComparison.Ordinal));
        Assert.DoesNotContain(TestCards.Visa, csv.Body, StringComparison.Ordinal);
        var exported = await Server.Services.GetRequiredService<IAuditStore>().ListAsync(new AuditQuery { ActorId = finance.Id, Action = ConsolePaymentService.ExportedAction }, default);
        Assert.Single(exported);
    }

    private async Task<IReadOnlyList<Core.Audit.AuditEntry>> Audit(string paymentId) =>
        await Server.Services.GetRequiredService<IAuditStore>().ListAsync(new AuditQuery { TargetId = paymentId, Limit = 100 }, default);

    internal static string FormToken(string body) =>
        FormTokenPattern().Match(body) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("No form token on the page.");

    [GeneratedRegex("name=\"Input.FormToken\" value=\"([^\"]+)\"")]
    private static partial Regex FormTokenPattern();
}
