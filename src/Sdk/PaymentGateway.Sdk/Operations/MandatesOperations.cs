using PaymentGateway.Sdk.Internal;

namespace PaymentGateway.Sdk;

/// <summary>
/// SEPA Direct Debit mandates: <c>/v1/mandates</c> (secret key). Reach it through <see cref="PaymentGatewayClient.Mandates"/>.
/// REST only: over <see cref="PaymentGatewayTransport.Grpc"/> its methods throw <see cref="NotSupportedException"/>
/// without sending anything.
/// </summary>
public class MandatesOperations
{
    private readonly IGatewayTransport? _transport;

    /// <summary>For mocking only: a derived mock overrides the virtual methods.</summary>
    protected MandatesOperations()
    {
    }

    internal MandatesOperations(IGatewayTransport transport) => _transport = transport;

    private IGatewayTransport Transport => _transport ?? throw new InvalidOperationException("This instance was created for mocking and has no transport.");

    /// <summary>Records a signed mandate for a <c>sepa_debit</c> payment method (<c>POST /v1/mandates</c>).</summary>
    /// <param name="request">The payment method, signature date and optional reference.</param>
    /// <param name="requestOptions">Per-call idempotency key or API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The mandate.</returns>
    /// <exception cref="PaymentGatewayException">For example 400 <see cref="ErrorCode.ParameterInvalid"/>, 409 for a reference already taken, 422 when direct debits are not configured.</exception>
    /// <exception cref="NotSupportedException">The client uses the gRPC transport: direct debits are REST only.</exception>
    public virtual Task<Mandate> CreateAsync(CreateMandateRequest request, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Transport.CreateMandateAsync(request, requestOptions, cancellationToken);
    }

    /// <summary>Retrieves a mandate (<c>GET /v1/mandates/{id}</c>).</summary>
    /// <param name="id">The mandate id (<c>mdt_…</c>).</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The mandate.</returns>
    /// <exception cref="PaymentGatewayException">For example HTTP 404 <see cref="ErrorCode.ResourceMissing"/>.</exception>
    /// <exception cref="NotSupportedException">The client uses the gRPC transport: direct debits are REST only.</exception>
    public virtual Task<Mandate> GetAsync(string id, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Transport.GetMandateAsync(id, requestOptions, cancellationToken);
    }

    /// <summary>Lists one page of mandates, newest first (<c>GET /v1/mandates</c>).</summary>
    /// <param name="request">Cursors and page size; null for the first page.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    /// <exception cref="NotSupportedException">The client uses the gRPC transport: direct debits are REST only.</exception>
    public virtual Task<Page<Mandate>> ListAsync(ListDirectDebitObjectsRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default) =>
        Transport.ListMandatesAsync(request ?? new ListDirectDebitObjectsRequest(), requestOptions, cancellationToken);

    /// <summary>Lists every mandate, fetching pages lazily as the caller enumerates.</summary>
    /// <param name="request">Page size and the starting cursor.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The mandates.</returns>
    public virtual IAsyncEnumerable<Mandate> ListAutoPagingAsync(ListDirectDebitObjectsRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        request ??= new ListDirectDebitObjectsRequest();
        return AutoPager.EnumerateAsync(
            (after, before, ct) => ListAsync(request with { StartingAfter = after, EndingBefore = before }, requestOptions, ct),
            request.StartingAfter,
            request.EndingBefore,
            m => m.Id,
            cancellationToken);
    }
}
