using Microsoft.Extensions.Options;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Payments;

/// <summary>
/// Bank-transfer payments into the merchant's own collection account (SEPA credit transfer, docs/bank-transfers.md):
/// created straight into <c>requires_action</c> with transfer instructions and an ISO 11649 reference; credits from
/// imported statements pay them (<see cref="BankStatementService"/>); the expiry job cancels those left unpaid.
/// Transfers a routing rule sends to a provider are <see cref="ProviderBankTransferPayments"/>.
/// </summary>
public sealed class BankTransferPayments(IBankTransferStore store, IOptions<GatewayOptions> options, TimeProvider time)
{
    public async Task<PaymentResource> CreateAsync(CallerContext caller, string id, ValidatedPaymentRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var settings = options.Value.BankTransfers;
        var account = settings.For(caller.MerchantId);
        var iban = Iban.Normalize(account?.Iban);
        if (account is null || iban is null || !Iban.IsValid(iban) || string.IsNullOrWhiteSpace(account.AccountHolderName))
        {
            throw new GatewayException(ErrorKind.Unprocessable, ErrorCodes.BankTransferNotConfigured,
                "Bank transfers need a collection account (IBAN and account holder name) in PaymentGateway:BankTransfers; see docs/bank-transfers.md.", "payment_method_type");
        }

        var now = time.GetUtcNow();
        var payment = Payment.Create(id, caller, request, now);
        var transfer = new BankTransferDetails
        {
            Reference = CreditorReference.Generate(),
            ExpiresAt = now + settings.Expiry,
            Iban = iban,
            Bic = Bic.Normalize(account.Bic),
            AccountHolderName = account.AccountHolderName.Trim(),
        };
        payment.BankTransfer = transfer;

        var changes = new BankTransferChanges();
        changes.NewPayments.Add(payment);
        changes.Events.Add(EventFactory.ForPayment(payment, EventTypes.PaymentCreated, now));
        payment.NextAction = new NextAction { Type = BankTransferResourceMapper.InstructionsActionType };
        PaymentWriter.Transition(payment, PaymentTrigger.AwaitBankTransfer, changes.Events, now);
        changes.NewReferences.Add(new BankTransferReferenceRecord
        {
            Reference = transfer.Reference,
            MerchantId = payment.MerchantId,
            Livemode = payment.Livemode,
            PaymentId = payment.Id,
            ExpiresAt = transfer.ExpiresAt,
        });
        await store.CommitBankTransfersAsync(changes, ct).ConfigureAwait(false);
        return payment.ToResource();
    }

    /// <summary>
    /// Applies a booked credit to a bank-transfer payment, adding its writes to <paramref name="changes"/>: an open
    /// payment records the amount and succeeds once fully paid (surplus flagged); a closed one flags the credit for
    /// refund. Returns the entry's new status.
    /// </summary>
    internal static BankEntryStatus ApplyCredit(Payment payment, BankStatementEntry entry, BankTransferChanges changes, DateTimeOffset now)
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
        if (payment.AmountReceived >= payment.Amount)
        {
            transfer.AmountSurplus = payment.AmountReceived - payment.Amount;
            payment.NextAction = null;
            PaymentWriter.Transition(payment, PaymentTrigger.BankTransferReceived, changes.Events, now);
            changes.ClosedReferences.Add(transfer.Reference);
            if (transfer.AmountSurplus > 0)
            {
                entry.Note = $"Overpaid by {transfer.AmountSurplus} (minor units); the surplus is flagged on the payment for refund.";
            }
        }
        else
        {
            entry.Note = $"Partial payment; {payment.Amount - payment.AmountReceived} (minor units) still due.";
            changes.Events.Add(EventFactory.ForPayment(payment, EventTypes.PaymentPartiallyFunded, now));
        }

        return BankEntryStatus.Matched;
    }

    /// <summary>Cancels an unpaid transfer past its expiry (the expiry job). False when it was no longer open.</summary>
    public async Task<bool> ExpireAsync(Payment payment, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(payment);
        var changes = new BankTransferChanges();
        if (payment.BankTransfer is { } transfer)
        {
            changes.ClosedReferences.Add(transfer.Reference);
        }

        var expired = payment.Status == PaymentStatus.RequiresAction && payment.BankTransfer is not null;
        if (expired)
        {
            var now = time.GetUtcNow();
            payment.NextAction = null;
            payment.CanceledAt = now;
            payment.CancellationReason = "expired";
            PaymentWriter.Transition(payment, PaymentTrigger.BankTransferExpired, changes.Events, now);
            changes.UpdatedPayments.Add(payment);
        }

        await store.CommitBankTransfersAsync(changes, ct).ConfigureAwait(false);
        return expired;
    }
}
