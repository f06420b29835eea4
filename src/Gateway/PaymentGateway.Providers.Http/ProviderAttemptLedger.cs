namespace PaymentGateway.Providers.Http;

/// <summary>
/// Remembers, across the attempts of one logical call, whether any attempt may have reached the provider's processing:
/// the difference between "not processed, safe to fail over" and "outcome unknown, reconcile".
/// </summary>
public sealed class ProviderAttemptLedger
{
    public static readonly HttpRequestOptionsKey<ProviderAttemptLedger> Key = new("PaymentGateway.Providers.AttemptLedger");

    private int _mayHaveProcessed;

    public bool MayHaveProcessed => Volatile.Read(ref _mayHaveProcessed) == 1;

    public void MarkMayHaveProcessed() => Volatile.Write(ref _mayHaveProcessed, 1);
}
