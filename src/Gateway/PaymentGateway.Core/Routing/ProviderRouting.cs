using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.Routing;

/// <summary>
/// What payments and refunds need to reach a provider account: the account opened with its decrypted credentials, and
/// each adapter call traced and timed (<see cref="ProviderTiming"/>) and run through that account's circuit breaker
/// (<see cref="ProviderCircuits"/>). Which account a payment goes to is the <see cref="PaymentRouter"/>'s decision.
/// </summary>
public sealed class ProviderRouting(ProviderAccountService accounts, ProviderCircuits circuits, IRoutingStore store)
{
    /// <summary>The account with decrypted credentials, or null for payments that were not routed (simulator).</summary>
    public async Task<ProviderAccount?> OpenAsync(string? accountId, CancellationToken ct)
    {
        if (accountId is null)
        {
            return null;
        }

        var record = await store.GetProviderAccountAsync(accountId, ct).ConfigureAwait(false)
            ?? throw new GatewayException(ErrorKind.Unprocessable, ErrorCodes.ProviderNotConfigured, $"Provider account {accountId} no longer exists.", "provider");
        return accounts.Open(record);
    }

    /// <summary>The account of the payment's latest attempt (the one that authorized it); null when it was not routed.</summary>
    public Task<ProviderAccount?> OpenAsync(Payment payment, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return OpenAsync(payment.CurrentAttempt?.ProviderAccountId, ct);
    }

    public ProviderAccount Open(ProviderAccountRecord record) => accounts.Open(record);

    /// <summary>Runs the call through the account's breaker when there is an account; directly otherwise.</summary>
    public Task<T> CallAsync<T>(ProviderAccount? account, Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        return account is null ? call(ct) : circuits.ExecuteAsync(account, call, ct);
    }

    /// <summary>One adapter call for <paramref name="paymentId"/>: traced and timed as <paramref name="flow"/>, through the account's breaker.</summary>
    public Task<T> CallAsync<T>(ProviderAccount? account, string provider, string flow, string paymentId, Func<CancellationToken, Task<T>> call, CancellationToken ct) =>
        ProviderTiming.TimeAsync(provider, flow, () => CallAsync(account, call, ct), paymentId);

    /// <summary>
    /// A modification (capture, void, cancel) whose unanswered call changes nothing here: any answer that is not the
    /// provider's word is a 503 <c>provider_unavailable</c>, to be retried with the same Idempotency-Key (and so the
    /// same derived provider key).
    /// </summary>
    public async Task<T> ModifyAsync<T>(ProviderAccount? account, string? provider, string flow, string paymentId, Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        try
        {
            return await CallAsync(account, provider ?? ProviderRegistry.SimulatorId, flow, paymentId, call, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ProviderOutcomeUnknownException or ProviderUnavailableException)
        {
            throw new GatewayException(ErrorKind.ProviderUnavailable, ErrorCodes.ProviderUnavailable,
                $"Provider '{provider}' did not answer. Nothing changed here; retry with the same Idempotency-Key.");
        }
    }
}
