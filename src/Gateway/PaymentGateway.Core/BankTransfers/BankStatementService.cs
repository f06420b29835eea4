using Microsoft.Extensions.Options;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Vault;

namespace PaymentGateway.Core.BankTransfers;

/// <summary>
/// Imports camt.053 statements and matches their credits to open bank-transfer payments by ISO 11649 reference
/// (structured <c>CdtrRefInf/Ref</c>, else found in the unstructured remittance text or end-to-end id). One import is
/// one transaction: a file that fails to parse, or any conflict, changes nothing. Statements and entries are keyed by
/// the bank's ids, so importing the same statement (or an entry already seen in another) again changes nothing.
/// </summary>
public sealed class BankStatementService(IPaymentStore paymentStore, IBankTransferStore bankTransferStore, CardVault vault, IOptions<GatewayOptions> options, TimeProvider time)
{
    private const int MaxAttempts = 3;

    public long MaxStatementBytes => options.Value.BankTransfers.MaxStatementBytes;

    /// <summary>Parses <paramref name="statementFile"/> (a seekable copy of the upload) and applies it.</summary>
    public async Task<BankStatementResource> ImportAsync(CallerContext caller, Stream statementFile, CancellationToken ct)
    {
        ParsedStatement parsed;
        try
        {
            parsed = Camt053Parser.Parse(statementFile, MaxStatementBytes);
        }
        catch (StatementFormatException e)
        {
            throw new GatewayException(e.Code == ErrorCodes.StatementUnsupported ? ErrorKind.Unprocessable : ErrorKind.InvalidRequest, e.Code, e.Message);
        }

        var statementKey = parsed.StatementId + ":" + (parsed.AccountId is null ? "-" : vault.Fingerprint("acct:" + parsed.AccountId));
        for (var attempt = 1; ; attempt++)
        {
            if (await bankTransferStore.FindBankStatementByKeyAsync(caller.MerchantId, caller.Livemode, statementKey, ct).ConfigureAwait(false) is { } existing)
            {
                return existing.ToResource(duplicate: true, []);
            }

            try
            {
                return await ApplyAsync(caller, parsed, statementKey, ct).ConfigureAwait(false);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // A payment moved, or the same statement was imported concurrently: read again and redo the matching.
            }
        }
    }

    private async Task<BankStatementResource> ApplyAsync(CallerContext caller, ParsedStatement parsed, string statementKey, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var statement = new BankStatement
        {
            Id = Ids.New(Ids.BankStatement),
            MerchantId = caller.MerchantId,
            Livemode = caller.Livemode,
            StatementKey = statementKey,
            StatementId = parsed.StatementId,
            MessageId = parsed.MessageId,
            Account = parsed.AccountId is { } account ? (Iban.IsValid(account) ? Iban.Mask(account) : "****" + account[Math.Max(0, account.Length - 4)..]) : null,
            Namespace = parsed.Namespace,
            Created = now,
        };
        var seen = await bankTransferStore.FindExistingBankEntryKeysAsync(caller.MerchantId, caller.Livemode, parsed.Lines.Select(l => l.EntryKey).ToList(), ct).ConfigureAwait(false);
        var changes = new BankTransferChanges();
        changes.NewStatements.Add(statement);
        var loaded = new Dictionary<string, Payment?>(StringComparer.Ordinal);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in parsed.Lines)
        {
            if (seen.Contains(line.EntryKey) || !keys.Add(line.EntryKey))
            {
                continue;
            }

            var entry = NewEntry(caller, statement.Id, line, now);
            changes.NewEntries.Add(entry);
            if (!line.Booked)
            {
                entry.Status = BankEntryStatus.Ignored;
                entry.Note = "Not booked yet; import the statement that books it.";
                continue;
            }

            var isCredit = line.CreditDebit == "CRDT" && !line.Reversal && line.ReturnReason is null;
            if (!isCredit && (line.ReturnReason is not null || line.Reversal)
                && await FindDirectDebitAsync(caller, line, loaded, ct).ConfigureAwait(false) is { } debit)
            {
                entry.Status = DirectDebitPayments.ApplyReturn(debit, entry, changes, now);
                entry.MatchedBy = "end_to_end_id";
                continue;
            }

            var (payment, matchedBy) = await FindPaymentAsync(caller, line, loaded, ct).ConfigureAwait(false);
            if (!isCredit)
            {
                entry.Status = payment is null ? BankEntryStatus.Ignored : BankEntryStatus.Returned;
                entry.PaymentId = payment?.Id;
                entry.MatchedBy = payment is null ? null : matchedBy;
                entry.Note = line.ReturnReason is not null || line.Reversal
                    ? $"Return or reversal{(line.ReturnReason is null ? string.Empty : " (" + line.ReturnReason + ")")}; bank-transfer payments stay as they are, review it."
                    : "A debit: nothing to match.";
                continue;
            }

            if (payment is null)
            {
                entry.Status = BankEntryStatus.Unmatched;
                entry.Note = "No open bank-transfer payment has this reference; match it with POST /v1/bank_statement_entries/{id}/match.";
                continue;
            }

            entry.Status = BankTransferPayments.ApplyCredit(payment, entry, changes, now);
            entry.MatchedBy = entry.Status == BankEntryStatus.Unmatched ? null : matchedBy;
        }

        statement.EntryCount = changes.NewEntries.Count;
        statement.MatchedCount = changes.NewEntries.Count(e => e.Status is BankEntryStatus.Matched or BankEntryStatus.RefundRequired or BankEntryStatus.Returned);
        statement.UnmatchedCount = changes.NewEntries.Count(e => e.Status == BankEntryStatus.Unmatched);
        await bankTransferStore.CommitBankTransfersAsync(changes, ct).ConfigureAwait(false);
        return statement.ToResource(duplicate: false, changes.NewEntries);
    }

    private async Task<(Payment? Payment, string? MatchedBy)> FindPaymentAsync(CallerContext caller, ParsedEntryLine line, Dictionary<string, Payment?> loaded, CancellationToken ct)
    {
        var candidates = new List<(string Reference, string By)>();
        if (CreditorReference.Normalize(line.StructuredReference) is { } structured && CreditorReference.IsValid(structured))
        {
            candidates.Add((structured, "structured_reference"));
        }

        candidates.AddRange(CreditorReference.FindIn(line.StructuredReference).Select(r => (r, "structured_reference")));
        candidates.AddRange(CreditorReference.FindIn(line.Unstructured).Select(r => (r, "remittance_information")));
        candidates.AddRange(CreditorReference.FindIn(line.EndToEndId).Select(r => (r, "end_to_end_id")));
        foreach (var (reference, by) in candidates.DistinctBy(c => c.Reference))
        {
            var paymentId = await bankTransferStore.FindPaymentIdByBankReferenceAsync(caller.MerchantId, caller.Livemode, reference, ct).ConfigureAwait(false);
            if (paymentId is null)
            {
                continue;
            }

            if (!loaded.TryGetValue(paymentId, out var payment))
            {
                payment = await paymentStore.GetPaymentAsync(caller.MerchantId, caller.Livemode, paymentId, ct).ConfigureAwait(false);
                loaded[paymentId] = payment;
            }

            if (payment is not null && !ProviderBankTransferPayments.IsProviderBankTransfer(payment))
            {
                // A transfer collected by a provider is paid to the provider's account, never to this one.
                return (payment, by);
            }
        }

        return (null, null);
    }

    /// <summary>The direct-debit payment a return's end-to-end id (or reference) names (<see cref="EndToEndId"/>), if any.</summary>
    private async Task<Payment?> FindDirectDebitAsync(CallerContext caller, ParsedEntryLine line, Dictionary<string, Payment?> loaded, CancellationToken ct)
    {
        foreach (var candidate in new[] { line.EndToEndId, line.StructuredReference })
        {
            if (EndToEndId.ToPaymentId(candidate) is not { } paymentId)
            {
                continue;
            }

            if (!loaded.TryGetValue(paymentId, out var payment))
            {
                payment = await paymentStore.GetPaymentAsync(caller.MerchantId, caller.Livemode, paymentId, ct).ConfigureAwait(false);
                loaded[paymentId] = payment;
            }

            if (payment?.DirectDebit is not null)
            {
                return payment;
            }
        }

        return null;
    }

    private static BankStatementEntry NewEntry(CallerContext caller, string statementId, ParsedEntryLine line, DateTimeOffset now) => new()
    {
        Id = Ids.New(Ids.BankStatementEntry),
        MerchantId = caller.MerchantId,
        Livemode = caller.Livemode,
        StatementId = statementId,
        EntryKey = line.EntryKey,
        Amount = line.Amount,
        Currency = line.Currency,
        CreditDebit = line.CreditDebit,
        Reversal = line.Reversal,
        BookingDate = line.BookingDate,
        Reference = line.StructuredReference,
        RemittanceInformation = line.Unstructured,
        DebtorName = line.DebtorName,
        DebtorAccount = line.DebtorAccountMasked,
        EndToEndId = line.EndToEndId,
        AccountServicerReference = line.AccountServicerReference,
        EntryReference = line.EntryReference,
        ReturnReason = line.ReturnReason,
        Created = now,
        Updated = now,
    };

    /// <summary>
    /// Credits an unmatched entry to a bank-transfer payment chosen by the merchant. <paramref name="audit"/> (a console
    /// user's match) is written in the match's own commit.
    /// </summary>
    public async Task<BankStatementEntryResource> MatchAsync(CallerContext caller, string entryId, MatchBankStatementEntryRequest request, CancellationToken ct,
        Audit.AuditRecord? audit = null)
    {
        var paymentId = request.Payment ?? throw GatewayException.Missing("payment");
        var entry = await bankTransferStore.GetBankStatementEntryAsync(caller.MerchantId, caller.Livemode, entryId, ct).ConfigureAwait(false)
                    ?? throw GatewayException.NotFound("bank_statement_entry", entryId);
        if (entry.Status != BankEntryStatus.Unmatched)
        {
            throw new GatewayException(ErrorKind.Conflict, ErrorCodes.BankEntryNotMatchable,
                $"Only unmatched entries can be matched; this one is {entry.Status.ToWire()}.");
        }

        var payment = await paymentStore.GetPaymentAsync(caller.MerchantId, caller.Livemode, paymentId, ct).ConfigureAwait(false)
                      ?? throw new GatewayException(ErrorKind.NotFound, ErrorCodes.ResourceMissing, $"No such payment: '{(paymentId.Length > 64 ? paymentId[..64] : paymentId)}'.", "payment");
        if (payment.BankTransfer is null)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "Only bank_transfer payments can take a statement entry.", "payment");
        }

        if (ProviderBankTransferPayments.IsProviderBankTransfer(payment))
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid,
                "This bank transfer is collected by a provider (paid to its account, settled by its webhook); a statement entry cannot be credited to it.", "payment");
        }

        if (payment.Currency != entry.Currency)
        {
            throw GatewayException.Invalid(ErrorCodes.CurrencyMismatch, $"The entry is in {entry.Currency}, the payment in {payment.Currency}.", "payment");
        }

        var now = time.GetUtcNow();
        var changes = new BankTransferChanges();
        entry.Status = BankTransferPayments.ApplyCredit(payment, entry, changes, now);
        entry.MatchedBy = "manual";
        entry.Updated = now;
        changes.UpdatedEntries.Add(entry);
        if (audit is not null)
        {
            changes.AuditRecords.Add(audit);
        }

        try
        {
            await bankTransferStore.CommitBankTransfersAsync(changes, ct).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException)
        {
            throw GatewayException.StateConflict("The entry or the payment was changed by a concurrent request; retrieve them and try again.");
        }

        return entry.ToResource();
    }

    public async Task<BankStatementResource> GetStatementAsync(CallerContext caller, string id, CancellationToken ct)
    {
        var statement = await bankTransferStore.GetBankStatementAsync(caller.MerchantId, caller.Livemode, id, ct).ConfigureAwait(false)
                        ?? throw GatewayException.NotFound("bank_statement", id);
        var entries = await bankTransferStore.ListBankStatementEntriesAsync(caller.MerchantId, caller.Livemode,
            new BankStatementEntryListQuery { StatementId = id, Limit = 1000 }, ct).ConfigureAwait(false);
        return statement.ToResource(duplicate: false, entries);
    }

    public async Task<ListResource<BankStatementResource>> ListStatementsAsync(CallerContext caller, ListQuery query, CancellationToken ct)
    {
        var rows = await bankTransferStore.ListBankStatementsAsync(caller.MerchantId, caller.Livemode, Paging.Probe(query), ct).ConfigureAwait(false);
        return Paging.ToList(rows, query, s => s.ToResource(duplicate: false, []));
    }

    public async Task<BankStatementEntryResource> GetEntryAsync(CallerContext caller, string id, CancellationToken ct) =>
        (await bankTransferStore.GetBankStatementEntryAsync(caller.MerchantId, caller.Livemode, id, ct).ConfigureAwait(false)
         ?? throw GatewayException.NotFound("bank_statement_entry", id)).ToResource();

    public async Task<ListResource<BankStatementEntryResource>> ListEntriesAsync(CallerContext caller, BankStatementEntryListQuery query, CancellationToken ct)
    {
        var rows = await bankTransferStore.ListBankStatementEntriesAsync(caller.MerchantId, caller.Livemode, Paging.Probe(query), ct).ConfigureAwait(false);
        return Paging.ToList(rows, query, e => e.ToResource());
    }
}
