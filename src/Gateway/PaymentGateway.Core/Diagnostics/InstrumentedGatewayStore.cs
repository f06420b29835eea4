using System.Diagnostics;
using System.Diagnostics.Metrics;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Webhooks;

namespace PaymentGateway.Core.Diagnostics;

/// <summary>
/// A thin decorator around whichever storage engine the host chose: every <see cref="IGatewayStore"/> call is timed
/// into <c>paymentgateway.storage.operation.duration</c> (tags operation, outcome) and, when it runs inside a trace
/// (an API request, a webhook delivery), gets a client span <c>store {Operation}</c> with <c>db.system</c>. Calls of
/// background pollers outside any trace are timed but start no root span of their own, so idle polling does not fill
/// the tracing backend. Spans carry operation names only: no ids, keys, query text or payloads.
/// </summary>
public sealed partial class InstrumentedGatewayStore(IGatewayStore inner, string engine) : IGatewayStore
{
    /// <summary>Duration of storage calls: tags operation, outcome (ok, conflict, error).</summary>
    public static readonly Histogram<double> OperationDuration =
        GatewayTelemetry.Meter.CreateHistogram<double>("paymentgateway.storage.operation.duration", unit: "s",
            description: "Duration of gateway storage operations.");

    public IGatewayStore Inner => inner;

    public string Engine => engine;

    private async Task<T> Run<T>(string operation, Func<Task<T>> call)
    {
        using var activity = Activity.Current is null ? null : GatewayTelemetry.ActivitySource.StartActivity("store " + operation, ActivityKind.Client);
        activity?.SetTag("db.system", engine);
        activity?.SetTag("paymentgateway.storage.operation", operation);
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException)
        {
            outcome = "conflict";
            activity?.SetStatus(ActivityStatusCode.Error, "concurrency_conflict");
            throw;
        }
        catch (OperationCanceledException)
        {
            outcome = "canceled";
            throw;
        }
        catch (Exception e)
        {
            outcome = "error";
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
        finally
        {
            activity?.SetTag("paymentgateway.outcome", outcome);
            OperationDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    private Task Run(string operation, Func<Task> call) => Run(operation, async () =>
    {
        await call().ConfigureAwait(false);
        return true;
    });

    public Task MigrateAsync(CancellationToken cancellationToken) =>
        Run("Migrate", () => inner.MigrateAsync(cancellationToken));

    public Task CommitAsync(StoreChanges changes, CancellationToken cancellationToken) =>
        Run("Commit", () => inner.CommitAsync(changes, cancellationToken));

    public Task<Payment?> GetPaymentAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        Run("GetPayment", () => inner.GetPaymentAsync(merchantId, livemode, id, cancellationToken));

    public Task<Payment?> GetPaymentByIdAsync(string id, CancellationToken cancellationToken) =>
        Run("GetPaymentById", () => inner.GetPaymentByIdAsync(id, cancellationToken));

    public Task<IReadOnlyList<Payment>> ListPaymentsAsync(string merchantId, bool livemode, PaymentListQuery query, CancellationToken cancellationToken) =>
        Run("ListPayments", () => inner.ListPaymentsAsync(merchantId, livemode, query, cancellationToken));

    public Task<IReadOnlyList<Payment>> ListStaleProcessingPaymentsAsync(DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken) =>
        Run("ListStaleProcessingPayments", () => inner.ListStaleProcessingPaymentsAsync(updatedBefore, limit, cancellationToken));

    public Task<Refund?> GetRefundAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        Run("GetRefund", () => inner.GetRefundAsync(merchantId, livemode, id, cancellationToken));

    public Task<IReadOnlyList<Refund>> ListRefundsAsync(string merchantId, bool livemode, string? paymentId, ListQuery query, CancellationToken cancellationToken) =>
        Run("ListRefunds", () => inner.ListRefundsAsync(merchantId, livemode, paymentId, query, cancellationToken));

    public Task<IReadOnlyList<Refund>> ListStalePendingRefundsAsync(DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken) =>
        Run("ListStalePendingRefunds", () => inner.ListStalePendingRefundsAsync(updatedBefore, limit, cancellationToken));

    public Task<StoredPaymentMethod?> GetPaymentMethodAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        Run("GetPaymentMethod", () => inner.GetPaymentMethodAsync(merchantId, livemode, id, cancellationToken));

    public Task<Merchant?> GetMerchantAsync(string id, CancellationToken cancellationToken) =>
        Run("GetMerchant", () => inner.GetMerchantAsync(id, cancellationToken));

    public Task<IReadOnlyList<Merchant>> ListMerchantsAsync(CancellationToken cancellationToken) =>
        Run("ListMerchants", () => inner.ListMerchantsAsync(cancellationToken));

    public Task<ApiKeyRecord?> FindApiKeyByHashAsync(string keyHash, CancellationToken cancellationToken) =>
        Run("FindApiKeyByHash", () => inner.FindApiKeyByHashAsync(keyHash, cancellationToken));

    public Task<GatewayEvent?> GetEventAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        Run("GetEvent", () => inner.GetEventAsync(merchantId, livemode, id, cancellationToken));

    public Task<IReadOnlyList<GatewayEvent>> ListEventsAsync(string merchantId, bool livemode, EventListQuery query, CancellationToken cancellationToken) =>
        Run("ListEvents", () => inner.ListEventsAsync(merchantId, livemode, query, cancellationToken));

    public Task<string?> GetSettingAsync(string name, CancellationToken cancellationToken) =>
        Run("GetSetting", () => inner.GetSettingAsync(name, cancellationToken));

    public Task<IdempotencyBeginResult> BeginIdempotentRequestAsync(IdempotencyBeginRequest request, CancellationToken cancellationToken) =>
        Run("BeginIdempotentRequest", () => inner.BeginIdempotentRequestAsync(request, cancellationToken));

    public Task CompleteIdempotentRequestAsync(IdempotencyCompletion completion, CancellationToken cancellationToken) =>
        Run("CompleteIdempotentRequest", () => inner.CompleteIdempotentRequestAsync(completion, cancellationToken));

    public Task ReleaseIdempotentRequestAsync(string merchantId, string key, CancellationToken cancellationToken) =>
        Run("ReleaseIdempotentRequest", () => inner.ReleaseIdempotentRequestAsync(merchantId, key, cancellationToken));

    public Task<int> PurgeIdempotencyKeysAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken) =>
        Run("PurgeIdempotencyKeys", () => inner.PurgeIdempotencyKeysAsync(createdBefore, cancellationToken));

    public Task<bool> TryAcquireLeaseAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken) =>
        Run("TryAcquireLease", () => inner.TryAcquireLeaseAsync(name, holder, duration, cancellationToken));

    public Task CreateWebhookEndpointAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken) =>
        Run("CreateWebhookEndpoint", () => inner.CreateWebhookEndpointAsync(endpoint, cancellationToken));

    public Task UpdateWebhookEndpointAsync(WebhookEndpoint endpoint, GatewayEvent? @event, CancellationToken cancellationToken) =>
        Run("UpdateWebhookEndpoint", () => inner.UpdateWebhookEndpointAsync(endpoint, @event, cancellationToken));

    public Task<bool> DeleteWebhookEndpointAsync(string merchantId, bool livemode, string id, DateTimeOffset now, CancellationToken cancellationToken) =>
        Run("DeleteWebhookEndpoint", () => inner.DeleteWebhookEndpointAsync(merchantId, livemode, id, now, cancellationToken));

    public Task<WebhookEndpoint?> GetWebhookEndpointAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        Run("GetWebhookEndpoint", () => inner.GetWebhookEndpointAsync(merchantId, livemode, id, cancellationToken));

    public Task<IReadOnlyList<WebhookEndpoint>> ListWebhookEndpointsAsync(string merchantId, bool livemode, ListQuery query, CancellationToken cancellationToken) =>
        Run("ListWebhookEndpoints", () => inner.ListWebhookEndpointsAsync(merchantId, livemode, query, cancellationToken));

    public Task<int> FanOutWebhookEventsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        Run("FanOutWebhookEvents", () => inner.FanOutWebhookEventsAsync(now, limit, cancellationToken));

    public Task<IReadOnlyList<ClaimedWebhookDelivery>> ClaimWebhookDeliveriesAsync(WebhookClaimRequest request, CancellationToken cancellationToken) =>
        Run("ClaimWebhookDeliveries", () => inner.ClaimWebhookDeliveriesAsync(request, cancellationToken));

    public Task<WebhookAttemptOutcome> CompleteWebhookAttemptAsync(WebhookAttemptCompletion completion, CancellationToken cancellationToken) =>
        Run("CompleteWebhookAttempt", () => inner.CompleteWebhookAttemptAsync(completion, cancellationToken));

    public Task<WebhookDelivery?> GetWebhookDeliveryAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        Run("GetWebhookDelivery", () => inner.GetWebhookDeliveryAsync(merchantId, livemode, id, cancellationToken));

    public Task<IReadOnlyList<WebhookDelivery>> ListWebhookDeliveriesAsync(string merchantId, bool livemode, WebhookDeliveryListQuery query, CancellationToken cancellationToken) =>
        Run("ListWebhookDeliveries", () => inner.ListWebhookDeliveriesAsync(merchantId, livemode, query, cancellationToken));

    public Task<IReadOnlyList<WebhookDeliveryAttempt>> ListWebhookAttemptsAsync(string merchantId, bool livemode, string deliveryId, CancellationToken cancellationToken) =>
        Run("ListWebhookAttempts", () => inner.ListWebhookAttemptsAsync(merchantId, livemode, deliveryId, cancellationToken));

    public Task<IReadOnlyList<WebhookDelivery>> RedeliverWebhookEventAsync(WebhookRedeliveryRequest request, CancellationToken cancellationToken) =>
        Run("RedeliverWebhookEvent", () => inner.RedeliverWebhookEventAsync(request, cancellationToken));
}
