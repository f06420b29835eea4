using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Api.EndToEndTests.Console;

/// <summary>
/// The console's Refunds page over HTTP: a merchant's refunds newest first with links to their payments, the status,
/// currency and date filters, cursor paging, bad filters refused next to their field (400, nothing listed), and another
/// merchant's refunds refused (403) in the service.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleRefundsTests(ConsoleFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    private TestMerchant Shop => fixture.Shop ?? throw new InvalidOperationException("No shop.");

    private async Task<(string Payment, string Refund)> RefundAsync(long amount)
    {
        var payment = await Steps.SucceededPaymentAsync(Server, Shop, 5000);
        var refund = (await Server.Client(Shop.SecretKey).PostAsync("/v1/refunds", new { payment, amount })).EnsureStatus(200).Str("id")
                     ?? throw new InvalidOperationException("no refund id");
        return (payment, refund);
    }

    [Fact]
    public async Task Viewer_ListsRefundsNewestFirst_WithTheirPayments_FiltersAndPages()
    {
        var older = await RefundAsync(100);
        var newer = await RefundAsync(250);
        var viewer = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Viewer, Shop.Id);
        using var client = await ConsoleUsers.SignedInAsync(Server, viewer);

        var page = await client.GetAsync($"/console/refunds?merchant={Shop.Id}&currency=eur&status=succeeded&from={DateTime.UtcNow:yyyy-MM-dd}");
        Assert.Equal(200, page.Status);
        var newerAt = page.Body.IndexOf(newer.Refund, StringComparison.Ordinal);
        var olderAt = page.Body.IndexOf(older.Refund, StringComparison.Ordinal);
        Assert.True(newerAt > 0 && olderAt > newerAt, "the newer refund is listed first");
        Assert.Contains($"href=\"/console/payments/{newer.Payment}\"", page.Body, StringComparison.Ordinal);
        Assert.Contains("2.50 EUR", page.Body, StringComparison.Ordinal);

        // Filters that match nothing list nothing.
        Assert.DoesNotContain(newer.Refund, (await client.GetAsync($"/console/refunds?merchant={Shop.Id}&status=failed")).Body, StringComparison.Ordinal);
        Assert.DoesNotContain(newer.Refund, (await client.GetAsync($"/console/refunds?merchant={Shop.Id}&currency=USD")).Body, StringComparison.Ordinal);
        Assert.DoesNotContain(newer.Refund, (await client.GetAsync($"/console/refunds?merchant={Shop.Id}&to=2020-01-01")).Body, StringComparison.Ordinal);
        Assert.DoesNotContain(newer.Refund, (await client.GetAsync($"/console/refunds?merchant={Shop.Id}&mode=live")).Body, StringComparison.Ordinal);

        // Paging: starting after the newer refund lists the older one, and links back.
        var next = await client.GetAsync($"/console/refunds?merchant={Shop.Id}&after={newer.Refund}");
        Assert.DoesNotContain($">{newer.Refund}<", next.Body, StringComparison.Ordinal);
        Assert.Contains(older.Refund, next.Body, StringComparison.Ordinal);
        Assert.Contains("id=\"newer\"", next.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("from=2026-13-01", "filter-from-error", "Enter a date as YYYY-MM-DD.")]
    [InlineData("from=2026-05-02&to=2026-05-01", "filter-to-error", "The end date must be on or after the start date.")]
    [InlineData("currency=EURO", "filter-currency-error", "Enter a three-letter currency code, like EUR.")]
    [InlineData("status=refunded", "filter-status-error", "Choose a status from the list.")]
    public async Task BadFilter_IsRefusedNextToItsField_AndListsNothing(string filter, string errorId, string message)
    {
        var made = await RefundAsync(100);
        var viewer = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Viewer, Shop.Id);
        using var client = await ConsoleUsers.SignedInAsync(Server, viewer);

        var page = await client.GetAsync($"/console/refunds?merchant={Shop.Id}&{filter}");

        Assert.Equal(400, page.Status);
        Assert.Contains($"<p class=\"field-error\" id=\"{errorId}\">{System.Net.WebUtility.HtmlEncode(message)}</p>", page.Body, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(made.Refund, page.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherMerchantsRefunds_AreRefused()
    {
        var viewer = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Viewer, Shop.Id);
        using var client = await ConsoleUsers.SignedInAsync(Server, viewer);

        Assert.Equal(403, (await client.GetAsync($"/console/refunds?merchant={fixture.OtherMerchantId}")).Status);
    }
}
