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
    : IPaymentProvider, IAuthorizeFlow, ICaptureFlow, IVoidFlow, IRefundFlow, ISyncFlow, IAuthenticationFlow, IWebhookFlow, IProviderAccountValidation,
      IVerifyFlow, IDisputeFlow
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
    /// <remarks>
    /// Stored credentials through Adyen's tokens (<see cref="AdyenStoredCards"/>); a card saved elsewhere is charged with
    /// the series' network transaction id (<c>additionalData.networkTxReference</c>), which Adyen documents.
    /// </remarks>
    public ProviderCapabilities Capabilities { get; } = ProviderCapabilities.CardProcessor with { StoredCredentials = true, AcceptsNetworkTransactionIds = true };

    /// <inheritdoc />
    public Task<ProviderPaymentResult> AuthorizeAsync(AuthorizeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = http.RequireAccount(request.Account);
        var returnUrl = request.ReturnUrl ?? account.Setting("return_url");
        if (returnUrl is null || (request.Card is null && AdyenStoredCards.StoredPaymentMethodId(request.StoredCredential) is null))
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
    /// <remarks>
    /// A zero-value authorisation (<c>amount.value: 0</c>) that stores the card: Adyen's documented way to verify and
    /// tokenize without charging. <c>Authorised</c> is verified (the gateway reads it as done; nothing is held).
    /// </remarks>
    public Task<ProviderPaymentResult> VerifyAsync(VerifyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var authorize = new AuthorizeRequest
        {
            Account = request.Account,
            PaymentId = request.PaymentId,
            AttemptId = request.AttemptId,
            IdempotencyKey = request.IdempotencyKey,
            Amount = new Money(0, request.Currency),
            Capture = false,
            Card = request.Card,
            ReturnUrl = request.ReturnUrl,
            Description = request.Description,
            TestMode = request.TestMode,
            StoredCredential = request.StoredCredential,
        };
        var account = http.RequireAccount(request.Account);
        var returnUrl = request.ReturnUrl ?? account.Setting("return_url");
        var call = ProviderHttpCall.Post("verify", request.PaymentId, account, "/payments", null, request.IdempotencyKey, null);
        if (returnUrl is null)
        {
            throw http.NotSent(call, $"Adyen requires a returnUrl: the payment has none and provider account {account.Id} has no setting 'return_url'.");
        }

        var body = AdyenTransformers.PaymentRequestBody(authorize, MerchantAccount(account), returnUrl, zeroAuth: true);
        return http.PaymentAsync(call with { Content = ProviderJson.Content(body) }, answer => AdyenTransformers.ToPaymentResult(answer, capture: false), cancellationToken);
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
        var disputes = new List<DisputeNotification>();
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
                if (AdyenDisputes.ToNotification(item) is { } dispute)
                {
                    disputes.Add(dispute);
                }
            }
        }
        catch (JsonException)
        {
            throw http.WebhookRejected(request.Account, "the body is not JSON");
        }

        return Task.FromResult(http.WebhookAccepted(request.Account, notifications, AcceptedResponse) with { Disputes = disputes });
    }

    /// <inheritdoc />
    /// <remarks>
    /// Adyen's Disputes API (<see cref="AdyenDisputes"/>): <c>retrieveApplicableDefenseReasons</c>, then
    /// <c>supplyDefenseDocument</c> with the evidence files (base64) under the chosen reason's document types, then
    /// <c>defendDispute</c>. Adyen takes documents, not text: the text fields stay in the gateway. A
    /// <c>disputeServiceResult.success: false</c> is Adyen's refusal (<see cref="DisputeResponseOutcome.Rejected"/>).
    /// </remarks>
    public async Task<DisputeResponseResult> SubmitEvidenceAsync(SubmitDisputeEvidenceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (account, merchantAccount) = DisputesAccount(request.Account);
        var reasons = await DisputeCallAsync("dispute_defense_reasons", request.DisputeId, account, "/retrieveApplicableDefenseReasons",
            AdyenDisputes.DisputeBody(request.ProviderDisputeId, merchantAccount), null, cancellationToken).ConfigureAwait(false);
        if (reasons.Refusal is { } noReasons)
        {
            return noReasons;
        }

        if (AdyenDisputes.ChooseDefense(AdyenDisputes.DefenseReasons(reasons.Body), request.Documents) is not { } defense)
        {
            return new DisputeResponseResult { Outcome = DisputeResponseOutcome.Rejected, Message = "Adyen lists no applicable defense reason for this dispute." };
        }

        if (defense.Documents.Count > 0)
        {
            var supplied = await DisputeCallAsync("dispute_documents", request.DisputeId, account, "/supplyDefenseDocument",
                AdyenDisputes.SupplyDocumentsBody(request.ProviderDisputeId, merchantAccount, defense.Documents), request.IdempotencyKey + ":documents", cancellationToken).ConfigureAwait(false);
            if (supplied.Refusal is { } refused)
            {
                return refused;
            }
        }

        var defended = await DisputeCallAsync("dispute_submit", request.DisputeId, account, "/defendDispute",
            AdyenDisputes.DefendBody(request.ProviderDisputeId, merchantAccount, defense.Reason), request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        return defended.Refusal ?? new DisputeResponseResult { Outcome = DisputeResponseOutcome.Accepted };
    }

    /// <inheritdoc />
    /// <remarks>Adyen's Disputes API <c>acceptDispute</c>.</remarks>
    public async Task<DisputeResponseResult> AcceptDisputeAsync(AcceptDisputeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (account, merchantAccount) = DisputesAccount(request.Account);
        var accepted = await DisputeCallAsync("dispute_accept", request.DisputeId, account, "/acceptDispute",
            AdyenDisputes.DisputeBody(request.ProviderDisputeId, merchantAccount), request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        return accepted.Refusal ?? new DisputeResponseResult { Outcome = DisputeResponseOutcome.Accepted };
    }

    /// <summary>The account pointed at its Disputes API root, and its merchant account.</summary>
    private (ProviderAccount Account, string MerchantAccount) DisputesAccount(ProviderAccount? account)
    {
        var found = http.RequireAccount(account);
        return (found with { Settings = new Dictionary<string, string>(found.Settings) { ["base_url"] = AdyenDisputes.DisputesBaseUrl(found) } }, MerchantAccount(found));
    }

    /// <summary>One Disputes API call: the answer's body, or Adyen's refusal (an error answer that is its word, or <c>success: false</c>); anything else throws as unknown.</summary>
    private async Task<(JsonElement Body, DisputeResponseResult? Refusal)> DisputeCallAsync(string operation, string disputeId, ProviderAccount account, string path, byte[] body,
        string? idempotencyKey, CancellationToken cancellationToken)
    {
        var answer = await http.SendAsync(ProviderHttpCall.Post(operation, disputeId, account, path, ProviderJson.Content(body), idempotencyKey, null), cancellationToken).ConfigureAwait(false);
        if (!answer.IsSuccess)
        {
            var declined = http.DeclinedOrThrow(answer);
            return (answer.Body, new DisputeResponseResult { Outcome = DisputeResponseOutcome.Rejected, Message = declined.Message ?? declined.RawStatus });
        }

        var (success, message) = AdyenDisputes.ServiceResult(answer.Body);
        return success
            ? (answer.Body, null)
            : (answer.Body, new DisputeResponseResult { Outcome = DisputeResponseOutcome.Rejected, Message = message ?? "Adyen refused it." });
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
