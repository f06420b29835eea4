using PaymentGateway.Core;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Storage.ContractTests.TestData;

namespace PaymentGateway.Storage.ContractTests;

public abstract partial class GatewayStoreContractTests
{
    // ---------------------------------------------------------------- SEPA Direct Debit export, batches, settlement

    private static Payment ExportedDebit(string merchant, DateTimeOffset created, string collectionDate, PaymentStatus status = PaymentStatus.Processing)
    {
        var debit = Debit(merchant, created, status, batch: "ddb_x");
        debit.DirectDebit!.CollectionDate = collectionDate;
        debit.DirectDebit.SequenceType = "FRST";
        return debit;
    }

    private static DirectDebitBatch NewBatch(string merchant, DateTimeOffset created, string file = "k1:ciphertext") => new()
    {
        Id = Ids.New(Ids.DirectDebitBatch, created),
        MerchantId = merchant,
        Livemode = false,
        MessageId = "ddb-msg",
        Count = 2,
        ControlSum = 5991,
        FirstCount = 1,
        CollectionDate = "2026-12-07",
        Created = created,
        EncryptedFile = file,
    };

    [StoreFact]
    public async Task DirectDebitsCollectedBy_AreExportedProcessingDebitsUpToTheDate_EarliestFirst()
    {
        var merchant = NewMerchantId();
        var late = ExportedDebit(merchant, T0, "2001-03-09");
        var early = ExportedDebit(merchant, T0.AddSeconds(1), "2001-03-01");
        var onTheDay = ExportedDebit(merchant, T0.AddSeconds(2), "2001-03-05");
        var afterCutoff = ExportedDebit(merchant, T0.AddSeconds(3), "2001-03-06");
        var failed = ExportedDebit(merchant, T0.AddSeconds(4), "2001-03-01", PaymentStatus.Failed);
        var unexported = Debit(merchant, T0.AddSeconds(5));
        var otherMerchant = ExportedDebit(NewMerchantId(), T0.AddSeconds(6), "2001-03-02");
        await CommitAsync(c => c.NewPayments.AddRange([late, early, onTheDay, afterCutoff, failed, unexported, otherMerchant]));

        // Across merchants (the settlement job serves them all), only processing debits with a collection date.
        var mine = new HashSet<string>([late.Id, early.Id, onTheDay.Id, afterCutoff.Id, failed.Id, unexported.Id, otherMerchant.Id]);
        var due = (await Store.DirectDebits.ListDirectDebitsCollectedByAsync(new DateOnly(2001, 3, 5), 1000, Ct)).Where(p => mine.Contains(p.Id)).Select(p => p.Id).ToList();
        Assert.Equal([early.Id, otherMerchant.Id, onTheDay.Id], due);
        var all = (await Store.DirectDebits.ListDirectDebitsCollectedByAsync(new DateOnly(2001, 12, 31), 1000, Ct)).Where(p => mine.Contains(p.Id)).Select(p => p.Id).ToList();
        Assert.Equal([early.Id, otherMerchant.Id, onTheDay.Id, afterCutoff.Id, late.Id], all);
        Assert.DoesNotContain(await Store.DirectDebits.ListDirectDebitsCollectedByAsync(new DateOnly(2001, 2, 28), 1000, Ct), p => mine.Contains(p.Id));

        // The payment comes back with its version: a settlement after a concurrent change is refused whole.
        var loaded = (await Store.DirectDebits.ListDirectDebitsCollectedByAsync(new DateOnly(2001, 3, 5), 1000, Ct)).Single(p => p.Id == early.Id);
        var stale = (await Store.Payments.GetPaymentAsync(merchant, false, early.Id, Ct))!;
        loaded.Status = PaymentStatus.Failed;
        var returned = new BankTransferChanges();
        returned.UpdatedPayments.Add(loaded);
        await Store.BankTransfers.CommitBankTransfersAsync(returned, Ct);
        stale.Status = PaymentStatus.Succeeded;
        var settle = new BankTransferChanges();
        settle.UpdatedPayments.Add(stale);
        Assert.IsType<ConcurrencyConflictException>(await Outcome(Store.BankTransfers.CommitBankTransfersAsync(settle, Ct)));
        Assert.Equal(PaymentStatus.Failed, (await Store.Payments.GetPaymentAsync(merchant, false, early.Id, Ct))!.Status);
        Assert.DoesNotContain(early.Id, (await Store.DirectDebits.ListDirectDebitsCollectedByAsync(new DateOnly(2001, 3, 5), 1000, Ct)).Select(p => p.Id));
    }

    [StoreFact]
    public async Task DirectDebitExport_WritesPaymentsMandatesAndBatchTogether()
    {
        var merchant = NewMerchantId();
        var mandate = NewMandate(merchant, "EXPORT-CONTRACT-1");
        await Store.Mandates.InsertMandateAsync(mandate, Ct);
        var debit = Debit(merchant, T0);
        await CommitAsync(c => c.NewPayments.Add(debit));

        var loadedMandate = (await Store.Mandates.GetMandateAsync(merchant, false, mandate.Id, Ct))!;
        var loadedDebit = (await Store.Payments.GetPaymentAsync(merchant, false, debit.Id, Ct))!;
        var batch = NewBatch(merchant, T0);
        loadedMandate.FirstCollectionPaymentId = debit.Id;
        loadedDebit.DirectDebit!.BatchId = batch.Id;
        var changes = new DirectDebitExportChanges { NewBatch = batch };
        changes.UpdatedMandates.Add(loadedMandate);
        changes.UpdatedPayments.Add(loadedDebit);
        await Store.DirectDebits.CommitDirectDebitExportAsync(changes, Ct);

        Assert.Equal(debit.Id, (await Store.Mandates.GetMandateAsync(merchant, false, mandate.Id, Ct))!.FirstCollectionPaymentId);
        Assert.Equal(batch.Id, (await Store.Payments.GetPaymentAsync(merchant, false, debit.Id, Ct))!.DirectDebit!.BatchId);
        var meta = (await Store.DirectDebits.GetDirectDebitBatchAsync(merchant, false, batch.Id, Ct))!;
        Assert.Null(meta.EncryptedFile);
        Assert.Equal((2, 5991L, 1, "2026-12-07", "ddb-msg", T0), (meta.Count, meta.ControlSum, meta.FirstCount, meta.CollectionDate, meta.MessageId, meta.Created));
        Assert.Equal("k1:ciphertext", (await Store.DirectDebits.GetDirectDebitBatchWithFileAsync(merchant, false, batch.Id, Ct))!.EncryptedFile);
        Assert.Null(await Store.DirectDebits.GetDirectDebitBatchAsync(NewMerchantId(), false, batch.Id, Ct));
        Assert.Null(await Store.DirectDebits.GetDirectDebitBatchWithFileAsync(merchant, true, batch.Id, Ct));

        // A second export from stale copies (mandate version moved) writes nothing: no batch, no payment change.
        var staleMandate = loadedMandate;
        staleMandate.Version--;
        var other = Debit(merchant, T0.AddSeconds(1));
        await CommitAsync(c => c.NewPayments.Add(other));
        var otherLoaded = (await Store.Payments.GetPaymentAsync(merchant, false, other.Id, Ct))!;
        var second = NewBatch(merchant, T0.AddSeconds(1));
        otherLoaded.DirectDebit!.BatchId = second.Id;
        var conflicting = new DirectDebitExportChanges { NewBatch = second };
        conflicting.UpdatedPayments.Add(otherLoaded);
        conflicting.UpdatedMandates.Add(staleMandate);
        Assert.IsType<ConcurrencyConflictException>(await Outcome(Store.DirectDebits.CommitDirectDebitExportAsync(conflicting, Ct)));
        Assert.Null(await Store.DirectDebits.GetDirectDebitBatchAsync(merchant, false, second.Id, Ct));
        Assert.Null((await Store.Payments.GetPaymentAsync(merchant, false, other.Id, Ct))!.DirectDebit!.BatchId);

        // A batch without its encrypted file is never stored.
        var clear = new DirectDebitExportChanges { NewBatch = NewBatch(merchant, T0) };
        clear.NewBatch.EncryptedFile = null;
        await Assert.ThrowsAsync<ArgumentException>(() => Store.DirectDebits.CommitDirectDebitExportAsync(clear, Ct));
    }

    [StoreFact]
    public async Task DirectDebitBatchesAndMandates_ListNewestFirstAndPage()
    {
        var merchant = NewMerchantId();
        var batches = new[] { NewBatch(merchant, T0), NewBatch(merchant, T0.AddSeconds(1)), NewBatch(merchant, T0.AddSeconds(2)) };
        foreach (var b in batches)
        {
            await Store.DirectDebits.CommitDirectDebitExportAsync(new DirectDebitExportChanges { NewBatch = b }, Ct);
        }

        await Store.DirectDebits.CommitDirectDebitExportAsync(new DirectDebitExportChanges { NewBatch = NewBatch(NewMerchantId(), T0) }, Ct);

        var all = await Store.DirectDebits.ListDirectDebitBatchesAsync(merchant, false, new ListQuery { Limit = 10 }, Ct);
        Assert.Equal(batches.Reverse().Select(b => b.Id), all.Select(b => b.Id));
        Assert.All(all, b => Assert.Null(b.EncryptedFile));
        var page = await Store.DirectDebits.ListDirectDebitBatchesAsync(merchant, false, new ListQuery { Limit = 1, StartingAfter = batches[2].Id }, Ct);
        Assert.Equal([batches[1].Id], page.Select(b => b.Id));
        Assert.Empty(await Store.DirectDebits.ListDirectDebitBatchesAsync(merchant, true, new ListQuery { Limit = 10 }, Ct));

        var m1 = NewMandate(merchant, "LIST-1");
        var m2 = NewMandate(merchant, "LIST-2");
        await Store.Mandates.InsertMandateAsync(m1, Ct);
        await Store.Mandates.InsertMandateAsync(m2, Ct);
        await Store.Mandates.InsertMandateAsync(NewMandate(NewMerchantId(), "LIST-1"), Ct);
        var newestFirst = new[] { m1.Id, m2.Id }.OrderDescending(StringComparer.Ordinal).ToList();
        var mandates = await Store.DirectDebits.ListMandatesAsync(merchant, false, new ListQuery { Limit = 10 }, Ct);
        Assert.Equal(newestFirst, mandates.Select(m => m.Id));
        Assert.All(mandates, m => Assert.Equal(0, m.Version));
        var after = await Store.DirectDebits.ListMandatesAsync(merchant, false, new ListQuery { Limit = 10, StartingAfter = newestFirst[0] }, Ct);
        Assert.Equal([newestFirst[1]], after.Select(m => m.Id));
    }
}
