namespace PaymentGateway.Core.Payments;

/// <summary>
/// When the reconciler asks a provider again about a payment it keeps answering "pending" for: exponential backoff
/// with jitter, kept on the attempt (<see cref="PaymentAttempt.SyncChecks"/>, <see cref="PaymentAttempt.NextSyncAt"/>).
/// </summary>
public static class ReconcileSchedule
{
    /// <summary>True while the reconciler waits (backoff after "pending" answers) before asking about this payment again; never past GiveUpAfter.</summary>
    public static bool IsBackingOff(Payment payment, DateTimeOffset now, ReconcilerOptions settings)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(settings);
        return payment.CurrentAttempt is { NextSyncAt: { } due } attempt && now < due && now - attempt.Created <= settings.GiveUpAfter;
    }

    /// <summary>min(MinAge · 2^(checks-1), BackoffCap), plus up to 25 % random jitter so stuck payments spread out.</summary>
    public static TimeSpan Backoff(int checks, ReconcilerOptions settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var exponent = Math.Clamp(checks - 1, 0, 30);
        var baseTicks = Math.Max(settings.MinAge.Ticks, TimeSpan.TicksPerMillisecond);
        var ticks = Math.Min(settings.BackoffCap.Ticks, baseTicks * (double)(1L << exponent));
        return TimeSpan.FromTicks((long)(ticks * (1 + (Random.Shared.NextDouble() * 0.25))));
    }
}
