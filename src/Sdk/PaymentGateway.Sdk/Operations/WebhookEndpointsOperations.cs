using PaymentGateway.Sdk.Internal;

namespace PaymentGateway.Sdk;

/// <summary>
/// Webhook endpoints and their delivery logs: <c>/v1/webhook_endpoints</c>. Reach it through
/// <see cref="PaymentGatewayClient.WebhookEndpoints"/>.
/// </summary>
/// <remarks>
/// REST only: the gateway's gRPC API has no webhook operations, so on a client created with
/// <see cref="PaymentGatewayTransport.Grpc"/> every method fails with <see cref="NotSupportedException"/> without
/// sending anything. Use a second, REST client for webhook endpoints.
/// </remarks>
public class WebhookEndpointsOperations
{
    private readonly IGatewayTransport? _transport;

    /// <summary>For mocking only: a derived mock overrides the virtual methods.</summary>
    protected WebhookEndpointsOperations()
    {
    }

    internal WebhookEndpointsOperations(IGatewayTransport transport) => _transport = transport;

    private IGatewayTransport Transport => _transport ?? throw new InvalidOperationException("This instance was created for mocking and has no transport.");

    /// <summary>
    /// Registers a webhook endpoint (<c>POST /v1/webhook_endpoints</c>). The returned endpoint carries its signing
    /// secret (<see cref="WebhookEndpoint.Secret"/>, <c>whsec_…</c>) in this response only: store it now.
    /// </summary>
    /// <param name="request">The URL and the event types to send.</param>
    /// <param name="requestOptions">Per-call idempotency key or API key. A create repeated with the same idempotency key returns the same endpoint and secret.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The endpoint, with its secret.</returns>
    /// <exception cref="PaymentGatewayException">For example HTTP 400 <see cref="ErrorCode.UrlNotAllowed"/> or <see cref="ErrorCode.EventTypeUnknown"/>.</exception>
    /// <exception cref="NotSupportedException">The client uses the gRPC transport.</exception>
    public virtual Task<WebhookEndpoint> CreateAsync(CreateWebhookEndpointRequest request, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Transport.CreateWebhookEndpointAsync(request, requestOptions, cancellationToken);
    }

    /// <summary>Retrieves a webhook endpoint, without its secret (<c>GET /v1/webhook_endpoints/{id}</c>).</summary>
    /// <param name="id">The endpoint id (<c>we_…</c>).</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="PaymentGatewayException">For example HTTP 404 <see cref="ErrorCode.ResourceMissing"/>.</exception>
    /// <exception cref="NotSupportedException">The client uses the gRPC transport.</exception>
    public virtual Task<WebhookEndpoint> GetAsync(string id, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Transport.GetWebhookEndpointAsync(id, requestOptions, cancellationToken);
    }

    /// <summary>Lists one page of webhook endpoints, newest first (<c>GET /v1/webhook_endpoints</c>).</summary>
    /// <param name="request">Cursors and page size; null for the first page.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    /// <exception cref="PaymentGatewayException">The gateway refused the call or could not be reached.</exception>
    /// <exception cref="NotSupportedException">The client uses the gRPC transport.</exception>
    public virtual Task<Page<WebhookEndpoint>> ListAsync(ListWebhookEndpointsRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        return Transport.ListWebhookEndpointsAsync(request ?? new ListWebhookEndpointsRequest(), requestOptions, cancellationToken);
    }

    /// <summary>Lists every webhook endpoint, fetching pages lazily as the caller enumerates.</summary>
    /// <param name="request">Page size and the starting cursor.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The endpoints.</returns>
    public virtual IAsyncEnumerable<WebhookEndpoint> ListAutoPagingAsync(
        ListWebhookEndpointsRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        request ??= new ListWebhookEndpointsRequest();
        return AutoPager.EnumerateAsync(
            (after, before, ct) => ListAsync(request with { StartingAfter = after, EndingBefore = before }, requestOptions, ct),
            request.StartingAfter,
            request.EndingBefore,
            e => e.Id,
            cancellationToken);
    }

    /// <summary>
    /// Changes a webhook endpoint's URL, event types or description, or disables or enables it
    /// (<c>POST /v1/webhook_endpoints/{id}</c>). Fields left null are not changed.
    /// </summary>
    /// <param name="id">The endpoint id (<c>we_…</c>).</param>
    /// <param name="request">The changes.</param>
    /// <param name="requestOptions">Per-call idempotency key or API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The endpoint after the change.</returns>
    /// <exception cref="PaymentGatewayException">For example HTTP 404 <see cref="ErrorCode.ResourceMissing"/> or 400 <see cref="ErrorCode.UrlNotAllowed"/>.</exception>
    /// <exception cref="NotSupportedException">The client uses the gRPC transport.</exception>
    public virtual Task<WebhookEndpoint> UpdateAsync(
        string id, UpdateWebhookEndpointRequest request, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(request);
        return Transport.UpdateWebhookEndpointAsync(id, request, requestOptions, cancellationToken);
    }

    /// <summary>Deletes a webhook endpoint; its pending deliveries are canceled (<c>DELETE /v1/webhook_endpoints/{id}</c>).</summary>
    /// <param name="id">The endpoint id (<c>we_…</c>).</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The id of the deleted endpoint.</returns>
    /// <exception cref="PaymentGatewayException">For example HTTP 404 <see cref="ErrorCode.ResourceMissing"/>.</exception>
    /// <exception cref="NotSupportedException">The client uses the gRPC transport.</exception>
    public virtual Task<DeletedObject> DeleteAsync(string id, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Transport.DeleteWebhookEndpointAsync(id, requestOptions, cancellationToken);
    }

    /// <summary>
    /// Gives a webhook endpoint a new signing secret (<c>POST /v1/webhook_endpoints/{id}/rotate_secret</c>), returned in
    /// <see cref="WebhookEndpoint.Secret"/> of this response only. The previous secret keeps signing beside the new one
    /// (each webhook then carries both signatures) until <see cref="WebhookEndpoint.PreviousSecretExpiresAt"/>, so
    /// receivers can switch secrets without rejecting webhooks.
    /// </summary>
    /// <param name="id">The endpoint id (<c>we_…</c>).</param>
    /// <param name="request">The overlap; null for the default (24 hours).</param>
    /// <param name="requestOptions">Per-call idempotency key or API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The endpoint, with its new secret.</returns>
    /// <exception cref="PaymentGatewayException">For example HTTP 404 <see cref="ErrorCode.ResourceMissing"/> or 400 <see cref="ErrorCode.ParameterInvalid"/> (overlap out of range).</exception>
    /// <exception cref="NotSupportedException">The client uses the gRPC transport.</exception>
    public virtual Task<WebhookEndpoint> RotateSecretAsync(
        string id, RotateWebhookSecretRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Transport.RotateWebhookSecretAsync(id, request ?? new RotateWebhookSecretRequest(), requestOptions, cancellationToken);
    }

    /// <summary>
    /// Lists one page of an endpoint's delivery log, newest first, each delivery with its attempts
    /// (<c>GET /v1/webhook_endpoints/{id}/deliveries</c>).
    /// </summary>
    /// <param name="id">The endpoint id (<c>we_…</c>).</param>
    /// <param name="request">A status filter, cursors and page size; null for the first page of all deliveries.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    /// <exception cref="PaymentGatewayException">For example HTTP 404 <see cref="ErrorCode.ResourceMissing"/>.</exception>
    /// <exception cref="NotSupportedException">The client uses the gRPC transport.</exception>
    public virtual Task<Page<WebhookDelivery>> ListDeliveriesAsync(
        string id, ListWebhookDeliveriesRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Transport.ListWebhookEndpointDeliveriesAsync(id, request ?? new ListWebhookDeliveriesRequest(), requestOptions, cancellationToken);
    }

    /// <summary>Lists an endpoint's whole delivery log, fetching pages lazily as the caller enumerates.</summary>
    /// <param name="id">The endpoint id (<c>we_…</c>).</param>
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
