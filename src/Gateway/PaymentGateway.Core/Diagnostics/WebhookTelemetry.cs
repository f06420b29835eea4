using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PaymentGateway.Core.Diagnostics;

/// <summary>
/// Webhook delivery metrics and spans, on the gateway's <see cref="GatewayTelemetry.Meter"/> and activity source. The
/// backlog is measured by the dispatcher itself (no extra database query per scrape): how many due deliveries its last
/// round claimed (a round that claims its whole batch means more are waiting) and how late the oldest of them was.
/// </summary>
public static class WebhookTelemetry
{
    /// <summary>Delivery attempts: tags outcome (succeeded, retrying, failed), status_class (2xx, 3xx, 4xx, 5xx, none).</summary>
    public static readonly Counter<long> Deliveries =
        GatewayTelemetry.Meter.CreateCounter<long>("paymentgateway.webhooks.deliveries", unit: "{attempt}",
            description: "Webhook delivery attempts by outcome and response status class.");

    /// <summary>Duration of one delivery attempt's HTTP exchange: tags outcome.</summary>
    public static readonly Histogram<double> DeliveryDuration =
        GatewayTelemetry.Meter.CreateHistogram<double>("paymentgateway.webhooks.delivery.duration", unit: "s",
            description: "Duration of webhook delivery attempts (the HTTP exchange).");

    private static long _backlog;
    private static long _lagMilliseconds;

    /// <summary>Due deliveries this node's dispatcher claimed in its last round (equal to the batch size when more are waiting).</summary>
    public static readonly ObservableGauge<long> Backlog =
        GatewayTelemetry.Meter.CreateObservableGauge("paymentgateway.webhooks.backlog", () => Interlocked.Read(ref _backlog), unit: "{delivery}",
            description: "Due webhook deliveries claimed by this node's dispatcher in its last round; the batch size means more are waiting.");

    /// <summary>How late (after its due time) the oldest delivery of the dispatcher's last round was; 0 when it claimed none.</summary>
    public static readonly ObservableGauge<double> Lag =
        GatewayTelemetry.Meter.CreateObservableGauge("paymentgateway.webhooks.lag", () => Interlocked.Read(ref _lagMilliseconds) / 1000.0, unit: "s",
            description: "How long past its due time the oldest delivery claimed in the dispatcher's last round had waited.");

    /// <summary>Records one dispatcher round: how many deliveries it claimed and how late the oldest was.</summary>
    public static void RecordRound(int claimed, TimeSpan oldestLag)
    {
        Interlocked.Exchange(ref _backlog, claimed);
        Interlocked.Exchange(ref _lagMilliseconds, claimed == 0 ? 0 : (long)Math.Max(0, oldestLag.TotalMilliseconds));
    }

    /// <summary>The <c>status_class</c> tag for an HTTP status (or <c>none</c> without a response).</summary>
    public static string StatusClass(int? statusCode) => statusCode switch
    {
        null => "none",
        >= 200 and < 300 => "2xx",
        >= 300 and < 400 => "3xx",
        >= 400 and < 500 => "4xx",
        >= 500 and < 600 => "5xx",
        _ => "other",
    };

    /// <summary>
    /// Starts the <c>webhook.deliver</c> span for one attempt (from the background dispatcher, a root span: each delivery is
    /// its own trace, and the outgoing HTTP span under it carries the trace context to the receiver). Tags ids and the event type only, never
    /// the URL (it may hold credentials) or the body.
    /// </summary>
    public static Activity? StartDelivery(string deliveryId, string eventId, string eventType, string endpointId, int attempt)
    {
        var activity = GatewayTelemetry.ActivitySource.StartActivity("webhook.deliver");
        if (activity is not null)
        {
            activity.SetTag("paymentgateway.webhook.delivery_id", deliveryId);
            activity.SetTag("paymentgateway.webhook.event_id", eventId);
            activity.SetTag("paymentgateway.webhook.event_type", eventType);
            activity.SetTag("paymentgateway.webhook.endpoint_id", endpointId);
            activity.SetTag("paymentgateway.webhook.attempt", attempt);
        }

        return activity;
    }

    /// <summary>Counts the attempt and closes its span's tags.</summary>
    public static void RecordAttempt(Activity? activity, string outcome, int? statusCode, TimeSpan elapsed)
    {
        var statusClass = StatusClass(statusCode);
        Deliveries.Add(1, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("status_class", statusClass));
        DeliveryDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
        if (activity is not null)
        {
            activity.SetTag("paymentgateway.outcome", outcome);
            activity.SetTag("http.response.status_code", statusCode);
            if (outcome != "succeeded")
            {
                activity.SetStatus(ActivityStatusCode.Error, statusCode is null ? "no_response" : "http_" + statusCode);
            }
        }
    }
}
