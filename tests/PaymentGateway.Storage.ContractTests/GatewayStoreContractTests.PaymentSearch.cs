using PaymentGateway.Core;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Storage.ContractTests.TestData;

namespace PaymentGateway.Storage.ContractTests;

/// <summary>The console's payment search: every filter runs in the database, on both engines, and combines with paging.</summary>
public abstract partial class GatewayStoreContractTests
{
    protected static Payment SearchPayment(string merchant, int minute, long amount, string currency, string? customer = null, string? methodId = null,
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

        // A key removed: its value no longer finds the payment, the others still do.
        again.Metadata.Remove("shop");
        await CommitAsync(c => c.UpdatedPayments.Add(again));
        Assert.Empty(await Search("north"));
        Assert.Equal([payment.Id], await Search("ord-new"));

        // The same copy changed again after its commit, then every key removed.
        again.Metadata["order_id"] = "ord-third";
        await CommitAsync(c => c.UpdatedPayments.Add(again));
        Assert.Empty(await Search("ord-new"));
        Assert.Equal([payment.Id], await Search("ord-third"));
        again.Metadata.Clear();
        await CommitAsync(c => c.UpdatedPayments.Add(again));
        Assert.Empty(await Search("ord-third"));
    }

    [StoreFact]
    public async Task Payment_search_by_metadata_value_follows_the_inserted_copy_changed_after_its_commit()
    {
        var merchant = NewMerchantId();
        async Task<string[]> Search(string value) =>
            IdsOf(await Store.Payments.ListPaymentsAsync(merchant, false, new PaymentListQuery { MetadataValue = value, Limit = 10 }, Ct)).ToArray();

        // Two keys with one value: one row for it; a payment without metadata has none.
        var payment = SearchPayment(merchant, 0, 700, "EUR", metadata: new() { ["order_id"] = "ord-9", ["reference"] = "ord-9" });
        var plain = SearchPayment(merchant, 1, 700, "EUR");
        await CommitAsync(c => c.NewPayments.AddRange([payment, plain]));
        Assert.Equal([payment.Id], await Search("ord-9"));

        // The copy the flow inserted is updated next (a one-shot payment's second commit), its metadata changed with it.
        payment.Status = PaymentStatus.Succeeded;
        payment.Metadata["reference"] = "ref-9";
        plain.Metadata["order_id"] = "ord-10";
        await CommitAsync(c => c.UpdatedPayments.AddRange([payment, plain]));
        Assert.Equal([payment.Id], await Search("ord-9"));
        Assert.Equal([payment.Id], await Search("ref-9"));
        Assert.Equal([plain.Id], await Search("ord-10"));

        // A refused update (stale version) leaves the values as they were, and a retry from a fresh read writes them.
        var stale = await Store.Payments.GetPaymentAsync(merchant, false, payment.Id, Ct) ?? throw new InvalidOperationException("not stored");
        stale.Version--;
        stale.Metadata["order_id"] = "ord-stale";
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => CommitAsync(c => c.UpdatedPayments.Add(stale)));
        Assert.Empty(await Search("ord-stale"));
        Assert.Equal([payment.Id], await Search("ord-9"));
        var fresh = await Store.Payments.GetPaymentAsync(merchant, false, payment.Id, Ct) ?? throw new InvalidOperationException("not stored");
        fresh.Metadata["order_id"] = "ord-stale";
        await CommitAsync(c => c.UpdatedPayments.Add(fresh));
        Assert.Equal([payment.Id], await Search("ord-stale"));
        Assert.Empty(await Search("ord-9"));
    }

    /// <summary>
    /// The part of the migration-17 upgrade tests both engines share: <paramref name="payment"/> (metadata
    /// <c>order_id</c> = <c>ord-16</c>) was inserted by SQL under migration 16, so its value rows are the trigger's, and
    /// <paramref name="store"/> has since migrated to the latest schema. Its value still finds it, and a change made
    /// through the store (which now writes the rows itself) replaces the trigger's rows.
    /// </summary>
    protected static async Task AssertTriggerWrittenValuesFollowTheStoreAsync(GatewayStores store, Payment payment)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(payment);
        async Task<string[]> Search(string value) =>
            IdsOf(await store.Payments.ListPaymentsAsync(payment.MerchantId, false, new PaymentListQuery { MetadataValue = value, Limit = 10 }, Ct)).ToArray();
        Assert.Equal([payment.Id], await Search("ord-16"));

        var read = await store.Payments.GetPaymentAsync(payment.MerchantId, false, payment.Id, Ct) ?? throw new InvalidOperationException("not stored");
        read.Status = PaymentStatus.Succeeded;
        await store.Payments.CommitAsync(Changes(c => c.UpdatedPayments.Add(read)), Ct);
        Assert.Equal([payment.Id], await Search("ord-16"));

        read.Metadata["order_id"] = "ord-17";
        await store.Payments.CommitAsync(Changes(c => c.UpdatedPayments.Add(read)), Ct);
        Assert.Empty(await Search("ord-16"));
        Assert.Equal([payment.Id], await Search("ord-17"));

        // A payment inserted now is found through the rows the store wrote.
        var later = SearchPayment(payment.MerchantId, 5, 900, "EUR", metadata: new() { ["order_id"] = "ord-17b" });
        await store.Payments.CommitAsync(Changes(c => c.NewPayments.Add(later)), Ct);
        Assert.Equal([later.Id], await Search("ord-17b"));
    }
}
