using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Adyen;

/// <summary>
/// The Adyen Checkout v71 transport: builds each request (URL from the account's <c>base_url</c>, <c>X-API-Key</c>,
/// <c>Idempotency-Key</c>, JSON body with the account's <c>merchant_account</c>), sends it through the <c>adyen</c>
/// HTTP client and its resilience pipeline, and routes the answer to <see cref="AdyenTransformers"/>. Captures,
/// cancels and refunds are only acknowledged by Adyen; their results arrive by webhook (<see cref="HandleWebhookAsync"/>).
/// </summary>
public sealed class AdyenProvider(IHttpClientFactory httpClientFactory, ILogger<AdyenProvider> logger)
    : IPaymentProvider, IAuthorizeFlow, ICaptureFlow, IVoidFlow, IRefundFlow, ISyncFlow, IAuthenticationFlow, IWebhookFlow
{
    /// <summary>The provider id.</summary>
    public const string ProviderId = "adyen";

    /// <summary>The name of the HTTP client <see cref="AdyenServiceCollectionExtensions.AddAdyenProvider"/> registers.</summary>
    public const string HttpClientName = "PaymentGateway.Providers.Adyen";

    /// <summary>Adyen's test Checkout endpoint, used when the account sets no <c>base_url</c>.</summary>
    public const string DefaultBaseUrl = "https://checkout-test.adyen.com/v71";

    /// <summary>The body Adyen expects in answer to a notification.</summary>
    public const string AcceptedResponse = "[accepted]";

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
        var body = AdyenTransformers.PaymentRequestBody(request, MerchantAccount(account), account.Setting("return_url"));
        var answer = await SendAsync("authorize", request.PaymentId, account, "/payments", body, request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        return answer.IsSuccess ? AdyenTransformers.ToPaymentResult(answer.Body, request.Capture) : HandleError(answer, null);
    }

    /// <inheritdoc />
    public async Task<ProviderPaymentResult> CompleteAuthenticationAsync(CompleteAuthenticationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = RequireAccount(request.Account);
        var answer = await SendAsync("complete_authentication", request.PaymentId, account, "/payments/details",
            AdyenTransformers.PaymentDetailsBody(request), null, cancellationToken).ConfigureAwait(false);
        return answer.IsSuccess ? AdyenTransformers.ToPaymentResult(answer.Body, request.Capture) : HandleError(answer, request.ProviderReference);
    }

    /// <inheritdoc />
    public async Task<ProviderPaymentResult> CaptureAsync(CaptureRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = RequireAccount(request.Account);
        var answer = await SendAsync("capture", request.PaymentId, account, $"/payments/{Uri.EscapeDataString(request.ProviderReference)}/captures",
            AdyenTransformers.CaptureBody(request, MerchantAccount(account)), request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        return answer.IsSuccess ? AdyenTransformers.ToModificationResult(answer.Body, request.ProviderReference) : HandleError(answer, request.ProviderReference);
    }

    /// <inheritdoc />
    public async Task<ProviderPaymentResult> VoidAsync(VoidRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = RequireAccount(request.Account);
        var answer = await SendAsync("void", request.PaymentId, account, $"/payments/{Uri.EscapeDataString(request.ProviderReference)}/cancels",
            AdyenTransformers.CancelBody(request, MerchantAccount(account)), request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        return answer.IsSuccess ? AdyenTransformers.ToModificationResult(answer.Body, request.ProviderReference) : HandleError(answer, request.ProviderReference);
    }

    /// <inheritdoc />
    public async Task<ProviderRefundResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = RequireAccount(request.Account);
        var answer = await SendAsync("refund", request.PaymentId, account, $"/payments/{Uri.EscapeDataString(request.ProviderReference)}/refunds",
            AdyenTransformers.RefundBody(request, MerchantAccount(account)), request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        if (answer.IsSuccess)
        {
            return AdyenTransformers.ToRefundResult(answer.Body);
        }

        var declined = HandleError(answer, null);
        return new ProviderRefundResult { Outcome = ProviderOutcome.Declined, FailureReason = declined.RawStatus ?? declined.Message };
    }

    /// <inheritdoc />
    /// <remarks>
    /// Checkout v71 has no endpoint that reads a payment's state: Adyen reports every final outcome with a
    /// notification. Sync therefore answers <see cref="ProviderOutcome.Pending"/> (never success): the reconciler
    /// keeps the attempt open until the AUTHORISATION notification arrives.
    /// </remarks>
    public Task<ProviderPaymentResult> SyncAsync(SyncRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Task.FromResult(new ProviderPaymentResult
        {
            Outcome = ProviderOutcome.Pending,
            ProviderReference = request.ProviderReference,
            Message = "Adyen reports outcomes by notification; waiting for it.",
            RawStatus = "awaiting_notification",
        });
    }

    /// <inheritdoc />
    /// <remarks>Every item must carry a valid HMAC signature; one bad item rejects the whole batch (Adyen retries it).</remarks>
    public Task<ProviderWebhookResult> HandleWebhookAsync(ProviderWebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var hmacKey = request.Account.Credential("hmac_key").Reveal();
        var notifications = new List<ProviderNotification>();
        try
        {
            using var document = JsonDocument.Parse(request.Body);
            if (!document.RootElement.TryGetProperty("notificationItems", out var items) || items.ValueKind != JsonValueKind.Array)
            {
                throw Rejected(request.Account, "no notificationItems");
            }

            foreach (var wrapper in items.EnumerateArray())
            {
                if (!wrapper.TryGetProperty("NotificationRequestItem", out var item) || item.ValueKind != JsonValueKind.Object)
                {
                    throw Rejected(request.Account, "an item without NotificationRequestItem");
                }

                if (!AdyenTransformers.VerifyHmac(item, hmacKey))
                {
                    throw Rejected(request.Account, "HMAC signature mismatch");
                }

                notifications.Add(AdyenTransformers.ToNotification(item));
            }
        }
        catch (JsonException)
        {
            throw Rejected(request.Account, "the body is not JSON");
        }

        foreach (var notification in notifications)
        {
            AdyenLog.WebhookAccepted(logger, notification.RawEventType, request.Account.Id);
        }

        return Task.FromResult(new ProviderWebhookResult { Notifications = notifications, ResponseBody = AcceptedResponse });
    }

    private ProviderWebhookRejectedException Rejected(ProviderAccount account, string reason)
    {
        AdyenLog.WebhookRejected(logger, account.Id, reason);
        return new ProviderWebhookRejectedException(Id, $"Adyen notification rejected: {reason}.");
    }

    private static ProviderAccount RequireAccount(ProviderAccount? account) =>
        account ?? throw new ArgumentException("The Adyen provider needs a provider account with an api_key credential and a merchant_account setting.", nameof(account));

    private static string MerchantAccount(ProviderAccount account) =>
        account.Setting("merchant_account") ?? throw new InvalidOperationException($"Provider account {account.Id} has no setting 'merchant_account'.");

    /// <summary>Turns an error answer into a declined result, or throws when Adyen did not or may have processed it.</summary>
    private ProviderPaymentResult HandleError(AdyenAnswer answer, string? reference)
    {
        var error = AdyenTransformers.ParseError(answer.Body);
        var disposition = AdyenTransformers.ClassifyError(answer.StatusCode, error);
        if (disposition == AdyenErrorDisposition.Unavailable && answer.MayHaveProcessed)
        {
            disposition = AdyenErrorDisposition.OutcomeUnknown;
        }

        var what = $"HTTP {answer.StatusCode} {error?.ErrorType ?? "unknown"}/{error?.ErrorCode ?? "-"}";
        switch (disposition)
        {
            case AdyenErrorDisposition.Declined:
                return AdyenTransformers.DeclinedFromError(error, reference);
            case AdyenErrorDisposition.Unavailable:
                var unavailable = new ProviderUnavailableException(Id, $"Adyen did not process {answer.Operation}: {what}.");
                AdyenLog.Failed(logger, unavailable, answer.Operation, answer.PaymentId, "not processed");
                throw unavailable;
            default:
                var unknown = new ProviderOutcomeUnknownException(Id, $"Adyen's outcome for {answer.Operation} is unknown: {what}. Reconcile with the same idempotency key.");
                AdyenLog.Failed(logger, unknown, answer.Operation, answer.PaymentId, "outcome unknown");
                throw unknown;
        }
    }

    private async Task<AdyenAnswer> SendAsync(string operation, string paymentId, ProviderAccount account, string path, byte[] body,
        string? idempotencyKey, CancellationToken cancellationToken)
    {
        var baseUrl = (account.Setting("base_url") ?? DefaultBaseUrl).TrimEnd('/');
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl + path));
        request.Headers.TryAddWithoutValidation("X-API-Key", account.Credential("api_key").Reveal());
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", AdyenTransformers.IdempotencyKey(idempotencyKey));
        }

        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var answer = await ProviderHttpExchange.SendAsync(httpClientFactory.CreateClient(HttpClientName), request, Id, "Adyen", operation,
            (e, disposition) => AdyenLog.Failed(logger, e, operation, paymentId, disposition), cancellationToken).ConfigureAwait(false);
        AdyenLog.Answered(logger, operation, paymentId, answer.StatusCode,
            AdyenTransformers.String(answer.Body, "resultCode") ?? AdyenTransformers.String(answer.Body, "status"));
        return new AdyenAnswer(operation, paymentId, answer.StatusCode, answer.IsSuccess, answer.Body, answer.MayHaveProcessed);
    }

    private sealed record AdyenAnswer(string Operation, string PaymentId, int StatusCode, bool IsSuccess, JsonElement Body, bool MayHaveProcessed);
}
