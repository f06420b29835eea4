using System.Globalization;

namespace PaymentGateway.Core.Webhooks;

/// <summary>
/// When to try a failed delivery again. The default follows the Standard Webhooks example: 5 s, 5 min, 30 min, 2 h,
/// 5 h, 10 h, 14 h, 20 h, 24 h — ten attempts over about three days and three hours — each delay with ±<c>jitter</c>.
/// A <c>Retry-After</c> longer than the scheduled delay wins (capped at <see cref="MaxRetryAfter"/>).
/// </summary>
public sealed class WebhookRetrySchedule
{
    public static readonly IReadOnlyList<TimeSpan> DefaultDelays =
    [
        TimeSpan.FromSeconds(5),
        TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2),
        TimeSpan.FromHours(5),
        TimeSpan.FromHours(10),
        TimeSpan.FromHours(14),
        TimeSpan.FromHours(20),
        TimeSpan.FromHours(24),
    ];

    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromHours(24);

    private readonly IReadOnlyList<TimeSpan> _delays;
    private readonly double _jitter;

    public WebhookRetrySchedule(IReadOnlyList<TimeSpan>? delays = null, double jitter = 0.1)
    {
        _delays = delays is { Count: > 0 } ? delays : DefaultDelays;
        if (_delays.Any(d => d < TimeSpan.Zero))
        {
            throw new ArgumentException("Retry delays must not be negative.", nameof(delays));
        }

        _jitter = jitter is >= 0 and < 1 ? jitter : throw new ArgumentOutOfRangeException(nameof(jitter), "Jitter is a fraction in [0, 1).");
    }

    public IReadOnlyList<TimeSpan> Delays => _delays;

    /// <summary>Attempts in all, the first included.</summary>
    public int MaxAttempts => _delays.Count + 1;

    /// <summary>The delay before the next attempt after <paramref name="failures"/> failed attempts, or null to give up.</summary>
    /// <param name="failures">Failed attempts so far, the one just made included (1 after the first failure).</param>
    /// <param name="random">A value in [0, 1) that picks the jitter; 0.5 means none.</param>
    /// <param name="retryAfter">The endpoint's <c>Retry-After</c>, if it sent one.</param>
    public TimeSpan? NextDelay(int failures, double random, TimeSpan? retryAfter = null)
    {
        if (failures < 1 || failures > _delays.Count)
        {
            return null;
        }

        var scheduled = _delays[failures - 1];
        var delay = scheduled + (scheduled * (_jitter * ((random * 2) - 1)));
        if (retryAfter is { } asked && asked > delay)
        {
            delay = asked < MaxRetryAfter ? asked : MaxRetryAfter;
        }

        return delay;
    }

    /// <summary>Reads a <c>Retry-After</c> value: delay seconds or an HTTP date. Null when absent or unreadable.</summary>
    public static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        value = value.Trim();
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(Math.Min(seconds, (long)MaxRetryAfter.TotalSeconds));
        }

        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            var delay = at - now;
            return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
        }

        return null;
    }
}
