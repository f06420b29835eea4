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
/// the ledger.
/// </summary>
public sealed class SimulatorProvider(IOptions<SimulatorProviderOptions> options, ISimulatorLedger ledger, TimeProvider time)
    : IPaymentProvider, IAuthorizeFlow, ICaptureFlow, IVoidFlow, IRefundFlow, ISyncFlow, IAuthenticationFlow, IDisputeFlow, IDisputeSyncFlow
{
    public const string ProviderId = "simulator";
    private const string ChallengePass = "pass";

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

    public ProviderCapabilities Capabilities => ProviderCapabilities.CardProcessor;

    public async Task<ProviderPaymentResult> AuthorizeAsync(AuthorizeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await DelayAsync(cancellationToken).ConfigureAwait(false);
        var card = request.Card is { } given ? SimulatorTestCards.Find(given.Number.Reveal()) : null;
        var reference = NewReference();
        switch (card?.Scenario ?? SimulatorScenario.Success)
        {
            case SimulatorScenario.Decline:
                return new ProviderPaymentResult
                {
                    Outcome = ProviderOutcome.Declined,
                    ProviderReference = reference,
                    DeclineCode = card?.DeclineCode ?? DeclineCodes.GenericDecline,
                    Message = card?.Description ?? "Declined.",
                    RawStatus = "declined",
                };
            case SimulatorScenario.ThreeDSecure:
                var token = $"{request.PaymentId}?ref={Uri.EscapeDataString(reference)}&capture={(request.Capture ? "1" : "0")}";
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
                await ledger.RememberAsync(request.IdempotencyKey, new SimulatedAuthorization(reference, request.Capture), cancellationToken).ConfigureAwait(false);
                throw new ProviderOutcomeUnknownException(Id, "Simulated timeout: the request was processed but the answer was lost.");
            case { } scenario when SimulatorDisputes.IsDisputeScenario(scenario):
                await _disputes.RememberAsync(scenario, request.PaymentId, reference, request.Amount, request.Capture, cancellationToken).ConfigureAwait(false);
                return Approved(request.Capture, reference);
            default:
                return Approved(request.Capture, reference);
        }
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
            return Approved(lost.Captured, lost.ProviderReference);
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
            return Approved(request.Capture, request.ProviderReference);
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

    private static ProviderPaymentResult Approved(bool capture, string reference) => new()
    {
        Outcome = capture ? ProviderOutcome.Succeeded : ProviderOutcome.Authorized,
        ProviderReference = reference,
        RawStatus = capture ? "captured" : "authorized",
    };

    private static string NewReference() => "sim_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    private Task DelayAsync(CancellationToken cancellationToken) =>
        options.Value.Latency > TimeSpan.Zero ? Task.Delay(options.Value.Latency, cancellationToken) : Task.CompletedTask;
}
