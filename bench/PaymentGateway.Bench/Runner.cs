using System.Collections.Concurrent;
using System.Diagnostics;

namespace PaymentGateway.Bench;

public sealed record LatencySummary(double P50, double P90, double P99, double P999, double Max, double Mean, long Count)
{
    public static LatencySummary? From(Histogram h) => h.Count == 0 ? null : new(
        Ms(h.ValueAt(0.50)), Ms(h.ValueAt(0.90)), Ms(h.ValueAt(0.99)), Ms(h.ValueAt(0.999)), Ms(h.Max), Math.Round(h.Mean / 1000.0, 3), h.Count);

    private static double Ms(long micros) => Math.Round(micros / 1000.0, 3);
}

public sealed record ScenarioResult(
    string Transport, string Scenario, string Model, int Concurrency, double? TargetRate, double Seconds,
    long Ok, long Errors, IReadOnlyDictionary<string, long> ErrorsByKind, double Throughput,
    LatencySummary? Latency, LatencySummary? Gateway, LatencySummary? Provider,
    double? RatioToCeiling, LatencySummary? DispatchLag, double LoadGeneratorCpuSeconds, double? GatewayCpuSeconds, long? GatewayRssBytes, string LoadAverage)
{
    public double? RatioToCeiling { get; set; } = RatioToCeiling;
}

/// <summary>
/// Runs one scenario. Closed model: N callers loop. Open model: a dispatcher releases calls at intended times
/// start + i / rate and each call's latency is measured from its intended time, so a server that falls behind shows
/// up as latency instead of silently lowering the offered load (no coordinated omission). Only calls that complete
/// inside the measured window are counted; every run ends after warm-up + duration + grace.
/// </summary>
public static class Runner
{
    private const int MaxInFlight = 50_000;

    /// <summary>The ceiling runs closed-loop (it measures a maximum) unless it is the only scenario.</summary>
    public static bool IsCeiling(IScenario s) => s.Name.StartsWith("ceiling", StringComparison.Ordinal);

    public static async Task<ScenarioResult> RunAsync(IScenario scenario, Options o)
    {
        var latency = new Histogram();
        var gateway = new Histogram();
        var provider = new Histogram();
        var lag = new Histogram();
        var errors = new ConcurrentDictionary<string, long>();
        long ok = 0;

        var freq = Stopwatch.Frequency;
        var start = Stopwatch.GetTimestamp();
        var windowStart = start + (long)(o.Warmup.TotalSeconds * freq);
        var windowEnd = windowStart + (long)(o.Duration.TotalSeconds * freq);
        using var hardStop = new CancellationTokenSource(o.Warmup + o.Duration + o.Grace);
        var ct = hardStop.Token;

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        double? gatewayCpuBefore = null;

        void Complete(long intended, OpResult r)
        {
            var done = Stopwatch.GetTimestamp();
            if (done < windowStart || done > windowEnd)
            {
                return;
            }

            if (r.Error is null)
            {
                Interlocked.Increment(ref ok);
                latency.Record((done - intended) * 1_000_000 / freq);
                if (!double.IsNaN(r.GatewayMs))
                {
                    gateway.Record((long)(r.GatewayMs * 1000));
                }

                if (!double.IsNaN(r.ProviderMs))
                {
                    provider.Record((long)(r.ProviderMs * 1000));
                }
            }
            else
            {
                errors.AddOrUpdate(r.Error, 1, static (_, n) => n + 1);
            }
        }

        async Task MarkWindowAsync()
        {
            var wait = TimeSpan.FromSeconds((double)(windowStart - Stopwatch.GetTimestamp()) / freq);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, ct).ConfigureAwait(false);
            }

            cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            gatewayCpuBefore = SystemStats.ProcessCpuSeconds(o.GatewayPid);
        }

        var closed = o.Rate is null || (IsCeiling(scenario) && o.Scenarios.Count > 1);
        var marker = MarkWindowAsync();
        if (closed)
        {
            long sequence = -1;
            var workers = Enumerable.Range(0, o.Concurrency).Select(async _ =>
            {
                await Task.Yield();
                while (Stopwatch.GetTimestamp() < windowEnd && !ct.IsCancellationRequested)
                {
                    var seq = Interlocked.Increment(ref sequence);
                    var t0 = Stopwatch.GetTimestamp();
                    OpResult r;
                    try
                    {
                        r = await scenario.RunAsync(seq, ct).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (ct.IsCancellationRequested)
                    {
                        return;
                    }
                    catch (Exception e)
                    {
                        r = OpResult.Fail(ErrorLabels.For(e));
                    }

                    Complete(t0, r);
                }
            }).ToArray();
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        else
        {
            var rate = o.Rate ?? 1;
            long inFlight = 0;
            long issued = 0;
            var ticksPerCall = freq / rate;
            var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

            async Task FireAsync(long seq, long intended)
            {
                if (intended >= windowStart && intended <= windowEnd)
                {
                    // How late the dispatcher released this call (timer granularity, a busy machine): part of the latency.
                    lag.Record((Stopwatch.GetTimestamp() - intended) * 1_000_000 / freq);
                }

                OpResult r;
                try
                {
                    r = await scenario.RunAsync(seq, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    r = OpResult.Fail("canceled at the end of the run");
                }
                catch (Exception e)
                {
                    r = OpResult.Fail(ErrorLabels.For(e));
                }

                // Open model: an answer that arrives after the window still counts its latency if it was due inside it.
                var done = Stopwatch.GetTimestamp();
                if (intended >= windowStart && intended <= windowEnd && done > windowEnd)
                {
                    if (r.Error is null)
                    {
                        latency.Record((done - intended) * 1_000_000 / freq);
                    }
                    else
                    {
                        errors.AddOrUpdate(r.Error, 1, static (_, n) => n + 1);
                    }
                }
                else
                {
                    Complete(intended, r);
                }

                if (Interlocked.Decrement(ref inFlight) == 0 && Stopwatch.GetTimestamp() >= windowEnd)
                {
                    drained.TrySetResult();
                }
            }

            // A dedicated thread releases the calls (Thread.Sleep(1) wakes closer to time than a timer on the thread pool).
            var dispatched = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var dispatcher = new Thread(() =>
            {
                while (!ct.IsCancellationRequested)
                {
                    var now = Stopwatch.GetTimestamp();
                    if (now >= windowEnd)
                    {
                        break;
                    }

                    var due = (long)((now - start) / ticksPerCall) + 1;
                    while (issued < due)
                    {
                        var intended = start + (long)(issued * ticksPerCall);
                        if (Interlocked.Read(ref inFlight) >= MaxInFlight)
                        {
                            if (intended >= windowStart)
                            {
                                errors.AddOrUpdate("not sent: load generator backlog", 1, static (_, n) => n + 1);
                            }
                        }
                        else
                        {
                            Interlocked.Increment(ref inFlight);
                            _ = FireAsync(issued, intended);
                        }

                        issued++;
                    }

                    Thread.Sleep(1);
                }

                dispatched.TrySetResult();
            })
            { IsBackground = true, Name = "bench dispatcher" };
            dispatcher.Start();
            await dispatched.Task.ConfigureAwait(false);

            if (Interlocked.Read(ref inFlight) > 0)
            {
                await Task.WhenAny(drained.Task, Task.Delay(o.Grace)).ConfigureAwait(false);
            }
        }

        await marker.ConfigureAwait(false);
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        var gatewayCpu = SystemStats.ProcessCpuSeconds(o.GatewayPid) - gatewayCpuBefore;
        var seconds = o.Duration.TotalSeconds;
        var errorCount = errors.Values.Sum();
        return new ScenarioResult(scenario.Transport, scenario.Name, closed ? "closed" : "open",
            o.Concurrency, closed ? null : o.Rate, seconds, ok, errorCount, new SortedDictionary<string, long>(errors),
            Math.Round(ok / seconds, 1), LatencySummary.From(latency), LatencySummary.From(gateway), LatencySummary.From(provider),
            null, closed ? null : LatencySummary.From(lag), Math.Round(cpu, 2), gatewayCpu is null ? null : Math.Round(gatewayCpu.Value, 2), SystemStats.RssBytes(o.GatewayPid), SystemStats.LoadAverage());
    }
}

public static class SystemStats
{
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    /// <summary>utime + stime of a process from /proc (clock ticks of 1/100 s).</summary>
    public static double? ProcessCpuSeconds(int? pid)
    {
        if (pid is null)
        {
            return null;
        }

        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static long? RssBytes(int? pid)
    {
        if (pid is null)
        {
            return null;
        }

        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
