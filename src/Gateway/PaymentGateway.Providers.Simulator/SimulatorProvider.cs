using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace PaymentGateway.Providers.Simulator;

public sealed class SimulatorProviderOptions
{
    /// <summary>Added to every call, so the simulator can stand in for a real provider in load tests.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.Zero;

    /// <summary>Base URL of the simulated 3-D Secure challenge page (the gateway serves it at /simulator/challenge).</summary>
    public string ChallengeBaseUrl { get; set; } = "http://127.0.0.1:5080/simulator/challenge";
}

/// <summary>
/// The built-in simulator: a provider adapter like any other, deciding outcomes from <see cref="SimulatorTestCards"/>.
/// Authorizations whose answer was "lost" are remembered by idempotency key in an <see cref="ISimulatorLedger"/> so that
/// <see cref="SyncAsync"/> can tell the reconciler what happened, as a real provider would, from any node that shares
/// the ledger.
/// </summary>
public sealed class SimulatorProvider(IOptions<SimulatorProviderOptions> options, ISimulatorLedger ledger)
    : IPaymentProvider, IAuthorizeFlow, ICaptureFlow, IVoidFlow, IRefundFlow, ISyncFlow, IAuthenticationFlow
{
    public const string ProviderId = "simulator";
    private const string ChallengePass = "pass";

    /// <summary>A simulator with its own in-memory ledger (one process).</summary>
    public SimulatorProvider(IOptions<SimulatorProviderOptions> options)
        : this(options, new InMemorySimulatorLedger())
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
            default:
                return Approved(request.Capture, reference);
        }
    }

    public async Task<ProviderPaymentResult> CaptureAsync(CaptureRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await DelayAsync(cancellationToken).ConfigureAwait(false);
        return new ProviderPaymentResult { Outcome = ProviderOutcome.Succeeded, ProviderReference = request.ProviderReference, RawStatus = "captured" };
    }

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
