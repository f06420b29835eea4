using PaymentGateway.Sdk.Internal;

namespace PaymentGateway.Sdk;

/// <summary>
/// SEPA Direct Debit collection files (pain.008.001.02): <c>/v1/direct_debit_batches</c> (secret key). Reach it through
/// <see cref="PaymentGatewayClient.DirectDebitBatches"/>. REST only: over <see cref="PaymentGatewayTransport.Grpc"/> its
/// methods throw <see cref="NotSupportedException"/> without sending anything.
/// </summary>
public class DirectDebitBatchesOperations
{
    private readonly IGatewayTransport? _transport;

    /// <summary>For mocking only: a derived mock overrides the virtual methods.</summary>
    protected DirectDebitBatchesOperations()
    {
    }

    internal DirectDebitBatchesOperations(IGatewayTransport transport) => _transport = transport;

    private IGatewayTransport Transport => _transport ?? throw new InvalidOperationException("This instance was created for mocking and has no transport.");

    /// <summary>
    /// Exports the processing debits not yet in a file as one collection file (<c>POST /v1/direct_debit_batches</c>)
    /// and returns its metadata; download the file with <see cref="DownloadFileAsync"/>. The debits are marked exported.
    /// </summary>
    /// <param name="requestOptions">Per-call idempotency key or API key. A retry with the same key returns the same batch.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The batch, or null when no debit was waiting.</returns>
    /// <exception cref="PaymentGatewayException">For example 409 when a debit changed during the export (export again), 422 when direct debits are not configured.</exception>
    /// <exception cref="NotSupportedException">The client uses the gRPC transport: direct debits are REST only.</exception>
    public virtual Task<DirectDebitBatch?> CreateAsync(RequestOptions? requestOptions = null, CancellationToken cancellationToken = default) =>
        Transport.CreateDirectDebitBatchAsync(requestOptions, cancellationToken);

    /// <summary>Retrieves a batch's metadata (<c>GET /v1/direct_debit_batches/{id}</c>).</summary>
    /// <param name="id">The batch id (<c>ddb_…</c>).</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The batch.</returns>
    /// <exception cref="PaymentGatewayException">For example HTTP 404 <see cref="ErrorCode.ResourceMissing"/>.</exception>
    /// <exception cref="NotSupportedException">The client uses the gRPC transport: direct debits are REST only.</exception>
    public virtual Task<DirectDebitBatch> GetAsync(string id, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Transport.GetDirectDebitBatchAsync(id, requestOptions, cancellationToken);
    }

    /// <summary>Lists one page of batches, newest first (<c>GET /v1/direct_debit_batches</c>).</summary>
    /// <param name="request">Cursors and page size; null for the first page.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    /// <exception cref="NotSupportedException">The client uses the gRPC transport: direct debits are REST only.</exception>
    public virtual Task<Page<DirectDebitBatch>> ListAsync(ListDirectDebitObjectsRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default) =>
        Transport.ListDirectDebitBatchesAsync(request ?? new ListDirectDebitObjectsRequest(), requestOptions, cancellationToken);

    /// <summary>Lists every batch, fetching pages lazily as the caller enumerates.</summary>
    /// <param name="request">Page size and the starting cursor.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The batches.</returns>
    public virtual IAsyncEnumerable<DirectDebitBatch> ListAutoPagingAsync(ListDirectDebitObjectsRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        request ??= new ListDirectDebitObjectsRequest();
        return AutoPager.EnumerateAsync(
            (after, before, ct) => ListAsync(request with { StartingAfter = after, EndingBefore = before }, requestOptions, ct),
            request.StartingAfter,
            request.EndingBefore,
            b => b.Id,
            cancellationToken);
    }

    /// <summary>
    /// Downloads a batch's pain.008 file again (<c>GET /v1/direct_debit_batches/{id}/file</c>), byte for byte as it was
    /// first exported. The file holds debtor IBANs: hand it to your bank, do not log it. The caller disposes the stream.
    /// </summary>
    /// <param name="id">The batch id (<c>ddb_…</c>).</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The XML file, positioned at its start.</returns>
    /// <exception cref="PaymentGatewayException">For example HTTP 404 <see cref="ErrorCode.ResourceMissing"/>.</exception>
    /// <exception cref="NotSupportedException">The client uses the gRPC transport: direct debits are REST only.</exception>
    public virtual Task<Stream> DownloadFileAsync(string id, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Transport.DownloadDirectDebitBatchFileAsync(id, requestOptions, cancellationToken);
    }
}
