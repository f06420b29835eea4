using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Storage.ContractTests.TestData;

namespace PaymentGateway.Storage.ContractTests;

/// <summary>The console's Refunds page: status, currency and created-range filters run in the database on both engines and combine with paging.</summary>
public abstract partial class GatewayStoreContractTests
{
    [StoreFact]
    public async Task Refund_search_filters_by_status_currency_and_dates_in_the_database_and_pages_with_them()
    {
        var merchant = NewMerchantId();
        var eur = SearchPayment(merchant, 0, 5000, "EUR");
        var usd = SearchPayment(merchant, 1, 5000, "USD");
        Refund[] r =
        [
            Refund(eur, created: T0.AddDays(1), status: RefundStatus.Succeeded),
            Refund(eur, created: T0.AddDays(2), status: RefundStatus.Failed),
            Refund(usd, created: T0.AddDays(3), status: RefundStatus.Succeeded),
            Refund(eur, created: T0.AddDays(4), status: RefundStatus.Succeeded),
        ];
        var otherPayment = SearchPayment(NewMerchantId(), 2, 5000, "EUR");
        var other = Refund(otherPayment, created: T0.AddDays(1), status: RefundStatus.Succeeded);
        await CommitAsync(c => { c.NewPayments.AddRange([eur, usd, otherPayment]); c.NewRefunds.AddRange([.. r, other]); });

        async Task<string[]> Search(RefundListQuery q) => IdsOf(await Store.Payments.ListRefundsAsync(merchant, false, null, q with { Limit = 100 }, Ct)).ToArray();

        Assert.Equal([r[3].Id, r[2].Id, r[1].Id, r[0].Id], await Search(new RefundListQuery()));
        Assert.Equal([r[3].Id, r[2].Id, r[0].Id], await Search(new RefundListQuery { Status = RefundStatus.Succeeded }));
        Assert.Equal([r[1].Id], await Search(new RefundListQuery { Status = RefundStatus.Failed }));
        Assert.Equal([r[3].Id, r[1].Id, r[0].Id], await Search(new RefundListQuery { Currency = "EUR" }));
        Assert.Equal([r[2].Id], await Search(new RefundListQuery { Currency = "USD" }));
        Assert.Empty(await Search(new RefundListQuery { Currency = "GBP" }));
        Assert.Equal([r[2].Id, r[1].Id], await Search(new RefundListQuery { CreatedGte = T0.AddDays(2), CreatedLt = T0.AddDays(4) }));
        Assert.Equal([r[3].Id, r[0].Id], await Search(new RefundListQuery { Currency = "EUR", Status = RefundStatus.Succeeded }));
        Assert.Empty(await Search(new RefundListQuery { Status = RefundStatus.Pending }));

        // Paging keeps the filter, both ways.
        var first = await Store.Payments.ListRefundsAsync(merchant, false, null, new RefundListQuery { Currency = "EUR", Limit = 1 }, Ct);
        var second = await Store.Payments.ListRefundsAsync(merchant, false, null, new RefundListQuery { Currency = "EUR", Limit = 1, StartingAfter = first[0].Id }, Ct);
        var back = await Store.Payments.ListRefundsAsync(merchant, false, null, new RefundListQuery { Currency = "EUR", Limit = 1, EndingBefore = second[0].Id }, Ct);
        Assert.Equal([r[3].Id, r[1].Id, r[3].Id], [first[0].Id, second[0].Id, back[0].Id]);
    }
}
