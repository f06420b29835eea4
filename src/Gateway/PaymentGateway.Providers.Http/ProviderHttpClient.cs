using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace PaymentGateway.Providers.Http;

/// <summary>
/// The layer every HTTP adapter sends through, as Hyperswitch's connector common layer: it builds the request from a
/// <see cref="ProviderHttpCall"/> and the adapter's <typeparamref name="TTransport"/> description, sends it through the
/// provider's named client (retries, per-attempt timeout, <see cref="ProviderAttemptLedger"/>), logs the answer, and
/// turns what came back into the gateway's outcomes by <see cref="ProviderErrorPolicy"/>: the adapter's transformer
/// for a success answer, a declined result for a refusal, <see cref="ProviderUnavailableException"/> when no attempt
/// can have been processed (safe to fail over) and <see cref="ProviderOutcomeUnknownException"/> when one may have been
/// (reconcile with the same idempotency key). The caller's cancellation passes through unchanged. Stateless: the
/// account comes with every call.
/// </summary>
public sealed class ProviderHttpClient<TTransport>(IHttpClientFactory httpClientFactory, TTransport transport, ILogger<TTransport> logger)
    where TTransport : ProviderHttpTransport
{
    /// <summary>The adapter's description of its provider's API.</summary>
    public TTransport Transport => transport;

    /// <summary>The account, or <see cref="ArgumentException"/> saying what the provider needs.</summary>
    public ProviderAccount RequireAccount(ProviderAccount? account) =>
        account ?? throw new ArgumentException($"The {transport.DisplayName} provider needs a provider account with a '{transport.Auth.Credential}' credential.", nameof(account));

    /// <summary>Makes a payment call: <paramref name="onSuccess"/> maps a success answer, an error answer goes to <see cref="DeclinedOrThrow"/>.</summary>
    public async Task<ProviderPaymentResult> PaymentAsync(ProviderHttpCall call, Func<JsonElement, ProviderPaymentResult> onSuccess, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onSuccess);
        var answer = await SendAsync(call, cancellationToken).ConfigureAwait(false);
        return answer.IsSuccess ? onSuccess(answer.Body) : DeclinedOrThrow(answer);
    }

    /// <summary>Makes a refund call: <paramref name="onSuccess"/> maps a success answer; a refusal is a declined refund with its reason.</summary>
    public async Task<ProviderRefundResult> RefundAsync(ProviderHttpCall call, Func<JsonElement, ProviderRefundResult> onSuccess, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onSuccess);
        var answer = await SendAsync(call, cancellationToken).ConfigureAwait(false);
        if (answer.IsSuccess)
        {
            return onSuccess(answer.Body);
        }

        var declined = DeclinedOrThrow(answer);
        return new ProviderRefundResult { Outcome = ProviderOutcome.Declined, FailureReason = declined.RawStatus ?? declined.Message };
    }

    /// <summary>
    /// Looks an attempt up by a search (its answer to the create was lost, so there is no reference): the object
    /// <paramref name="find"/> picks from a success answer, mapped by <paramref name="onFound"/>; none yet is
    /// <see cref="ProviderOutcome.Pending"/> (<c>not_found</c>: ask again later), never a failure. An error answer goes
    /// to <see cref="DeclinedOrThrow"/>.
    /// </summary>
    public async Task<ProviderPaymentResult> SearchAsync(ProviderHttpCall call, Func<JsonElement, JsonElement?> find, Func<JsonElement, ProviderPaymentResult> onFound,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(find);
        ArgumentNullException.ThrowIfNull(onFound);
        var answer = await SendAsync(call, cancellationToken).ConfigureAwait(false);
        if (!answer.IsSuccess)
        {
            return DeclinedOrThrow(answer);
        }

        return find(answer.Body) is { } found
            ? onFound(found)
            : new ProviderPaymentResult { Outcome = ProviderOutcome.Pending, Message = $"{transport.DisplayName} has no payment for this attempt yet.", RawStatus = "not_found" };
    }

    /// <summary>
    /// Sends one call and returns the provider's answer, whatever its status. Throws
    /// <see cref="ProviderUnavailableException"/> when nothing reached the provider (connection refused, DNS, TLS) and
    /// <see cref="ProviderOutcomeUnknownException"/> when the answer was lost or is an unreadable success.
    /// </summary>
    public async Task<ProviderHttpAnswer> SendAsync(ProviderHttpCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var account = RequireAccount(call.Account);
        using var request = new HttpRequestMessage(call.Method, call.Path);
        try
        {
            request.RequestUri = new Uri(transport.BaseUrl(account) + call.Path);
            transport.Auth.Apply(request, account);
        }
        catch (InvalidOperationException e)
        {
            // The account lacks a credential or a setting the provider needs (an account saved before a rule existed).
            throw NotSent(call, e.Message);
        }

        transport.AddHeaders(request);
        if (call.IdempotencyKey is { } key)
        {
            request.Headers.TryAddWithoutValidation(transport.IdempotencyHeader, transport.IdempotencyKey(key));
        }

        request.Content = call.Content;
        var ledger = new ProviderAttemptLedger();
        request.Options.Set(ProviderAttemptLedger.Key, ledger);
        HttpResponseMessage response;
        try
        {
            response = await httpClientFactory.CreateClient(transport.HttpClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (ProviderErrorPolicy.IsTransportFailure(e))
        {
            if (ProviderErrorPolicy.ForException(e, ledger.MayHaveProcessed) == ProviderErrorDisposition.Unavailable)
            {
                throw Failed(call, new ProviderUnavailableException(transport.ProviderId,
                    $"{transport.DisplayName} was not reached for {call.Operation} ({e.GetType().Name}).", e), "not reached");
            }

            throw Failed(call, new ProviderOutcomeUnknownException(transport.ProviderId,
                $"{transport.DisplayName}'s answer to {call.Operation} was lost ({e.GetType().Name}); reconcile with the same idempotency key.", e), "outcome unknown");
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var body = await ReadBodyAsync(call, response, cancellationToken).ConfigureAwait(false);
            ProviderHttpLog.Answered(logger, transport.DisplayName, call.Operation, call.PaymentId, status, transport.RawStatus(body));
            return new ProviderHttpAnswer(call, status, response.IsSuccessStatusCode, body, ledger.MayHaveProcessed);
        }
    }

    /// <summary>
    /// An error answer as the adapter's declined result, or <see cref="ProviderOutcomeUnknownException"/> as the policy
    /// calls for: <see cref="ProviderErrorPolicy.ForLookup"/> for a lookup (a failed lookup is never a decline),
    /// <see cref="ProviderErrorPolicy.ForAnswer"/> for a write. An answer means the request was sent, so it is never
    /// <see cref="ProviderUnavailableException"/>: only a request that never left may fail over.
    /// </summary>
    public ProviderPaymentResult DeclinedOrThrow(ProviderHttpAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var call = answer.Call;
        var error = transport.ReadError(answer.StatusCode, answer.Body, call.Reference);
        var disposition = call.IsLookup
            ? ProviderErrorPolicy.ForLookup(answer.StatusCode)
            : ProviderErrorPolicy.ForAnswer(answer.StatusCode, error.Documented, answer.MayHaveProcessed);
        if (disposition == ProviderErrorDisposition.Declined)
        {
            return error.Declined;
        }

        var what = call.IsLookup ? "the lookup failed" : "the answer is not its definite word";
        throw Failed(call, new ProviderOutcomeUnknownException(transport.ProviderId,
            $"{transport.DisplayName}'s outcome for {call.Operation} is unknown ({what}: HTTP {answer.StatusCode} {error.Summary}). Reconcile with the same idempotency key."),
            "outcome unknown");
    }

    /// <summary>
    /// Refuses <paramref name="call"/> before anything is sent, because the account cannot make it (a setting the
    /// provider requires is missing): <see cref="ProviderUnavailableException"/>, so routing may try another account.
    /// </summary>
    public ProviderUnavailableException NotSent(ProviderHttpCall call, string reason)
    {
        ArgumentNullException.ThrowIfNull(call);
        return Failed(call, new ProviderUnavailableException(transport.ProviderId, $"{transport.DisplayName} {call.Operation} was not sent: {reason}"), "not sent");
    }

    /// <summary>Logs that <paramref name="call"/> ended in <paramref name="exception"/> (<paramref name="disposition"/>: "not processed", …) and returns it to throw.</summary>
    public TException Failed<TException>(ProviderHttpCall call, TException exception, string disposition)
        where TException : Exception
    {
        ArgumentNullException.ThrowIfNull(call);
        ProviderHttpLog.Failed(logger, exception, transport.DisplayName, call.Operation, call.PaymentId, disposition);
        return exception;
    }

    /// <summary>Logs a webhook that failed verification and returns the exception to throw (the webhook is answered 400).</summary>
    public ProviderWebhookRejectedException WebhookRejected(ProviderAccount account, string reason)
    {
        ArgumentNullException.ThrowIfNull(account);
        ProviderHttpLog.WebhookRejected(logger, transport.DisplayName, account.Id, reason);
        return new ProviderWebhookRejectedException(transport.ProviderId, $"{transport.DisplayName} webhook rejected: {reason}.");
    }

    /// <summary>Logs each verified notification and returns the webhook's result, answered with <paramref name="responseBody"/>.</summary>
    public ProviderWebhookResult WebhookAccepted(ProviderAccount account, IReadOnlyList<ProviderNotification> notifications, string? responseBody = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(notifications);
        foreach (var notification in notifications)
        {
            ProviderHttpLog.WebhookAccepted(logger, transport.DisplayName, notification.RawEventType, account.Id);
        }

        return new ProviderWebhookResult { Notifications = notifications, ResponseBody = responseBody };
    }

    private async Task<JsonElement> ReadBodyAsync(ProviderHttpCall call, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (bytes.Length == 0)
        {
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.Clone();
        }
        catch (JsonException) when (!response.IsSuccessStatusCode)
        {
            // An error page that is not the provider's JSON: classified by status alone.
            return default;
        }
        catch (JsonException e)
        {
            throw Failed(call, new ProviderOutcomeUnknownException(transport.ProviderId,
                $"{transport.DisplayName} answered {call.Operation} with HTTP {(int)response.StatusCode} and an unreadable body.", e), "unreadable answer");
        }
    }
}
