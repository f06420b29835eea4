using PaymentGateway.Sdk.Internal;

namespace PaymentGateway.Sdk;

/// <summary>
/// Entries of imported statements: <c>/v1/bank_statement_entries</c> (secret key). List the unmatched ones and credit
/// them to a bank-transfer payment by hand. Reach it through <see cref="PaymentGatewayClient.BankStatementEntries"/>.
/// REST only: over <see cref="PaymentGatewayTransport.Grpc"/> its methods throw <see cref="NotSupportedException"/>.
/// </summary>
public class BankStatementEntriesOperations
{
    private readonly IGatewayTransport? _transport;

    /// <summary>For mocking only: a derived mock overrides the virtual methods.</summary>
    protected BankStatementEntriesOperations()
    {
    }

    internal BankStatementEntriesOperations(IGatewayTransport transport) => _transport = transport;

    private IGatewayTransport Transport => _transport ?? throw new InvalidOperationException("This instance was created for mocking and has no transport.");

    /// <summary>Lists one page of entries, newest first (<c>GET /v1/bank_statement_entries</c>).</summary>
    /// <param name="request">A status or statement filter, cursors and page size; null for the first page of all entries.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    /// <exception cref="PaymentGatewayException">For example 400 <see cref="ErrorCode.ParameterInvalid"/> for an unknown status.</exception>
    /// <exception cref="NotSupportedException">The client uses the gRPC transport: statements are REST only.</exception>
    public virtual Task<Page<BankStatementEntry>> ListAsync(ListBankStatementEntriesRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        return Transport.ListBankStatementEntriesAsync(request ?? new ListBankStatementEntriesRequest(), requestOptions, cancellationToken);
    }

    /// <summary>Lists every entry matching the filters, fetching pages lazily as the caller enumerates.</summary>
    /// <param name="request">A status or statement filter, page size and the starting cursor.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The entries.</returns>
    public virtual IAsyncEnumerable<BankStatementEntry> ListAutoPagingAsync(ListBankStatementEntriesRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        request ??= new ListBankStatementEntriesRequest();
        return AutoPager.EnumerateAsync(
            (after, before, ct) => ListAsync(request with { StartingAfter = after, EndingBefore = before }, requestOptions, ct),
            request.StartingAfter,
            request.EndingBefore,
            e => e.Id,
            cancellationToken);
    }

    /// <summary>
    /// Credits an unmatched entry to a bank-transfer payment (<c>POST /v1/bank_statement_entries/{id}/match</c>): the
    /// payment succeeds when it is fully paid, and the statement's counts follow.
    /// </summary>
    /// <param name="entryId">The entry id (<c>bse_…</c>), which must be <see cref="BankStatementEntryStatus.Unmatched"/>.</param>
    /// <param name="paymentId">The bank-transfer payment (<c>pay_…</c>) to credit, in the entry's currency.</param>
    /// <param name="requestOptions">Per-call idempotency key or API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entry, now matched.</returns>
    /// <exception cref="PaymentGatewayException">For example 404 <see cref="ErrorCode.ResourceMissing"/>, 409 <see cref="ErrorCode.BankEntryNotMatchable"/> or 400 <see cref="ErrorCode.ParameterInvalid"/> for a payment that is not a bank transfer.</exception>
    /// <exception cref="NotSupportedException">The client uses the gRPC transport: statements are REST only.</exception>
    public virtual Task<BankStatementEntry> MatchAsync(string entryId, string paymentId, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(entryId);
        ArgumentException.ThrowIfNullOrEmpty(paymentId);
        return Transport.MatchBankStatementEntryAsync(entryId, paymentId, requestOptions, cancellationToken);
    }
}
