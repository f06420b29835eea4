using PaymentGateway.Core.Api;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Payments;

// SEPA Direct Debit payments: created straight into processing under a mandate, no provider call; the merchant's bank
// collects them from a pain.008 file (docs/bank-transfers.md).
public sealed partial class PaymentService
{
    public const string DirectDebitType = "sepa_debit";

    private async Task<PaymentResource> CreateDirectDebitAsync(CallerContext caller, CreatePaymentRequest request, string id, CancellationToken ct)
    {
        var currency = ValidateMoney(request.Amount, request.Currency, "amount");
        if (currency.Code != "EUR")
        {
            throw GatewayException.Invalid(ErrorCodes.CurrencyUnsupported, "SEPA Direct Debits are in EUR only.", "currency");
        }

        if (request.PaymentMethod is not null || request.Confirm is not null || request.CaptureMethod is "manual" || request.Provider is not null)
        {
            var param = request.PaymentMethod is not null ? "payment_method" : request.Confirm is not null ? "confirm" : request.Provider is not null ? "provider" : "capture_method";
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"{param} does not apply to a sepa_debit payment: the mandate names the account.", param);
        }

        var mandateId = request.Mandate ?? throw GatewayException.Missing("mandate");
        ValidateMetadata(request.Metadata);
        ValidateText(request.Description, "description", 1000);
        ValidateText(request.Customer, "customer", 255);
        ValidateUrl(request.ReturnUrl, "return_url");
        var mandate = await mandateStore.GetMandateAsync(caller.MerchantId, caller.Livemode, mandateId, ct).ConfigureAwait(false)
                      ?? throw new GatewayException(ErrorKind.NotFound, ErrorCodes.ResourceMissing,
                          $"No such mandate: '{(mandateId.Length > 64 ? mandateId[..64] : mandateId)}'.", "mandate");

        var now = time.GetUtcNow();
        var payment = new Payment
        {
            Id = id,
            MerchantId = caller.MerchantId,
            Livemode = caller.Livemode,
            Status = PaymentStatus.RequiresPaymentMethod,
            Amount = request.Amount!.Value,
            Currency = currency.Code,
            CaptureMethod = CaptureMethod.Automatic,
            Customer = request.Customer,
            Description = request.Description,
            Metadata = request.Metadata ?? [],
            ReturnUrl = request.ReturnUrl,
            PaymentMethodType = DirectDebitType,
            PaymentMethodId = mandate.PaymentMethodId,
            DirectDebit = new DirectDebitDetails
            {
                MandateId = mandate.Id,
                MandateReference = mandate.Reference,
                MandateSignatureDate = mandate.SignatureDate,
                PaymentMethodId = mandate.PaymentMethodId,
            },
            Created = now,
            Updated = now,
        };

        var events = new StoreChanges();
        events.Events.Add(EventFactory.ForPayment(payment, EventTypes.PaymentCreated, now));
        Transition(payment, PaymentStateMachine.Next(payment.Status, PaymentTrigger.SubmitDirectDebit), events, now);

        var changes = new BankTransferChanges();
        changes.NewPayments.Add(payment);
        changes.Events.AddRange(events.Events);
        await bankTransferStore.CommitBankTransfersAsync(changes, ct).ConfigureAwait(false);
        return payment.ToResource();
    }

    /// <summary>
    /// Applies a return or reversal (R-transaction) naming a direct debit, adding its writes to <paramref name="changes"/>:
    /// a debit still processing fails with the SEPA reason code as <c>last_payment_error.decline_code</c>. One already
    /// closed is left as it is and the entry says so.
    /// </summary>
    internal BankEntryStatus ApplyDirectDebitReturn(Payment payment, BankStatementEntry entry, BankTransferChanges changes, DateTimeOffset now)
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
        var scratch = new StoreChanges();
        Transition(payment, PaymentStateMachine.Next(payment.Status, PaymentTrigger.DirectDebitReturned), scratch, now);
        if (!changes.UpdatedPayments.Contains(payment))
        {
            changes.UpdatedPayments.Add(payment);
        }

        changes.Events.AddRange(scratch.Events);
        entry.Note = $"Direct debit returned ({reason}); the payment failed.";
        return BankEntryStatus.Returned;
    }

    /// <summary>
    /// Settles an exported debit still <c>processing</c> (row <c>direct_debit_settled</c>, event <c>payment.succeeded</c>),
    /// version-checked: a return imported at the same moment wins or loses whole, never both. Returns false when the
    /// payment is no longer a processing debit; throws <see cref="ConcurrencyConflictException"/> when it changed since it was read.
    /// </summary>
    public async Task<bool> SettleDirectDebitAsync(Payment payment, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(payment);
        if (payment.Status != PaymentStatus.Processing || payment.DirectDebit is not { BatchId: not null })
        {
            return false;
        }

        var now = time.GetUtcNow();
        var scratch = new StoreChanges();
        payment.AmountReceived = payment.Amount;
        Transition(payment, PaymentStateMachine.Next(payment.Status, PaymentTrigger.DirectDebitSettled), scratch, now);
        var changes = new BankTransferChanges();
        changes.UpdatedPayments.Add(payment);
        changes.Events.AddRange(scratch.Events);
        await bankTransferStore.CommitBankTransfersAsync(changes, ct).ConfigureAwait(false);
        return true;
    }
}
