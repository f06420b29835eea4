using PaymentGateway.Core.Api;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Payments;

/// <summary>
/// SEPA Direct Debit payments (docs/bank-transfers.md): created straight into <c>processing</c> under a mandate, with
/// no provider call; the merchant's bank collects them from a pain.008 file. The settlement job succeeds them after the
/// settlement period; a return (R-transaction) in an imported statement fails them, or flags one that had settled.
/// </summary>
public sealed class DirectDebitPayments(IBankTransferStore store, IMandateStore mandates, TimeProvider time)
{
    public async Task<PaymentResource> CreateAsync(CallerContext caller, string id, ValidatedPaymentRequest request, string mandateId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(mandateId);
        var mandate = await mandates.GetMandateAsync(caller.MerchantId, caller.Livemode, mandateId, ct).ConfigureAwait(false)
                      ?? throw new GatewayException(ErrorKind.NotFound, ErrorCodes.ResourceMissing,
                          $"No such mandate: '{RequestValidation.Clip(mandateId, 64)}'.", "mandate");

        var now = time.GetUtcNow();
        var payment = Payment.Create(id, caller, request, now);
        payment.PaymentMethodId = mandate.PaymentMethodId;
        payment.DirectDebit = new DirectDebitDetails
        {
            MandateId = mandate.Id,
            MandateReference = mandate.Reference,
            MandateSignatureDate = mandate.SignatureDate,
            PaymentMethodId = mandate.PaymentMethodId,
        };

        var changes = new BankTransferChanges();
        changes.NewPayments.Add(payment);
        changes.Events.Add(EventFactory.ForPayment(payment, EventTypes.PaymentCreated, now));
        PaymentWriter.Transition(payment, PaymentTrigger.SubmitDirectDebit, changes.Events, now);
        await store.CommitBankTransfersAsync(changes, ct).ConfigureAwait(false);
        return payment.ToResource();
    }

    /// <summary>
    /// Applies a return or reversal (R-transaction) naming a direct debit, adding its writes to <paramref name="changes"/>:
    /// a debit still processing fails with the SEPA reason code as <c>last_payment_error.decline_code</c>. One already
    /// closed is left as it is and the entry says so.
    /// </summary>
    internal static BankEntryStatus ApplyReturn(Payment payment, BankStatementEntry entry, BankTransferChanges changes, DateTimeOffset now)
    {
        entry.PaymentId = payment.Id;
        var reason = entry.ReturnReason ?? (entry.Reversal ? "reversal" : "unknown");
        if (payment.Status == PaymentStatus.Succeeded && payment.DirectDebit is { } settled)
        {
            // The debit had settled (no return within the settlement period), yet the bank took the money back (a
            // debtor may claim an authorized debit back for 8 weeks). The payment stays succeeded; the return is
            // recorded on it and announced with its own event, so it does not vanish. The first one counts.
            if (settled.ReturnedAfterSettlement is null)
            {
                settled.ReturnedAfterSettlement = new DirectDebitLateReturn
                {
                    Reason = reason,
                    Amount = entry.Amount,
                    BankStatementEntryId = entry.Id,
                    ReturnedAt = now,
                };
                payment.Updated = now;
                if (!changes.UpdatedPayments.Contains(payment))
                {
                    changes.UpdatedPayments.Add(payment);
                }

                changes.Events.Add(EventFactory.ForPayment(payment, EventTypes.PaymentDirectDebitReturnedAfterSettlement, now));
                entry.Note = $"Return ({reason}) of a debit that had already settled; the payment stays succeeded and is flagged (direct_debit.returned_after_settlement). Recover the money from the customer.";
                return BankEntryStatus.Returned;
            }

            entry.Note = $"Return ({reason}) of a debit that had already settled and was already flagged as returned; review it.";
            return BankEntryStatus.Returned;
        }

        if (payment.Status != PaymentStatus.Processing)
        {
            entry.Note = $"Return ({reason}) of a debit that is already {payment.Status.ToWire()}; review it.";
            return BankEntryStatus.Returned;
        }

        payment.LastPaymentError = new PaymentError
        {
            Code = ErrorCodes.DirectDebitReturned,
            DeclineCode = reason,
            Message = $"The debtor's bank returned the direct debit (reason {reason}).",
        };
        PaymentWriter.Transition(payment, PaymentTrigger.DirectDebitReturned, changes.Events, now);
        if (!changes.UpdatedPayments.Contains(payment))
        {
            changes.UpdatedPayments.Add(payment);
        }

        entry.Note = $"Direct debit returned ({reason}); the payment failed.";
        return BankEntryStatus.Returned;
    }

    /// <summary>
    /// Settles an exported debit still <c>processing</c> (row <c>direct_debit_settled</c>, event <c>payment.succeeded</c>),
    /// version-checked: a return imported at the same moment wins or loses whole, never both. Returns false when the
    /// payment is no longer a processing debit; throws <see cref="ConcurrencyConflictException"/> when it changed since it was read.
    /// </summary>
    public async Task<bool> SettleAsync(Payment payment, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(payment);
        if (payment.Status != PaymentStatus.Processing || payment.DirectDebit is not { BatchId: not null })
        {
            return false;
        }

        var now = time.GetUtcNow();
        var changes = new BankTransferChanges();
        payment.AmountReceived = payment.Amount;
        PaymentWriter.Transition(payment, PaymentTrigger.DirectDebitSettled, changes.Events, now);
        changes.UpdatedPayments.Add(payment);
        await store.CommitBankTransfersAsync(changes, ct).ConfigureAwait(false);
        return true;
    }
}
