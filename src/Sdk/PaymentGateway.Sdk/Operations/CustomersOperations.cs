using PaymentGateway.Sdk.Internal;

namespace PaymentGateway.Sdk;

/// <summary>
/// Customers and their saved payment methods: <c>/v1/customers</c> (secret key), over REST and gRPC
/// (docs/saved-cards.md). Reach it through <see cref="PaymentGatewayClient.Customers"/>. A card is saved by a payment with
/// <see cref="CreatePaymentRequest.SetupFutureUsage"/> or <see cref="PaymentMode.Setup"/>, or attached here.
/// </summary>
public class CustomersOperations
{
    private readonly IGatewayTransport? _transport;

    /// <summary>For mocking only: a derived mock overrides the virtual methods.</summary>
    protected CustomersOperations()
    {
    }

    internal CustomersOperations(IGatewayTransport transport) => _transport = transport;

    private IGatewayTransport Transport => _transport ?? throw new InvalidOperationException("This instance was created for mocking and has no transport.");

    /// <summary>Creates a customer (<c>POST /v1/customers</c>); <c>customer.created</c> follows.</summary>
    /// <param name="request">E-mail, name, phone, description and metadata; all optional.</param>
    /// <param name="requestOptions">Per-call idempotency key or API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The customer.</returns>
    /// <exception cref="PaymentGatewayException">For example 400 <see cref="ErrorCode.ParameterInvalid"/> for a malformed e-mail or too much metadata.</exception>
    public virtual Task<Customer> CreateAsync(CreateCustomerRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default) =>
        Transport.CreateCustomerAsync(request ?? new CreateCustomerRequest(), requestOptions, cancellationToken);

    /// <summary>Retrieves a customer (<c>GET /v1/customers/{id}</c>); a deleted one comes back with <see cref="Customer.Deleted"/> set.</summary>
    /// <param name="id">The customer id (<c>cus_…</c>).</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The customer.</returns>
    /// <exception cref="PaymentGatewayException">For example HTTP 404 <see cref="ErrorCode.ResourceMissing"/>.</exception>
    public virtual Task<Customer> GetAsync(string id, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Transport.GetCustomerAsync(id, requestOptions, cancellationToken);
    }

    /// <summary>Changes the fields set in <paramref name="request"/> (<c>PATCH /v1/customers/{id}</c>); <c>customer.updated</c> follows.</summary>
    /// <param name="id">The customer id (<c>cus_…</c>).</param>
    /// <param name="request">The fields to change; an empty string clears one.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated customer.</returns>
    /// <exception cref="PaymentGatewayException">
    /// For example 404 <see cref="ErrorCode.ResourceMissing"/>, 422 <see cref="ErrorCode.CustomerDeleted"/>, or 422
    /// <see cref="ErrorCode.PaymentMethodCustomerMismatch"/> for a default method saved for someone else.
    /// </exception>
    public virtual Task<Customer> UpdateAsync(string id, UpdateCustomerRequest request, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(request);
        return Transport.UpdateCustomerAsync(id, request, requestOptions, cancellationToken);
    }

    /// <summary>
    /// Deletes a customer (<c>DELETE /v1/customers/{id}</c>): its personal data is cleared, its saved cards are detached and
    /// crypto-erased from the vault, and later charges on them fail with <see cref="ErrorCode.PaymentMethodDetached"/>.
    /// </summary>
    /// <param name="id">The customer id (<c>cus_…</c>).</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The deleted customer (only its id, mode and <see cref="Customer.Deleted"/>).</returns>
    /// <exception cref="PaymentGatewayException">For example HTTP 404 <see cref="ErrorCode.ResourceMissing"/>.</exception>
    public virtual Task<Customer> DeleteAsync(string id, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Transport.DeleteCustomerAsync(id, requestOptions, cancellationToken);
    }

    /// <summary>Lists one page of customers, newest first, optionally searched by e-mail or a metadata pair (<c>GET /v1/customers</c>).</summary>
    /// <param name="request">Filters, cursors and page size; null for the first page of all customers.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    public virtual Task<Page<Customer>> ListAsync(ListCustomersRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default) =>
        Transport.ListCustomersAsync(request ?? new ListCustomersRequest(), requestOptions, cancellationToken);

    /// <summary>Lists every customer matching the filters, fetching pages lazily as the caller enumerates.</summary>
    /// <param name="request">Filters, page size and the starting cursor.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The customers.</returns>
    public virtual IAsyncEnumerable<Customer> ListAutoPagingAsync(ListCustomersRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        request ??= new ListCustomersRequest();
        return AutoPager.EnumerateAsync(
            (after, before, ct) => ListAsync(request with { StartingAfter = after, EndingBefore = before }, requestOptions, ct),
            request.StartingAfter,
            request.EndingBefore,
            c => c.Id,
            cancellationToken);
    }

    /// <summary>
    /// Saves a card payment method for the customer, for on-session use (<c>POST /v1/customers/{id}/payment_methods</c>);
    /// <c>payment_method.attached</c> follows. To charge it off session, save it through a payment with
    /// <see cref="SetupFutureUsage.OffSession"/> or a <see cref="PaymentMode.Setup"/> payment instead.
    /// </summary>
    /// <param name="customerId">The customer id (<c>cus_…</c>).</param>
    /// <param name="paymentMethodId">The card payment method (<c>pm_…</c>).</param>
    /// <param name="requestOptions">Per-call idempotency key or API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The attached payment method.</returns>
    /// <exception cref="PaymentGatewayException">
    /// For example 404 <see cref="ErrorCode.ResourceMissing"/>, 422 <see cref="ErrorCode.CustomerDeleted"/>,
    /// <see cref="ErrorCode.PaymentMethodCustomerMismatch"/> or <see cref="ErrorCode.PaymentMethodDetached"/>.
    /// </exception>
    public virtual Task<PaymentMethod> AttachPaymentMethodAsync(string customerId, string paymentMethodId, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        ArgumentException.ThrowIfNullOrEmpty(paymentMethodId);
        return Transport.AttachPaymentMethodAsync(customerId, paymentMethodId, requestOptions, cancellationToken);
    }

    /// <summary>
    /// Detaches a saved payment method and crypto-erases its card (<c>DELETE /v1/customers/{id}/payment_methods/{pm}</c>);
    /// <c>payment_method.detached</c> follows. It cannot be charged again.
    /// </summary>
    /// <param name="customerId">The customer id (<c>cus_…</c>).</param>
    /// <param name="paymentMethodId">The saved payment method (<c>pm_…</c>).</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The detached payment method, with <see cref="PaymentMethod.DetachedAt"/> set.</returns>
    /// <exception cref="PaymentGatewayException">For example 404 <see cref="ErrorCode.ResourceMissing"/> or 422 <see cref="ErrorCode.PaymentMethodCustomerMismatch"/>.</exception>
    public virtual Task<PaymentMethod> DetachPaymentMethodAsync(string customerId, string paymentMethodId, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        ArgumentException.ThrowIfNullOrEmpty(paymentMethodId);
        return Transport.DetachPaymentMethodAsync(customerId, paymentMethodId, requestOptions, cancellationToken);
    }

    /// <summary>Lists one page of the customer's saved payment methods, newest first (<c>GET /v1/customers/{id}/payment_methods</c>).</summary>
    /// <param name="customerId">The customer id (<c>cus_…</c>).</param>
    /// <param name="request">Cursors and page size; null for the first page.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    /// <exception cref="PaymentGatewayException">For example HTTP 404 <see cref="ErrorCode.ResourceMissing"/>.</exception>
    public virtual Task<Page<PaymentMethod>> ListPaymentMethodsAsync(
        string customerId, ListCustomerPaymentMethodsRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        return Transport.ListCustomerPaymentMethodsAsync(customerId, request ?? new ListCustomerPaymentMethodsRequest(), requestOptions, cancellationToken);
    }

    /// <summary>Lists every saved payment method of the customer, fetching pages lazily as the caller enumerates.</summary>
    /// <param name="customerId">The customer id (<c>cus_…</c>).</param>
    /// <param name="request">Page size and the starting cursor.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The saved payment methods.</returns>
    public virtual IAsyncEnumerable<PaymentMethod> ListPaymentMethodsAutoPagingAsync(
        string customerId, ListCustomerPaymentMethodsRequest? request = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        request ??= new ListCustomerPaymentMethodsRequest();
        return AutoPager.EnumerateAsync(
            (after, before, ct) => ListPaymentMethodsAsync(customerId, request with { StartingAfter = after, EndingBefore = before }, requestOptions, ct),
            request.StartingAfter,
            request.EndingBefore,
            pm => pm.Id,
            cancellationToken);
    }
}
