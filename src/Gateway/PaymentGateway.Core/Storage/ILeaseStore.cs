namespace PaymentGateway.Core.Storage;

/// <summary>Named leases for background work, so any number of nodes can run it.</summary>
public interface ILeaseStore
{
    /// <summary>Takes or renews a named lease for background work. True when <paramref name="holder"/> holds it now.</summary>
    Task<bool> TryAcquireLeaseAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken);
}
