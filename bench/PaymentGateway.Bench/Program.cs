using System.Globalization;
using System.Text;
using System.Text.Json;
using PaymentGateway.Bench;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(Options.Usage);
    return 0;
}

Options options;
try
{
    options = Options.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Options.Usage);
    return 2;
}

if (options.Scenarios.Any(s => s != "ceiling") && string.IsNullOrEmpty(options.SecretKey))
{
    Console.Error.WriteLine("A secret key is needed: --secret-key sk_test_... or PG_SK (printed by the gateway's first start).");
    return 2;
}

if (options.Scenarios.Any(s => s != "ceiling" && s != "list") && string.IsNullOrEmpty(options.PublishableKey))
{
    Console.Error.WriteLine("A publishable key is needed to tokenize the test card: --publishable-key pk_test_... or PG_PK.");
    return 2;
}

ThreadPool.GetMinThreads(out var workers, out var io);
ThreadPool.SetMinThreads(Math.Max(workers, 16), Math.Max(io, 16));

using var rest = new RestTransport(options);
using var grpc = options.Transports.Contains("grpc") ? new GrpcTransport(options) : null;
var fixture = new Fixture(options, rest);
using var setupTimeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
var results = new List<ScenarioResult>();

Console.WriteLine($"# {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}Z  {Environment.ProcessorCount} cores  load average {SystemStats.LoadAverage()}");
Console.WriteLine($"# model {(options.Rate is { } r ? $"open, {r.ToString(CultureInfo.InvariantCulture)}/s" : $"closed, concurrency {options.Concurrency}")}" +
    $", warm-up {options.Warmup.TotalSeconds}s, duration {options.Duration.TotalSeconds}s, connections {options.Connections}, gRPC channels {options.GrpcChannels}");

foreach (var name in options.Scenarios)
{
    foreach (var transport in name.StartsWith("ceiling", StringComparison.Ordinal) ? ["rest"] : options.Transports)
    {
        var scenario = ScenarioFactory.Create(name, transport, fixture, rest, grpc);
        Console.Write($"{transport,-5} {name,-13} preparing… ");
        await scenario.PrepareAsync(setupTimeout.Token);
        Console.Write("running… ");
        var result = await Runner.RunAsync(scenario, options);
        results.Add(result);
        Console.WriteLine($"{result.Throughput:N0}/s, p50 {result.Latency?.P50} ms, p99 {result.Latency?.P99} ms, errors {result.Errors}, load {result.LoadAverage}" +
            (result.DispatchLag is { } lag ? $", dispatch lag p50 {lag.P50} ms p99 {lag.P99} ms" : ""));
    }
}

var ceiling = results.Where(x => x.Scenario.StartsWith("ceiling", StringComparison.Ordinal) && x.Model == "closed").Select(x => x.Throughput).DefaultIfEmpty(0).Max();
foreach (var x in results)
{
    x.RatioToCeiling = ceiling > 0 ? Math.Round(x.Throughput / ceiling, 3) : null;
}

Console.WriteLine();
Console.WriteLine(Report.Markdown(results));
if (options.OutPath is { } path)
{
    await File.WriteAllTextAsync(path, JsonSerializer.Serialize(results, Report.Json));
    Console.WriteLine($"results written to {path}");
}

return 0;

internal static class Report
{
    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static string Markdown(IEnumerable<ScenarioResult> results)
    {
        var b = new StringBuilder();
        b.AppendLine("| transport | scenario | load | throughput /s | p50 | p90 | p99 | max (ms) | errors | gateway p50 / p99 (ms) | ratio to ceiling | CPU s: bench / gateway | load avg |");
        b.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---|");
        foreach (var r in results)
        {
            var load = r.Model == "open" ? $"{r.TargetRate:0}/s open" : $"{r.Concurrency} closed";
            var errors = r.Errors == 0 ? "0" : $"{r.Errors} ({string.Join(", ", r.ErrorsByKind.Select(e => $"{e.Key}: {e.Value}"))})";
            var gateway = r.Transport == "grpc" ? "n/a (no server-timing over gRPC)" : r.Gateway is { } g ? $"{g.P50} / {g.P99}" : "n/a";
            var ratio = r.RatioToCeiling is { } q ? q.ToString("0.000", CultureInfo.InvariantCulture) : "—";
            var cpu = $"{r.LoadGeneratorCpuSeconds} / {(r.GatewayCpuSeconds is { } c ? c.ToString(CultureInfo.InvariantCulture) : "?")}";
            b.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Transport} | {r.Scenario} | {load} | {r.Throughput:N0} | {r.Latency?.P50} | {r.Latency?.P90} | {r.Latency?.P99} | {r.Latency?.Max} | {errors} | {gateway} | {ratio} | {cpu} | {r.LoadAverage} |");
        }

        return b.ToString();
    }
}
