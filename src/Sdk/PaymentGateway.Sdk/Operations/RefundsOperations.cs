using PaymentGateway.Sdk.Internal;

namespace PaymentGateway.Sdk;

/// <summary>Refunds: <c>/v1/refunds</c>. Reach it through <see cref="PaymentGatewayClient.Refunds"/>.</summary>
public class RefundsOperations
{
    private readonly IGatewayTransport? _transport;

    /// <summary>For mocking only: a derived mock overrides the virtual methods.</summary>
    protected RefundsOperations()
    {
    }

    internal RefundsOperations(IGatewayTransport transport) => _transport = transport;

    private IGatewayTransport Transport => _transport ?? throw new InvalidOperationException("This instance was created for mocking and has no transport.");

    /// <summary>Refunds a captured payment, fully or partly (<c>POST /v1/refunds</c>).</summary>
    /// <param name="request">The payment and amount to refund.</param>
    /// <param name="requestOptions">Per-call idempotency key or API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The refund.</returns>
    /// <exception cref="PaymentGatewayException">For example 422 <see cref="ErrorCode.AmountExceedsRefundable"/>.</exception>
    public virtual Task<Refund> CreateAsync(CreateRefundRequest request, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Transport.CreateRefundAsync(request, requestOptions, cancellationToken);
    }

    /// <summary>Retrieves a refund (<c>GET /v1/refunds/{id}</c>).</summary>
    /// <param name="id">The refund id (<c>re_…</c>).</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The refund.</returns>
    /// <exception cref="PaymentGatewayException">For example HTTP 404 <see cref="ErrorCode.ResourceMissing"/>.</exception>
    public virtual Task<Refund> GetAsync(string id, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Transport.GetRefundAsync(id, requestOptions, cancellationToken);
    }

    /// <summary>Lists one page of refunds, newest first (<c>GET /v1/refunds</c>).</summary>
    /// <param name="request">Filters and cursors; null for the first page.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    /// <exception cref="PaymentGatewayException">The gateway refused the call or could not be reached.</exception>
    public virtual Task<Page<Refund>> ListAsync(ListRefundsRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        return Transport.ListRefundsAsync(request ?? new ListRefundsRequest(), requestOptions, cancellationToken);
    }

    /// <summary>Lists every refund matching <paramref name="request"/>, fetching pages lazily as the caller enumerates.</summary>
    /// <param name="request">Filters, page size and the starting cursor.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The refunds.</returns>
    public virtual IAsyncEnumerable<Refund> ListAutoPagingAsync(ListRefundsRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        request ??= new ListRefundsRequest();
        return AutoPager.EnumerateAsync(
            (after, before, ct) => ListAsync(request with { StartingAfter = after, EndingBefore = before }, requestOptions, ct),
            request.StartingAfter,
            request.EndingBefore,
            r => r.Id,
            cancellationToken);
    }
}
