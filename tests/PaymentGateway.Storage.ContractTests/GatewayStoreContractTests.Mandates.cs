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
        await Store.Mandates.InsertMandateAsync(mandate, Ct);

        var stored = await Store.Mandates.GetMandateAsync(merchant, false, mandate.Id, Ct);
        Assert.NotNull(stored);
        Assert.Equal("MANDATE-0001", stored.Reference);
        Assert.Equal(mandate.PaymentMethodId, stored.PaymentMethodId);
        Assert.Equal("2026-10-01", stored.SignatureDate);
        Assert.Equal("DE98ZZZ09999999999", stored.CreditorId);
        Assert.Equal(T0, stored.Created);
        Assert.Null(await Store.Mandates.GetMandateAsync(merchant, true, mandate.Id, Ct));
        Assert.Null(await Store.Mandates.GetMandateAsync(NewMerchantId(), false, mandate.Id, Ct));
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
        Assert.Equal([card.Id], (await Store.Payments.ListStaleProcessingPaymentsAsync(cutoff, 100, Ct)).Select(p => p.Id));
        Assert.Equal("sepa_debit", (await Store.Payments.GetPaymentAsync(merchant, false, debit.Id, Ct))!.PaymentMethodType);
    }

    private static Payment Debit(string merchant, DateTimeOffset created, PaymentStatus status = PaymentStatus.Processing, string? batch = null) => new()
    {
        Id = Ids.New(Ids.Payment, created),
        MerchantId = merchant,
        Livemode = false,
        Status = status,
        Amount = 4990,
        Currency = "EUR",
        CaptureMethod = CaptureMethod.Automatic,
        PaymentMethodType = "sepa_debit",
        DirectDebit = new DirectDebitDetails
        {
            MandateId = Ids.New(Ids.Mandate),
            MandateReference = "M-1",
            MandateSignatureDate = "2026-01-15",
            PaymentMethodId = Ids.New(Ids.PaymentMethod),
            BatchId = batch,
        },
        Created = created,
        Updated = created,
    };

    [StoreFact]
    public async Task UnexportedDirectDebits_AreProcessingDebitsWithoutBatch_OldestFirst()
    {
        var merchant = NewMerchantId();
        var second = Debit(merchant, T0.AddSeconds(2));
        var first = Debit(merchant, T0.AddSeconds(1));
        var exported = Debit(merchant, T0, batch: "ddb_x");
        var failed = Debit(merchant, T0, status: PaymentStatus.Failed);
        var card = Payment(merchant, created: T0, status: PaymentStatus.Processing);
        var otherMerchant = Debit(NewMerchantId(), T0);
        await CommitAsync(c => c.NewPayments.AddRange([second, first, exported, failed, card, otherMerchant]));

        Assert.Equal([first.Id, second.Id], (await Store.Mandates.ListUnexportedDirectDebitsAsync(merchant, false, 100, Ct)).Select(p => p.Id));
        Assert.Equal([first.Id], (await Store.Mandates.ListUnexportedDirectDebitsAsync(merchant, false, 1, Ct)).Select(p => p.Id));
        Assert.Empty(await Store.Mandates.ListUnexportedDirectDebitsAsync(merchant, true, 100, Ct));

        // Marking a debit with its batch (a version-checked update) takes it out.
        var loaded = (await Store.Mandates.ListUnexportedDirectDebitsAsync(merchant, false, 1, Ct))[0];
        loaded.DirectDebit!.BatchId = "ddb_y";
        var mark = new BankTransferChanges();
        mark.UpdatedPayments.Add(loaded);
        await Store.BankTransfers.CommitBankTransfersAsync(mark, Ct);
        Assert.Equal([second.Id], (await Store.Mandates.ListUnexportedDirectDebitsAsync(merchant, false, 100, Ct)).Select(p => p.Id));
        Assert.Equal("ddb_y", (await Store.Payments.GetPaymentAsync(merchant, false, first.Id, Ct))!.DirectDebit!.BatchId);
    }

    [StoreFact]
    public async Task Mandate_ReferenceIsUniquePerMerchantAndModeIgnoringCase()
    {
        var merchant = NewMerchantId();
        await Store.Mandates.InsertMandateAsync(NewMandate(merchant, "Shop-42"), Ct);

        var clash = NewMandate(merchant, "SHOP-42");
        Assert.IsType<ConcurrencyConflictException>(await Outcome(Store.Mandates.InsertMandateAsync(clash, Ct)));
        Assert.Null(await Store.Mandates.GetMandateAsync(merchant, false, clash.Id, Ct));

        // The same reference is free for another merchant and for the other mode.
        await Store.Mandates.InsertMandateAsync(NewMandate(NewMerchantId(), "SHOP-42"), Ct);
        await Store.Mandates.InsertMandateAsync(NewMandate(merchant, "SHOP-42", livemode: true), Ct);
    }
}
