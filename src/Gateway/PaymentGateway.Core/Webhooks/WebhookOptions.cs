using System.ComponentModel.DataAnnotations;

namespace PaymentGateway.Core.Webhooks;

/// <summary>Configuration section <c>PaymentGateway:Webhooks</c>.</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "PaymentGateway:Webhooks";

    /// <summary>
    /// Allow endpoint URLs on loopback, private, link-local and other internal ranges. Development and tests only:
    /// with it on, a merchant can make the gateway call its own network.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Run the dispatcher on this node.</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>How often the dispatcher looks for new events and due deliveries when idle.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one HTTP attempt may take (connect, send, first bytes of the answer).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a claimed delivery is held by its dispatcher. Must exceed <see cref="AttemptTimeout"/>; after a crash
    /// the delivery is tried again (same <c>webhook-id</c>) once it runs out.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Delays between attempts; empty means <see cref="WebhookRetrySchedule.DefaultDelays"/> (about three days).</summary>
    public List<TimeSpan>? RetrySchedule { get; set; }

    /// <summary>Random spread of each retry delay, as a fraction (0.1 = ±10 %).</summary>
    [Range(0.0, 0.99)]
    public double RetryJitter { get; set; } = 0.1;

    /// <summary>An endpoint is disabled after this many consecutive failed attempts…</summary>
    [Range(1, int.MaxValue)]
    public int DisableAfterFailures { get; set; } = 20;

    /// <summary>…spanning at least this long.</summary>
    public TimeSpan DisableAfterFailingFor { get; set; } = TimeSpan.FromDays(5);

    /// <summary>Deliveries claimed per round, and sent in parallel at most.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 32;

    [Range(1, 256)]
    public int MaxParallelDeliveries { get; set; } = 8;
}
