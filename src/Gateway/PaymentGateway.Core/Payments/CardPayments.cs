using PaymentGateway.Core.Api;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Customers;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Routing;
using PaymentGateway.Core.Storage;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.Payments;

/// <summary>
/// Card payments: create (and confirm at once), confirm, capture, and void an authorization when the payment is
/// canceled. Confirming routes the payment (<see cref="PaymentRouter"/>), commits the attempt with its provider
/// idempotency key, then hands it to <see cref="CardAuthorization"/>. Capture and void use derived provider keys
/// (<c>{payment_id}:capture</c>, <c>{payment_id}:void</c>), so a retry can never act twice at the provider.
/// </summary>
public sealed class CardPayments(
    SavedCards savedCards, PaymentWriter writer, PaymentRouter router, ProviderRouting routing, ProviderRegistry providers, CardAuthorization authorization,
    TestPaymentMethodShortcuts testMethods, TimeProvider time)
{
    /// <summary>
    /// A card payment (<paramref name="request"/> has no method type), with its payment method attached when given and
    /// confirmed at once when asked. The merchant's routing rules are read once for the whole request.
    /// </summary>
    public async Task<PaymentResource> CreateAsync(CallerContext caller, string id, ValidatedPaymentRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var rules = await router.ReadRulesAsync(caller.MerchantId, caller.Livemode, ct).ConfigureAwait(false);
        var routed = rules.Count > 0;
        if (routed && request.Provider is { } requested && !providers.IsRegistered(requested))
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"Provider '{RequestValidation.Clip(requested, 32)}' is not configured.", "provider");
        }

        var methodId = request.PaymentMethod
            ?? (request is { OffSession: true, Customer: { } customer } ? await savedCards.DefaultPaymentMethodAsync(caller, customer, ct).ConfigureAwait(false) : null);
        var method = methodId is null ? null : await LoadPaymentMethodAsync(caller, methodId, ct).ConfigureAwait(false);

        // Routed payments get their provider when confirmed; without rules, test mode is the simulator and live mode a 422.
        var providerId = routed ? null : providers.Choose(caller.Livemode, request.Provider, request.Currency.Code);
        if (request.Confirm && method is null)
        {
            throw GatewayException.Invalid(ErrorCodes.PaymentMethodRequired, "confirm=true needs a payment_method.", "payment_method");
        }

        var now = time.GetUtcNow();
        var payment = Payment.Create(id, caller, request, now);
        payment.Provider = providerId;
        var changes = new StoreChanges();
        changes.NewPayments.Add(payment);
        if (method is not null)
        {
            StoredCredentialPolicy.CheckUsable(payment, method);
            payment.PaymentMethodId = method.Id;
            payment.Status = PaymentStateMachine.Next(payment.Status, PaymentTrigger.AttachPaymentMethod);
        }

        changes.Events.Add(EventFactory.ForPayment(payment, EventTypes.PaymentCreated, now));
        if (!request.Confirm || method is null)
        {
            await writer.InsertAsync(changes, ct, answer: payment).ConfigureAwait(false);
            return payment.ToResource();
        }

        var plan = savedCards.Restrict(payment, method, await RouteAsync(payment, method, request.Provider, rules, ct).ConfigureAwait(false));
        payment.Routing = plan?.Decision ?? payment.Routing;
        var attempt = StartAttempt(payment, method, changes, now, plan?.Accounts[0]);
        await writer.InsertAsync(changes, ct).ConfigureAwait(false);
        return await authorization.AuthorizeAsync(payment, attempt, method, plan, ct).ConfigureAwait(false);
    }

    public async Task<PaymentResource> ConfirmAsync(CallerContext caller, string id, ConfirmPaymentRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestValidation.Url(request.ReturnUrl, "return_url");
        var payment = await writer.LoadAsync(caller, id, ct).ConfigureAwait(false);
        var methodId = request.PaymentMethod ?? payment.PaymentMethodId
            ?? throw GatewayException.Invalid(ErrorCodes.PaymentMethodRequired, "This payment has no payment method; pass payment_method.", "payment_method");
        if (payment.Status is not (PaymentStatus.RequiresPaymentMethod or PaymentStatus.RequiresConfirmation))
        {
            throw GatewayException.StateConflict($"A payment in status '{payment.Status.ToWire()}' cannot be confirmed.");
        }

        if (request.OffSession is true && !payment.OffSession)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "A payment cannot become off_session on confirm; create an off_session payment instead.", "off_session");
        }

        var method = await LoadPaymentMethodAsync(caller, methodId, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var changes = new StoreChanges();
        payment.OffSession &= request.OffSession != false; // false: the customer is back on session (after card_authentication_required)
        payment.ReturnUrl = request.ReturnUrl ?? payment.ReturnUrl; // where that customer lands after 3-D Secure (an off-session payment had none)
        StoredCredentialPolicy.CheckUsable(payment, method);
        payment.Status = PaymentStateMachine.Next(payment.Status, PaymentTrigger.AttachPaymentMethod);
        payment.PaymentMethodId = method.Id;
        var plan = savedCards.Restrict(payment, method, await RouteAsync(payment, method, null, null, ct).ConfigureAwait(false));
        payment.Routing = plan?.Decision ?? payment.Routing;
        var attempt = StartAttempt(payment, method, changes, now, plan?.Accounts[0]);
        changes.UpdatedPayments.Add(payment);
        await writer.CommitAsync(changes, ct).ConfigureAwait(false);
        return await authorization.AuthorizeAsync(payment, attempt, method, plan, ct).ConfigureAwait(false);
    }

    public Task<PaymentResource> CaptureAsync(CallerContext caller, string id, CapturePaymentRequest request, CancellationToken ct) =>
        CaptureAsync(caller, id, request, audit: null, ct);

    /// <summary>A capture whose console action's audit entry (<paramref name="audit"/>) is written in the capture's own commit.</summary>
    public async Task<PaymentResource> CaptureAsync(CallerContext caller, string id, CapturePaymentRequest request, AuditRecord? audit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var payment = await writer.LoadAsync(caller, id, ct).ConfigureAwait(false);
        var next = PaymentStateMachine.Next(payment.Status, PaymentTrigger.Capture);
        var amount = request.AmountToCapture ?? payment.AmountCapturable;
        if (amount <= 0)
        {
            throw GatewayException.Invalid(ErrorCodes.AmountInvalid, "amount_to_capture must be a positive integer in minor units.", "amount_to_capture");
        }

        if (amount > payment.AmountCapturable)
        {
            throw new GatewayException(ErrorKind.Unprocessable, ErrorCodes.AmountExceedsCapturable,
                $"amount_to_capture ({amount}) is more than the capturable amount ({payment.AmountCapturable}).", "amount_to_capture");
        }

        var provider = providers.GetFlow<ICaptureFlow>(payment.Provider ?? ProviderRegistry.SimulatorId);
        var account = await routing.OpenAsync(payment, ct).ConfigureAwait(false);
        var result = await routing.ModifyAsync(account, payment.Provider, "capture", payment.Id, token => provider.CaptureAsync(new CaptureRequest
        {
            Account = account,
            PaymentId = payment.Id,
            ProviderReference = payment.ProviderReference ?? string.Empty,
            IdempotencyKey = $"{payment.Id}:capture",
            Amount = new Money(amount, Currency.Get(payment.Currency)),
            TestMode = !payment.Livemode,
        }, token), ct).ConfigureAwait(false);
        if (result.Outcome is not (ProviderOutcome.Succeeded or ProviderOutcome.Pending))
        {
            throw new GatewayException(ErrorKind.ProviderUnavailable, ErrorCodes.ProviderUnavailable,
                $"The provider did not capture the payment ({result.Message ?? result.Outcome.ToString()}). Retry with the same Idempotency-Key.");
        }

        var now = time.GetUtcNow();
        var changes = new StoreChanges();
        payment.AmountReceived = amount;
        payment.AmountCapturable = 0;
        PaymentWriter.Transition(payment, next, changes.Events, now);
        changes.UpdatedPayments.Add(payment);
        if (audit is not null)
        {
            changes.AuditRecords.Add(audit);
        }

        await writer.CommitAsync(changes, ct).ConfigureAwait(false);
        return payment.ToResource();
    }

    /// <summary>Releases an authorization the provider holds (a payment in <c>requires_capture</c>) before it is canceled; nothing for other payments.</summary>
    public async Task VoidAuthorizationAsync(Payment payment, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(payment);
        if (payment.Status != PaymentStatus.RequiresCapture || payment.ProviderReference is not { } reference)
        {
            return;
        }

        var provider = providers.GetFlow<IVoidFlow>(payment.Provider ?? ProviderRegistry.SimulatorId);
        var account = await routing.OpenAsync(payment, ct).ConfigureAwait(false);
        await routing.ModifyAsync(account, payment.Provider, "void", payment.Id, token => provider.VoidAsync(new VoidRequest
        {
            Account = account,
            PaymentId = payment.Id,
            ProviderReference = reference,
            IdempotencyKey = $"{payment.Id}:void",
            TestMode = !payment.Livemode,
        }, token), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Routes the payment when the merchant has rules (with <paramref name="rules"/> when this request already read
    /// them) and records the decision on it; null when it is not routed.
    /// </summary>
    private async Task<RoutingPlan?> RouteAsync(Payment payment, StoredPaymentMethod method, string? requestedProvider, IReadOnlyList<RoutingRule>? rules,
        CancellationToken ct)
    {
        if (payment.Provider is not null && payment.Routing is null)
        {
            return null;
        }

        var plan = rules is null
            ? await router.PlanAsync(payment, method, requestedProvider, ct).ConfigureAwait(false)
            : await router.PlanAsync(rules, payment, method, requestedProvider, ct).ConfigureAwait(false);
        if (plan is not null)
        {
            payment.Routing = plan.Decision;
            payment.Provider = plan.Accounts[0].ProviderId;
        }
        else if (payment.Provider is null)
        {
            // Created while the merchant had rules, confirmed after they were all deleted: back to the defaults.
            payment.Provider = providers.Choose(payment.Livemode, requestedProvider, payment.Currency);
        }

        return plan;
    }

    private static PaymentAttempt StartAttempt(Payment payment, StoredPaymentMethod method, StoreChanges changes, DateTimeOffset now, ProviderAccountRecord? account)
    {
        var attempt = PaymentWriter.AddAttempt(payment, account?.ProviderId ?? payment.Provider ?? ProviderRegistry.SimulatorId, account?.Id, method.Id, now);
        payment.LastPaymentError = null;
        PaymentWriter.Transition(payment, PaymentTrigger.StartAttempt, changes.Events, now);
        return attempt;
    }

    /// <summary>The method with its saved-card state (customer, usage, encrypted stored credentials), or 404.</summary>
    /// <summary>The payment method <paramref name="id"/> names; a test shortcut (<c>pm_card_visa</c>) becomes a fresh one in test mode.</summary>
    private async Task<StoredPaymentMethod> LoadPaymentMethodAsync(CallerContext caller, string id, CancellationToken ct) =>
        await savedCards.LoadMethodAsync(caller, await testMethods.ResolveAsync(caller, id, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
}
