using System.Collections.Concurrent;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.Vault;

/// <summary>
/// Holds a card's CVC in process memory only, for one authorization or until it expires, whichever comes first.
/// Never written to disk or logs. On a multi-node deployment the CVC is available only on the node that tokenized
/// the card; elsewhere the authorization goes ahead without it (as with a stored card).
/// </summary>
public sealed class CvcStore(TimeProvider time, TimeSpan lifetime)
{
    private readonly ConcurrentDictionary<string, (Secret Cvc, DateTimeOffset ExpiresAt)> _entries = new(StringComparer.Ordinal);
    private long _writes;

    public TimeSpan Lifetime { get; } = lifetime;

    public void Put(string paymentMethodId, string cvc)
    {
        _entries[paymentMethodId] = (new Secret(cvc), time.GetUtcNow() + Lifetime);
        if (Interlocked.Increment(ref _writes) % 1024 == 0)
        {
            Sweep();
        }
    }

    /// <summary>Returns the CVC once and forgets it; null when absent or expired.</summary>
    public Secret? Take(string paymentMethodId)
    {
        if (_entries.TryRemove(paymentMethodId, out var entry) && entry.ExpiresAt > time.GetUtcNow())
        {
            return entry.Cvc;
        }

        return null;
    }

    public int Count => _entries.Count;

    public void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (key, value) in _entries)
        {
            if (value.ExpiresAt <= now)
            {
                _entries.TryRemove(key, out _);
            }
        }
    }
}
