using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using PaymentGateway.Api.EndToEndTests;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace PaymentGateway.Api.FuzzTests;

/// <summary>
/// Schema-driven fuzzing of every operation in the live <c>/openapi/v1.json</c> of a real gateway on Kestrel: no
/// input may get a 5xx, an error that is not problem+json with a code, or a dropped connection, and a rejected create
/// writes nothing. Deterministic: the seed (PAYMENTGATEWAY_FUZZ_SEED, printed) fixes every request; the count
/// (PAYMENTGATEWAY_FUZZ_REQUESTS, default 12,000; PAYMENTGATEWAY_FUZZ_POSTGRES_REQUESTS, default 4,000, for the
/// PostgreSQL run) bounds it.
/// </summary>
public sealed class ApiFuzzTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 15_2026;
    private const int DefaultRequests = 12_000;
    private const int DefaultPostgresRequests = 4_000;
    private const int Parallelism = 4;
    private const int MaxReportedPerGroup = 3;

    /// <summary>A hard stop so a hung gateway cannot hold CI; not a speed goal (the run takes well under a minute).</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(6);

    [Fact]
    public Task EveryOperation_AnyInput_AnswersBelow500AsProblemJson_AndRejectedCreatesWriteNothing() =>
        FuzzAsync(FuzzWorld.Settings, Setting("PAYMENTGATEWAY_FUZZ_REQUESTS", DefaultRequests));

    /// <summary>
    /// A shorter run on PostgreSQL, which refuses some values SQLite stores (U+0000 in text): what reaches the storage
    /// engine must not turn into a 500 there either.
    /// </summary>
    [MultiNodePostgresFact]
    public async Task EveryOperation_AnyInput_OnPostgreSql_AnswersBelow500AsProblemJson()
    {
        var database = await MultiNodePostgres.CreateDatabaseAsync("pg_fuzz_");
        try
        {
            var settings = new Dictionary<string, string?>(FuzzWorld.Settings)
            {
                ["PaymentGateway:Storage:Engine"] = "postgres",
                ["PaymentGateway:Storage:ConnectionString"] = new NpgsqlConnectionStringBuilder(MultiNodePostgres.ConnectionString) { Database = database }.ConnectionString,
                ["PaymentGateway:Vault:Keys"] = "k1:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                ["PaymentGateway:Vault:FingerprintKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            };
            await FuzzAsync(settings, Setting("PAYMENTGATEWAY_FUZZ_POSTGRES_REQUESTS", DefaultPostgresRequests));
        }
        finally
        {
            await MultiNodePostgres.DropDatabaseAsync(database);
        }
    }

    private async Task FuzzAsync(IDictionary<string, string?> settings, int total)
    {
        var seed = Setting("PAYMENTGATEWAY_FUZZ_SEED", DefaultSeed);
        output.WriteLine($"fuzz seed {seed} (set PAYMENTGATEWAY_FUZZ_SEED={seed} to replay), {total} requests");

        await using var server = await GatewayServer.StartAsync(settings);
        using var timeout = new CancellationTokenSource(Deadline);
        var document = JsonNode.Parse((await server.Client(null).GetAsync("/openapi/v1.json")).EnsureStatus(200).Body)?.AsObject()
            ?? throw new InvalidOperationException("no document");
        var operations = OpenApiOperations.Read(document);
        Assert.True(operations.Count >= 40, $"the document lists only {operations.Count} operations");

        var world = await FuzzWorld.CreateAsync(server, operations);
        var deriver = new RequestDeriver(world);
        using var http = FuzzRunner.CreateClient(server.BaseAddress);
        var runner = new FuzzRunner(http, world);

        var keys = await ProbeKeysAsync(operations, deriver, runner, timeout.Token);
        var counted = operations
            .Where(o => o.Method == "POST" && operations.Any(l => l.Method == "GET" && l.OperationId.StartsWith("List", StringComparison.Ordinal) && l.PathTemplate == o.PathTemplate))
            .ToList();
        var before = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var create in counted)
        {
            before[create.OperationId] = await world.CountAsync(Path(world, create), keys[create.OperationId]);
        }

        var plan = Plan(operations, deriver, keys, seed, total);
        var stopwatch = Stopwatch.StartNew();
        var outcomes = new FuzzOutcome[plan.Count];
        var resent = new bool[plan.Count];
        var lost = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, plan.Count), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = timeout.Token },
            async (i, ct) =>
            {
                outcomes[i] = await runner.SendAsync(plan[i].Request, ct);
                if (outcomes[i].Status == 0)
                {
                    // No answer: sent once more. A connection the gateway drops for this input drops again (and fails
                    // the run); a pooled connection lost to a keep-alive race on a loaded machine does not.
                    resent[i] = true;
                    var first = outcomes[i].Failure;
                    outcomes[i] = await runner.SendAsync(plan[i].Request, ct);
                    lost.Enqueue($"[{plan[i].Request.Operation.OperationId}] {plan[i].Request.Mutation}: {first}; sent again: HTTP {outcomes[i].Status} {outcomes[i].Code}");
                }
            });
        stopwatch.Stop();

        var failures = new List<string>();
        foreach (var create in counted)
        {
            var after = await world.CountAsync(Path(world, create), keys[create.OperationId]);
            // A request sent twice may have written on its first, lost, answer too.
            var wrote = outcomes.Count(o => o.Request.Operation == create && o.Wrote) + Enumerable.Range(0, plan.Count).Count(i => resent[i] && plan[i].Request.Operation == create);
            if (after - before[create.OperationId] > wrote)
            {
                failures.Add($"[{create.OperationId}] {after - before[create.OperationId]} new objects but only {wrote} successful creates: a rejected create wrote something");
            }
        }

        failures.AddRange(await ReportFailuresAsync(plan, outcomes, deriver, keys, runner, timeout.Token));
        var reached = operations.Count(o => outcomes.Any(x => x.Request.Operation == o && x.ReachedHandler));
        var statuses = outcomes.GroupBy(o => o.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fuzz: {outcomes.Length} requests over {operations.Count} operations ({reached} reached their handler) in {stopwatch.Elapsed.TotalSeconds:0.0} s, seed {seed}"));
        output.WriteLine("statuses: " + string.Join(", ", statuses) + $"; {resent.Count(r => r)} request(s) sent twice after a connection was lost");
        output.WriteLine("operations no fuzzed request succeeded on (all refused, which can be right): " + string.Join(", ",
            operations.Where(o => !outcomes.Any(x => x.Request.Operation == o && x.Status is >= 200 and < 300)).Select(o => o.OperationId)));
        foreach (var line in lost.Concat(failures))
        {
            output.WriteLine(line);
        }

        Assert.True(outcomes.Length >= total, $"only {outcomes.Length} of {total} requests were planned");
        Assert.True(reached == operations.Count,
            "operations whose requests never got past authentication or routing: " + string.Join(", ", operations.Where(o => !outcomes.Any(x => x.Request.Operation == o && x.ReachedHandler))));
        Assert.True(failures.Count == 0, $"seed {seed}: {failures.Count} finding(s)\n" + string.Join("\n", failures));
    }

    /// <summary>Which key each operation takes: the first of secret, publishable and admin that gets past authentication.</summary>
    private static async Task<Dictionary<string, FuzzKey>> ProbeKeysAsync(IReadOnlyList<FuzzOperation> operations, RequestDeriver deriver, FuzzRunner runner, CancellationToken ct)
    {
        var keys = new Dictionary<string, FuzzKey>(StringComparer.Ordinal);
        foreach (var operation in operations)
        {
            foreach (var key in new[] { FuzzKey.Secret, FuzzKey.Publishable, FuzzKey.Admin })
            {
                // An unknown object: the probe passes authentication (404) without changing an object the fuzz uses.
                var draft = deriver.Draft(operation, key);
                foreach (var name in operation.PathParameters.Where(p => p != "merchant_id"))
                {
                    draft.PathValues[name] = "zz_00000000000000000000000000000";
                }

                var outcome = await runner.SendAsync(draft.Build("key probe"), ct);
                if (outcome.Status is not (401 or 403) || outcome.Code is not ("secret_key_required" or "publishable_key_required" or "admin_key_required" or "api_key_invalid"))
                {
                    keys[operation.OperationId] = key;
                    break;
                }
            }

            Assert.True(keys.ContainsKey(operation.OperationId), $"{operation} refuses the secret, publishable and admin keys alike");
        }

        return keys;
    }

    /// <summary>
    /// Every core mutation of every operation, then the other single mutations sampled, then random combinations of two
    /// or three mutations of one operation, up to <paramref name="total"/> requests, all fixed by the seed.
    /// </summary>
    private static List<PlannedRequest> Plan(IReadOnlyList<FuzzOperation> operations, RequestDeriver deriver, Dictionary<string, FuzzKey> keys, int seed, int total)
    {
        var random = new Random(seed);
        var mutations = operations.ToDictionary(o => o, deriver.Mutations);
        var plan = new List<PlannedRequest>();
        PlannedRequest Make(FuzzOperation operation, IReadOnlyList<Mutation> applied) => new(Build(deriver, keys, operation, applied), applied);

        foreach (var (operation, list) in mutations)
        {
            plan.AddRange(list.Where(m => m.Core).Select(m => Make(operation, [m])));
        }

        var extended = mutations.SelectMany(p => p.Value.Where(m => !m.Core).Select(m => (Operation: p.Key, Mutation: m))).ToList();
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(extended));
        var singles = Math.Max(0, (int)((total - plan.Count) * 0.6));
        plan.AddRange(extended.Take(singles).Select(e => Make(e.Operation, [e.Mutation])));

        while (plan.Count < total)
        {
            var operation = operations[random.Next(operations.Count)];
            var list = mutations[operation];
            var applied = Enumerable.Range(0, random.Next(2, 4)).Select(_ => list[random.Next(1, list.Count)]).Distinct().ToList();
            plan.Add(Make(operation, applied));
        }

        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(plan));
        return plan;
    }

    /// <summary>
    /// Each failure with a reproduction: a combination is replayed one mutation at a time, and the smallest one that
    /// still fails is shown. Failures are grouped by operation and kind; a few of each group are printed.
    /// </summary>
    private static async Task<List<string>> ReportFailuresAsync(
        List<PlannedRequest> plan, FuzzOutcome[] outcomes, RequestDeriver deriver, Dictionary<string, FuzzKey> keys, FuzzRunner runner, CancellationToken ct)
    {
        var lines = new List<string>();
        var groups = Enumerable.Range(0, plan.Count)
            .Where(i => outcomes[i].Failure is not null)
            .GroupBy(i => (outcomes[i].Request.Operation.OperationId, Kind(outcomes[i])))
            .OrderBy(g => g.Key.OperationId, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            lines.Add($"[{group.Key.OperationId}] {group.Key.Item2}: {group.Count()} request(s)");
            foreach (var i in group.Take(MaxReportedPerGroup))
            {
                var outcome = outcomes[i];
                if (plan[i].Applied.Count > 1)
                {
                    foreach (var single in plan[i].Applied)
                    {
                        var again = await runner.SendAsync(Build(deriver, keys, outcome.Request.Operation, [single]), ct);
                        if (again.Failure is not null)
                        {
                            outcome = again;
                            break;
                        }
                    }
                }

                lines.Add($"  - {outcome.Request.Mutation}");
                lines.Add($"    got: {outcome.Failure}");
                lines.Add($"    {FuzzRunner.Reproduction(outcome.Request)}");
            }
        }

        return lines;
    }

    private static FuzzRequest Build(RequestDeriver deriver, Dictionary<string, FuzzKey> keys, FuzzOperation operation, IReadOnlyList<Mutation> applied)
    {
        var draft = deriver.Draft(operation, keys[operation.OperationId]);
        foreach (var mutation in applied)
        {
            mutation.Apply(draft);
        }

        return draft.Build(string.Join(" + ", applied.Select(m => m.Description)));
    }

    private static string Kind(FuzzOutcome outcome)
    {
        var failure = outcome.Failure ?? string.Empty;
        var colon = failure.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? failure[..colon] : failure;
    }

    /// <summary>The operation's path with real ids (a list under an object, such as a customer's payment methods, needs its owner's).</summary>
    private static string Path(FuzzWorld world, FuzzOperation operation)
    {
        var path = operation.PathTemplate.Replace("{merchant_id}", world.RoutingMerchantId, StringComparison.Ordinal);
        foreach (var parameter in operation.PathParameters.Where(p => p != "merchant_id"))
        {
            path = path.Replace("{" + parameter + "}", world.PathValue(operation, parameter), StringComparison.Ordinal);
        }

        return path;
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    private sealed record PlannedRequest(FuzzRequest Request, IReadOnlyList<Mutation> Applied);
}
