using System.Globalization;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Idempotency;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.BackOffice;

/// <summary>An unmatched statement entry and a payment chosen for it, as the match confirmation states them.</summary>
public sealed record ConsoleBankMatchPreview(BankStatementEntry Entry, Payment Payment);

/// <summary>What a manual match did: the payment credited, and whether this submission was a replay of one already done.</summary>
public sealed record ConsoleBankMatchResult(string EntryId, string? PaymentId, bool Replayed);

/// <summary>
/// The console's bank work: statement entries (unmatched first of all) and the manual match of an unmatched credit to
/// an open bank-transfer payment, through <see cref="BankStatementService.MatchAsync"/> — the API's match. Reading needs
/// <see cref="ConsolePermission.ViewPayments"/> on the merchant, matching <see cref="ConsolePermission.MatchBankTransfers"/>
/// (owners and finance), both checked here. A match is made idempotent by a key derived from the confirmation form's
/// one-time token (a double click or a resubmitted form credits once) and audited in its own commit; a refused one is
/// audited with the reason.
/// </summary>
public sealed class ConsoleBankService(
    BankStatementService statements,
    IBankTransferStore bankStore,
    IDirectDebitStore directDebits,
    IPaymentStore payments,
    IConsoleStore consoleStore,
    IdempotencyService idempotency,
    TimeProvider time)
{
    public const string MatchedAction = "console.bank_entry.matched";
    public const string EntryTarget = "bank_statement_entry";

    /// <summary>How many open transfers the match page offers to pick from (newest first).</summary>
    public const int MaxCandidates = 50;

    /// <summary>One page of a merchant's statement entries, newest first, optionally only those in <paramref name="status"/>.</summary>
    public Task<IReadOnlyList<BankStatementEntry>> ListEntriesAsync(ConsoleCaller caller, string merchantId, bool livemode, BankEntryStatus? status,
        string? startingAfter, string? endingBefore, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.Demand(ConsolePermission.ViewPayments, merchantId);
        return bankStore.ListBankStatementEntriesAsync(merchantId, livemode,
            new BankStatementEntryListQuery { Status = status, StartingAfter = startingAfter, EndingBefore = endingBefore, Limit = limit }, ct);
    }

    /// <summary>
    /// The entry for the match page with the open bank-transfer payments in its currency to pick from; 403 unless the
    /// caller may match on the merchant, 404 when the merchant has no such entry in that mode.
    /// </summary>
    public async Task<(BankStatementEntry Entry, IReadOnlyList<Payment> Candidates)> GetForMatchAsync(ConsoleCaller caller, string merchantId, bool livemode,
        string entryId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.Demand(ConsolePermission.MatchBankTransfers, merchantId);
        var entry = await bankStore.GetBankStatementEntryAsync(merchantId, livemode, entryId, ct).ConfigureAwait(false)
                    ?? throw GatewayException.NotFound("bank_statement_entry", entryId);
        IReadOnlyList<Payment> candidates = [];
        if (entry.Status == BankEntryStatus.Unmatched)
        {
            var open = await payments.ListPaymentsAsync(merchantId, livemode,
                new PaymentListQuery { Status = PaymentStatus.RequiresAction, Currency = entry.Currency, Limit = MaxCandidates * 2 }, ct).ConfigureAwait(false);
            candidates = open.Where(p => p.BankTransfer is not null && !ProviderBankTransferPayments.IsProviderBankTransfer(p)).Take(MaxCandidates).ToList();
        }

        return (entry, candidates);
    }

    /// <summary>
    /// Step two of the form: the entry and the payment <paramref name="paymentOrReference"/> names (a <c>pay_</c> id or the
    /// transfer's RF reference), checked as the match will check them; nothing changes. Refusals name the field.
    /// </summary>
    public async Task<ConsoleBankMatchPreview> PreviewAsync(ConsoleCaller caller, string merchantId, bool livemode, string entryId, string? paymentOrReference,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.Demand(ConsolePermission.MatchBankTransfers, merchantId);
        var entry = await bankStore.GetBankStatementEntryAsync(merchantId, livemode, entryId, ct).ConfigureAwait(false)
                    ?? throw GatewayException.NotFound("bank_statement_entry", entryId);
        if (entry.Status != BankEntryStatus.Unmatched)
        {
            throw new MatchRefusedException(ErrorCodes.BankEntryNotMatchable, $"Only unmatched entries can be matched; this one is {entry.Status.ToWire()}.");
        }

        var payment = await ResolveAsync(merchantId, livemode, paymentOrReference, ct).ConfigureAwait(false);
        if (payment.BankTransfer is null || ProviderBankTransferPayments.IsProviderBankTransfer(payment))
        {
            throw new MatchRefusedException("not_a_bank_transfer", "Choose a bank-transfer payment the gateway collects itself; this one is not.");
        }

        if (!string.Equals(payment.Currency, entry.Currency, StringComparison.Ordinal))
        {
            throw new MatchRefusedException(ErrorCodes.CurrencyMismatch, $"The entry is in {entry.Currency}, the payment in {payment.Currency}.");
        }

        return new ConsoleBankMatchPreview(entry, payment);
    }

    /// <summary>Credits the entry to the payment (the API's match); one match per form token, audited in the match's commit.</summary>
    public async Task<ConsoleBankMatchResult> MatchAsync(ConsoleCaller caller, string merchantId, bool livemode, string entryId, string? paymentOrReference,
        string? formToken, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var role = await caller.DemandAuditedAsync(ConsolePermission.MatchBankTransfers, merchantId,
            () => AuditRefusedAsync(caller, null, merchantId, entryId, null, "role")).ConfigureAwait(false);

        if (string.IsNullOrEmpty(formToken) || formToken.Length is < 16 or > 100 || formToken.Any(ch => !char.IsAsciiLetterOrDigit(ch) && ch is not ('-' or '_')))
        {
            throw new ConsoleValidationException("Payment", "This form has expired; open the entry again.");
        }

        // One key per (user, form): a second submission of the same form meets the first one's claim and credits nothing.
        var key = $"console:{caller.UserId}:{formToken}";
        var fingerprint = IdempotencyService.Fingerprint("console.bank_entry.match",
            System.Text.Encoding.UTF8.GetBytes($"{entryId}\n{paymentOrReference?.Trim()}\n{(livemode ? "live" : "test")}"));
        IdempotencyClaim claim;
        try
        {
            claim = await idempotency.ClaimAsync(merchantId, key, fingerprint, sensitive: false, "form", ct).ConfigureAwait(false);
        }
        catch (GatewayException e) when (e.Code is ErrorCodes.IdempotencyKeyInUse or ErrorCodes.IdempotencyKeyReused)
        {
            return new ConsoleBankMatchResult(entryId, null, Replayed: true);
        }

        if (claim.IsReplay || claim.Scope is not { } scope)
        {
            return new ConsoleBankMatchResult(entryId, claim.ResponseBody is { Length: > 0 } done ? done : null, Replayed: true);
        }

        ConsoleBankMatchPreview preview;
        try
        {
            preview = await PreviewAsync(caller, merchantId, livemode, entryId, paymentOrReference, ct).ConfigureAwait(false);
            var audit = Record(caller, role, merchantId, entryId, preview.Payment.Id, preview.Entry.Amount, AuditOutcomes.Succeeded, null);
            await statements.MatchAsync(new CallerContext(merchantId, livemode, ApiKeyKind.Secret), entryId,
                new MatchBankStatementEntryRequest { Payment = preview.Payment.Id }, ct, audit).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ConsoleValidationException or GatewayException)
        {
            // Nothing was credited: the key is let go so a corrected form can run, and the refusal is on the record.
            await idempotency.FinishAsync(scope, 500, string.Empty, sensitive: false).ConfigureAwait(false);
            var reason = e switch { GatewayException g => g.Code, MatchRefusedException r => r.Code, _ => "invalid" };
            await AuditRefusedAsync(caller, role, merchantId, entryId, paymentOrReference, reason).ConfigureAwait(false);
            if (e is GatewayException { Kind: ErrorKind.NotFound } missing && missing.Param is null)
            {
                throw;
            }

            throw e as ConsoleValidationException ?? new ConsoleValidationException("Payment", e.Message);
        }

        await idempotency.FinishAsync(scope, 200, preview.Payment.Id, sensitive: false).ConfigureAwait(false);
        return new ConsoleBankMatchResult(entryId, preview.Payment.Id, Replayed: false);
    }

    /// <summary>One page of a merchant's exported direct-debit collection files, newest first.</summary>
    public Task<IReadOnlyList<DirectDebitBatch>> ListBatchesAsync(ConsoleCaller caller, string merchantId, bool livemode, string? startingAfter, string? endingBefore,
        int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.Demand(ConsolePermission.ViewPayments, merchantId);
        return directDebits.ListDirectDebitBatchesAsync(merchantId, livemode, new ListQuery { StartingAfter = startingAfter, EndingBefore = endingBefore, Limit = limit }, ct);
    }

    /// <summary>
    /// A collection file (its metadata, never the file: it holds debtors' IBANs) and one page of its debits, newest first;
    /// 404 when the merchant has no such batch in that mode.
    /// </summary>
    public async Task<(DirectDebitBatch Batch, IReadOnlyList<Payment> Debits)> GetBatchAsync(ConsoleCaller caller, string merchantId, bool livemode, string batchId,
        string? startingAfter, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.Demand(ConsolePermission.ViewPayments, merchantId);
        var batch = await directDebits.GetDirectDebitBatchAsync(merchantId, livemode, batchId, ct).ConfigureAwait(false)
                    ?? throw GatewayException.NotFound("direct_debit_batch", batchId);
        var debits = await payments.ListPaymentsAsync(merchantId, livemode,
            new PaymentListQuery { DirectDebitBatch = batch.Id, StartingAfter = startingAfter, Limit = limit }, ct).ConfigureAwait(false);
        return (batch, debits);
    }

    /// <summary>A <c>pay_</c> id, or an RF creditor reference (spaces and case ignored) of an open transfer; refused next to the field otherwise.</summary>
    private async Task<Payment> ResolveAsync(string merchantId, bool livemode, string? text, CancellationToken ct)
    {
        var value = text?.Trim() ?? string.Empty;
        if (value.Length == 0)
        {
            throw new MatchRefusedException("payment_missing", "Enter the payment's id (pay_…) or its RF reference, or choose one below.");
        }

        if (value.Length > 100)
        {
            throw new MatchRefusedException("payment_invalid", "This is too long for a payment id or a reference.");
        }

        string? paymentId = value.StartsWith(Ids.Payment + "_", StringComparison.Ordinal) ? value : null;
        if (paymentId is null && CreditorReference.Normalize(value) is { } reference && CreditorReference.IsValid(reference))
        {
            paymentId = await bankStore.FindPaymentIdByBankReferenceAsync(merchantId, livemode, reference, ct).ConfigureAwait(false);
        }
        else if (paymentId is null)
        {
            throw new MatchRefusedException("payment_invalid", "Enter a payment id (pay_…) or a valid RF reference (like RF18 5390 0754 7034).");
        }

        return (paymentId is null ? null : await payments.GetPaymentAsync(merchantId, livemode, paymentId, ct).ConfigureAwait(false))
               ?? throw new MatchRefusedException(ErrorCodes.ResourceMissing, "No payment of this merchant and mode has this id or reference.");
    }

    private Task AuditRefusedAsync(ConsoleCaller caller, ConsoleRole? role, string merchantId, string entryId, string? payment, string reason)
    {
        var changes = new ConsoleChanges();
        changes.AuditRecords.Add(Record(caller, role, merchantId, entryId, payment is { Length: > 100 } ? payment[..100] : payment, null, AuditOutcomes.Refused, reason));
        return consoleStore.CommitAsync(changes, CancellationToken.None);
    }

    private AuditRecord Record(ConsoleCaller caller, ConsoleRole? role, string merchantId, string entryId, string? payment, long? amount, string outcome, string? reason) =>
        new()
        {
            Created = time.GetUtcNow(),
            Action = MatchedAction,
            Outcome = outcome,
            Actor = caller.Actor(role),
            MerchantId = merchantId,
            TargetType = EntryTarget,
            TargetId = entryId,
            After = new Dictionary<string, string?>
            {
                ["payment"] = payment,
                ["amount"] = amount?.ToString(CultureInfo.InvariantCulture),
                ["reason"] = reason,
            },
            Context = caller.Context,
        };
}

/// <summary>A refused match, shown next to the payment field, with the reason code the audit entry records.</summary>
public sealed class MatchRefusedException(string code, string message) : ConsoleValidationException("Payment", message)
{
    public string Code { get; } = code;
}
