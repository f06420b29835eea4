using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Npgsql;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>
/// Round trips to PostgreSQL per request, counted from Npgsql's own spans (one per command or batch sent, parented to
/// the request's trace): a gateway node on a database of its own, created on the server named by
/// <c>PAYMENTGATEWAY_TEST_POSTGRES</c> and dropped afterwards; skipped without the variable.
/// </summary>
public sealed class PostgresRoundTripTests(ITestOutputHelper output) : IAsyncLifetime
{
    private string? _database;
    private GatewayServer? _node;

    private GatewayServer Node => _node ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        var server = MultiNodePostgres.ConnectionString ?? throw new InvalidOperationException(MultiNodePostgres.SkipReason);
        _database = await MultiNodePostgres.CreateDatabaseAsync("pg_rt_");
        _node = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["PaymentGateway:Storage:Engine"] = "postgres",
            ["PaymentGateway:Storage:ConnectionString"] = new NpgsqlConnectionStringBuilder(server) { Database = _database }.ConnectionString,
            ["PaymentGateway:Vault:Keys"] = "k1:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["PaymentGateway:Vault:FingerprintKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        });
    }

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        if (_database is not null && MultiNodePostgres.ConnectionString is not null)
        {
            await MultiNodePostgres.DropDatabaseAsync(_database);
        }
    }

    [MultiNodePostgresFact]
    public async Task KeyedOneShotPayment_TakesAtMostFiveRoundTrips_TwoOfThemCommits_AndAReplayOne()
    {
        var merchant = await Node.CreateMerchantAsync();
        var pm = await Flows.TokenizeAsync(Node, merchant);
        var api = Node.Client(merchant.SecretKey);
        var body = new { amount = 900, currency = "EUR", payment_method = pm, confirm = true };

        // A first payment warms what a node caches (API keys, prepared statements); the one measured is the second.
        (await api.PostAsync("/v1/payments", body, "idem-" + Guid.NewGuid().ToString("N"))).EnsureStatus(200);
        var key = "idem-" + Guid.NewGuid().ToString("N");
        var (first, trips) = await RoundTripsOfAsync(() => api.PostAsync("/v1/payments", body, key));
        var (replay, replayTrips) = await RoundTripsOfAsync(() => api.PostAsync("/v1/payments", body, key));

        output.WriteLine($"{trips.Count} round trips for a keyed one-shot payment:");
        trips.ForEach(t => output.WriteLine("  " + t.ReplaceLineEndings(" ")));
        output.WriteLine($"{replayTrips.Count} for its replay.");
        first.EnsureStatus(200);
        Assert.Equal("succeeded", first.Str("status"));
        var writes = trips.Where(IsWrite).ToList();
        // Two commits (payment created with the key's claim; provider's answer with the stored response), each one batch.
        Assert.True(writes.Count == 2, "writes: " + string.Join(" | ", writes));
        Assert.True(trips.Count <= 5, $"{trips.Count} round trips: " + string.Join(" | ", trips));
        Assert.DoesNotContain(trips, t => t.Contains("DISCARD", StringComparison.OrdinalIgnoreCase) || t.StartsWith("BEGIN", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("true", replay.Header("Idempotent-Replayed"));
        Assert.True(replayTrips.Count == 1, $"{replayTrips.Count} round trips for a replay: " + string.Join(" | ", replayTrips));

        // The writes went through the group committer (on by default), whose counters are on /metrics: at least the two
        // payments' four change sets, in as many commits or fewer.
        var scrape = (await Node.Client(null).GetAsync("/metrics")).EnsureStatus(200).Body;
        var commits = MetricValue(scrape, "paymentgateway_postgres_group_commits_total");
        var units = MetricValue(scrape, "paymentgateway_postgres_group_commit_units_total");
        Assert.True(units >= 4, $"{units} change sets group-committed");
        Assert.InRange(commits, 1, units);
    }

    /// <summary>The sum of a counter's samples in a Prometheus scrape.</summary>
    private static double MetricValue(string scrape, string name)
    {
        var lines = scrape.Split('\n').Where(l => l.StartsWith(name + " ", StringComparison.Ordinal) || l.StartsWith(name + "{", StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count > 0, $"{name} is not in the scrape");
        return lines.Sum(l => double.Parse(l[(l.Contains('}', StringComparison.Ordinal) ? l.LastIndexOf('}') + 1 : name.Length)..].Trim().Split(' ')[0],
            System.Globalization.CultureInfo.InvariantCulture));
    }

    private static bool IsWrite(string statement) =>
        statement.Contains("INSERT ", StringComparison.OrdinalIgnoreCase) || statement.Contains("UPDATE ", StringComparison.OrdinalIgnoreCase);

    /// <summary>Runs <paramref name="call"/> in a trace of its own; returns the statements of each round trip it made to PostgreSQL.</summary>
    private static async Task<(ApiResponse Response, List<string> RoundTrips)> RoundTripsOfAsync(Func<Task<ApiResponse>> call)
    {
        var traceId = ActivityTraceId.CreateRandom();
        var captured = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.TraceId == traceId)
                {
                    captured.Enqueue(a.GetTagItem("db.query.text") as string ?? a.GetTagItem("db.statement") as string ?? a.DisplayName);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        ApiResponse response;
        using (new Activity("test-caller").SetParentId(traceId, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start())
        {
            response = await call();
        }

        return (response, [.. captured]);
    }
}
