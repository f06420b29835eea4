using PaymentGateway.Sdk.Internal;

namespace PaymentGateway.Sdk;

/// <summary>The event log: <c>/v1/events</c>. Reach it through <see cref="PaymentGatewayClient.Events"/>.</summary>
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
}
