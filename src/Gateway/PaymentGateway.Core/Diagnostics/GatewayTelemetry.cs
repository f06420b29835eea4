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

    /// <summary>
    /// Provider accounts the dispute sync left for its next pass because they used their time budget: tags provider,
    /// provider_account (an account id, or <c>simulator</c>), phase (<c>list</c> or <c>refresh</c>).
    /// </summary>
    public static readonly Counter<long> DisputeSyncBudgetExceeded =
        Meter.CreateCounter<long>("paymentgateway.disputes.sync.budget_exceeded", unit: "{account}",
            description: "Provider accounts whose dispute polling ran out of its per-pass time budget.");

    private static Func<(long Commits, long Units, long Checkpoints)>? _sqliteWriter;

    /// <summary>The SQLite engine's group-commit statistics source (the host sets it when SQLite is the engine).</summary>
    public static void ObserveSqliteWriter(Func<(long Commits, long Units, long Checkpoints)> statistics) => _sqliteWriter = statistics;

    private static IEnumerable<Measurement<long>> SqliteWriter(Func<(long Commits, long Units, long Checkpoints), long> pick) =>
        _sqliteWriter is { } source ? [new Measurement<long>(pick(source()))] : [];

    /// <summary>SQLite group commits: transactions committed (each one fsync).</summary>
    public static readonly ObservableCounter<long> SqliteCommits =
        Meter.CreateObservableCounter("paymentgateway.sqlite.commits", () => SqliteWriter(s => s.Commits), unit: "{commit}",
            description: "SQLite write transactions committed by the group-commit writer (one fsync each).");

    /// <summary>Units of work in those commits; units ÷ commits is the mean group size.</summary>
    public static readonly ObservableCounter<long> SqliteCommitUnits =
        Meter.CreateObservableCounter("paymentgateway.sqlite.commit.units", () => SqliteWriter(s => s.Units), unit: "{unit}",
            description: "Units of work (one store commit each) carried by SQLite group commits.");

    /// <summary>WAL checkpoints run beside the writer.</summary>
    public static readonly ObservableCounter<long> SqliteCheckpoints =
        Meter.CreateObservableCounter("paymentgateway.sqlite.checkpoints", () => SqliteWriter(s => s.Checkpoints), unit: "{checkpoint}",
            description: "SQLite WAL checkpoints run beside the writer.");

    private static readonly System.Collections.Concurrent.ConcurrentQueue<Func<(long Commits, long Units)>> _postgresGroupCommit = new();

    /// <summary>
    /// Adds a source of the PostgreSQL group committer's statistics (the host adds its database's when it commits in
    /// groups); the counters are the sums over every source in the process.
    /// </summary>
    public static void ObservePostgresGroupCommit(Func<(long Commits, long Units)> statistics) => _postgresGroupCommit.Enqueue(statistics);

    private static IEnumerable<Measurement<long>> PostgresGroupCommit(Func<(long Commits, long Units), long> pick) =>
        _postgresGroupCommit.IsEmpty ? [] : [new Measurement<long>(_postgresGroupCommit.Sum(source => pick(source())))];

    /// <summary>PostgreSQL group commits: transactions committed by the group committer.</summary>
    public static readonly ObservableCounter<long> PostgresGroupCommits =
        Meter.CreateObservableCounter("paymentgateway.postgres.group_commits", () => PostgresGroupCommit(s => s.Commits), unit: "{commit}",
            description: "PostgreSQL transactions committed by the group committer (one batch and one commit each).");

    /// <summary>Change sets in those commits; units ÷ commits is the mean group size.</summary>
    public static readonly ObservableCounter<long> PostgresGroupCommitUnits =
        Meter.CreateObservableCounter("paymentgateway.postgres.group_commit.units", () => PostgresGroupCommit(s => s.Units), unit: "{unit}",
            description: "Change sets (one store commit each) carried by PostgreSQL group commits.");
}
