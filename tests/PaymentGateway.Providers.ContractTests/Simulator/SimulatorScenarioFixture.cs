using Microsoft.Extensions.Options;
using PaymentGateway.Providers.ContractTests.Scenarios;
using PaymentGateway.Providers.Simulator;

namespace PaymentGateway.Providers.ContractTests.Simulator;

/// <summary>The built-in simulator: no wire to observe, its outcomes chosen by test card.</summary>
public sealed class SimulatorScenarioFixture : ProviderScenarioFixture
{
    public override IPaymentProvider Provider { get; } = new SimulatorProvider(Options.Create(new SimulatorProviderOptions()));

    public override ProviderAccount? Account => null;

    public override ProviderOutcome ModificationOutcome => ProviderOutcome.Succeeded;

    public override IReadOnlyDictionary<ScenarioFeature, string> Unsupported { get; } = new Dictionary<ScenarioFeature, string>
    {
        [ScenarioFeature.WireObservation] = "the simulator runs in process and sends nothing on a wire",
        [ScenarioFeature.UnknownStatus] = "the simulator only produces statuses it knows; no test card yields an unknown one",
        [ScenarioFeature.ServerErrors] = "the simulator has no test card for a provider outage",
        [ScenarioFeature.Sync] = "the simulator's sync is played by the gateway's reconciler tests (it has no HTTP lookup)",
        [ScenarioFeature.Webhooks] = "the simulator answers synchronously and sends no webhooks (it does not implement IWebhookFlow)",
    };

    public override ProviderCard ArrangeAuthorize(AuthorizeAnswer answer, Money amount, bool capture) => answer switch
    {
        AuthorizeAnswer.Approved => ScenarioCards.Card("4242424242424242"),
        AuthorizeAnswer.DeclinedInsufficientFunds => ScenarioCards.Card("4000000000009995"),
        AuthorizeAnswer.RequiresAction => ScenarioCards.Card("4000000000003220"),
        AuthorizeAnswer.Timeout => ScenarioCards.Card("4000000000000259"),
        _ => throw new NotSupportedException($"The simulator cannot play {answer}."),
    };

    public override void ArrangeCapture(string reference, Money amount)
    {
    }

    public override void ArrangeVoid(string reference)
    {
    }

    public override void ArrangeRefund(string reference, Money amount)
    {
    }
}

/// <summary>The shared provider scenarios, played by the simulator.</summary>
public sealed class SimulatorScenarioTests : ProviderScenarioSuite<SimulatorScenarioFixture>;
