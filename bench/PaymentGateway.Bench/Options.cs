using System.Globalization;

namespace PaymentGateway.Bench;

/// <summary>Command-line options. Every run is bounded: warm-up + duration + a grace period for in-flight calls.</summary>
public sealed class Options
{
    public Uri Url { get; private set; } = new("http://127.0.0.1:5080");
    public Uri GrpcUrl { get; private set; } = new("http://127.0.0.1:5081");
    public IReadOnlyList<string> Transports { get; private set; } = ["rest"];
    public IReadOnlyList<string> Scenarios { get; private set; } = ["ceiling", "one-shot"];
    public int Concurrency { get; private set; } = 64;
    public double? Rate { get; private set; }
    public int Connections { get; private set; }
    public int GrpcChannels { get; private set; } = 4;
    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(5);
    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(20);
    public TimeSpan Grace { get; private set; } = TimeSpan.FromSeconds(10);
    public string? SecretKey { get; private set; } = Environment.GetEnvironmentVariable("PG_SK");
    public string? PublishableKey { get; private set; } = Environment.GetEnvironmentVariable("PG_PK");
    public string? OutPath { get; private set; }
    public int? GatewayPid { get; private set; }
    public int PoolSize { get; private set; } = 512;
    public bool NoCeiling { get; private set; }

    /// <summary>Send a fresh <c>Idempotency-Key</c> with every create, as the SDK does.</summary>
    public bool IdempotencyKeys { get; private set; }

    public static readonly string[] AllScenarios = ["one-shot", "auth-capture", "refund", "retrieve", "list"];

    public const string Usage = """
        PaymentGateway.Bench — drives a running gateway over REST and gRPC.

          --url URL                 REST base URL (default http://127.0.0.1:5080)
          --grpc-url URL            gRPC h2c URL (default http://127.0.0.1:5081)
          --transport T             rest | grpc | both (default rest)
          --scenario S              one-shot | auth-capture | refund | retrieve | list | ceiling | all, or a comma list
                                    (default ceiling,one-shot; with other scenarios the ceiling is measured first and last, closed-loop)
          --concurrency N           closed model: N callers, each sends its next call when the last one answers (default 64)
          --rate R                  open model: R calls/s at fixed intended times; latency counts from the intended send
                                    time, so a slow server is not hidden (no coordinated omission)
          --connections N           HTTP/1.1 connections (default: concurrency; in rate mode 256)
          --grpc-channels N         gRPC channels, each its own HTTP/2 connection (default 4)
          --warmup 5s               warm-up, not recorded
          --duration 20s            measured duration
          --secret-key sk_...       or PG_SK;   --publishable-key pk_...  or PG_PK
          --pool N                  payments pre-created for capture/refund/retrieve (default 512)
          --no-ceiling              do not measure the ceiling
          --keys                    send a fresh Idempotency-Key with every payment/refund create (the SDK always does)
          --gateway-pid PID         also report the gateway's CPU time and resident memory (from /proc)
          --out FILE.json           write every result as JSON
        """;

    public static Options Parse(string[] args)
    {
        var o = new Options();
        string? scenario = null;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value");
            switch (name)
            {
                case "--url": o.Url = new Uri(Next()); break;
                case "--grpc-url": o.GrpcUrl = new Uri(Next()); break;
                case "--transport":
                    var t = Next();
                    o.Transports = t == "both" ? ["rest", "grpc"] : t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (o.Transports.Any(x => x is not ("rest" or "grpc")))
                    {
                        throw new ArgumentException("--transport must be rest, grpc or both");
                    }

                    break;
                case "--scenario": scenario = Next(); break;
                case "--concurrency": o.Concurrency = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--rate": o.Rate = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--connections": o.Connections = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--grpc-channels": o.GrpcChannels = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--warmup": o.Warmup = ParseDuration(Next()); break;
                case "--duration": o.Duration = ParseDuration(Next()); break;
                case "--grace": o.Grace = ParseDuration(Next()); break;
                case "--secret-key": o.SecretKey = Next(); break;
                case "--publishable-key": o.PublishableKey = Next(); break;
                case "--out": o.OutPath = Next(); break;
                case "--gateway-pid": o.GatewayPid = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--pool": o.PoolSize = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--no-ceiling": o.NoCeiling = true; break;
                case "--keys": o.IdempotencyKeys = true; break;
                default: throw new ArgumentException($"unknown argument {name}");
            }
        }

        var list = (scenario ?? "ceiling,one-shot").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SelectMany(s => s == "all" ? ["ceiling", .. AllScenarios] : new[] { s }).Distinct().ToList();
        if (list.FirstOrDefault(s => s != "ceiling" && !AllScenarios.Contains(s)) is { } bad)
        {
            throw new ArgumentException($"unknown scenario {bad}");
        }

        if (o.NoCeiling)
        {
            list.Remove("ceiling");
        }
        else if (list.Remove("ceiling") || list.Count > 0)
        {
            // Measured first and again last (a cold process or a busy neighbour shows up as a difference between the
            // two); ratios use the higher of the two.
            list.Insert(0, "ceiling");
            if (list.Count > 1)
            {
                list.Add("ceiling-end");
            }
        }

        o.Scenarios = list;
        if (o.Concurrency < 1 || o.Rate is <= 0 || o.GrpcChannels < 1 || o.Duration <= TimeSpan.Zero)
        {
            throw new ArgumentException("concurrency, rate, channels and duration must be positive");
        }

        if (o.Connections <= 0)
        {
            o.Connections = o.Rate is null ? o.Concurrency : 256;
        }

        return o;
    }

    private static TimeSpan ParseDuration(string s) =>
        s.EndsWith("ms", StringComparison.Ordinal) ? TimeSpan.FromMilliseconds(double.Parse(s[..^2], CultureInfo.InvariantCulture))
        : s.EndsWith('s') ? TimeSpan.FromSeconds(double.Parse(s[..^1], CultureInfo.InvariantCulture))
        : s.EndsWith('m') ? TimeSpan.FromMinutes(double.Parse(s[..^1], CultureInfo.InvariantCulture))
        : TimeSpan.FromSeconds(double.Parse(s, CultureInfo.InvariantCulture));
}
