using PaymentGateway.Core;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Storage.ContractTests.TestData;

namespace PaymentGateway.Storage.ContractTests;

public abstract partial class GatewayStoreContractTests
{
    // ---------------------------------------------------------------- SEPA Direct Debit mandates

    private static Mandate NewMandate(string merchant, string reference, bool livemode = false) => new()
    {
        Id = Ids.New(Ids.Mandate),
        MerchantId = merchant,
        Livemode = livemode,
        PaymentMethodId = Ids.New(Ids.PaymentMethod),
        Reference = reference,
        SignatureDate = "2026-10-01",
        CreditorId = "DE98ZZZ09999999999",
        Created = T0,
    };

    [StoreFact]
    public async Task Mandate_RoundTripsAndIsScopedToMerchantAndMode()
    {
        var merchant = NewMerchantId();
        var mandate = NewMandate(merchant, "MANDATE-0001");
        await Store.InsertMandateAsync(mandate, Ct);

        var stored = await Store.GetMandateAsync(merchant, false, mandate.Id, Ct);
        Assert.NotNull(stored);
        Assert.Equal("MANDATE-0001", stored.Reference);
        Assert.Equal(mandate.PaymentMethodId, stored.PaymentMethodId);
        Assert.Equal("2026-10-01", stored.SignatureDate);
        Assert.Equal("DE98ZZZ09999999999", stored.CreditorId);
        Assert.Equal(T0, stored.Created);
        Assert.Null(await Store.GetMandateAsync(merchant, true, mandate.Id, Ct));
        Assert.Null(await Store.GetMandateAsync(NewMerchantId(), false, mandate.Id, Ct));
    }

    [StoreFact]
    public async Task ProcessingDirectDebits_AreNotStaleForTheReconciler()
    {
        var cutoff = T0.AddHours(1);
        var merchant = NewMerchantId();
        var card = Payment(merchant, created: T0, status: PaymentStatus.Processing, updated: cutoff.AddMinutes(-5));
        var debit = new Payment
        {
            Id = Ids.New(Ids.Payment, T0.AddSeconds(1)),
            MerchantId = merchant,
            Livemode = false,
            Status = PaymentStatus.Processing,
            Amount = 4990,
            Currency = "EUR",
            CaptureMethod = CaptureMethod.Automatic,
            PaymentMethodType = "sepa_debit",
            Created = T0.AddSeconds(1),
            Updated = cutoff.AddMinutes(-10),
        };
        await CommitAsync(c => c.NewPayments.AddRange([card, debit]));

        // A debit waits for its bank, not a provider: it must never crowd card payments out of the reconciler's batch.
        Assert.Equal([card.Id], (await Store.ListStaleProcessingPaymentsAsync(cutoff, 100, Ct)).Select(p => p.Id));
        Assert.Equal("sepa_debit", (await Store.GetPaymentAsync(merchant, false, debit.Id, Ct))!.PaymentMethodType);
    }

    [StoreFact]
    public async Task Mandate_ReferenceIsUniquePerMerchantAndModeIgnoringCase()
    {
        var merchant = NewMerchantId();
        await Store.InsertMandateAsync(NewMandate(merchant, "Shop-42"), Ct);

        var clash = NewMandate(merchant, "SHOP-42");
        Assert.IsType<ConcurrencyConflictException>(await Outcome(Store.InsertMandateAsync(clash, Ct)));
        Assert.Null(await Store.GetMandateAsync(merchant, false, clash.Id, Ct));

        // The same reference is free for another merchant and for the other mode.
        await Store.InsertMandateAsync(NewMandate(NewMerchantId(), "SHOP-42"), Ct);
        await Store.InsertMandateAsync(NewMandate(merchant, "SHOP-42", livemode: true), Ct);
    }
}
