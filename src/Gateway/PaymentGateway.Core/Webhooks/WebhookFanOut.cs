using System.Diagnostics.CodeAnalysis;
using PaymentGateway.Core.Events;

namespace PaymentGateway.Core.Webhooks;

/// <summary>An event not yet fanned out, as the engines read it from the events table.</summary>
public readonly record struct PendingWebhookEvent(string Id, string MerchantId, bool Livemode, string Type, DateTimeOffset Created);

/// <summary>A merchant and mode: the engines read the endpoints of one scope at a time.</summary>
public readonly record struct WebhookScope(string MerchantId, bool Livemode);

/// <summary>
/// Which endpoints receive an event, for both storage engines: at fan-out, on redelivery, and when a claimed delivery
/// is about to be sent. Pure: engines read the events and the endpoints of their scopes (merchant and mode; SQL may
/// pre-filter by those), ask here, and write the deliveries this returns in the same transaction.
/// </summary>
public static class WebhookFanOut
{
    /// <summary>Whether <paramref name="endpoint"/> takes events of <paramref name="eventType"/>: listed, or <c>*</c> (all).</summary>
    public static bool Accepts(WebhookEndpoint endpoint, string eventType)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.EnabledEvents.Contains(WebhookEndpoint.AllEvents, StringComparer.Ordinal)
               || endpoint.EnabledEvents.Contains(eventType, StringComparer.Ordinal);
    }

    /// <summary>
    /// Whether fan-out gives <paramref name="endpoint"/> a delivery of <paramref name="event"/>: the endpoint is enabled,
    /// of the event's merchant and mode, accepts its type, and existed when the event happened (to the millisecond, as
    /// events are stored), so a new endpoint is not sent what happened before it.
    /// </summary>
    public static bool Receives(WebhookEndpoint endpoint, PendingWebhookEvent @event)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.Status == WebhookEndpointStatus.Enabled
               && InScope(endpoint, @event.MerchantId, @event.Livemode)
               && Accepts(endpoint, @event.Type)
               && endpoint.Created.ToUnixTimeMilliseconds() <= @event.Created.ToUnixTimeMilliseconds();
    }

    /// <summary>The merchants and modes whose endpoints fan-out of <paramref name="events"/> needs, in first-seen order.</summary>
    public static IReadOnlyList<WebhookScope> Scopes(IEnumerable<PendingWebhookEvent> events) =>
        events.Select(e => new WebhookScope(e.MerchantId, e.Livemode)).Distinct().ToList();

    /// <summary>
    /// The deliveries fan-out creates: for each event in order, each endpoint that <see cref="Receives"/> it, in the order
    /// of <paramref name="endpoints"/> (the endpoints of <see cref="Scopes"/>, any others are ignored).
    /// </summary>
    public static IReadOnlyList<(PendingWebhookEvent Event, WebhookEndpoint Endpoint)> Deliveries(
        IEnumerable<PendingWebhookEvent> events, IEnumerable<WebhookEndpoint> endpoints)
    {
        var byScope = endpoints.ToLookup(e => new WebhookScope(e.MerchantId, e.Livemode));
        var deliveries = new List<(PendingWebhookEvent, WebhookEndpoint)>();
        foreach (var e in events)
        {
            foreach (var endpoint in byScope[new WebhookScope(e.MerchantId, e.Livemode)])
            {
                if (Receives(endpoint, e))
                {
                    deliveries.Add((e, endpoint));
                }
            }
        }

        return deliveries;
    }

    /// <summary>
    /// The endpoints a redelivery of <paramref name="event"/> queues it for: enabled endpoints of its merchant and mode,
    /// and of those the one named <paramref name="endpointId"/>, or (none named) every one that accepts its type. Unlike
    /// fan-out, an endpoint created after the event may be chosen: the merchant asked for it.
    /// </summary>
    public static IReadOnlyList<WebhookEndpoint> RedeliveryTargets(GatewayEvent @event, string? endpointId, IEnumerable<WebhookEndpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(@event);
        return endpoints.Where(e => e.Status == WebhookEndpointStatus.Enabled && InScope(e, @event.MerchantId, @event.Livemode)
                                    && (endpointId is null ? Accepts(e, @event.Type) : string.Equals(e.Id, endpointId, StringComparison.Ordinal)))
            .ToList();
    }

    /// <summary>
    /// Whether a claimed delivery is still sent: its endpoint and event still exist and the endpoint is enabled. The
    /// store cancels a delivery for which this is false instead of handing it out.
    /// </summary>
    public static bool StillReceives([NotNullWhen(true)] WebhookEndpoint? endpoint, [NotNullWhen(true)] GatewayEvent? @event) =>
        endpoint is { Status: WebhookEndpointStatus.Enabled } && @event is not null;

    private static bool InScope(WebhookEndpoint endpoint, string merchantId, bool livemode) =>
        string.Equals(endpoint.MerchantId, merchantId, StringComparison.Ordinal) && endpoint.Livemode == livemode;
}
