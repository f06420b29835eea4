using System.Text.Json;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.CheckoutCom;

/// <summary>
/// The Checkout.com adapter: each flow names its Payments API path and JSON body (<see cref="CheckoutComTransformers"/>)
/// and how to read the answer; <see cref="ProviderHttpClient{TTransport}"/> sends it as
/// <see cref="CheckoutComTransport"/> describes. Captures, voids and refunds are accepted (202) by Checkout.com; their
/// results arrive by webhook (<see cref="HandleWebhookAsync"/>) or are read back with sync.
/// </summary>
public sealed class CheckoutComProvider(ProviderHttpClient<CheckoutComTransport> http)
    : IPaymentProvider, IAuthorizeFlow, ICaptureFlow, IVoidFlow, IRefundFlow, ISyncFlow, IAuthenticationFlow, IWebhookFlow
{
    /// <summary>The provider id.</summary>
    public const string ProviderId = "checkoutcom";

    /// <summary>The header that carries the idempotency key.</summary>
    public const string IdempotencyHeader = "Cko-Idempotency-Key";

    /// <summary>The header that carries a webhook's signature.</summary>
    public const string SignatureHeader = "Cko-Signature";

    /// <inheritdoc />
    public string Id => ProviderId;

    /// <inheritdoc />
    public ProviderCapabilities Capabilities => ProviderCapabilities.CardProcessor;

    /// <inheritdoc />
    public Task<ProviderPaymentResult> AuthorizeAsync(AuthorizeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = http.RequireAccount(request.Account);
        var body = CheckoutComTransformers.PaymentRequestBody(request, account.Setting("processing_channel_id"), account.Setting("return_url"));
        return http.PaymentAsync(ProviderHttpCall.Authorize(request, "/payments", ProviderJson.Content(body)),
            answer => CheckoutComTransformers.ToPaymentResult(answer, request.Capture), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>After the 3-D Secure redirect Checkout.com appends <c>cko-session-id</c>; the payment is read back with it.</remarks>
    public Task<ProviderPaymentResult> CompleteAuthenticationAsync(CompleteAuthenticationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = request.Details.TryGetValue("cko-session-id", out var session) ? session : request.ProviderReference;
        var call = ProviderHttpCall.Get("complete_authentication", request.PaymentId, request.Account, PaymentPath(id), request.ProviderReference);
        return http.PaymentAsync(call, answer => CheckoutComTransformers.ToPaymentResult(answer, request.Capture), cancellationToken);
    }

    /// <inheritdoc />
    public Task<ProviderPaymentResult> CaptureAsync(CaptureRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = ProviderHttpCall.Capture(request, PaymentPath(request.ProviderReference) + "/captures", ProviderJson.Content(CheckoutComTransformers.CaptureBody(request)));
        return http.PaymentAsync(call, answer => CheckoutComTransformers.ToActionResult(answer, request.ProviderReference), cancellationToken);
    }

    /// <inheritdoc />
    public Task<ProviderPaymentResult> VoidAsync(VoidRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = ProviderHttpCall.Void(request, PaymentPath(request.ProviderReference) + "/voids", ProviderJson.Content(CheckoutComTransformers.VoidBody(request)));
        return http.PaymentAsync(call, answer => CheckoutComTransformers.ToActionResult(answer, request.ProviderReference), cancellationToken);
    }

    /// <inheritdoc />
    public Task<ProviderRefundResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = ProviderHttpCall.Refund(request, PaymentPath(request.ProviderReference) + "/refunds", ProviderJson.Content(CheckoutComTransformers.RefundBody(request)));
        return http.RefundAsync(call, CheckoutComTransformers.ToRefundResult, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// With a reference: <c>GET /payments/{id}</c>. Without one (the answer to the create was lost), the payments with
    /// the gateway payment id as <c>reference</c> are listed and the one carrying this attempt's idempotency key in its
    /// metadata is taken; none yet is <see cref="ProviderOutcome.Pending"/>, never a failure.
    /// </remarks>
    public Task<ProviderPaymentResult> SyncAsync(SyncRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ProviderReference is { } reference)
        {
            return http.PaymentAsync(ProviderHttpCall.Get("sync", request.PaymentId, request.Account, PaymentPath(reference), reference),
                answer => CheckoutComTransformers.ToPaymentResult(answer, capture: false), cancellationToken);
        }

        var list = ProviderHttpCall.Get("sync", request.PaymentId, request.Account, $"/payments?reference={Uri.EscapeDataString(request.PaymentId)}", null);
        return http.SearchAsync(list, payments => CheckoutComTransformers.PaymentOfAttempt(payments, request.IdempotencyKey),
            payment => CheckoutComTransformers.ToPaymentResult(payment, capture: false), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>The <c>Cko-Signature</c> header must be the hex HMAC-SHA256 of the raw body keyed with the account's <c>webhook_secret</c>.</remarks>
    public Task<ProviderWebhookResult> HandleWebhookAsync(ProviderWebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.FirstOrDefault(h => string.Equals(h.Key, SignatureHeader, StringComparison.OrdinalIgnoreCase)).Value;
        var secret = request.Account.Credential("webhook_secret").Reveal();
        if (!CheckoutComTransformers.VerifySignature(header, request.Body.Span, secret))
        {
            throw http.WebhookRejected(request.Account, header is null ? "no Cko-Signature header" : "signature mismatch");
        }

        ProviderNotification notification;
        try
        {
            using var document = JsonDocument.Parse(request.Body);
            if (document.RootElement.ValueKind != JsonValueKind.Object || document.RootElement.String("type") is null)
            {
                throw http.WebhookRejected(request.Account, "not an event");
            }

            notification = CheckoutComTransformers.ToNotification(document.RootElement) with { EventId = document.RootElement.String("id") };
        }
        catch (JsonException)
        {
            throw http.WebhookRejected(request.Account, "the body is not JSON");
        }

        return Task.FromResult(http.WebhookAccepted(request.Account, [notification]));
    }

    private static string PaymentPath(string id) => "/payments/" + Uri.EscapeDataString(id);
}
