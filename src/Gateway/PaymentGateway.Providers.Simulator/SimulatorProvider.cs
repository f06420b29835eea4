using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace PaymentGateway.Providers.Simulator;

public sealed class SimulatorProviderOptions
{
    /// <summary>Added to every call, so the simulator can stand in for a real provider in load tests.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.Zero;

    /// <summary>Base URL of the simulated 3-D Secure challenge page (the gateway serves it at /simulator/challenge).</summary>
    public string ChallengeBaseUrl { get; set; } = "http://127.0.0.1:5080/simulator/challenge";

    /// <summary>How long after capture a dispute test card's dispute (or inquiry) arrives.</summary>
    public TimeSpan DisputeDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long after the evidence (or an acceptance) the outcome arrives.</summary>
    public TimeSpan DisputeOutcomeDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long an unanswered inquiry waits before it becomes a chargeback.</summary>
    public TimeSpan InquiryEscalationDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long the merchant has to answer (the dispute's <c>evidence_due_by</c>).</summary>
    public TimeSpan DisputeResponseWindow { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>
/// The built-in simulator: a provider adapter like any other, deciding outcomes from <see cref="SimulatorTestCards"/>
/// (dispute cards included: <see cref="SimulatorDisputes"/>).
/// Authorizations whose answer was "lost" are remembered by idempotency key in an <see cref="ISimulatorLedger"/> so that
/// <see cref="SyncAsync"/> can tell the reconciler what happened, as a real provider would, from any node that shares
/// the ledger. Stored cards are modelled the same way: the first payment of a series gets a network transaction id
/// and a stored-card reference the ledger remembers, and a merchant-initiated payment is approved only when it refers
/// to a series the simulator started for that card (docs/saved-cards.md).
/// </summary>
public sealed class SimulatorProvider(IOptions<SimulatorProviderOptions> options, ISimulatorLedger ledger, TimeProvider time)
    : IPaymentProvider, IAuthorizeFlow, ICaptureFlow, IVoidFlow, IRefundFlow, ISyncFlow, IAuthenticationFlow, IVerifyFlow, IDisputeFlow, IDisputeSyncFlow
{
    public const string ProviderId = "simulator";

    /// <summary>The name of the simulator's own stored-card reference in <see cref="ProviderPaymentResult.RecurringReferences"/>.</summary>
    public const string StoredCardReference = "stored_card";

    private const string ChallengePass = "pass";
    private const string PendingChallengePrefix = "challenge:";

    private readonly SimulatorDisputes _disputes = new(options.Value, ledger, time);

    /// <summary>A simulator with its own in-memory ledger (one process).</summary>
    public SimulatorProvider(IOptions<SimulatorProviderOptions> options)
        : this(options, new InMemorySimulatorLedger())
    {
    }

    /// <summary>A simulator on <paramref name="ledger"/> with the system clock.</summary>
    public SimulatorProvider(IOptions<SimulatorProviderOptions> options, ISimulatorLedger ledger)
        : this(options, ledger, TimeProvider.System)
    {
    }

    public string Id => ProviderId;

    public ProviderCapabilities Capabilities { get; } = ProviderCapabilities.CardProcessor with { StoredCredentials = true, AcceptsNetworkTransactionIds = true };

    public async Task<ProviderPaymentResult> AuthorizeAsync(AuthorizeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await DelayAsync(cancellationToken).ConfigureAwait(false);
        RefuseDuringOutage(request.Account);
        if (request.Card is not { } card)
        {
            // The simulator decides by the card number: a request without one (a provider-side token) has nothing to decide on.
            return Declined(NewReference(), DeclineCodes.GenericDecline, "The simulator needs the card itself.", "card_missing");
        }

        var testCard = SimulatorTestCards.Find(card.Number.Reveal());
        var result = await DecideAsync(request.PaymentId, request.IdempotencyKey, card, testCard, request.Capture, request.StoredCredential, cancellationToken).ConfigureAwait(false);
        if (testCard?.Scenario is { } scenario && SimulatorDisputes.IsDisputeScenario(scenario)
            && result.Outcome is ProviderOutcome.Authorized or ProviderOutcome.Succeeded && result.ProviderReference is { } reference)
        {
            // Approved now, disputed later (SimulatorDisputes schedules the notices).
            await _disputes.RememberAsync(scenario, request.PaymentId, reference, request.Amount, request.Capture, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>A zero-amount verification: decided like an authorization, and <see cref="ProviderOutcome.Succeeded"/> when verified (nothing is held).</summary>
    public async Task<ProviderPaymentResult> VerifyAsync(VerifyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await DelayAsync(cancellationToken).ConfigureAwait(false);
        RefuseDuringOutage(request.Account);
        return await DecideAsync(request.PaymentId, request.IdempotencyKey, request.Card, SimulatorTestCards.Find(request.Card.Number.Reveal()), capture: true,
            request.StoredCredential, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ProviderPaymentResult> CaptureAsync(CaptureRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await DelayAsync(cancellationToken).ConfigureAwait(false);
        await _disputes.CapturedAsync(request.ProviderReference, cancellationToken).ConfigureAwait(false);
        return new ProviderPaymentResult { Outcome = ProviderOutcome.Succeeded, ProviderReference = request.ProviderReference, RawStatus = "captured" };
    }

    public Task<DisputeResponseResult> SubmitEvidenceAsync(SubmitDisputeEvidenceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _disputes.SubmitAsync(request, cancellationToken);
    }

    public Task<DisputeResponseResult> AcceptDisputeAsync(AcceptDisputeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _disputes.AcceptAsync(request, cancellationToken);
    }

    public Task<DisputeSyncPage> ListDisputesAsync(ListProviderDisputesRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _disputes.ListAsync(request, cancellationToken);
    }

    /// <summary>The simulator's disputes are read by listing (every notice is listed when due); it answers no single reads.</summary>
    public Task<DisputeNotification?> GetDisputeAsync(GetProviderDisputeRequest request, CancellationToken cancellationToken) =>
        Task.FromResult<DisputeNotification?>(null);

    public async Task<ProviderPaymentResult> VoidAsync(VoidRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await DelayAsync(cancellationToken).ConfigureAwait(false);
        return new ProviderPaymentResult { Outcome = ProviderOutcome.Succeeded, ProviderReference = request.ProviderReference, RawStatus = "voided" };
    }

    public async Task<ProviderRefundResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await DelayAsync(cancellationToken).ConfigureAwait(false);
        return new ProviderRefundResult { Outcome = ProviderOutcome.Succeeded, ProviderReference = "simre_" + NewReference()[4..] };
    }

    public async Task<ProviderPaymentResult> SyncAsync(SyncRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await DelayAsync(cancellationToken).ConfigureAwait(false);
        if (await ledger.FindAsync(request.IdempotencyKey, cancellationToken).ConfigureAwait(false) is { } lost)
        {
            return Approved(lost.Captured, lost.ProviderReference) with { NetworkTransactionId = lost.NetworkTransactionId };
        }

        // Never heard of it: the request did not reach us, so nothing was charged.
        return new ProviderPaymentResult
        {
            Outcome = ProviderOutcome.Declined,
            DeclineCode = DeclineCodes.ProcessingError,
            Message = "The provider has no record of this payment.",
            RawStatus = "not_found",
        };
    }

    public async Task<ProviderPaymentResult> CompleteAuthenticationAsync(CompleteAuthenticationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await DelayAsync(cancellationToken).ConfigureAwait(false);
        if (request.Details.TryGetValue("outcome", out var outcome) && outcome == ChallengePass)
        {
            var approved = Approved(request.Capture, request.ProviderReference);
            var cardKey = await ledger.FindSeriesAsync(PendingChallengePrefix + request.ProviderReference, cancellationToken).ConfigureAwait(false);
            return request.StoredCredential is { Sequence: StoredCredentialSequence.First } && cardKey is not null
                ? await StartSeriesAsync(approved, cardKey, cancellationToken).ConfigureAwait(false)
                : approved;
        }

        return new ProviderPaymentResult
        {
            Outcome = ProviderOutcome.Declined,
            ProviderReference = request.ProviderReference,
            DeclineCode = DeclineCodes.AuthenticationFailed,
            Message = "The customer did not complete 3-D Secure.",
            RawStatus = "authentication_failed",
        };
    }

    /// <summary>Decides by the test card (<paramref name="card"/>, looked up once by the caller; null for any other number).</summary>
    private async Task<ProviderPaymentResult> DecideAsync(string paymentId, string idempotencyKey, ProviderCard providerCard, SimulatorTestCard? card, bool capture,
        StoredCredential? stored, CancellationToken cancellationToken)
    {
        var scenario = card?.Scenario ?? SimulatorScenario.Success;
        var cardKey = CardKey(providerCard);
        var reference = NewReference();
        if (stored is { Initiator: StoredCredentialInitiator.Merchant })
        {
            if (providerCard.Cvc is not null)
            {
                // The card schemes forbid storing the CVC, so a merchant-initiated payment can never carry one.
                return Declined(reference, DeclineCodes.GenericDecline, "A merchant-initiated payment must not carry a CVC.", "cvc_on_merchant_initiated");
            }

            // A merchant-initiated payment must continue a series this simulator started for this very card.
            if (!await KnowsSeriesAsync(stored, cardKey, cancellationToken).ConfigureAwait(false))
            {
                return Declined(reference, DeclineCodes.GenericDecline,
                    "No stored-credential series for this card: a merchant-initiated payment must refer to an earlier customer-initiated one.", "stored_credential_unknown");
            }

            switch (scenario)
            {
                case SimulatorScenario.AuthenticationRequiredOffSession:
                    return Declined(reference, DeclineCodes.AuthenticationRequired, "The issuer requires the cardholder to authenticate.", "authentication_required");
                case SimulatorScenario.ThreeDSecure or SimulatorScenario.MitApproved:
                    return Approved(capture, reference) with { NetworkTransactionId = NewNetworkTransactionId() };
            }
        }

        if (stored is { Sequence: StoredCredentialSequence.Subsequent } && scenario == SimulatorScenario.ExpiredSinceSaving)
        {
            return Declined(reference, DeclineCodes.ExpiredCard, card?.Description ?? "Expired.", "expired_card");
        }

        switch (scenario)
        {
            case SimulatorScenario.Decline:
                return Declined(reference, card?.DeclineCode ?? DeclineCodes.GenericDecline, card?.Description ?? "Declined.", "declined");
            case SimulatorScenario.ThreeDSecure or SimulatorScenario.AuthenticationRequiredOffSession:
                if (stored is { Sequence: StoredCredentialSequence.First })
                {
                    // The series starts when the challenge is passed (CompleteAuthenticationAsync).
                    await ledger.RememberSeriesAsync(PendingChallengePrefix + reference, cardKey, cancellationToken).ConfigureAwait(false);
                }

                var token = $"{paymentId}?ref={Uri.EscapeDataString(reference)}&capture={(capture ? "1" : "0")}";
                var challengeUrl = $"{options.Value.ChallengeBaseUrl.TrimEnd('/')}/{token}";
                return new ProviderPaymentResult
                {
                    Outcome = ProviderOutcome.RequiresAction,
                    ProviderReference = reference,
                    RedirectUrl = challengeUrl,
                    Action = ProviderNextAction.RedirectTo(challengeUrl, "simulator_challenge"),
                    RawStatus = "challenge_required",
                };
            case SimulatorScenario.Unknown:
                var nti = NewNetworkTransactionId();
                if (stored is { Sequence: StoredCredentialSequence.First })
                {
                    await ledger.RememberSeriesAsync(nti, cardKey, cancellationToken).ConfigureAwait(false);
                }

                await ledger.RememberAsync(idempotencyKey, new SimulatedAuthorization(reference, capture, nti), cancellationToken).ConfigureAwait(false);
                throw new ProviderOutcomeUnknownException(Id, "Simulated timeout: the request was processed but the answer was lost.");
            default:
                var approved = Approved(capture, reference);
                return stored is { Sequence: StoredCredentialSequence.First }
                    ? await StartSeriesAsync(approved, cardKey, cancellationToken).ConfigureAwait(false)
                    : approved with { NetworkTransactionId = NewNetworkTransactionId() };
        }
    }

    /// <summary>A simulator account with the setting <c>outage=true</c> takes nothing: "not reached", so the gateway may fail over.</summary>
    private void RefuseDuringOutage(ProviderAccount? account)
    {
        if (account?.Setting("outage") == "true")
        {
            throw new ProviderUnavailableException(Id, $"Simulated outage of provider account {account.Id}: the request was not taken.");
        }
    }

    /// <summary>The first payment of a series: a network transaction id and a stored-card reference, both remembered for the card.</summary>
    private async Task<ProviderPaymentResult> StartSeriesAsync(ProviderPaymentResult approved, string cardKey, CancellationToken cancellationToken)
    {
        var nti = NewNetworkTransactionId();
        var storedCard = "simsc_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        await ledger.RememberSeriesAsync(nti, cardKey, cancellationToken).ConfigureAwait(false);
        await ledger.RememberSeriesAsync(storedCard, cardKey, cancellationToken).ConfigureAwait(false);
        return approved with { NetworkTransactionId = nti, RecurringReferences = new Dictionary<string, string> { [StoredCardReference] = storedCard } };
    }

    /// <summary>Whether the request's own stored-card reference, or else its network transaction id, names a series of this card.</summary>
    private async Task<bool> KnowsSeriesAsync(StoredCredential stored, string cardKey, CancellationToken cancellationToken)
    {
        if (stored.ProviderReferences.TryGetValue(StoredCardReference, out var storedCard)
            && await ledger.FindSeriesAsync(storedCard, cancellationToken).ConfigureAwait(false) == cardKey)
        {
            return true;
        }

        return stored.NetworkTransactionId is { } nti && await ledger.FindSeriesAsync(nti, cancellationToken).ConfigureAwait(false) == cardKey;
    }

    private static ProviderPaymentResult Approved(bool capture, string reference) => new()
    {
        Outcome = capture ? ProviderOutcome.Succeeded : ProviderOutcome.Authorized,
        ProviderReference = reference,
        RawStatus = capture ? "captured" : "authorized",
    };

    private static ProviderPaymentResult Declined(string reference, string declineCode, string message, string rawStatus) => new()
    {
        Outcome = ProviderOutcome.Declined,
        ProviderReference = reference,
        DeclineCode = declineCode,
        Message = message,
        RawStatus = rawStatus,
    };

    /// <summary>What the simulator binds a series to: brand and last four digits (never the number).</summary>
    private static string CardKey(ProviderCard card)
    {
        var number = card.Number.Reveal();
        return $"{card.Brand}:{(number.Length >= 4 ? number[^4..] : number)}";
    }

    private static string NewReference() => "sim_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    private static string NewNetworkTransactionId() => "simnti_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));

    private Task DelayAsync(CancellationToken cancellationToken) =>
        options.Value.Latency > TimeSpan.Zero ? Task.Delay(options.Value.Latency, cancellationToken) : Task.CompletedTask;
}
