using PaymentGateway.Core.Routing;
using PaymentGateway.Core.Storage;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.Payments;

/// <summary>
/// Applies verified provider notifications (<see cref="ProviderWebhookService"/>) to the payment they name: a card
/// authorization or capture result, a capture or cancellation that failed after the provider accepted it, or a provider
/// bank transfer's new status. Only a payment of the account's merchant and mode whose latest attempt went to that
/// account is touched, and only while it waits on the provider; a replay or a concurrent change (the reconciler, the
/// customer's return, another delivery) is a no-op, so the resulting event is written exactly once.
/// </summary>
public sealed class ProviderNotifications(IPaymentStore store, PaymentWriter writer, ProviderBankTransferPayments transfers)
{
    /// <summary>Applies the notification; true when the payment changed.</summary>
    public async Task<bool> ApplyAsync(ProviderAccountRecord account, ProviderNotification notification, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(notification);
        if (await ApplyBankTransferNotificationAsync(account, notification, ct).ConfigureAwait(false) is { } transferSettled)
        {
            return transferSettled;
        }

        if (notification.Kind is ProviderNotificationKind.Capture or ProviderNotificationKind.Cancellation
            && await ApplyModificationNotificationAsync(account, notification, ct).ConfigureAwait(false) is { } settled)
        {
            return settled;
        }

        if (notification.Kind is not (ProviderNotificationKind.Authorization or ProviderNotificationKind.Capture)
            || notification.Outcome is not (ProviderOutcome.Authorized or ProviderOutcome.Succeeded or ProviderOutcome.Declined)
            || notification.MerchantReference is not { } paymentId)
        {
            return false;
        }

        // A concurrent save that is not a settlement (the reconciler recording another unknown outcome of a provider
        // without a status lookup) must not swallow the provider's word: read again, a few times.
        for (var read = 1; ; read++)
        {
            var payment = await store.GetPaymentByIdAsync(paymentId, ct).ConfigureAwait(false);
            if (payment is null || payment.Status is not (PaymentStatus.Processing or PaymentStatus.RequiresAction)
                || CurrentAttemptOf(account, notification, payment) is not { } attempt
                || (notification.Outcome == ProviderOutcome.Authorized && payment.CaptureMethod == CaptureMethod.Automatic))
            {
                // An authorization of an automatically captured payment is not its end (Adyen, Checkout.com capture
                // asynchronously): the capture's notification or a sync settles it.
                return false;
            }

            try
            {
                await writer.ApplyProviderResultAsync(payment, attempt, new ProviderPaymentResult
                {
                    Outcome = notification.Outcome,
                    ProviderReference = notification.ProviderReference,
                    DeclineCode = notification.DeclineCode,
                }, ct).ConfigureAwait(false);
                return true;
            }
            catch (GatewayException e) when (e.Code == ErrorCodes.PaymentStateConflict && read < PaymentWriter.MaxReads)
            {
                // read again: a settlement by the other writer ends the loop above
            }
            catch (GatewayException e) when (e.Code == ErrorCodes.PaymentStateConflict)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// The payment's latest attempt when the payment belongs to the account's merchant and mode, that attempt went to
    /// the account, and the notification's provider reference (if any) is the attempt's; else null.
    /// </summary>
    private static PaymentAttempt? CurrentAttemptOf(ProviderAccountRecord account, ProviderNotification notification, Payment payment) =>
        payment.MerchantId == account.MerchantId && payment.Livemode == account.Livemode
        && payment.CurrentAttempt is { } attempt && attempt.ProviderAccountId == account.Id
        && !(notification.ProviderReference is { } reference && attempt.ProviderReference is { } known && reference != known)
            ? attempt
            : null;

    /// <summary>
    /// A capture or cancel notification for a payment the gateway already moved when the provider accepted the
    /// modification (Adyen answers captures and cancels <c>received</c>; the result arrives by webhook): success
    /// confirms it (no change, no event); failure cannot undo a terminal state in the state machine, so it is recorded
    /// on the payment as <c>last_payment_error</c> (once: a replay or a concurrent delivery finds it already there or
    /// loses the version check). Null when the notification is not about such a payment (the authorization path applies).
    /// </summary>
    private async Task<bool?> ApplyModificationNotificationAsync(ProviderAccountRecord account, ProviderNotification notification, CancellationToken ct)
    {
        var settledStatus = notification.Kind == ProviderNotificationKind.Capture ? PaymentStatus.Succeeded : PaymentStatus.Canceled;
        if (notification.MerchantReference is not { } paymentId
            || await store.GetPaymentByIdAsync(paymentId, ct).ConfigureAwait(false) is not { } payment
            || payment.Status != settledStatus
            || CurrentAttemptOf(account, notification, payment) is null)
        {
            return null;
        }

        if (notification.Outcome != ProviderOutcome.Declined)
        {
            return false;
        }

        var what = notification.Kind == ProviderNotificationKind.Capture ? "capture" : "cancellation";
        var message = $"The provider reported that the {what} failed ({notification.RawEventType ?? "failed"}).";
        if (payment.LastPaymentError?.Message == message)
        {
            return false;
        }

        payment.LastPaymentError = new PaymentError
        {
            Code = ErrorCodes.ProviderUnavailable,
            DeclineCode = notification.DeclineCode ?? DeclineCodes.ProcessingError,
            Message = message,
        };
        try
        {
            await writer.SaveAsync(payment, new StoreChanges(), ct).ConfigureAwait(false);
            return true;
        }
        catch (GatewayException e) when (e.Code == ErrorCodes.PaymentStateConflict)
        {
            return false;
        }
    }

    /// <summary>
    /// A notification about a provider bank transfer: settles it with the status the provider reported (or, when the
    /// notification carries none, reads the transfer). Null when the notification is not about such a payment. A
    /// concurrent write (another delivery, the reconciler's sync) makes this one lose its version check: the payment is
    /// read again and the decision made again, so a real status change is never dropped and is applied exactly once.
    /// </summary>
    private async Task<bool?> ApplyBankTransferNotificationAsync(ProviderAccountRecord account, ProviderNotification notification, CancellationToken ct)
    {
        if (notification.Kind == ProviderNotificationKind.Refund || notification.MerchantReference is not { } paymentId
            || await store.GetPaymentByIdAsync(paymentId, ct).ConfigureAwait(false) is not { } payment
            || !ProviderBankTransferPayments.IsProviderBankTransfer(payment))
        {
            return null;
        }

        for (var round = 1; ; round++)
        {
            try
            {
                return await ApplyBankTransferNotificationOnceAsync(account, notification, payment, ct).ConfigureAwait(false);
            }
            catch (GatewayException e) when (e.Code == ErrorCodes.PaymentStateConflict && round < PaymentWriter.MaxReads)
            {
                if (await store.GetPaymentByIdAsync(paymentId, ct).ConfigureAwait(false) is not { } reloaded)
                {
                    return false;
                }

                payment = reloaded;
            }
        }
    }

    private async Task<bool> ApplyBankTransferNotificationOnceAsync(ProviderAccountRecord account, ProviderNotification notification, Payment payment,
        CancellationToken ct)
    {
        if (payment.Status is not (PaymentStatus.RequiresPaymentMethod or PaymentStatus.RequiresAction)
            || notification.ProviderReference is not { } reference
            || CurrentAttemptOf(account, notification, payment) is not { } attempt)
        {
            return false;
        }

        var transfer = notification.BankTransferStatus is { } status && payment.Status == PaymentStatus.RequiresAction
            ? new ProviderBankTransfer { ProviderReference = reference, Status = status }
            : await transfers.ReadAsync(payment, attempt, reference, ct).ConfigureAwait(false);
        return await writer.ApplyProviderTransferAsync(payment, attempt, transfer, ct).ConfigureAwait(false);
    }
}
