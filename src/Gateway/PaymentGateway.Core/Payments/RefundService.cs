using PaymentGateway.Core.Api;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Storage;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.Payments;

/// <summary>
/// Refunds: full, partial and several, never more than captured. The refunded total is reserved on the payment in
/// the same transaction that creates the pending refund (checked against the payment's version), so concurrent
/// refunds cannot exceed the captured amount; a failed refund gives its amount back.
/// </summary>
public sealed class RefundService(IPaymentStore store, ProviderRegistry providers, Routing.ProviderRouting routing, TimeProvider time)
{
    // Each round of optimistic retries has a winner, so N concurrent refunds of one payment settle within about N
    // rounds; the cap only stops a pathological livelock, which then answers 409 concurrent_update (safe to retry).
    private const int MaxConflictRetries = 50;

    public Task<RefundResource> CreateAsync(CallerContext caller, CreateRefundRequest request, string? reservedId, CancellationToken ct) =>
        CreateAsync(caller, request, reservedId, audit: null, ct);

    /// <summary>
    /// As <see cref="CreateAsync(CallerContext, CreateRefundRequest, string?, CancellationToken)"/>, with the audit entry of
    /// the console action that asks for it (<paramref name="audit"/>, given the refund's id) written in the refund's own
    /// commit: the refund and its record exist together or not at all.
    /// </summary>
    public async Task<RefundResource> CreateAsync(CallerContext caller, CreateRefundRequest request, string? reservedId, AuditRecord? audit, CancellationToken ct)
    {
        if (request.Payment is null)
        {
            throw GatewayException.Missing("payment");
        }

        RequestValidation.Metadata(request.Metadata);
        if (request.Reason is not null && request.Reason is not ("duplicate" or "fraudulent" or "requested_by_customer"))
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "reason must be one of duplicate, fraudulent, requested_by_customer.", "reason");
        }

        if (request.Amount is <= 0)
        {
            throw GatewayException.Invalid(ErrorCodes.AmountInvalid, "amount must be a positive integer in minor units.", "amount");
        }

        var id = reservedId is null ? Ids.New(Ids.Refund) : $"{Ids.Refund}_{reservedId}";
        if (reservedId is not null && await store.GetRefundAsync(caller.MerchantId, caller.Livemode, id, ct).ConfigureAwait(false) is { } existing)
        {
            return existing.ToResource();
        }

        Refund refund;
        Payment payment;
        for (var attempt = 0; ; attempt++)
        {
            payment = await store.GetPaymentAsync(caller.MerchantId, caller.Livemode, request.Payment, ct).ConfigureAwait(false)
                ?? throw new GatewayException(ErrorKind.NotFound, ErrorCodes.ResourceMissing, "No such payment.", "payment");
            if (payment.PaymentMethodType == PaymentMethodTypes.BankTransfer)
            {
                // The customer's money came by their own transfer; no provider holds it, so none can send it back.
                throw new GatewayException(ErrorKind.Unprocessable, ErrorCodes.RefundNotSupported,
                    "A bank-transfer payment is paid back by a transfer from the merchant's own bank account, not through the gateway.", "payment");
            }

            if (payment.PaymentMethodType == PaymentMethodTypes.SepaDebit)
            {
                // A SEPA Direct Debit was collected by the merchant's bank from a pain.008 file; no provider holds it either.
                throw new GatewayException(ErrorKind.Unprocessable, ErrorCodes.RefundNotSupported,
                    "A SEPA Direct Debit is paid back by a transfer from the merchant's own bank account, not through the gateway.", "payment");
            }

            if (payment.Status != PaymentStatus.Succeeded)
            {
                throw GatewayException.StateConflict($"Only succeeded payments can be refunded; this one is '{payment.Status.ToWire()}'.");
            }

            // What a dispute holds (open from the chargeback on, or lost) is no longer the merchant's to give back
            // (docs/disputes.md, "Refunds and disputes"); the dispute writer caps its hold the same way, so refunded +
            // disputed never exceeds received whichever commits first.
            var refundable = checked(payment.AmountReceived - payment.AmountRefunded - payment.AmountDisputed);
            var amount = request.Amount ?? refundable;
            if (refundable <= 0)
            {
                throw new GatewayException(ErrorKind.Unprocessable, ErrorCodes.AmountExceedsRefundable, payment.AmountDisputed > 0
                    ? $"Nothing remains refundable: {payment.AmountDisputed} is held by a dispute (see the payment's disputes)."
                    : "This payment is already fully refunded.", "amount");
            }

            if (amount > refundable)
            {
                throw new GatewayException(ErrorKind.Unprocessable, ErrorCodes.AmountExceedsRefundable,
                    $"amount ({amount}) is more than what remains refundable ({refundable}{(payment.AmountDisputed > 0 ? $"; {payment.AmountDisputed} is held by a dispute" : string.Empty)}).", "amount");
            }

            var now = time.GetUtcNow();
            refund = new Refund
            {
                Id = id,
                MerchantId = caller.MerchantId,
                Livemode = caller.Livemode,
                PaymentId = payment.Id,
                Amount = amount,
                Currency = payment.Currency,
                Status = RefundStatus.Pending,
                Reason = request.Reason,
                Metadata = request.Metadata ?? [],
                Provider = payment.Provider,
                IdempotencyKey = $"{payment.Id}:{id}",
                Created = now,
                Updated = now,
            };
            payment.AmountRefunded = checked(payment.AmountRefunded + amount);
            payment.Updated = now;
            var changes = new StoreChanges();
            changes.NewRefunds.Add(refund);
            changes.UpdatedPayments.Add(payment);
            changes.Events.Add(EventFactory.ForRefund(refund, EventTypes.RefundCreated, now));
            if (audit is not null)
            {
                changes.AuditRecords.Add(audit with { After = new Dictionary<string, string?>(audit.After ?? new Dictionary<string, string?>()) { ["refund_id"] = id } });
            }

            try
            {
                await store.CommitAsync(changes, ct).ConfigureAwait(false);
                break;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxConflictRetries)
            {
                // Another refund or capture touched the payment: back off a little (jittered), re-read, re-check the limit.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 3 + Math.Min(attempt, 20))), ct).ConfigureAwait(false);
            }
            catch (ConcurrencyConflictException)
            {
                throw new GatewayException(ErrorKind.Conflict, ErrorCodes.ConcurrentUpdate,
                    "Too many concurrent changes to this payment; retry the refund with the same Idempotency-Key.");
            }
        }

        ProviderRefundResult result;
        try
        {
            var provider = payment.Provider ?? ProviderRegistry.SimulatorId;
            var flow = providers.GetFlow<IRefundFlow>(provider);
            var account = await routing.OpenAsync(payment, ct).ConfigureAwait(false);
            result = await routing.CallAsync(account, provider, "refund", payment.Id, token => flow.RefundAsync(new RefundRequest
            {
                Account = account,
                RefundId = refund.Id,
                PaymentId = payment.Id,
                ProviderReference = payment.ProviderReference ?? string.Empty,
                IdempotencyKey = refund.IdempotencyKey,
                Amount = new Money(refund.Amount, Currency.Get(refund.Currency)),
                TestMode = !payment.Livemode,
            }, token), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ProviderOutcomeUnknownException or ProviderUnavailableException)
        {
            // Stays pending; the amount stays reserved until the provider's answer is known.
            return refund.ToResource();
        }

        await ApplyResultAsync(refund, result, CancellationToken.None).ConfigureAwait(false);
        return refund.ToResource();
    }

    public async Task<RefundResource> GetAsync(CallerContext caller, string id, CancellationToken ct) =>
        (await store.GetRefundAsync(caller.MerchantId, caller.Livemode, id, ct).ConfigureAwait(false)
         ?? throw GatewayException.NotFound("refund", id)).ToResource();

    public async Task<ListResource<RefundResource>> ListAsync(CallerContext caller, string? paymentId, ListQuery query, CancellationToken ct)
    {
        var rows = await store.ListRefundsAsync(caller.MerchantId, caller.Livemode, paymentId, Paging.Probe(query), ct).ConfigureAwait(false);
        return Paging.ToList(rows, query, r => r.ToResource());
    }

    /// <summary>
    /// Applies a verified provider refund notification (Adyen REFUND / REFUND_FAILED, Stripe refund.* and
    /// charge.refunded) to the pending refund it names: by the gateway refund id the provider echoes, or by the refund's
    /// provider reference among the refunds of the payment it names. Only a refund of a payment of the account's
    /// merchant and mode that went to that account is touched, and only while pending; the version check makes a
    /// concurrent or replayed delivery a no-op, so the refund event is written exactly once. True when it changed.
    /// </summary>
    public async Task<bool> ApplyProviderNotificationAsync(Routing.ProviderAccountRecord account, ProviderNotification notification, CancellationToken ct)
    {
        if (notification.Kind != ProviderNotificationKind.Refund
            || notification.Outcome is not (ProviderOutcome.Succeeded or ProviderOutcome.Declined)
            || notification.MerchantReference is not { } reference)
        {
            return false;
        }

        Refund? refund = null;
        if (reference.StartsWith(Ids.Refund + "_", StringComparison.Ordinal))
        {
            refund = await store.GetRefundAsync(account.MerchantId, account.Livemode, reference, ct).ConfigureAwait(false);
        }
        else if (notification.ProviderReference is { } providerReference)
        {
            // The notification names the payment (Stripe's charge.refunded): find its refund by the provider's refund id.
            var refunds = await store.ListRefundsAsync(account.MerchantId, account.Livemode, reference, new ListQuery { Limit = 100 }, ct).ConfigureAwait(false);
            refund = refunds.FirstOrDefault(r => r.ProviderReference == providerReference);
        }

        if (refund is null || refund.Status != RefundStatus.Pending
            || (notification.ProviderReference is { } stated && refund.ProviderReference is { } known && stated != known))
        {
            return false;
        }

        var payment = await store.GetPaymentByIdAsync(refund.PaymentId, ct).ConfigureAwait(false);
        if (payment is null || payment.MerchantId != account.MerchantId || payment.CurrentAttempt?.ProviderAccountId != account.Id)
        {
            return false;
        }

        return await ApplyResultAsync(refund, new ProviderRefundResult
        {
            Outcome = notification.Outcome,
            ProviderReference = notification.ProviderReference,
            FailureReason = notification.Outcome == ProviderOutcome.Declined ? notification.DeclineCode ?? "declined" : null,
        }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Moves a pending refund to its final state with its event (a failed refund gives its amount back on the payment in
    /// the same commit). Re-reads on a version conflict and stops when another writer already settled the refund, so
    /// the outcome is applied once. True when this call changed the refund.
    /// </summary>
    private async Task<bool> ApplyResultAsync(Refund refund, ProviderRefundResult result, CancellationToken ct)
    {
        if (result.Outcome == ProviderOutcome.Pending)
        {
            if (result.ProviderReference is { } pendingReference && refund.ProviderReference is null)
            {
                // Remember the provider's refund reference so its notification can be matched (Adyen answers pending).
                refund.ProviderReference = pendingReference;
                var remember = new StoreChanges();
                remember.UpdatedRefunds.Add(refund);
                try
                {
                    await store.CommitAsync(remember, ct).ConfigureAwait(false);
                }
                catch (ConcurrencyConflictException)
                {
                    // A notification settled it first; nothing to remember.
                }
            }

            return false;
        }

        for (var attempt = 0; ; attempt++)
        {
            var now = time.GetUtcNow();
            var changes = new StoreChanges();
            refund.Updated = now;
            refund.ProviderReference = result.ProviderReference ?? refund.ProviderReference;
            if (result.Outcome == ProviderOutcome.Succeeded)
            {
                refund.Status = RefundStatus.Succeeded;
                changes.Events.Add(EventFactory.ForRefund(refund, EventTypes.RefundSucceeded, now));
            }
            else
            {
                refund.Status = RefundStatus.Failed;
                refund.FailureReason = result.FailureReason ?? "declined";
                var payment = await store.GetPaymentByIdAsync(refund.PaymentId, ct).ConfigureAwait(false)
                              ?? throw new InvalidOperationException($"Refund {refund.Id} has no payment.");
                payment.AmountRefunded = checked(payment.AmountRefunded - refund.Amount);
                payment.Updated = now;
                changes.UpdatedPayments.Add(payment);
                changes.Events.Add(EventFactory.ForRefund(refund, EventTypes.RefundFailed, now));
            }

            changes.UpdatedRefunds.Add(refund);
            try
            {
                await store.CommitAsync(changes, ct).ConfigureAwait(false);
                return true;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxConflictRetries)
            {
                // The refund or its payment moved: re-read; if someone else settled the refund, it is done.
                var fresh = await store.GetRefundAsync(refund.MerchantId, refund.Livemode, refund.Id, ct).ConfigureAwait(false);
                if (fresh is null || fresh.Status != RefundStatus.Pending)
                {
                    return false;
                }

                refund = fresh;
            }
        }
    }
}
