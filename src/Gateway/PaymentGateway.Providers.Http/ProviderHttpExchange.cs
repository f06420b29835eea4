using System.Text.Json;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace PaymentGateway.Providers.Http;

/// <summary>One provider call's answer: HTTP status, the parsed JSON body (default when empty or a non-JSON error page), and
/// whether any attempt may have reached the provider's processing.</summary>
public sealed record ProviderHttpAnswer(int StatusCode, bool IsSuccess, JsonElement Body, bool MayHaveProcessed);

/// <summary>
/// Sends one provider request through the client's resilience pipeline with an <see cref="ProviderAttemptLedger"/>, and
/// turns what can go wrong into the gateway's two outcomes: <see cref="ProviderUnavailableException"/> when no attempt can
/// have been processed (connection never made, circuit open) — safe to fail over — and
/// <see cref="ProviderOutcomeUnknownException"/> when one may have been (timeout, connection cut, an unreadable success
/// body) — reconcile with the same idempotency key. The caller's cancellation is passed through unchanged.
/// </summary>
public static class ProviderHttpExchange
{
    /// <param name="client">The adapter's named client (its handlers apply the pipeline and the ledger).</param>
    /// <param name="request">The fully built request (auth, idempotency header, body).</param>
    /// <param name="providerId">The provider id for the exceptions.</param>
    /// <param name="providerName">The provider's display name for messages ("Stripe").</param>
    /// <param name="operation">What is being done ("authorize"), for messages.</param>
    /// <param name="onFailure">Called with the exception and a short disposition before it is thrown (the adapter's log).</param>
    /// <param name="cancellationToken">The caller's token.</param>
    public static async Task<ProviderHttpAnswer> SendAsync(HttpClient client, HttpRequestMessage request, string providerId, string providerName,
        string operation, Action<Exception, string> onFailure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(onFailure);
        var ledger = new ProviderAttemptLedger();
        request.Options.Set(ProviderAttemptLedger.Key, ledger);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException or OperationCanceledException)
        {
            var notSent = !ledger.MayHaveProcessed
                && (e is BrokenCircuitException || e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError });
            if (notSent)
            {
                var unavailable = new ProviderUnavailableException(providerId, $"{providerName} was not reached for {operation} ({e.GetType().Name}).", e);
                onFailure(unavailable, "not reached");
                throw unavailable;
            }

            var unknown = new ProviderOutcomeUnknownException(providerId,
                $"{providerName}'s answer to {operation} was lost ({e.GetType().Name}); reconcile with the same idempotency key.", e);
            onFailure(unknown, "outcome unknown");
            throw unknown;
        }

        using (response)
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            JsonElement body = default;
            try
            {
                if (bytes.Length > 0)
                {
                    using var document = JsonDocument.Parse(bytes);
                    body = document.RootElement.Clone();
                }
            }
            catch (JsonException) when (!response.IsSuccessStatusCode)
            {
                // An error page that is not the provider's JSON: classified by status alone.
            }
            catch (JsonException e)
            {
                var unknown = new ProviderOutcomeUnknownException(providerId, $"{providerName} answered {operation} with HTTP {status} and an unreadable body.", e);
                onFailure(unknown, "unreadable answer");
                throw unknown;
            }

            return new ProviderHttpAnswer(status, response.IsSuccessStatusCode, body, ledger.MayHaveProcessed);
        }
    }
}
