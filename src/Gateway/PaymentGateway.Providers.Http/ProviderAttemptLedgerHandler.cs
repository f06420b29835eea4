namespace PaymentGateway.Providers.Http;

/// <summary>
/// Runs inside the retry loop (once per attempt) and records in the call's <see cref="ProviderAttemptLedger"/> every
/// attempt that may have been processed: any answer but one the transport's status rule calls a refusal, and any
/// failure after the connection was made.
/// </summary>
public sealed class ProviderAttemptLedgerHandler(ProviderHttpTransport transport) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Options.TryGetValue(ProviderAttemptLedger.Key, out var ledger);
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!transport.IsRefusalStatus((int)response.StatusCode))
            {
                ledger?.MarkMayHaveProcessed();
            }

            return response;
        }
        catch (Exception e) when (ProviderErrorPolicy.WasNotSent(e))
        {
            // The connection (or its TLS handshake) was never established: nothing was sent.
            throw;
        }
        catch
        {
            // A timeout or a connection cut after the request started: the provider may have acted on it.
            ledger?.MarkMayHaveProcessed();
            throw;
        }
    }
}
