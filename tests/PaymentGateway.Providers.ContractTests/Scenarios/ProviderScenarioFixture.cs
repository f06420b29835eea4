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

    /// <summary>Making the provider answer a 5xx after the request was sent.</summary>
    ServerErrors,

    /// <summary>Status lookups (sync by reference and without one) against the provider's API.</summary>
    Sync,

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

    /// <summary>HTTP 500 after the request was sent.</summary>
    InternalServerError,

    /// <summary>HTTP 502 after the request was sent.</summary>
    BadGateway,

    /// <summary>HTTP 503 after the request was sent.</summary>
    ServiceUnavailable,
    Timeout,

    /// <summary>HTTP 503, then (the adapter's retry with the same key) approved.</summary>
    ServiceUnavailableThenApproved,
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

    /// <summary>What void answers (Mollie releases a hold asynchronously); <see cref="ModificationOutcome"/> unless it differs.</summary>
    public virtual ProviderOutcome VoidOutcome => ModificationOutcome;

    /// <summary>
    /// What an approved authorization with automatic capture answers: <c>Succeeded</c> where the provider captures in
    /// the same call, <c>Pending</c> where it captures asynchronously (Adyen, Checkout.com) and the capture may still fail.
    /// </summary>
    public virtual ProviderOutcome AutomaticCaptureOutcome => ProviderOutcome.Succeeded;

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

    /// <summary>
    /// Makes the next status lookup fail: the lookup of <paramref name="reference"/>, or the search for the attempt
    /// when it is null, answers <paramref name="status"/> with the provider's error body (for 200: a body that is not JSON).
    /// </summary>
    public virtual void ArrangeSyncFailure(string? reference, int status) => throw new NotSupportedException();

    /// <summary>Makes the next status lookup (by <paramref name="reference"/>, or the search when null) find the attempt keyed <paramref name="idempotencyKey"/> authorized.</summary>
    public virtual void ArrangeSyncAuthorized(string? reference, string idempotencyKey) => throw new NotSupportedException();

    /// <summary>The provider reference a lookup by reference uses.</summary>
    public virtual string SyncReference => "ref_sync";

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
    /// resilience pipeline), logging into <see cref="Logs"/>, with test timings: an attempt times out after 4 s
    /// (generous: only the timeout scenario should ever time out, even on a loaded machine) and retries wait 5 ms.
    /// </summary>
    protected ServiceProvider BuildAdapterServices(Action<IServiceCollection, Action<ProviderHttpOptions>> register)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        register(services, o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(4);
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
