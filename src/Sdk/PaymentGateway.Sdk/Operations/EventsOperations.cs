using PaymentGateway.Sdk.Internal;

namespace PaymentGateway.Sdk;

/// <summary>The event log: <c>/v1/events</c>. Reach it through <see cref="PaymentGatewayClient.Events"/>.</summary>
/// <remarks>
/// <see cref="RedeliverAsync"/> and the delivery logs are REST only: over <see cref="PaymentGatewayTransport.Grpc"/>
/// they fail with <see cref="NotSupportedException"/> without sending anything.
/// </remarks>
public class EventsOperations
{
    private readonly IGatewayTransport? _transport;

    /// <summary>For mocking only: a derived mock overrides the virtual methods.</summary>
    protected EventsOperations()
    {
    }

    internal EventsOperations(IGatewayTransport transport) => _transport = transport;

    private IGatewayTransport Transport => _transport ?? throw new InvalidOperationException("This instance was created for mocking and has no transport.");

    /// <summary>Retrieves an event (<c>GET /v1/events/{id}</c>).</summary>
    /// <param name="id">The event id (<c>evt_…</c>).</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The event.</returns>
    /// <exception cref="PaymentGatewayException">For example HTTP 404 <see cref="ErrorCode.ResourceMissing"/>.</exception>
    public virtual Task<Event> GetAsync(string id, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Transport.GetEventAsync(id, requestOptions, cancellationToken);
    }

    /// <summary>Lists one page of events, newest first (<c>GET /v1/events</c>).</summary>
    /// <param name="request">Cursors and page size; null for the first page.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    /// <exception cref="PaymentGatewayException">The gateway refused the call or could not be reached.</exception>
    public virtual Task<Page<Event>> ListAsync(ListEventsRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        return Transport.ListEventsAsync(request ?? new ListEventsRequest(), requestOptions, cancellationToken);
    }

    /// <summary>Lists every event, fetching pages lazily as the caller enumerates.</summary>
    /// <param name="request">Page size and the starting cursor.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The events.</returns>
    public virtual IAsyncEnumerable<Event> ListAutoPagingAsync(ListEventsRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        request ??= new ListEventsRequest();
        return AutoPager.EnumerateAsync(
            (after, before, ct) => ListAsync(request with { StartingAfter = after, EndingBefore = before }, requestOptions, ct),
            request.StartingAfter,
            request.EndingBefore,
            e => e.Id,
            cancellationToken);
    }

    /// <summary>
    /// Sends an event again (<c>POST /v1/events/{id}/redeliver</c>), with the same <c>webhook-id</c> (the event id), to
    /// one endpoint or to every enabled endpoint that receives its type. The retry schedule starts over.
    /// </summary>
    /// <param name="id">The event id (<c>evt_…</c>).</param>
    /// <param name="request">The one endpoint to send to; null for every endpoint that receives the event.</param>
    /// <param name="requestOptions">Per-call idempotency key or API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The deliveries queued (in <see cref="Page{T}.Data"/>).</returns>
    /// <exception cref="PaymentGatewayException">For example HTTP 404 <see cref="ErrorCode.ResourceMissing"/> or 409 <see cref="ErrorCode.WebhookEndpointDisabled"/>.</exception>
    /// <exception cref="NotSupportedException">The client uses the gRPC transport: redelivery is REST only.</exception>
    public virtual Task<Page<WebhookDelivery>> RedeliverAsync(
        string id, RedeliverEventRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Transport.RedeliverEventAsync(id, request ?? new RedeliverEventRequest(), requestOptions, cancellationToken);
    }

    /// <summary>Lists one page of an event's deliveries to each endpoint, with their attempts (<c>GET /v1/events/{id}/deliveries</c>).</summary>
    /// <param name="id">The event id (<c>evt_…</c>).</param>
    /// <param name="request">A status filter, cursors and page size; null for the first page of all deliveries.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    /// <exception cref="PaymentGatewayException">For example HTTP 404 <see cref="ErrorCode.ResourceMissing"/>.</exception>
    /// <exception cref="NotSupportedException">The client uses the gRPC transport: delivery logs are REST only.</exception>
    public virtual Task<Page<WebhookDelivery>> ListDeliveriesAsync(
        string id, ListWebhookDeliveriesRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Transport.ListEventDeliveriesAsync(id, request ?? new ListWebhookDeliveriesRequest(), requestOptions, cancellationToken);
    }

    /// <summary>Lists every delivery of an event, fetching pages lazily as the caller enumerates.</summary>
    /// <param name="id">The event id (<c>evt_…</c>).</param>
    /// <param name="request">A status filter, page size and the starting cursor.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The deliveries.</returns>
    public virtual IAsyncEnumerable<WebhookDelivery> ListDeliveriesAutoPagingAsync(
        string id, ListWebhookDeliveriesRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        request ??= new ListWebhookDeliveriesRequest();
        return AutoPager.EnumerateAsync(
            (after, before, ct) => ListDeliveriesAsync(id, request with { StartingAfter = after, EndingBefore = before }, requestOptions, ct),
            request.StartingAfter,
            request.EndingBefore,
            d => d.Id,
            cancellationToken);
    }
}
