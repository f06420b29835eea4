using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PaymentGateway.Core.Diagnostics;

/// <summary>
/// The gateway's own traces and metrics (OpenTelemetry picks them up by name). Tags carry ids, providers, flows,
/// outcomes and currencies — never card data, amounts of individual payments, or credentials.
/// </summary>
public static class GatewayTelemetry
{
    public const string Name = "PaymentGateway";

    public static readonly ActivitySource ActivitySource = new(Name, "1.0.0");

    public static readonly Meter Meter = new(Name, "1.0.0");

    /// <summary>Payments reaching a status: tags status, provider, method, currency, livemode.</summary>
    public static readonly Counter<long> PaymentTransitions =
        Meter.CreateCounter<long>("paymentgateway.payments.transitions", unit: "{payment}", description: "Payments entering a status.");

    /// <summary>Provider call duration: tags provider, flow, outcome.</summary>
    public static readonly Histogram<double> ProviderCallDuration =
        Meter.CreateHistogram<double>("paymentgateway.provider.call.duration", unit: "s", description: "Duration of calls to payment providers.");

    /// <summary>Idempotent replays served from the store.</summary>
    public static readonly Counter<long> IdempotencyReplays =
        Meter.CreateCounter<long>("paymentgateway.idempotency.replays", unit: "{request}", description: "Requests answered from a stored idempotent response.");

    /// <summary>Vault operations: tags operation (encrypt, decrypt, fingerprint).</summary>
    public static readonly Counter<long> VaultOperations =
        Meter.CreateCounter<long>("paymentgateway.vault.operations", unit: "{operation}", description: "Card vault operations.");

    private static long _reconcilerBacklog;

    /// <summary>Payments waiting for the reconciler at its last run.</summary>
    public static readonly ObservableGauge<long> ReconcilerBacklog =
        Meter.CreateObservableGauge("paymentgateway.reconciler.backlog", () => Interlocked.Read(ref _reconcilerBacklog), unit: "{payment}",
            description: "Payments in processing older than the reconciler's minimum age, at its last run.");

    public static void SetReconcilerBacklog(long count) => Interlocked.Exchange(ref _reconcilerBacklog, count);

    /// <summary>Payments the reconciler looked at: tags outcome.</summary>
    public static readonly Counter<long> Reconciled =
        Meter.CreateCounter<long>("paymentgateway.reconciler.payments", unit: "{payment}", description: "Payments examined by the reconciler.");
}
