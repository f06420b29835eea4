using Microsoft.Extensions.DependencyInjection;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Api.EndToEndTests.Console;

/// <summary>
/// The console's Customers pages over HTTP: find a customer by e-mail, its saved cards (brand, last 4, expiry, default;
/// never the number), detaching one (support: done, audited, and the card can no longer be charged; a viewer sees no
/// button and is refused), and the payment page naming the customer and the saved method.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleCustomersTests(ConsoleFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    private TestMerchant Shop => fixture.Shop ?? throw new InvalidOperationException("No shop.");

    [Fact]
    public async Task Customers_FoundByEmail_ShowTheirSavedCards_AndSupportDetachesOne_Audited()
    {
        var email = $"Console-{Guid.NewGuid():N}@Shop.example";
        var customer = await SavedCardSteps.CustomerAsync(Server, Shop, email);
        var other = await SavedCardSteps.CustomerAsync(Server, Shop);
        var (first, card) = await SavedCardSteps.SaveCardAsync(Server, Shop, customer, TestCards.MitApproved);
        var (_, second) = await SavedCardSteps.SaveCardAsync(Server, Shop, customer, TestCards.Visa, usage: "on_session");
        (await Server.Client(Shop.SecretKey).SendAsync(HttpMethod.Patch, $"/v1/customers/{customer}", System.Text.Json.JsonSerializer.Serialize(new { default_payment_method = card }), null))
            .EnsureStatus(200);
        var support = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Support, Shop.Id);
        using var client = await ConsoleUsers.SignedInAsync(Server, support);

        var found = await client.GetAsync($"/console/customers?merchant={Shop.Id}&email={Uri.EscapeDataString(" " + email.ToUpperInvariant() + " ")}");
        Assert.Equal(200, found.Status);
        Assert.Contains($">{customer}</a>", found.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(other, found.Body, StringComparison.Ordinal);
        Assert.Contains("1 customers on this page.", found.Body, StringComparison.Ordinal);

        var page = await client.GetAsync($"/console/customers/{customer}?merchant={Shop.Id}&mode=test");
        Assert.Equal(200, page.Status);
        Assert.Matches("<td data-label=\"Card\">visa [^<]*3089</td>", page.Body);
        Assert.Matches("<td data-label=\"Card\">visa [^<]*4242</td>", page.Body);
        Assert.Contains($"12/{DateTime.UtcNow.Year + 3}", page.Body, StringComparison.Ordinal);
        Assert.Contains("off session", page.Body, StringComparison.Ordinal);
        Assert.Contains("on session", page.Body, StringComparison.Ordinal);
        Assert.Contains($"id=\"detach-{card}\"", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(TestCards.MitApproved, page.Body, StringComparison.Ordinal);
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(page.Body, "<td data-label=\"Default\">yes</td>"));

        var detached = await client.PostFormAsync($"/console/customers/{customer}?handler=Detach&merchant={Shop.Id}&mode=test",
            new Dictionary<string, string?> { ["paymentMethod"] = card }, formPage: $"/console/customers/{customer}?merchant={Shop.Id}&mode=test");
        Assert.Equal(302, detached.Status);
        Assert.EndsWith("&done=detached", detached.Location, StringComparison.Ordinal);
        var after = await client.GetAsync(detached.Location ?? "/");
        Assert.Contains("The card was detached and erased", after.Body, StringComparison.Ordinal);
        Assert.DoesNotMatch("<td data-label=\"Card\">visa [^<]*3089</td>", after.Body);
        Assert.Contains($"id=\"detach-{second}\"", after.Body, StringComparison.Ordinal);

        var charge = await SavedCardSteps.ChargeOffSessionAsync(Server, Shop, customer, card);
        Problem.Assert(charge, 422, "payment_method_detached");
        var entry = Assert.Single(await Server.Services.GetRequiredService<IAuditStore>().ListAsync(new AuditQuery { TargetId = card, Limit = 10 }, default));
        Assert.Equal((ConsoleCustomerService.DetachedAction, "succeeded", support.Id, "support"), (entry.Record.Action, entry.Record.Outcome, entry.Record.Actor.Id, entry.Record.Actor.Role));
        Assert.Equal(customer, entry.Record.After?["customer"]);

        // The same form sent again finds the card gone: nothing more happens.
        var again = await client.PostFormAsync($"/console/customers/{customer}?handler=Detach&merchant={Shop.Id}&mode=test",
            new Dictionary<string, string?> { ["paymentMethod"] = card }, formPage: $"/console/customers/{customer}?merchant={Shop.Id}&mode=test");
        Assert.True(again.Status is 404 or 422, $"got {again.Status}");

        // The payment that saved the card names its customer (a link to this page) and the saved method.
        var payment = await client.GetAsync($"/console/payments/{first.Str("id")}");
        Assert.Contains($"href=\"/console/customers/{customer}?merchant={Shop.Id}&amp;mode=test\"", payment.Body, StringComparison.Ordinal);
        Assert.Contains("saved on this payment for off session use", payment.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Viewer_SeesSavedCardsWithoutDetach_AndIsRefusedAndAudited_AnotherMerchantsCustomerIsNotFound()
    {
        var customer = await SavedCardSteps.CustomerAsync(Server, Shop);
        var (_, card) = await SavedCardSteps.SaveCardAsync(Server, Shop, customer, TestCards.MitApproved);
        var viewer = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Viewer, Shop.Id);
        using var client = await ConsoleUsers.SignedInAsync(Server, viewer);

        var page = await client.GetAsync($"/console/customers/{customer}?merchant={Shop.Id}&mode=test");
        Assert.Equal(200, page.Status);
        Assert.Matches("<td data-label=\"Card\">visa [^<]*3089</td>", page.Body);
        Assert.DoesNotContain("detach-", page.Body, StringComparison.Ordinal);

        var refused = await client.PostFormAsync($"/console/customers/{customer}?handler=Detach&merchant={Shop.Id}&mode=test",
            new Dictionary<string, string?> { ["paymentMethod"] = card }, formPage: $"/console/customers/{customer}?merchant={Shop.Id}&mode=test");
        Assert.Equal(403, refused.Status);
        Assert.Equal("succeeded", (await SavedCardSteps.ChargeOffSessionAsync(Server, Shop, customer, card)).EnsureStatus(200).Str("status"));
        var entry = Assert.Single(await Server.Services.GetRequiredService<IAuditStore>().ListAsync(new AuditQuery { TargetId = card, Limit = 10 }, default));
        Assert.Equal("refused", entry.Record.Outcome);

        var otherShop = fixture.OtherShop ?? throw new InvalidOperationException("No other shop.");
        Assert.Equal(403, (await client.GetAsync($"/console/customers/{customer}?merchant={otherShop.Id}&mode=test")).Status);
        Assert.Equal(404, (await client.GetAsync($"/console/customers/cus_missing?merchant={Shop.Id}&mode=test")).Status);
    }
}
