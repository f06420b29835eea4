using PaymentGateway.Core;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Storage.ContractTests.TestData;

namespace PaymentGateway.Storage.ContractTests;

public abstract partial class GatewayStoreContractTests
{
    // ---------------------------------------------------------------- bank transfers

    private static Payment TransferPayment(string merchant, string reference, DateTimeOffset expiresAt)
    {
        var payment = Payment(merchant);
        payment.Status = PaymentStatus.RequiresAction;
        payment.BankTransfer = new BankTransferDetails
        {
            Reference = reference,
            ExpiresAt = expiresAt,
            Iban = "DE89370400440532013000",
            Bic = "COBADEFFXXX",
            AccountHolderName = "Demo Shop GmbH",
        };
        return payment;
    }

    private static BankTransferReferenceRecord ReferenceOf(Payment payment) => new()
    {
        Reference = payment.BankTransfer!.Reference,
        MerchantId = payment.MerchantId,
        Livemode = payment.Livemode,
        PaymentId = payment.Id,
        ExpiresAt = payment.BankTransfer.ExpiresAt,
    };

    private static BankStatement Statement(string merchant, string key) => new()
    {
        Id = Ids.New(Ids.BankStatement),
        MerchantId = merchant,
        Livemode = false,
        StatementKey = key,
        StatementId = key,
        MessageId = "MSG-1",
        Account = "DE******3000",
        EntryCount = 1,
        Created = T0,
    };

    private static BankStatementEntry Entry(BankStatement statement, string key, BankEntryStatus status = BankEntryStatus.Unmatched) => new()
    {
        Id = Ids.New(Ids.BankStatementEntry),
        MerchantId = statement.MerchantId,
        Livemode = statement.Livemode,
        StatementId = statement.Id,
        EntryKey = key,
        Status = status,
        Amount = 12345,
        Currency = "EUR",
        CreditDebit = "CRDT",
        Reference = "RF18539007547034",
        DebtorName = "Erika Mustermann",
        DebtorAccount = "FR******2606",
        Created = T0,
        Updated = T0,
    };

    [StoreFact]
    public async Task Bank_transfer_payment_and_reference_are_written_together_and_found_by_reference()
    {
        var merchant = NewMerchantId();
        var payment = TransferPayment(merchant, "RF18539007547034", T0.AddDays(14));
        var changes = new BankTransferChanges();
        changes.NewPayments.Add(payment);
        changes.NewReferences.Add(ReferenceOf(payment));
        changes.Events.Add(Event(merchant, payment.Id, EventTypes.PaymentRequiresAction));
        await Store.BankTransfers.CommitBankTransfersAsync(changes, Ct);

        Assert.Equal(payment.Id, await Store.BankTransfers.FindPaymentIdByBankReferenceAsync(merchant, false, "RF18539007547034", Ct));
        Assert.Null(await Store.BankTransfers.FindPaymentIdByBankReferenceAsync(merchant, true, "RF18539007547034", Ct));
        Assert.Null(await Store.BankTransfers.FindPaymentIdByBankReferenceAsync(NewMerchantId(), false, "RF18539007547034", Ct));
        var stored = await Store.Payments.GetPaymentAsync(merchant, false, payment.Id, Ct);
        Assert.Equal("RF18539007547034", stored!.BankTransfer!.Reference);
        Assert.Equal("Demo Shop GmbH", stored.BankTransfer.AccountHolderName);
        Assert.Single(await Store.Events.ListEventsAsync(merchant, false, new EventListQuery { ObjectId = payment.Id }, Ct));

        // A second payment with the same reference is refused whole: neither payment nor event lands.
        var clash = TransferPayment(merchant, "RF18539007547034", T0.AddDays(14));
        var again = new BankTransferChanges();
        again.NewPayments.Add(clash);
        again.NewReferences.Add(ReferenceOf(clash));
        again.Events.Add(Event(merchant, clash.Id));
        Assert.IsType<ConcurrencyConflictException>(await Outcome(Store.BankTransfers.CommitBankTransfersAsync(again, Ct)));
        Assert.Null(await Store.Payments.GetPaymentAsync(merchant, false, clash.Id, Ct));
        Assert.Empty(await Store.Events.ListEventsAsync(merchant, false, new EventListQuery { ObjectId = clash.Id }, Ct));
    }

    [StoreFact]
    public async Task Expired_open_references_are_listed_until_closed()
    {
        var merchant = NewMerchantId();
        var due = TransferPayment(merchant, "RF712348231", T0.AddMinutes(-5));
        var later = TransferPayment(merchant, "RF18539007547034", T0.AddDays(1));
        var changes = new BankTransferChanges();
        changes.NewPayments.AddRange([due, later]);
        changes.NewReferences.AddRange([ReferenceOf(due), ReferenceOf(later)]);
        await Store.BankTransfers.CommitBankTransfersAsync(changes, Ct);

        var expired = await Store.BankTransfers.ListExpiredBankTransfersAsync(T0, 10, Ct);
        Assert.Equal([due.Id], IdsOf(expired));

        var stored = expired[0];
        stored.Status = PaymentStatus.Canceled;
        var close = new BankTransferChanges();
        close.UpdatedPayments.Add(stored);
        close.ClosedReferences.Add("RF712348231");
        await Store.BankTransfers.CommitBankTransfersAsync(close, Ct);
        Assert.Empty(await Store.BankTransfers.ListExpiredBankTransfersAsync(T0, 10, Ct));
        Assert.Equal(PaymentStatus.Canceled, (await Store.Payments.GetPaymentAsync(merchant, false, due.Id, Ct))!.Status);

        // The version check holds for bank-transfer commits too.
        var staleUpdate = new BankTransferChanges();
        staleUpdate.UpdatedPayments.Add(new Payment { Id = due.Id, MerchantId = merchant, Livemode = false, Amount = 1, Currency = "EUR", Version = 0 });
        Assert.IsType<ConcurrencyConflictException>(await Outcome(Store.BankTransfers.CommitBankTransfersAsync(staleUpdate, Ct)));
    }

    [StoreFact]
    public async Task Statements_and_entries_round_trip_are_keyed_and_filterable()
    {
        var merchant = NewMerchantId();
        var statement = Statement(merchant, "STMT-1:fp");
        var unmatched = Entry(statement, "asr:A");
        var matched = Entry(statement, "asr:B", BankEntryStatus.Matched);
        var changes = new BankTransferChanges();
        changes.NewStatements.Add(statement);
        changes.NewEntries.AddRange([unmatched, matched]);
        await Store.BankTransfers.CommitBankTransfersAsync(changes, Ct);

        var byKey = await Store.BankTransfers.FindBankStatementByKeyAsync(merchant, false, "STMT-1:fp", Ct);
        Assert.Equal(statement.Id, byKey!.Id);
        Assert.Equal("DE******3000", byKey.Account);
        Assert.Null(await Store.BankTransfers.FindBankStatementByKeyAsync(merchant, true, "STMT-1:fp", Ct));
        Assert.Equal(statement.Id, (await Store.BankTransfers.GetBankStatementAsync(merchant, false, statement.Id, Ct))!.Id);
        Assert.Single(await Store.BankTransfers.ListBankStatementsAsync(merchant, false, new ListQuery(), Ct));
        Assert.Equal((1, 1), (byKey.MatchedCount, byKey.UnmatchedCount));

        var stored = await Store.BankTransfers.GetBankStatementEntryAsync(merchant, false, unmatched.Id, Ct);
        Assert.Equal(12345, stored!.Amount);
        Assert.Equal("Erika Mustermann", stored.DebtorName);
        Assert.Equal(BankEntryStatus.Unmatched, stored.Status);
        Assert.Equal([unmatched.Id], (await Store.BankTransfers.ListBankStatementEntriesAsync(merchant, false, new BankStatementEntryListQuery { Status = BankEntryStatus.Unmatched }, Ct)).Select(e => e.Id));
        Assert.Equal(2, (await Store.BankTransfers.ListBankStatementEntriesAsync(merchant, false, new BankStatementEntryListQuery { StatementId = statement.Id }, Ct)).Count);
        Assert.Equal(["asr:A"], await Store.BankTransfers.FindExistingBankEntryKeysAsync(merchant, false, ["asr:A", "asr:Z"], Ct));
        Assert.Empty(await Store.BankTransfers.FindExistingBankEntryKeysAsync(NewMerchantId(), false, ["asr:A"], Ct));

        // Entry updates are version-checked.
        stored.Status = BankEntryStatus.Matched;
        var update = new BankTransferChanges();
        update.UpdatedEntries.Add(stored);
        await Store.BankTransfers.CommitBankTransfersAsync(update, Ct);
        Assert.Equal(BankEntryStatus.Matched, (await Store.BankTransfers.GetBankStatementEntryAsync(merchant, false, unmatched.Id, Ct))!.Status);
        // The statement's counts follow its entries' current status, whichever way it is read.
        var recounted = await Store.BankTransfers.GetBankStatementAsync(merchant, false, statement.Id, Ct);
        Assert.Equal((2, 0), (recounted!.MatchedCount, recounted.UnmatchedCount));
        Assert.Equal((2, 0), ((await Store.BankTransfers.FindBankStatementByKeyAsync(merchant, false, "STMT-1:fp", Ct))!.MatchedCount, (await Store.BankTransfers.FindBankStatementByKeyAsync(merchant, false, "STMT-1:fp", Ct))!.UnmatchedCount));
        var listed = Assert.Single(await Store.BankTransfers.ListBankStatementsAsync(merchant, false, new ListQuery(), Ct));
        Assert.Equal((2, 0), (listed.MatchedCount, listed.UnmatchedCount));
        var staleUpdate = new BankTransferChanges();
        staleUpdate.UpdatedEntries.Add(new BankStatementEntry
        {
            Id = unmatched.Id,
            MerchantId = merchant,
            Livemode = false,
            StatementId = statement.Id,
            EntryKey = "asr:A",
            Amount = 1,
            Currency = "EUR",
            CreditDebit = "CRDT",
            Version = 0,
        });
        Assert.IsType<ConcurrencyConflictException>(await Outcome(Store.BankTransfers.CommitBankTransfersAsync(staleUpdate, Ct)));
    }

    [StoreFact]
    public async Task Importing_a_statement_key_or_entry_key_twice_writes_nothing_of_the_second_import()
    {
        var merchant = NewMerchantId();
        var first = Statement(merchant, "STMT-1:fp");
        var changes = new BankTransferChanges();
        changes.NewStatements.Add(first);
        changes.NewEntries.Add(Entry(first, "asr:A"));
        await Store.BankTransfers.CommitBankTransfersAsync(changes, Ct);

        var payment = TransferPayment(merchant, "RF712348231", T0.AddDays(1));
        await CommitAsync(c => c.NewPayments.Add(payment));
        var stored = (await Store.Payments.GetPaymentAsync(merchant, false, payment.Id, Ct))!;

        foreach (var (statementKey, entryKey) in new[] { ("STMT-1:fp", "asr:NEW"), ("STMT-2:fp", "asr:A") })
        {
            var second = Statement(merchant, statementKey);
            var duplicate = new BankTransferChanges();
            duplicate.NewStatements.Add(second);
            duplicate.NewEntries.Add(Entry(second, entryKey));
            stored.AmountReceived = 100;
            duplicate.UpdatedPayments.Add(stored);
            duplicate.Events.Add(Event(merchant, payment.Id, EventTypes.PaymentSucceeded));
            Assert.IsType<ConcurrencyConflictException>(await Outcome(Store.BankTransfers.CommitBankTransfersAsync(duplicate, Ct)));
            Assert.Null(await Store.BankTransfers.GetBankStatementAsync(merchant, false, second.Id, Ct));
        }

        Assert.Single(await Store.BankTransfers.ListBankStatementsAsync(merchant, false, new ListQuery(), Ct));
        Assert.Single(await Store.BankTransfers.ListBankStatementEntriesAsync(merchant, false, new BankStatementEntryListQuery(), Ct));
        Assert.Equal(0, (await Store.Payments.GetPaymentAsync(merchant, false, payment.Id, Ct))!.AmountReceived);
        Assert.Empty(await Store.Events.ListEventsAsync(merchant, false, new EventListQuery { ObjectId = payment.Id }, Ct));
    }
}
