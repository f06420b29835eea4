using PaymentGateway.Sdk.Internal;

namespace PaymentGateway.Sdk;

/// <summary>Payment methods: <c>/v1/payment_methods</c>. Reach it through <see cref="PaymentGatewayClient.PaymentMethods"/>.</summary>
public class PaymentMethodsOperations
{
    private readonly IGatewayTransport? _transport;

    /// <summary>For mocking only: a derived mock overrides the virtual methods.</summary>
    protected PaymentMethodsOperations()
    {
    }

    internal PaymentMethodsOperations(IGatewayTransport transport) => _transport = transport;

    private IGatewayTransport Transport => _transport ?? throw new InvalidOperationException("This instance was created for mocking and has no transport.");

    /// <summary>
    /// Tokenizes a card (<c>POST /v1/payment_methods</c>). The gateway accepts this only with a publishable key: pass it
    /// in <see cref="RequestOptions.ApiKey"/> (or build a client whose <see cref="PaymentGatewayClientOptions.ApiKey"/> is one).
    /// In production, tokenize in the browser so card numbers never reach your servers.
    /// </summary>
    /// <param name="request">The card to tokenize.</param>
    /// <param name="requestOptions">The publishable key, and optionally an idempotency key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The payment method, with the card masked.</returns>
    /// <exception cref="PaymentGatewayException">For example 403 <see cref="ErrorCode.PublishableKeyRequired"/> or 400 <see cref="ErrorCode.CardNumberInvalid"/>.</exception>
    public virtual Task<PaymentMethod> CreateAsync(CreatePaymentMethodRequest request, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Transport.CreatePaymentMethodAsync(request, requestOptions, cancellationToken);
    }

    /// <summary>Retrieves the masked view of a payment method (<c>GET /v1/payment_methods/{id}</c>).</summary>
    /// <param name="id">The payment method id (<c>pm_…</c>).</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The payment method.</returns>
    /// <exception cref="PaymentGatewayException">For example HTTP 404 <see cref="ErrorCode.ResourceMissing"/>.</exception>
    public virtual Task<PaymentMethod> GetAsync(string id, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Transport.GetPaymentMethodAsync(id, requestOptions, cancellationToken);
    }

    /// <summary>Gives a saved card a new expiry or holder name (<c>PATCH /v1/payment_methods/{id}</c>); <c>payment_method.updated</c> follows.</summary>
    /// <param name="id">The saved payment method id (<c>pm_…</c>).</param>
    /// <param name="request">The new expiry month and year, or holder name.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The payment method.</returns>
    /// <exception cref="PaymentGatewayException">For example 422 when the method is not saved for a customer, 400 <see cref="ErrorCode.CardExpired"/>.</exception>
    public virtual Task<PaymentMethod> UpdateAsync(string id, UpdatePaymentMethodRequest request, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(request);
        return Transport.UpdatePaymentMethodAsync(id, request, requestOptions, cancellationToken);
    }
}
