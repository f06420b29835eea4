using System.Text.Json;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Adyen;

/// <summary>
/// The Adyen Checkout v71 adapter: each flow names its path and JSON body (<see cref="AdyenTransformers"/>, with the
/// account's <c>merchant_account</c>) and how to read the answer; <see cref="ProviderHttpClient{TTransport}"/> sends it
/// as <see cref="AdyenTransport"/> describes. Captures, cancels and refunds are only acknowledged by Adyen; their
/// results arrive by webhook (<see cref="HandleWebhookAsync"/>).
/// </summary>
public sealed class AdyenProvider(ProviderHttpClient<AdyenTransport> http)
    : IPaymentProvider, IAuthorizeFlow, ICaptureFlow, IVoidFlow, IRefundFlow, ISyncFlow, IAuthenticationFlow, IWebhookFlow, IProviderAccountValidation
{
    /// <summary>The provider id.</summary>
    public const string ProviderId = "adyen";

    /// <summary>The account setting with the company's live URL prefix (<c>1797a841fbb37ca7-AdyenDemo</c>), required for live accounts.</summary>
    public const string LiveUrlPrefixSetting = "live_url_prefix";

    /// <summary>The body Adyen expects in answer to a notification.</summary>
    public const string AcceptedResponse = "[accepted]";

    /// <inheritdoc />
    public string Id => ProviderId;

    /// <inheritdoc />
    public ProviderCapabilities Capabilities => ProviderCapabilities.CardProcessor;

    /// <inheritdoc />
    public Task<ProviderPaymentResult> AuthorizeAsync(AuthorizeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = http.RequireAccount(request.Account);
        var returnUrl = request.ReturnUrl ?? account.Setting("return_url");
        if (returnUrl is null || request.Card is null)
        {
            var refused = ProviderHttpCall.Authorize(request, "/payments", ProviderJson.Content([]));
            throw http.NotSent(refused, returnUrl is null
                ? $"Adyen requires a returnUrl: the payment has none and provider account {account.Id} has no setting 'return_url'."
                : "the Adyen adapter sends card data and the request has none.");
        }

        var body = AdyenTransformers.PaymentRequestBody(request, MerchantAccount(account), returnUrl);
        return http.PaymentAsync(ProviderHttpCall.Authorize(request, "/payments", ProviderJson.Content(body)),
            answer => AdyenTransformers.ToPaymentResult(answer, request.Capture), cancellationToken);
    }

    /// <inheritdoc />
    public Task<ProviderPaymentResult> CompleteAuthenticationAsync(CompleteAuthenticationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = ProviderJson.Content(AdyenTransformers.PaymentDetailsBody(request));
        var call = ProviderHttpCall.Post("complete_authentication", request.PaymentId, request.Account, "/payments/details", body, null, request.ProviderReference);
        return http.PaymentAsync(call, answer => AdyenTransformers.ToPaymentResult(answer, request.Capture), cancellationToken);
    }

    /// <inheritdoc />
    public Task<ProviderPaymentResult> CaptureAsync(CaptureRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = AdyenTransformers.CaptureBody(request, MerchantAccount(http.RequireAccount(request.Account)));
        return http.PaymentAsync(ProviderHttpCall.Capture(request, ModificationPath(request.ProviderReference, "captures"), ProviderJson.Content(body)),
            answer => AdyenTransformers.ToModificationResult(answer, request.ProviderReference), cancellationToken);
    }

    /// <inheritdoc />
    public Task<ProviderPaymentResult> VoidAsync(VoidRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = AdyenTransformers.CancelBody(request, MerchantAccount(http.RequireAccount(request.Account)));
        return http.PaymentAsync(ProviderHttpCall.Void(request, ModificationPath(request.ProviderReference, "cancels"), ProviderJson.Content(body)),
            answer => AdyenTransformers.ToModificationResult(answer, request.ProviderReference), cancellationToken);
    }

    /// <inheritdoc />
    public Task<ProviderRefundResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = AdyenTransformers.RefundBody(request, MerchantAccount(http.RequireAccount(request.Account)));
        return http.RefundAsync(ProviderHttpCall.Refund(request, ModificationPath(request.ProviderReference, "refunds"), ProviderJson.Content(body)),
            AdyenTransformers.ToRefundResult, cancellationToken);
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
                throw http.WebhookRejected(request.Account, "no notificationItems");
            }

            foreach (var wrapper in items.EnumerateArray())
            {
                if (!wrapper.TryGetProperty("NotificationRequestItem", out var item) || item.ValueKind != JsonValueKind.Object)
                {
                    throw http.WebhookRejected(request.Account, "an item without NotificationRequestItem");
                }

                if (!AdyenNotifications.VerifyHmac(item, hmacKey))
                {
                    throw http.WebhookRejected(request.Account, "HMAC signature mismatch");
                }

                notifications.Add(AdyenNotifications.ToNotification(item));
            }
        }
        catch (JsonException)
        {
            throw http.WebhookRejected(request.Account, "the body is not JSON");
        }

        return Task.FromResult(http.WebhookAccepted(request.Account, notifications, AcceptedResponse));
    }

    /// <inheritdoc />
    /// <remarks>
    /// A live account needs its company's <see cref="LiveUrlPrefixSetting"/> (letters, digits and hyphens) unless a
    /// <c>base_url</c> points it elsewhere; a test account must not carry one (it would suggest live traffic).
    /// </remarks>
    public ProviderAccountProblem? ValidateAccount(ProviderAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        var prefix = account.Setting(LiveUrlPrefixSetting);
        const string parameter = "settings[" + LiveUrlPrefixSetting + "]";
        if (prefix is not null && (prefix.Length > 100 || !prefix.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') || !prefix.Contains('-', StringComparison.Ordinal)))
        {
            return new ProviderAccountProblem
            {
                Parameter = parameter,
                Message = "settings[live_url_prefix] must be the prefix Adyen shows under Developers → API URLs, e.g. 1797a841fbb37ca7-AdyenDemo (letters, digits, hyphens).",
            };
        }

        if (account.Livemode && prefix is null && account.Setting("base_url") is null)
        {
            return new ProviderAccountProblem
            {
                Parameter = parameter,
                Message = "A live Adyen account needs settings[live_url_prefix]: live requests go to https://{prefix}-checkout-live.adyenpayments.com/checkout/v71.",
                Missing = true,
            };
        }

        return !account.Livemode && prefix is not null
            ? new ProviderAccountProblem { Parameter = parameter, Message = "A test-mode Adyen account uses https://checkout-test.adyen.com; remove settings[live_url_prefix]." }
            : null;
    }

    private static string MerchantAccount(ProviderAccount account) =>
        account.Setting("merchant_account") ?? throw new InvalidOperationException($"Provider account {account.Id} has no setting 'merchant_account'.");

    private static string ModificationPath(string pspReference, string modification) => $"/payments/{Uri.EscapeDataString(pspReference)}/{modification}";
}
