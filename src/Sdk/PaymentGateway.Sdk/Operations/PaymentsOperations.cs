using PaymentGateway.Sdk.Internal;

namespace PaymentGateway.Sdk;

/// <summary>Payments: <c>/v1/payments</c>. Reach it through <see cref="PaymentGatewayClient.Payments"/>.</summary>
/// <remarks>Every POST carries an <c>Idempotency-Key</c>: yours (<see cref="RequestOptions.IdempotencyKey"/>) or one generated per call, reused on retries.</remarks>
public class PaymentsOperations
{
    private readonly IGatewayTransport? _transport;

    /// <summary>For mocking only: a derived mock overrides the virtual methods.</summary>
    protected PaymentsOperations()
    {
    }

    internal PaymentsOperations(IGatewayTransport transport) => _transport = transport;

    internal IGatewayTransport Transport => _transport ?? throw new InvalidOperationException("This instance was created for mocking and has no transport.");

    /// <summary>Creates a payment (<c>POST /v1/payments</c>); with <see cref="CreatePaymentRequest.Confirm"/> it is also confirmed.</summary>
    /// <param name="request">The payment to create.</param>
    /// <param name="requestOptions">Per-call idempotency key or API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created payment.</returns>
    /// <exception cref="PaymentGatewayException">The gateway refused the call (for example HTTP 402 card declined) or could not be reached.</exception>
    public virtual Task<Payment> CreateAsync(CreatePaymentRequest request, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Transport.CreatePaymentAsync(request, requestOptions, cancellationToken);
    }

    /// <summary>Retrieves a payment (<c>GET /v1/payments/{id}</c>).</summary>
    /// <param name="id">The payment id (<c>pay_…</c>).</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The payment.</returns>
    /// <exception cref="PaymentGatewayException">For example HTTP 404 <see cref="ErrorCode.ResourceMissing"/>.</exception>
    public virtual Task<Payment> GetAsync(string id, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Transport.GetPaymentAsync(id, requestOptions, cancellationToken);
    }

    /// <summary>Lists one page of payments, newest first (<c>GET /v1/payments</c>).</summary>
    /// <param name="request">Filters and cursors; null for the first page with server defaults.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    /// <exception cref="PaymentGatewayException">The gateway refused the call or could not be reached.</exception>
    public virtual Task<Page<Payment>> ListAsync(ListPaymentsRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        return Transport.ListPaymentsAsync(request ?? new ListPaymentsRequest(), requestOptions, cancellationToken);
    }

    /// <summary>
    /// Lists every payment matching <paramref name="request"/>, fetching pages lazily with <c>starting_after</c> (or
    /// <c>ending_before</c> when only that is set) as the caller enumerates.
    /// </summary>
    /// <param name="request">Filters, page size and the starting cursor.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The payments, one page at a time.</returns>
    public virtual IAsyncEnumerable<Payment> ListAutoPagingAsync(ListPaymentsRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        request ??= new ListPaymentsRequest();
        return AutoPager.EnumerateAsync(
            (after, before, ct) => ListAsync(request with { StartingAfter = after, EndingBefore = before }, requestOptions, ct),
            request.StartingAfter,
            request.EndingBefore,
            p => p.Id,
            cancellationToken);
    }

    /// <summary>Confirms a payment (<c>POST /v1/payments/{id}/confirm</c>).</summary>
    /// <param name="id">The payment id.</param>
    /// <param name="request">The payment method and return URL, if not set at creation.</param>
    /// <param name="requestOptions">Per-call idempotency key or API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The payment after confirmation.</returns>
    /// <exception cref="PaymentGatewayException">For example HTTP 402 card declined, or 409 <see cref="ErrorCode.PaymentStateConflict"/>.</exception>
    public virtual Task<Payment> ConfirmAsync(string id, ConfirmPaymentRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Transport.ConfirmPaymentAsync(id, request ?? new ConfirmPaymentRequest(), requestOptions, cancellationToken);
    }

    /// <summary>Captures an authorized payment, fully or partly (<c>POST /v1/payments/{id}/capture</c>).</summary>
    /// <param name="id">The payment id.</param>
    /// <param name="request">The amount to capture; null captures everything capturable.</param>
    /// <param name="requestOptions">Per-call idempotency key or API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The captured payment.</returns>
    /// <exception cref="PaymentGatewayException">For example 409 <see cref="ErrorCode.PaymentStateConflict"/> (never retried).</exception>
    public virtual Task<Payment> CaptureAsync(string id, CapturePaymentRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Transport.CapturePaymentAsync(id, request ?? new CapturePaymentRequest(), requestOptions, cancellationToken);
    }

    /// <summary>Cancels (voids) an uncaptured payment (<c>POST /v1/payments/{id}/cancel</c>).</summary>
    /// <param name="id">The payment id.</param>
    /// <param name="request">The cancellation reason, if any.</param>
    /// <param name="requestOptions">Per-call idempotency key or API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The canceled payment.</returns>
    /// <exception cref="PaymentGatewayException">For example 409 <see cref="ErrorCode.PaymentStateConflict"/>.</exception>
    public virtual Task<Payment> CancelAsync(string id, CancelPaymentRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Transport.CancelPaymentAsync(id, request ?? new CancelPaymentRequest(), requestOptions, cancellationToken);
    }
}
