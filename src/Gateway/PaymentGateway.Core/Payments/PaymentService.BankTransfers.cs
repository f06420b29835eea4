using PaymentGateway.Core.Api;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Payments;

// Bank-transfer payments (SEPA credit transfer): created straight into requires_action with transfer instructions and
// an ISO 11649 reference; credits from imported statements move them (docs/bank-transfers.md).
public sealed partial class PaymentService
{
    public const string BankTransferType = "bank_transfer";

    private async Task<PaymentResource> CreateBankTransferAsync(CallerContext caller, CreatePaymentRequest request, string id, CancellationToken ct)
    {
        if (request.PaymentMethodType == DirectDebitType)
        {
            return await CreateDirectDebitAsync(caller, request, id, ct).ConfigureAwait(false);
        }

        if (request.Mandate is not null)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "mandate applies only to a sepa_debit payment.", "mandate");
        }

        if (request.PaymentMethodType != BankTransferType)
        {
            var given = request.PaymentMethodType!;
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid,
                $"payment_method_type '{(given.Length > 32 ? given[..32] : given)}' is not supported; use 'bank_transfer' or 'sepa_debit' (or omit it for cards).", "payment_method_type");
        }

        var currency = ValidateMoney(request.Amount, request.Currency, "amount");
        if (currency.Code != "EUR")
        {
            throw GatewayException.Invalid(ErrorCodes.CurrencyUnsupported, "Bank transfers are SEPA credit transfers, in EUR only.", "currency");
        }

        if (request.PaymentMethod is not null || request.Confirm is not null || request.CaptureMethod is "manual" || request.Provider is not null)
        {
            var param = request.PaymentMethod is not null ? "payment_method" : request.Confirm is not null ? "confirm" : request.Provider is not null ? "provider" : "capture_method";
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"{param} does not apply to a bank_transfer payment: the customer pays by transfer.", param);
        }

        ValidateMetadata(request.Metadata);
        ValidateText(request.Description, "description", 1000);
        ValidateText(request.Customer, "customer", 255);
        ValidateUrl(request.ReturnUrl, "return_url");
        if (await TryCreateProviderBankTransferAsync(caller, request, id, currency, ct).ConfigureAwait(false) is { } collectedByProvider)
        {
            return collectedByProvider;
        }

        var settings = options.Value.BankTransfers;
        var account = settings.For(caller.MerchantId);
        var iban = Iban.Normalize(account?.Iban);
        if (account is null || iban is null || !Iban.IsValid(iban) || string.IsNullOrWhiteSpace(account.AccountHolderName))
        {
            throw new GatewayException(ErrorKind.Unprocessable, ErrorCodes.BankTransferNotConfigured,
                "Bank transfers need a collection account (IBAN and account holder name) in PaymentGateway:BankTransfers; see docs/bank-transfers.md.", "payment_method_type");
        }

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
            PaymentMethodType = BankTransferType,
            BankTransfer = new BankTransferDetails
            {
                Reference = CreditorReference.Generate(),
                ExpiresAt = now + settings.Expiry,
                Iban = iban,
                Bic = Bic.Normalize(account.Bic),
                AccountHolderName = account.AccountHolderName.Trim(),
            },
            Created = now,
            Updated = now,
        };

        var events = new StoreChanges();
        events.Events.Add(EventFactory.ForPayment(payment, EventTypes.PaymentCreated, now));
        payment.NextAction = new NextAction { Type = BankTransferResourceMapper.InstructionsActionType };
        Transition(payment, PaymentStateMachine.Next(payment.Status, PaymentTrigger.AwaitBankTransfer), events, now);

        var changes = new BankTransferChanges();
        changes.NewPayments.Add(payment);
        changes.Events.AddRange(events.Events);
        changes.NewReferences.Add(new BankTransferReferenceRecord
        {
            Reference = payment.BankTransfer.Reference,
            MerchantId = payment.MerchantId,
            Livemode = payment.Livemode,
            PaymentId = payment.Id,
            ExpiresAt = payment.BankTransfer.ExpiresAt,
        });
        await bankTransferStore.CommitBankTransfersAsync(changes, ct).ConfigureAwait(false);
        return payment.ToResource();
    }

    /// <summary>
    /// Applies a booked credit to a bank-transfer payment, adding its writes to <paramref name="changes"/>: an open
    /// payment records the amount and succeeds once fully paid (surplus flagged); a closed one flags the credit for
    /// refund. Returns the entry's new status.
    /// </summary>
    internal BankEntryStatus ApplyBankCredit(Payment payment, BankStatementEntry entry, BankTransferChanges changes, DateTimeOffset now)
    {
        var transfer = payment.BankTransfer ?? throw new InvalidOperationException($"Payment {payment.Id} is not a bank transfer.");
        entry.PaymentId = payment.Id;
        if (payment.Currency != entry.Currency)
        {
            entry.PaymentId = null;
            entry.Note = $"Currency {entry.Currency} does not match the payment's {payment.Currency}.";
            return BankEntryStatus.Unmatched;
        }

        transfer.Entries.Add(entry.Id);
        payment.Updated = now;
        if (!changes.UpdatedPayments.Contains(payment))
        {
            changes.UpdatedPayments.Add(payment);
        }

        if (payment.Status != PaymentStatus.RequiresAction)
        {
            // Too late (expired or canceled) or already paid in full: never silently accepted.
            transfer.AmountRefundDue = checked(transfer.AmountRefundDue + entry.Amount);
            entry.Note = $"The payment was {payment.Status.ToWire()} when this credit arrived; refund it to the payer.";
            return BankEntryStatus.RefundRequired;
        }

        payment.AmountReceived = checked(payment.AmountReceived + entry.Amount);
        var scratch = new StoreChanges();
        if (payment.AmountReceived >= payment.Amount)
        {
            transfer.AmountSurplus = payment.AmountReceived - payment.Amount;
            payment.NextAction = null;
            Transition(payment, PaymentStateMachine.Next(payment.Status, PaymentTrigger.BankTransferReceived), scratch, now);
            changes.ClosedReferences.Add(transfer.Reference);
            if (transfer.AmountSurplus > 0)
            {
                entry.Note = $"Overpaid by {transfer.AmountSurplus} (minor units); the surplus is flagged on the payment for refund.";
            }
        }
        else
        {
            entry.Note = $"Partial payment; {payment.Amount - payment.AmountReceived} (minor units) still due.";
            scratch.Events.Add(EventFactory.ForPayment(payment, EventTypes.PaymentPartiallyFunded, now));
        }

        changes.Events.AddRange(scratch.Events);
        return BankEntryStatus.Matched;
    }

    /// <summary>Cancels an unpaid transfer past its expiry (the expiry job). False when it was no longer open.</summary>
    public async Task<bool> ExpireBankTransferAsync(Payment payment, CancellationToken ct)
    {
        var changes = new BankTransferChanges();
        if (payment.BankTransfer is { } transfer)
        {
            changes.ClosedReferences.Add(transfer.Reference);
        }

        var expired = payment.Status == PaymentStatus.RequiresAction && payment.BankTransfer is not null;
        if (expired)
        {
            var now = time.GetUtcNow();
            var scratch = new StoreChanges();
            payment.NextAction = null;
            payment.CanceledAt = now;
            payment.CancellationReason = "expired";
            Transition(payment, PaymentStateMachine.Next(payment.Status, PaymentTrigger.BankTransferExpired), scratch, now);
            changes.UpdatedPayments.Add(payment);
            changes.Events.AddRange(scratch.Events);
        }

        await bankTransferStore.CommitBankTransfersAsync(changes, ct).ConfigureAwait(false);
        return expired;
    }
}
