using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaymentGateway.Providers.ContractTests.Infrastructure;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.ContractTests.Scenarios;

/// <summary>Parts of the shared suite a fixture may be unable to express.</summary>
public enum ScenarioFeature
{
    /// <summary>Observing what was sent on the wire (headers, bodies, amounts).</summary>
    WireObservation,

    /// <summary>Making the provider answer with a status the adapter does not know.</summary>
    UnknownStatus,

    /// <summary>Making the provider answer "not processed" (5xx).</summary>
    NotProcessed,

    /// <summary>Inbound webhooks.</summary>
    Webhooks,
}

/// <summary>How the provider should answer the next authorization.</summary>
public enum AuthorizeAnswer
{
    Approved,
    DeclinedInsufficientFunds,
    RequiresAction,
    UnknownStatus,
    NotProcessed,
    Timeout,
    NotProcessedThenApproved,
}

/// <summary>What the adapter sent, as the fake provider saw it.</summary>
public sealed record SentRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// Makes one provider play each scenario of <see cref="ProviderScenarioSuite{TFixture}"/>: an adapter wired as in
/// production (DI, HTTP client, resilience pipeline) against a fake of the provider's documented API.
/// </summary>
public abstract class ProviderScenarioFixture : IDisposable
{
    /// <summary>Every log line the adapter and its HTTP stack wrote.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>The adapter under test.</summary>
    public abstract IPaymentProvider Provider { get; }

    /// <summary>The account passed with each call (null for the simulator).</summary>
    public abstract ProviderAccount? Account { get; }

    /// <summary>Features this fixture cannot express, with the reason reported as the skip message.</summary>
    public virtual IReadOnlyDictionary<ScenarioFeature, string> Unsupported { get; } = new Dictionary<ScenarioFeature, string>();

    /// <summary>What capture, void and refund answer: <c>Succeeded</c> (synchronous) or <c>Pending</c> (result by webhook).</summary>
    public abstract ProviderOutcome ModificationOutcome { get; }

    /// <summary>Secret values (credentials, card number, CVC) that must never appear in logs or exception messages.</summary>
    public virtual IReadOnlyList<string> Secrets => [.. CredentialValues(), ScenarioCards.Approved.Number.Reveal(), ScenarioCards.CvcValue];

    /// <summary>Arranges the next authorization's answer and returns the card to send.</summary>
    public abstract ProviderCard ArrangeAuthorize(AuthorizeAnswer answer, Money amount, bool capture);

    /// <summary>Arranges a successful capture of <paramref name="reference"/>.</summary>
    public abstract void ArrangeCapture(string reference, Money amount);

    /// <summary>Arranges a successful void of <paramref name="reference"/>.</summary>
    public abstract void ArrangeVoid(string reference);

    /// <summary>Arranges a successful refund of <paramref name="reference"/>.</summary>
    public abstract void ArrangeRefund(string reference, Money amount);

    /// <summary>What the adapter sent, oldest first.</summary>
    public virtual IReadOnlyList<SentRequest> Sent => [];

    /// <summary>The amount field of a sent request, in the provider's units.</summary>
    public virtual long SentAmount(SentRequest request) => throw new NotSupportedException();

    /// <summary>The amount the provider's documentation expects for <paramref name="amount"/>.</summary>
    public virtual long ExpectedWireAmount(Money amount) => amount.MinorUnits;

    /// <summary>The event id the adapter must report for <see cref="AuthorizationWebhook"/>, or null to check only that it has one.</summary>
    public virtual string? ExpectedEventId(string providerReference) => null;

    /// <summary>A webhook saying the payment <paramref name="providerReference"/> was authorized, correctly signed or not.</summary>
    public virtual ProviderWebhookRequest AuthorizationWebhook(string providerReference, string paymentId, Money amount, bool validSignature) =>
        throw new NotSupportedException();

    /// <summary>Throws <see cref="ScenarioSkippedException"/> when the feature is unsupported.</summary>
    public void Require(ScenarioFeature feature)
    {
        if (Unsupported.TryGetValue(feature, out var reason))
        {
            throw new ScenarioSkippedException($"{Provider.Id}: {feature} not expressible: {reason}");
        }
    }

    /// <summary>
    /// The services of an HTTP adapter wired as in production by its <paramref name="register"/> call (DI, HTTP client,
    /// resilience pipeline), logging into <see cref="Logs"/>, with test timings: an attempt times out after 2 s
    /// (generous: only the timeout scenario should ever time out, even on a loaded machine) and retries wait 5 ms.
    /// </summary>
    protected ServiceProvider BuildAdapterServices(Action<IServiceCollection, Action<ProviderHttpOptions>> register)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        register(services, o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(2);
            o.MaxRetries = 2;
            o.RetryDelay = TimeSpan.FromMilliseconds(5);
        });
        return services.BuildServiceProvider();
    }

    protected IEnumerable<string> CredentialValues() => Account?.Credentials.Values.Select(s => s.Reveal()) ?? [];

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}

/// <summary>Cards the WireMock fixtures send (public test numbers; the fake provider decides the outcome).</summary>
public static class ScenarioCards
{
    public const string CvcValue = "737";

    public static ProviderCard Approved { get; } = Card("4242424242424242");

    public static ProviderCard Card(string number) => new()
    {
        Number = new Secret(number),
        ExpMonth = 3,
        ExpYear = 2030,
        Cvc = new Secret(CvcValue),
        HolderName = "Ada Lovelace",
        Brand = "visa",
    };
}
