using PaymentGateway.Sdk.Internal;

namespace PaymentGateway.Sdk;

/// <summary>
/// Hosted checkout sessions: <c>/v1/checkout/sessions</c>. Reach it through <see cref="PaymentGatewayClient.CheckoutSessions"/>.
/// REST only: over <see cref="PaymentGatewayTransport.Grpc"/> its methods throw <see cref="NotSupportedException"/>.
/// </summary>
public class CheckoutSessionsOperations
{
    private readonly IGatewayTransport? _transport;

    /// <summary>For mocking only: a derived mock overrides the virtual methods.</summary>
    protected CheckoutSessionsOperations()
    {
    }

    internal CheckoutSessionsOperations(IGatewayTransport transport) => _transport = transport;

    private IGatewayTransport Transport => _transport ?? throw new InvalidOperationException("This instance was created for mocking and has no transport.");

    /// <summary>Creates a checkout session (<c>POST /v1/checkout/sessions</c>, secret key).</summary>
    /// <param name="request">Amount or line items, URLs, allowed frame ancestors, expiry.</param>
    /// <param name="requestOptions">Per-call idempotency key or API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The session with its <see cref="CheckoutSession.Url"/> and (only here) <see cref="CheckoutSession.ClientSecret"/>.</returns>
    /// <exception cref="PaymentGatewayException">For example 400 <see cref="ErrorCode.ParameterInvalid"/>.</exception>
    public virtual Task<CheckoutSession> CreateAsync(CreateCheckoutSessionRequest request, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Transport.CreateCheckoutSessionAsync(request, requestOptions, cancellationToken);
    }

    /// <summary>Retrieves a checkout session (<c>GET /v1/checkout/sessions/{id}</c>): its status and payment.</summary>
    /// <param name="id">The session id (<c>cs_…</c>).</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The session, without its client secret.</returns>
    /// <exception cref="PaymentGatewayException">For example HTTP 404 <see cref="ErrorCode.ResourceMissing"/>.</exception>
    public virtual Task<CheckoutSession> GetAsync(string id, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Transport.GetCheckoutSessionAsync(id, requestOptions, cancellationToken);
    }
}
