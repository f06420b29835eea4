using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Diagnostics;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Vault;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.Payments;

/// <summary>
/// The one application service for payments. REST and gRPC call it; it validates, moves payments through
/// <see cref="PaymentStateMachine"/>, persists each step with its event, and talks to providers.
/// Before a provider is called, the attempt and its provider idempotency key are committed; an unknown answer
/// leaves the payment in <c>processing</c> for the reconciler.
/// </summary>
public sealed partial class PaymentService(
    IPaymentStore paymentStore, IBankTransferStore bankTransferStore, IMandateStore mandateStore,
    ProviderRegistry providers,
    CardVault vault,
    CvcStore cvcs,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<PaymentService> logger,
    Routing.ProviderRouting? routing = null)
{
    private const int MaxMetadataKeys = 50;

    public async Task<PaymentResource> CreateAsync(CallerContext caller, CreatePaymentRequest request, string? reservedId, CancellationToken ct)
    {
        var id = reservedId is null ? Ids.New(Ids.Payment) : $"{Ids.Payment}_{reservedId}";
        var existing = reservedId is null ? null : await paymentStore.GetPaymentAsync(caller.MerchantId, caller.Livemode, id, ct).ConfigureAwait(false);
        if (existing is not null)
        {
            // A retry under the same idempotency key after a crash: the payment exists, never create a second one.
            return existing.ToResource();
        }

        if (request.PaymentMethodType is not null)
        {
            return await CreateBankTransferAsync(caller, request, id, ct).ConfigureAwait(false);
        }

        var currency = ValidateMoney(request.Amount, request.Currency, "amount");
        var captureMethod = request.CaptureMethod switch
        {
            null or "automatic" => CaptureMethod.Automatic,
            "manual" => CaptureMethod.Manual,
            _ => throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "capture_method must be 'automatic' or 'manual'.", "capture_method"),
        };
        ValidateMetadata(request.Metadata);
        ValidateText(request.Description, "description", 1000);
        ValidateText(request.Customer, "customer", 255);
        ValidateUrl(request.ReturnUrl, "return_url");
        var routed = await IsRoutedAsync(caller, request.Provider, ct).ConfigureAwait(false);
        var providerId = routed ? null : providers.Choose(caller.Livemode, request.Provider, currency.Code);

        StoredPaymentMethod? method = null;
        if (request.PaymentMethod is not null)
        {
            method = await LoadPaymentMethodAsync(caller, request.PaymentMethod, ct).ConfigureAwait(false);
        }

        if (request.Confirm == true && method is null)
        {
            throw GatewayException.Invalid(ErrorCodes.PaymentMethodRequired, "confirm=true needs a payment_method.", "payment_method");
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
            CaptureMethod = captureMethod,
            Customer = request.Customer,
            Description = request.Description,
            Metadata = request.Metadata ?? [],
            ReturnUrl = request.ReturnUrl,
            Provider = providerId,
            Created = now,
            Updated = now,
        };

        var changes = new StoreChanges();
        changes.NewPayments.Add(payment);
        if (method is not null)
        {
            payment.PaymentMethodId = method.Id;
            payment.Status = PaymentStateMachine.Next(payment.Status, PaymentTrigger.AttachPaymentMethod);
        }

        changes.Events.Add(EventFactory.ForPayment(payment, EventTypes.PaymentCreated, now));
        if (request.Confirm != true)
        {
            await paymentStore.CommitAsync(changes, ct).ConfigureAwait(false);
            return payment.ToResource();
        }

        var plan = await PlanAsync(payment, method!, request.Provider, ct).ConfigureAwait(false);
        var attempt = StartAttempt(payment, method!, changes, now, plan?.Accounts[0]);
        await paymentStore.CommitAsync(changes, ct).ConfigureAwait(false);
        return await AuthorizeAsync(payment, attempt, method!, ct, plan).ConfigureAwait(false);
    }

    public async Task<PaymentResource> GetAsync(CallerContext caller, string id, CancellationToken ct) =>
        (await LoadAsync(caller, id, ct).ConfigureAwait(false)).ToResource();

    public async Task<ListResource<PaymentResource>> ListAsync(CallerContext caller, PaymentListQuery query, CancellationToken ct)
    {
        var rows = await paymentStore.ListPaymentsAsync(caller.MerchantId, caller.Livemode, Paging.Probe(query), ct).ConfigureAwait(false);
        return Paging.ToList(rows, query, p => p.ToResource());
    }

    public async Task<PaymentResource> ConfirmAsync(CallerContext caller, string id, ConfirmPaymentRequest request, CancellationToken ct)
    {
        ValidateUrl(request.ReturnUrl, "return_url");
        var payment = await LoadAsync(caller, id, ct).ConfigureAwait(false);
        var methodId = request.PaymentMethod ?? payment.PaymentMethodId
            ?? throw GatewayException.Invalid(ErrorCodes.PaymentMethodRequired, "This payment has no payment method; pass payment_method.", "payment_method");
        if (payment.Status is not (PaymentStatus.RequiresPaymentMethod or PaymentStatus.RequiresConfirmation))
        {
            throw GatewayException.StateConflict($"A payment in status '{payment.Status.ToWire()}' cannot be confirmed.");
        }

        var method = await LoadPaymentMethodAsync(caller, methodId, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var changes = new StoreChanges();
        payment.Status = PaymentStateMachine.Next(payment.Status, PaymentTrigger.AttachPaymentMethod);
        payment.PaymentMethodId = method.Id;
        var plan = await PlanAsync(payment, method, null, ct).ConfigureAwait(false);
        var attempt = StartAttempt(payment, method, changes, now, plan?.Accounts[0]);
        changes.UpdatedPayments.Add(payment);
        await CommitOrConflictAsync(changes, ct).ConfigureAwait(false);
        return await AuthorizeAsync(payment, attempt, method, ct, plan).ConfigureAwait(false);
    }

    public async Task<PaymentResource> CaptureAsync(CallerContext caller, string id, CapturePaymentRequest request, CancellationToken ct)
    {
        var payment = await LoadAsync(caller, id, ct).ConfigureAwait(false);
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
        var captureAccount = await OpenAccountAsync(payment, ct).ConfigureAwait(false);
        var result = await CallProviderAsync(payment.Provider, "capture", () => CallAsync(captureAccount, token => provider.CaptureAsync(new CaptureRequest
        {
            Account = captureAccount,
            PaymentId = payment.Id,
            ProviderReference = payment.ProviderReference ?? string.Empty,
            IdempotencyKey = $"{payment.Id}:capture",
            Amount = new Money(amount, Currency.Get(payment.Currency)),
            TestMode = !payment.Livemode,
        }, token), ct), payment.Id).ConfigureAwait(false);
        if (result.Outcome is not (ProviderOutcome.Succeeded or ProviderOutcome.Pending))
        {
            throw new GatewayException(ErrorKind.ProviderUnavailable, ErrorCodes.ProviderUnavailable,
                $"The provider did not capture the payment ({result.Message ?? result.Outcome.ToString()}). Retry with the same Idempotency-Key.");
        }

        var now = time.GetUtcNow();
        var changes = new StoreChanges();
        payment.AmountReceived = amount;
        payment.AmountCapturable = 0;
        Transition(payment, next, changes, now);
        changes.UpdatedPayments.Add(payment);
        await CommitOrConflictAsync(changes, ct).ConfigureAwait(false);
        return payment.ToResource();
    }

    public async Task<PaymentResource> CancelAsync(CallerContext caller, string id, CancelPaymentRequest request, CancellationToken ct)
    {
        var reason = request.CancellationReason;
        if (reason is not null && reason is not ("duplicate" or "fraudulent" or "requested_by_customer" or "abandoned"))
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid,
                "cancellation_reason must be one of duplicate, fraudulent, requested_by_customer, abandoned.", "cancellation_reason");
        }

        var payment = await LoadAsync(caller, id, ct).ConfigureAwait(false);
        var next = PaymentStateMachine.Next(payment.Status, PaymentTrigger.Cancel);
        await CancelProviderTransferAsync(payment, ct).ConfigureAwait(false);
        if (payment.Status == PaymentStatus.RequiresCapture && payment.ProviderReference is not null)
        {
            var provider = providers.GetFlow<IVoidFlow>(payment.Provider ?? ProviderRegistry.SimulatorId);
            var voidAccount = await OpenAccountAsync(payment, ct).ConfigureAwait(false);
            await CallProviderAsync(payment.Provider, "void", () => CallAsync(voidAccount, token => provider.VoidAsync(new VoidRequest
            {
                Account = voidAccount,
                PaymentId = payment.Id,
                ProviderReference = payment.ProviderReference,
                IdempotencyKey = $"{payment.Id}:void",
                TestMode = !payment.Livemode,
            }, token), ct), payment.Id).ConfigureAwait(false);
        }

        var now = time.GetUtcNow();
        var changes = new StoreChanges();
        payment.AmountCapturable = 0;
        payment.CanceledAt = now;
        payment.CancellationReason = reason;
        payment.NextAction = null;
        Transition(payment, next, changes, now);
        changes.UpdatedPayments.Add(payment);
        await CommitOrConflictAsync(changes, ct).ConfigureAwait(false);
        return payment.ToResource();
    }

    /// <summary>The customer came back from a provider's redirect (3-D Secure). Finishes the authorization.</summary>
    public async Task<Payment> CompleteActionAsync(string paymentId, IReadOnlyDictionary<string, string> details, CancellationToken ct)
    {
        var payment = await paymentStore.GetPaymentByIdAsync(paymentId, ct).ConfigureAwait(false) ?? throw GatewayException.NotFound("payment", paymentId);
        if (payment.Status != PaymentStatus.RequiresAction || payment.CurrentAttempt is not { } attempt)
        {
            return payment;
        }

        var now = time.GetUtcNow();
        var changes = new StoreChanges();
        Transition(payment, PaymentStateMachine.Next(payment.Status, PaymentTrigger.CompleteAction), changes, now);
        payment.NextAction = null;
        changes.UpdatedPayments.Add(payment);
        await CommitOrConflictAsync(changes, ct).ConfigureAwait(false);

        var flow = providers.GetFlow<IAuthenticationFlow>(attempt.Provider);
        ProviderPaymentResult result;
        try
        {
            var account = await OpenAccountAsync(payment, ct).ConfigureAwait(false);
            result = await ProviderTiming.TimeAsync(attempt.Provider, "authenticate", () => CallAsync(account, token => flow.CompleteAuthenticationAsync(new CompleteAuthenticationRequest
            {
                Account = account,
                PaymentId = payment.Id,
                ProviderReference = attempt.ProviderReference ?? string.Empty,
                Details = details,
                Capture = payment.CaptureMethod == CaptureMethod.Automatic,
                Amount = new Money(payment.Amount, Currency.Get(payment.Currency)),
                TestMode = !payment.Livemode,
            }, token), ct), payment.Id).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ProviderOutcomeUnknownException or ProviderUnavailableException)
        {
            LogProviderUnknown(logger, attempt.Provider, payment.Id);
            attempt.Status = AttemptStatus.Unknown;
            await SaveAsync(payment, new StoreChanges(), ct).ConfigureAwait(false);
            return payment;
        }

        await ApplyResultAsync(payment, attempt, result, ct).ConfigureAwait(false);
        return payment;
    }

    /// <summary>Asks the provider about a payment stuck in processing and applies the answer. Used by the reconciler.</summary>
    public async Task<Payment> ReconcileAsync(Payment payment, CancellationToken ct)
    {
        if (payment.Status != PaymentStatus.Processing || payment.CurrentAttempt is not { } attempt)
        {
            return payment;
        }

        var reconcilerOptions = options.Value.Reconciler;

        // A started attempt may still be in flight on this or another node: only an unknown outcome, or a start old
        // enough that its request must have died (crash), is the reconciler's to finish.
        if (attempt.Status == AttemptStatus.Started && time.GetUtcNow() - attempt.Created < reconcilerOptions.InFlightGrace)
        {
            return payment;
        }

        if (IsBackingOff(payment, time.GetUtcNow(), reconcilerOptions))
        {
            return payment;
        }

        var flow = providers.GetFlow<ISyncFlow>(attempt.Provider);
        ProviderPaymentResult result;
        try
        {
            var account = await OpenAccountAsync(payment, ct).ConfigureAwait(false);
            result = await ProviderTiming.TimeAsync(attempt.Provider, "sync", () => CallAsync(account, token => flow.SyncAsync(new SyncRequest
            {
                Account = account,
                PaymentId = payment.Id,
                IdempotencyKey = attempt.IdempotencyKey,
                ProviderReference = attempt.ProviderReference,
                TestMode = !payment.Livemode,
            }, token), ct), payment.Id).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ProviderOutcomeUnknownException or ProviderUnavailableException)
        {
            result = new ProviderPaymentResult { Outcome = ProviderOutcome.Pending };
        }

        var now = time.GetUtcNow();
        if (result.Outcome == ProviderOutcome.Pending)
        {
            var changes = new StoreChanges();
            if (now - attempt.Created > reconcilerOptions.GiveUpAfter)
            {
                attempt.Status = AttemptStatus.Failed;
                payment.LastPaymentError = new PaymentError
                {
                    Code = ErrorCodes.CardDeclined,
                    DeclineCode = DeclineCodes.ProcessingError,
                    Message = "The provider never confirmed the outcome of this payment.",
                };
                Transition(payment, PaymentStateMachine.Next(payment.Status, PaymentTrigger.ReconcileFailed), changes, now);
            }
            else
            {
                // Exponential backoff with jitter before asking again, persisted on the attempt (the payment's JSON).
                attempt.SyncChecks++;
                attempt.NextSyncAt = now + ReconcileBackoff(attempt.SyncChecks, reconcilerOptions);
            }

            // The version check makes a concurrent reconciler's write lose, so the schedule advances once per answer.
            await SaveAsync(payment, changes, ct).ConfigureAwait(false);
            return payment;
        }

        await ApplyResultAsync(payment, attempt, result, ct).ConfigureAwait(false);
        return payment;
    }

    /// <summary>True while the reconciler waits (backoff after "pending" answers) before asking about this payment again; never past GiveUpAfter.</summary>
    public static bool IsBackingOff(Payment payment, DateTimeOffset now, ReconcilerOptions settings) =>
        payment.CurrentAttempt is { NextSyncAt: { } due } attempt && now < due && now - attempt.Created <= settings.GiveUpAfter;

    /// <summary>min(MinAge · 2^(checks-1), BackoffCap), plus up to 25 % random jitter so stuck payments spread out.</summary>
    public static TimeSpan ReconcileBackoff(int checks, ReconcilerOptions settings)
    {
        var exponent = Math.Clamp(checks - 1, 0, 30);
        var baseTicks = Math.Max(settings.MinAge.Ticks, TimeSpan.TicksPerMillisecond);
        var ticks = Math.Min(settings.BackoffCap.Ticks, baseTicks * (double)(1L << exponent));
        return TimeSpan.FromTicks((long)(ticks * (1 + (Random.Shared.NextDouble() * 0.25))));
    }

    private PaymentAttempt StartAttempt(Payment payment, StoredPaymentMethod method, StoreChanges changes, DateTimeOffset now,
        Routing.ProviderAccountRecord? account = null)
    {
        var attemptId = Ids.New(Ids.Attempt);
        var attempt = new PaymentAttempt
        {
            Id = attemptId,
            Provider = account?.ProviderId ?? payment.Provider ?? ProviderRegistry.SimulatorId,
            ProviderAccountId = account?.Id,
            IdempotencyKey = $"{payment.Id}:{attemptId}",
            PaymentMethodId = method.Id,
            Status = AttemptStatus.Started,
            Created = now,
            Updated = now,
        };
        payment.Attempts.Add(attempt);
        payment.LastPaymentError = null;
        Transition(payment, PaymentStateMachine.Next(payment.Status, PaymentTrigger.StartAttempt), changes, now);
        return attempt;
    }

    private async Task<PaymentResource> AuthorizeAsync(Payment payment, PaymentAttempt attempt, StoredPaymentMethod method, CancellationToken ct,
        Routing.RoutingPlan? plan = null, Secret? carriedCvc = null)
    {
        var flow = providers.GetFlow<IAuthorizeFlow>(attempt.Provider);
        var cvc = carriedCvc ?? cvcs.Take(method.Id);
        ProviderPaymentResult result;
        try
        {
            var account = plan?.Accounts.FirstOrDefault(a => a.Id == attempt.ProviderAccountId) is { } record ? routing!.Open(record) : null;
            var number = vault.Decrypt(method.Id, method.EncryptedNumber
                ?? throw new InvalidOperationException($"Payment method {method.Id} has no stored card."));
            var card = method.Card ?? throw new InvalidOperationException($"Payment method {method.Id} is not a card.");
            result = await ProviderTiming.TimeAsync(attempt.Provider, "authorize", () => CallAsync(account, token => flow.AuthorizeAsync(new AuthorizeRequest
            {
                Account = account,
                PaymentId = payment.Id,
                AttemptId = attempt.Id,
                IdempotencyKey = attempt.IdempotencyKey,
                Amount = new Money(payment.Amount, Currency.Get(payment.Currency)),
                Capture = payment.CaptureMethod == CaptureMethod.Automatic,
                Card = new ProviderCard
                {
                    Number = new Secret(number),
                    ExpMonth = card.ExpMonth,
                    ExpYear = card.ExpYear,
                    Cvc = cvc,
                    HolderName = method.HolderName,
                    Brand = card.Brand,
                },
                ReturnUrl = payment.ReturnUrl,
                Description = payment.Description,
                TestMode = !payment.Livemode,
            }, token), CancellationToken.None), payment.Id).ConfigureAwait(false);
        }
        catch (ProviderOutcomeUnknownException)
        {
            // Never retry with a new key: the payment stays processing and the reconciler asks the provider later.
            LogProviderUnknown(logger, attempt.Provider, payment.Id);
            attempt.Status = AttemptStatus.Unknown;
            attempt.Updated = time.GetUtcNow();
            await SaveAsync(payment, new StoreChanges(), ct).ConfigureAwait(false);
            return payment.ToResource();
        }
        catch (ProviderUnavailableException) when (NextCandidate(plan, attempt) is { } next)
        {
            // Not taken by this candidate (connection refused, circuit open, documented not-processed 5xx): nothing
            // was charged there, so the next candidate gets a new attempt with its own idempotency key.
            var nextAttempt = FailOver(payment, attempt, method, next);
            await SaveAsync(payment, new StoreChanges(), ct).ConfigureAwait(false);
            return await AuthorizeAsync(payment, nextAttempt, method, ct, plan, cvc).ConfigureAwait(false);
        }
        catch (ProviderUnavailableException)
        {
            // The provider did not take the request: nothing was charged, the payment can be confirmed again.
            var now = time.GetUtcNow();
            var changes = new StoreChanges();
            attempt.Status = AttemptStatus.Failed;
            attempt.Updated = now;
            Transition(payment, PaymentStateMachine.Next(payment.Status, PaymentTrigger.ProviderUnavailable), changes, now);
            await SaveAsync(payment, changes, ct).ConfigureAwait(false);
            throw new GatewayException(ErrorKind.ProviderUnavailable, ErrorCodes.ProviderUnavailable,
                "The payment provider is unavailable; nothing was charged. Try again later.");
        }

        await ApplyResultAsync(payment, attempt, result, ct).ConfigureAwait(false);
        if (payment.Status == PaymentStatus.Failed && payment.LastPaymentError is { } error)
        {
            throw new GatewayException(ErrorKind.CardDeclined, error.Code, error.Message, "payment_method")
            {
                DeclineCode = error.DeclineCode,
                Resource = payment.ToResource(),
            };
        }

        return payment.ToResource();
    }

    private async Task ApplyResultAsync(Payment payment, PaymentAttempt attempt, ProviderPaymentResult result, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var changes = new StoreChanges();
        attempt.Updated = now;
        attempt.ProviderReference = result.ProviderReference ?? attempt.ProviderReference;
        payment.ProviderReference = attempt.ProviderReference;
        switch (result.Outcome)
        {
            case ProviderOutcome.Authorized:
                attempt.Status = AttemptStatus.Authorized;
                payment.AmountCapturable = payment.Amount;
                payment.NextAction = null;
                Transition(payment, PaymentStateMachine.Next(payment.Status, PaymentTrigger.ProviderAuthorized), changes, now);
                break;
            case ProviderOutcome.Succeeded:
                attempt.Status = AttemptStatus.Captured;
                payment.AmountCapturable = 0;
                payment.AmountReceived = payment.Amount;
                payment.NextAction = null;
                Transition(payment, PaymentStateMachine.Next(payment.Status, PaymentTrigger.ProviderCaptured), changes, now);
                break;
            case ProviderOutcome.RequiresAction:
                attempt.Status = AttemptStatus.RequiresAction;
                payment.NextAction = new NextAction
                {
                    Type = "redirect_to_url",
                    RedirectToUrl = new RedirectToUrl { Url = result.RedirectUrl ?? string.Empty, ReturnUrl = payment.ReturnUrl },
                };
                Transition(payment, PaymentStateMachine.Next(payment.Status, PaymentTrigger.ProviderRequiresAction), changes, now);
                break;
            case ProviderOutcome.Declined:
                attempt.Status = AttemptStatus.Declined;
                attempt.DeclineCode = result.DeclineCode ?? DeclineCodes.GenericDecline;
                payment.NextAction = null;
                payment.LastPaymentError = new PaymentError
                {
                    Code = ErrorCodes.CardDeclined,
                    DeclineCode = attempt.DeclineCode,
                    Message = result.Message ?? "The card was declined.",
                };
                Transition(payment, PaymentStateMachine.Next(payment.Status, PaymentTrigger.ProviderDeclined), changes, now);
                break;
            default:
                // Pending or anything the adapter could not map: never success. Stay in processing for the reconciler.
                attempt.Status = AttemptStatus.Unknown;
                break;
        }

        await SaveAsync(payment, changes, ct).ConfigureAwait(false);
    }

    private async Task SaveAsync(Payment payment, StoreChanges changes, CancellationToken ct)
    {
        payment.Updated = time.GetUtcNow();
        changes.UpdatedPayments.Add(payment);

        // The provider has answered: this write must land even if the caller went away.
        _ = ct;
        await CommitOrConflictAsync(changes, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task CommitOrConflictAsync(StoreChanges changes, CancellationToken ct)
    {
        try
        {
            await paymentStore.CommitAsync(changes, ct).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException e)
        {
            throw GatewayException.StateConflict($"Payment {e.ObjectId} was changed by a concurrent request; retrieve it and try again.");
        }
    }

    private static void Transition(Payment payment, PaymentStatus next, StoreChanges changes, DateTimeOffset now)
    {
        if (payment.Status == next)
        {
            return;
        }

        payment.Status = next;
        payment.Updated = now;
        GatewayTelemetry.PaymentTransitions.Add(1,
            new KeyValuePair<string, object?>("status", next.ToWire()),
            new KeyValuePair<string, object?>("provider", payment.Provider),
            new KeyValuePair<string, object?>("method", "card"),
            new KeyValuePair<string, object?>("currency", payment.Currency),
            new KeyValuePair<string, object?>("livemode", payment.Livemode));
        if (EventFactory.PaymentEventFor(next) is { } type)
        {
            changes.Events.Add(EventFactory.ForPayment(payment, type, now));
        }
    }

    private async Task<Payment> LoadAsync(CallerContext caller, string id, CancellationToken ct) =>
        await paymentStore.GetPaymentAsync(caller.MerchantId, caller.Livemode, id, ct).ConfigureAwait(false)
        ?? throw GatewayException.NotFound("payment", id);

    private async Task<StoredPaymentMethod> LoadPaymentMethodAsync(CallerContext caller, string id, CancellationToken ct) =>
        await paymentStore.GetPaymentMethodAsync(caller.MerchantId, caller.Livemode, id, ct).ConfigureAwait(false)
        ?? throw new GatewayException(ErrorKind.NotFound, ErrorCodes.ResourceMissing, $"No such payment_method: '{(id.Length > 64 ? id[..64] : id)}'.", "payment_method");

    private static async Task<T> CallProviderAsync<T>(string? providerId, string flow, Func<Task<T>> call, string paymentId)
    {
        try
        {
            return await ProviderTiming.TimeAsync(providerId ?? ProviderRegistry.SimulatorId, flow, call, paymentId).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ProviderOutcomeUnknownException or ProviderUnavailableException)
        {
            throw new GatewayException(ErrorKind.ProviderUnavailable, ErrorCodes.ProviderUnavailable,
                $"Provider '{providerId}' did not answer. Nothing changed here; retry with the same Idempotency-Key.");
        }
    }

    /// <summary>Validates amount + currency against the currency table and the configured maximum.</summary>
    public Currency ValidateMoney(long? amount, string? currencyCode, string amountParam)
    {
        if (amount is null)
        {
            throw GatewayException.Missing(amountParam);
        }

        if (amount <= 0)
        {
            throw GatewayException.Invalid(ErrorCodes.AmountInvalid, $"{amountParam} must be a positive integer in minor units.", amountParam);
        }

        if (amount > options.Value.MaxAmount)
        {
            throw GatewayException.Invalid(ErrorCodes.AmountTooLarge, $"{amountParam} must be at most {options.Value.MaxAmount}.", amountParam);
        }

        if (currencyCode is null)
        {
            throw GatewayException.Missing("currency");
        }

        return Currency.TryFind(currencyCode, out var currency)
            ? currency
            : throw GatewayException.Invalid(ErrorCodes.CurrencyUnsupported, $"'{(currencyCode.Length > 8 ? currencyCode[..8] : currencyCode)}' is not a supported ISO 4217 currency.", "currency");
    }

    internal static void ValidateMetadata(Dictionary<string, string>? metadata)
    {
        if (metadata is null)
        {
            return;
        }

        if (metadata.Count > MaxMetadataKeys)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"metadata can have at most {MaxMetadataKeys} keys.", "metadata");
        }

        foreach (var (key, value) in metadata)
        {
            if (key.Length is 0 or > 40)
            {
                throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "metadata keys must be 1 to 40 characters.", "metadata");
            }

            if (value is null || value.Length > 500)
            {
                throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "metadata values must be strings of at most 500 characters.", $"metadata[{key}]");
            }
        }
    }

    internal static void ValidateText(string? value, string param, int max)
    {
        if (value is not null && value.Length > max)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"{param} must be at most {max} characters.", param);
        }
    }

    internal static void ValidateUrl(string? value, string param)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > 2048 || !Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"{param} must be an absolute http(s) URL.", param);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provider {Provider} gave no definite answer for payment {PaymentId}; left in processing for the reconciler.")]
    private static partial void LogProviderUnknown(ILogger logger, string provider, string paymentId);
}
