using PaymentGateway.Core;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Storage.ContractTests.TestData;

namespace PaymentGateway.Storage.ContractTests;

/// <summary>The console's payment search: every filter runs in the database, on both engines, and combines with paging.</summary>
public abstract partial class GatewayStoreContractTests
{
    private static Payment SearchPayment(string merchant, int minute, long amount, string currency, string? customer = null, string? methodId = null,
        Dictionary<string, string>? metadata = null, string? account = null) => new()
        {
            Id = Ids.New(Ids.Payment, T0.AddMinutes(minute)),
            MerchantId = merchant,
            Livemode = false,
            Status = PaymentStatus.Succeeded,
            Amount = amount,
            Currency = currency,
            Customer = customer,
            PaymentMethodId = methodId,
            Metadata = metadata ?? [],
            Attempts = account is null ? [] :
            [
                new PaymentAttempt
                {
                    Id = Ids.New(Ids.Attempt, T0.AddMinutes(minute)), Provider = "simulator", ProviderAccountId = account, IdempotencyKey = "k" + minute,
                    PaymentMethodId = methodId ?? "pm_x", Status = AttemptStatus.Captured, Created = T0.AddMinutes(minute), Updated = T0.AddMinutes(minute),
                },
            ],
            Created = T0.AddMinutes(minute),
            Updated = T0.AddMinutes(minute),
        };

    [StoreFact]
    public async Task Payment_search_filters_by_amount_currency_customer_metadata_card_and_account_in_the_database()
    {
        var merchant = NewMerchantId();
        var visa = PaymentMethod(merchant);
        var master = new StoredPaymentMethod
        {
            Id = Ids.New(Ids.PaymentMethod, T0.AddSeconds(1)),
            MerchantId = merchant,
            Livemode = false,
            Type = "card",
            Created = T0,
            Card = new StoredCard { Brand = "mastercard", Last4 = "4444", ExpMonth = 1, ExpYear = 2032, Fingerprint = "fp_m" },
        };
        Payment[] p =
        [
            SearchPayment(merchant, 0, 500, "EUR", customer: "cus_a", methodId: visa.Id, metadata: new() { ["order_id"] = "ord-1" }, account: "pa_one"),
            SearchPayment(merchant, 1, 1500, "EUR", customer: "cus_b", methodId: master.Id, metadata: new() { ["order_id"] = "ord-2" }, account: "pa_two"),
            SearchPayment(merchant, 2, 2500, "USD", customer: "cus_a", methodId: visa.Id, metadata: new() { ["cart"] = "ord-1" }),
            SearchPayment(merchant, 3, 9900, "GBP"),
        ];
        var other = SearchPayment(NewMerchantId(), 4, 1500, "EUR", customer: "cus_a", metadata: new() { ["order_id"] = "ord-1" });
        await CommitAsync(c => { c.NewPaymentMethods.AddRange([visa, master]); c.NewPayments.AddRange([.. p, other]); });

        async Task<string[]> Search(PaymentListQuery q) => IdsOf(await Store.Payments.ListPaymentsAsync(merchant, false, q with { Limit = 100 }, Ct)).ToArray();

        Assert.Equal([p[2].Id, p[1].Id], await Search(new PaymentListQuery { AmountGte = 1000, AmountLte = 2500 }));
        Assert.Equal([p[3].Id], await Search(new PaymentListQuery { AmountGte = 2501 }));
        Assert.Equal([p[1].Id, p[0].Id], await Search(new PaymentListQuery { Currency = "EUR" }));
        Assert.Equal([p[2].Id, p[0].Id], await Search(new PaymentListQuery { Customer = "cus_a" }));
        Assert.Equal([p[2].Id, p[0].Id], await Search(new PaymentListQuery { MetadataValue = "ord-1" }));
        Assert.Empty(await Search(new PaymentListQuery { MetadataValue = "ord" }));
        Assert.Equal([p[2].Id, p[0].Id], await Search(new PaymentListQuery { CardBrand = "visa", CardLast4 = "4242" }));
        Assert.Equal([p[1].Id], await Search(new PaymentListQuery { CardLast4 = "4444" }));
        Assert.Empty(await Search(new PaymentListQuery { CardBrand = "visa", CardLast4 = "4444" }));
        Assert.Equal([p[2].Id, p[0].Id], await Search(new PaymentListQuery { PaymentMethod = visa.Id }));
        Assert.Equal([p[1].Id], await Search(new PaymentListQuery { ProviderAccount = "pa_two" }));
        Assert.Equal([p[0].Id], await Search(new PaymentListQuery { Customer = "cus_a", Currency = "EUR", AmountLte = 500, MetadataValue = "ord-1" }));

        // Paging keeps the filter: one row a page, in order.
        var first = await Store.Payments.ListPaymentsAsync(merchant, false, new PaymentListQuery { Customer = "cus_a", Limit = 1 }, Ct);
        var second = await Store.Payments.ListPaymentsAsync(merchant, false, new PaymentListQuery { Customer = "cus_a", Limit = 1, StartingAfter = first[0].Id }, Ct);
        Assert.Equal([p[2].Id, p[0].Id], [first[0].Id, second[0].Id]);
    }

    [StoreFact]
    public async Task Payment_search_by_metadata_value_follows_a_metadata_change_and_leaves_other_changes_alone()
    {
        var merchant = NewMerchantId();
        var payment = SearchPayment(merchant, 0, 700, "EUR", metadata: new() { ["order_id"] = "ord-old", ["shop"] = "north" });
        await CommitAsync(c => c.NewPayments.Add(payment));
        async Task<string[]> Search(string value) =>
            IdsOf(await Store.Payments.ListPaymentsAsync(merchant, false, new PaymentListQuery { MetadataValue = value, Limit = 10 }, Ct)).ToArray();
        Assert.Equal([payment.Id], await Search("ord-old"));
        Assert.Equal([payment.Id], await Search("north"));

        // The metadata changes: the old value no longer finds it, the new one does (the values table follows the row).
        var read = await Store.Payments.GetPaymentAsync(merchant, false, payment.Id, Ct) ?? throw new InvalidOperationException("not stored");
        read.Metadata["order_id"] = "ord-new";
        await CommitAsync(c => c.UpdatedPayments.Add(read));
        Assert.Empty(await Search("ord-old"));
        Assert.Equal([payment.Id], await Search("ord-new"));
        Assert.Equal([payment.Id], await Search("north"));

        // A change that leaves the metadata as it was keeps it findable.
        var again = await Store.Payments.GetPaymentAsync(merchant, false, payment.Id, Ct) ?? throw new InvalidOperationException("not stored");
        again.Status = PaymentStatus.Succeeded;
        await CommitAsync(c => c.UpdatedPayments.Add(again));
        Assert.Equal([payment.Id], await Search("ord-new"));
    }
}
