using PaymentGateway.Core.Api;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Payments;

/// <summary>
/// <c>POST /v1/payments/{id}/cancel</c> for every method type. What the provider holds is released first (a card
/// authorization is voided, a provider bank transfer is canceled there); a provider that refuses or does not answer
/// leaves the payment unchanged (409 / 503).
/// </summary>
public sealed class PaymentCancellation(PaymentWriter writer, CardPayments cards, ProviderBankTransferPayments providerTransfers, TimeProvider time)
{
    public Task<PaymentResource> CancelAsync(CallerContext caller, string id, CancelPaymentRequest request, CancellationToken ct) =>
        CancelAsync(caller, id, request, audit: null, ct);

    /// <summary>A cancellation whose console action's audit entry (<paramref name="audit"/>) is written in its own commit.</summary>
    public async Task<PaymentResource> CancelAsync(CallerContext caller, string id, CancelPaymentRequest request, AuditRecord? audit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reason = request.CancellationReason;
        if (reason is not null && reason is not ("duplicate" or "fraudulent" or "requested_by_customer" or "abandoned"))
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid,
                "cancellation_reason must be one of duplicate, fraudulent, requested_by_customer, abandoned.", "cancellation_reason");
        }

        var payment = await writer.LoadAsync(caller, id, ct).ConfigureAwait(false);
        var next = PaymentStateMachine.Next(payment.Status, PaymentTrigger.Cancel);
        await providerTransfers.CancelAtProviderAsync(payment, ct).ConfigureAwait(false);
        await cards.VoidAuthorizationAsync(payment, ct).ConfigureAwait(false);

        var now = time.GetUtcNow();
        var changes = new StoreChanges();
        payment.AmountCapturable = 0;
        payment.CanceledAt = now;
        payment.CancellationReason = reason;
        payment.NextAction = null;
        PaymentWriter.Transition(payment, next, changes.Events, now);
        changes.UpdatedPayments.Add(payment);
        if (audit is not null)
        {
            changes.AuditRecords.Add(audit);
        }

        await writer.CommitAsync(changes, ct).ConfigureAwait(false);
        return payment.ToResource();
    }
}
