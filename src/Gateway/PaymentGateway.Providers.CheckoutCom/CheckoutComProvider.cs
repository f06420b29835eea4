using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.CheckoutCom;

/// <summary>
/// The Checkout.com transport: builds each request (URL from the account's <c>base_url</c>, <c>Authorization: Bearer</c>
/// with the <c>secret_key</c>, <c>Cko-Idempotency-Key</c> on every POST, JSON body), sends it through the
/// <c>checkoutcom</c> HTTP client and its resilience pipeline, and routes the answer to
/// <see cref="CheckoutComTransformers"/>. Captures, voids and refunds are accepted (202) by Checkout.com; their results
/// arrive by webhook (<see cref="HandleWebhookAsync"/>) or are read back with sync.
/// </summary>
public sealed class CheckoutComProvider(IHttpClientFactory httpClientFactory, ILogger<CheckoutComProvider> logger)
    : IPaymentProvider, IAuthorizeFlow, ICaptureFlow, IVoidFlow, IRefundFlow, ISyncFlow, IAuthenticationFlow, IWebhookFlow
{
    /// <summary>The provider id.</summary>
    public const string ProviderId = "checkoutcom";

    /// <summary>The name of the HTTP client <see cref="CheckoutComServiceCollectionExtensions.AddCheckoutComProvider"/> registers.</summary>
    public const string HttpClientName = "PaymentGateway.Providers.CheckoutCom";

    /// <summary>Checkout.com's sandbox API, used when the account sets no <c>base_url</c>.</summary>
    public const string DefaultBaseUrl = "https://api.sandbox.checkout.com";

    /// <summary>The header that carries the idempotency key.</summary>
    public const string IdempotencyHeader = "Cko-Idempotency-Key";

    /// <summary>The header that carries a webhook's signature.</summary>
    public const string SignatureHeader = "Cko-Signature";

    /// <inheritdoc />
    public string Id => ProviderId;

    /// <inheritdoc />
    public ProviderCapabilities Capabilities { get; } = new()
    {
        PaymentMethodTypes = new HashSet<string>(StringComparer.Ordinal) { "card" },
        PartialCapture = true,
        MultipleRefunds = true,
        ThreeDSecure = true,
        IdempotencyKeys = true,
    };

    /// <inheritdoc />
    public async Task<ProviderPaymentResult> AuthorizeAsync(AuthorizeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = RequireAccount(request.Account);
        var body = CheckoutComTransformers.PaymentRequestBody(request, account.Setting("processing_channel_id"), account.Setting("return_url"));
        var answer = await SendAsync("authorize", request.PaymentId, HttpMethod.Post, account, "/payments", body, request.IdempotencyKey, cancellationToken)
            .ConfigureAwait(false);
        return answer.IsSuccess ? CheckoutComTransformers.ToPaymentResult(answer.Body, request.Capture) : HandleError(answer, null);
    }

    /// <inheritdoc />
    /// <remarks>After the 3-D Secure redirect Checkout.com appends <c>cko-session-id</c>; the payment is read back with it.</remarks>
    public async Task<ProviderPaymentResult> CompleteAuthenticationAsync(CompleteAuthenticationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = RequireAccount(request.Account);
        var id = request.Details.TryGetValue("cko-session-id", out var session) ? session : request.ProviderReference;
        var answer = await SendAsync("complete_authentication", request.PaymentId, HttpMethod.Get, account, $"/payments/{Uri.EscapeDataString(id)}",
            null, null, cancellationToken).ConfigureAwait(false);
        return answer.IsSuccess ? CheckoutComTransformers.ToPaymentResult(answer.Body, request.Capture) : HandleError(answer, request.ProviderReference);
    }

    /// <inheritdoc />
    public async Task<ProviderPaymentResult> CaptureAsync(CaptureRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = RequireAccount(request.Account);
        var answer = await SendAsync("capture", request.PaymentId, HttpMethod.Post, account, $"/payments/{Uri.EscapeDataString(request.ProviderReference)}/captures",
            CheckoutComTransformers.CaptureBody(request), request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        return answer.IsSuccess ? CheckoutComTransformers.ToActionResult(answer.Body, request.ProviderReference) : HandleError(answer, request.ProviderReference);
    }

    /// <inheritdoc />
    public async Task<ProviderPaymentResult> VoidAsync(VoidRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = RequireAccount(request.Account);
        var answer = await SendAsync("void", request.PaymentId, HttpMethod.Post, account, $"/payments/{Uri.EscapeDataString(request.ProviderReference)}/voids",
            CheckoutComTransformers.VoidBody(request), request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        return answer.IsSuccess ? CheckoutComTransformers.ToActionResult(answer.Body, request.ProviderReference) : HandleError(answer, request.ProviderReference);
    }

    /// <inheritdoc />
    public async Task<ProviderRefundResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = RequireAccount(request.Account);
        var answer = await SendAsync("refund", request.PaymentId, HttpMethod.Post, account, $"/payments/{Uri.EscapeDataString(request.ProviderReference)}/refunds",
            CheckoutComTransformers.RefundBody(request), request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        if (answer.IsSuccess)
        {
            return CheckoutComTransformers.ToRefundResult(answer.Body);
        }

        var declined = HandleError(answer, null);
        return new ProviderRefundResult { Outcome = ProviderOutcome.Declined, FailureReason = declined.RawStatus ?? declined.Message };
    }

    /// <inheritdoc />
    /// <remarks>
    /// With a reference: <c>GET /payments/{id}</c>. Without one (the answer to the create was lost), the payments with
    /// the gateway payment id as <c>reference</c> are listed and the one carrying this attempt's idempotency key in its
    /// metadata is taken; none yet is <see cref="ProviderOutcome.Pending"/>, never a failure.
    /// </remarks>
    public async Task<ProviderPaymentResult> SyncAsync(SyncRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = RequireAccount(request.Account);
        if (request.ProviderReference is { } reference)
        {
            var answer = await SendAsync("sync", request.PaymentId, HttpMethod.Get, account, $"/payments/{Uri.EscapeDataString(reference)}",
                null, null, cancellationToken).ConfigureAwait(false);
            return answer.IsSuccess ? CheckoutComTransformers.ToPaymentResult(answer.Body, capture: false) : HandleError(answer, reference);
        }

        var list = await SendAsync("sync", request.PaymentId, HttpMethod.Get, account, $"/payments?reference={Uri.EscapeDataString(request.PaymentId)}",
            null, null, cancellationToken).ConfigureAwait(false);
        if (!list.IsSuccess)
        {
            return HandleError(list, null);
        }

        if (list.Body.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
        {
            foreach (var payment in data.EnumerateArray())
            {
                var metadata = payment.TryGetProperty("metadata", out var m) ? m : default;
                if (CheckoutComTransformers.String(metadata, "gateway_idempotency_key") == request.IdempotencyKey)
                {
                    return CheckoutComTransformers.ToPaymentResult(payment, capture: false);
                }
            }
        }

        return new ProviderPaymentResult
        {
            Outcome = ProviderOutcome.Pending,
            Message = "Checkout.com has no payment for this attempt yet.",
            RawStatus = "not_found",
        };
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
            throw Rejected(request.Account, header is null ? "no Cko-Signature header" : "signature mismatch");
        }

        ProviderNotification notification;
        try
        {
            using var document = JsonDocument.Parse(request.Body);
            if (document.RootElement.ValueKind != JsonValueKind.Object || CheckoutComTransformers.String(document.RootElement, "type") is null)
            {
                throw Rejected(request.Account, "not an event");
            }

            notification = CheckoutComTransformers.ToNotification(document.RootElement) with { EventId = CheckoutComTransformers.String(document.RootElement, "id") };
        }
        catch (JsonException)
        {
            throw Rejected(request.Account, "the body is not JSON");
        }

        CheckoutComLog.WebhookAccepted(logger, notification.RawEventType, request.Account.Id);
        return Task.FromResult(new ProviderWebhookResult { Notifications = [notification] });
    }

    private ProviderWebhookRejectedException Rejected(ProviderAccount account, string reason)
    {
        CheckoutComLog.WebhookRejected(logger, account.Id, reason);
        return new ProviderWebhookRejectedException(Id, $"Checkout.com webhook rejected: {reason}.");
    }

    private static ProviderAccount RequireAccount(ProviderAccount? account) =>
        account ?? throw new ArgumentException("The Checkout.com provider needs a provider account with a secret_key credential.", nameof(account));

    /// <summary>Turns an error answer into a declined result, or throws when Checkout.com did not or may have processed it.</summary>
    private ProviderPaymentResult HandleError(CheckoutComAnswer answer, string? reference)
    {
        var error = CheckoutComTransformers.ParseError(answer.Body);
        var disposition = CheckoutComTransformers.ClassifyError(answer.StatusCode);
        if (disposition == CheckoutComErrorDisposition.Unavailable && answer.MayHaveProcessed)
        {
            // An earlier attempt of this call timed out or was cut: that one may have been processed.
            disposition = CheckoutComErrorDisposition.OutcomeUnknown;
        }

        var what = $"HTTP {answer.StatusCode} {error?.ErrorType ?? "unknown"}/{(error?.ErrorCodes.Count > 0 ? string.Join(",", error.ErrorCodes) : "-")}";
        switch (disposition)
        {
            case CheckoutComErrorDisposition.Declined:
                return CheckoutComTransformers.DeclinedFromError(answer.StatusCode, error, reference);
            case CheckoutComErrorDisposition.Unavailable:
                var unavailable = new ProviderUnavailableException(Id, $"Checkout.com did not process {answer.Operation}: {what}.");
                CheckoutComLog.Failed(logger, unavailable, answer.Operation, answer.PaymentId, "not processed");
                throw unavailable;
            default:
                var unknown = new ProviderOutcomeUnknownException(Id,
                    $"Checkout.com's outcome for {answer.Operation} is unknown: {what}. Reconcile with the same idempotency key.");
                CheckoutComLog.Failed(logger, unknown, answer.Operation, answer.PaymentId, "outcome unknown");
                throw unknown;
        }
    }

    private async Task<CheckoutComAnswer> SendAsync(string operation, string paymentId, HttpMethod method, ProviderAccount account, string pathAndQuery,
        byte[]? body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var baseUrl = (account.Setting("base_url") ?? DefaultBaseUrl).TrimEnd('/');
        using var request = new HttpRequestMessage(method, new Uri(baseUrl + pathAndQuery));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.Credential("secret_key").Reveal());
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation(IdempotencyHeader, idempotencyKey);
        }

        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        var answer = await ProviderHttpExchange.SendAsync(httpClientFactory.CreateClient(HttpClientName), request, Id, "Checkout.com", operation,
            (e, disposition) => CheckoutComLog.Failed(logger, e, operation, paymentId, disposition), cancellationToken).ConfigureAwait(false);
        CheckoutComLog.Answered(logger, operation, paymentId, answer.StatusCode, CheckoutComTransformers.String(answer.Body, "status"));
        return new CheckoutComAnswer(operation, paymentId, answer.StatusCode, answer.IsSuccess, answer.Body, answer.MayHaveProcessed);
    }

    private sealed record CheckoutComAnswer(string Operation, string PaymentId, int StatusCode, bool IsSuccess, JsonElement Body, bool MayHaveProcessed);
}
