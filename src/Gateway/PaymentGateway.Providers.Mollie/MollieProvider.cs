using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Mollie;

/// <summary>
/// The Mollie API v2 transport: builds each request (URL from the account's <c>base_url</c>, <c>Authorization: Bearer</c>
/// with the <c>api_key</c>, <c>Idempotency-Key</c> on every POST and DELETE, JSON body), sends it through the
/// <c>mollie</c> HTTP client and its resilience pipeline, and routes the answer to <see cref="MollieTransformers"/>.
/// Card payments go through Mollie's hosted checkout: authorize usually answers
/// <see cref="ProviderOutcome.RequiresAction"/> with the checkout URL. Webhooks are thin and unsigned; they are
/// confirmed by fetching the payment with the account's key (<see cref="HandleWebhookAsync"/>).
/// </summary>
public sealed class MollieProvider(IHttpClientFactory httpClientFactory, ILogger<MollieProvider> logger)
    : IPaymentProvider, IAuthorizeFlow, ICaptureFlow, IVoidFlow, IRefundFlow, ISyncFlow, IAuthenticationFlow, IWebhookFlow, IBankTransferProvider
{
    /// <summary>The provider id.</summary>
    public const string ProviderId = "mollie";

    /// <summary>The name of the HTTP client <see cref="MollieServiceCollectionExtensions.AddMollieProvider"/> registers.</summary>
    public const string HttpClientName = "PaymentGateway.Providers.Mollie";

    /// <summary>Mollie's API root (test or live is chosen by the key), used when the account sets no <c>base_url</c>.</summary>
    public const string DefaultBaseUrl = "https://api.mollie.com";

    /// <inheritdoc />
    public string Id => ProviderId;

    /// <inheritdoc />
    public ProviderCapabilities Capabilities { get; } = new()
    {
        PaymentMethodTypes = new HashSet<string>(StringComparer.Ordinal) { "card", "bank_transfer" },
        Currencies = MollieTransformers.SupportedCurrencies,
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
        var redirectUrl = request.ReturnUrl ?? account.Setting("return_url")
            ?? throw new InvalidOperationException($"Mollie needs a redirect URL: the payment has no return URL and provider account {account.Id} has no setting 'return_url'.");
        var body = MollieTransformers.PaymentRequestBody(request, redirectUrl, account.Setting("webhook_url"));
        var answer = await SendAsync("authorize", request.PaymentId, HttpMethod.Post, account, "/v2/payments", body, request.IdempotencyKey, cancellationToken)
            .ConfigureAwait(false);
        return answer.IsSuccess ? MollieTransformers.ToPaymentResult(answer.Body, MollieFlow.Payment) : HandleError(answer, null);
    }

    /// <inheritdoc />
    /// <remarks>Mollie finishes the card checkout itself; when the customer comes back the payment is read back.</remarks>
    public Task<ProviderPaymentResult> CompleteAuthenticationAsync(CompleteAuthenticationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return GetPaymentAsync("complete_authentication", request.PaymentId, RequireAccount(request.Account), request.ProviderReference, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ProviderPaymentResult> CaptureAsync(CaptureRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = RequireAccount(request.Account);
        var answer = await SendAsync("capture", request.PaymentId, HttpMethod.Post, account, $"/v2/payments/{Uri.EscapeDataString(request.ProviderReference)}/captures",
            MollieTransformers.CaptureBody(request), request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        return answer.IsSuccess ? MollieTransformers.ToCaptureResult(answer.Body, request.ProviderReference) : HandleError(answer, request.ProviderReference);
    }

    /// <inheritdoc />
    /// <remarks><c>DELETE /v2/payments/{id}</c> cancels the payment and releases an authorization; the answer is the canceled payment.</remarks>
    public async Task<ProviderPaymentResult> VoidAsync(VoidRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = RequireAccount(request.Account);
        var answer = await SendAsync("void", request.PaymentId, HttpMethod.Delete, account, $"/v2/payments/{Uri.EscapeDataString(request.ProviderReference)}",
            null, request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        return answer.IsSuccess ? MollieTransformers.ToPaymentResult(answer.Body, MollieFlow.Cancel) : HandleError(answer, request.ProviderReference);
    }

    /// <inheritdoc />
    public async Task<ProviderRefundResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = RequireAccount(request.Account);
        var answer = await SendAsync("refund", request.PaymentId, HttpMethod.Post, account, $"/v2/payments/{Uri.EscapeDataString(request.ProviderReference)}/refunds",
            MollieTransformers.RefundBody(request), request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        if (answer.IsSuccess)
        {
            return MollieTransformers.ToRefundResult(answer.Body);
        }

        var declined = HandleError(answer, null);
        return new ProviderRefundResult { Outcome = ProviderOutcome.Declined, FailureReason = declined.RawStatus ?? declined.Message };
    }

    /// <inheritdoc />
    /// <remarks>
    /// With a reference: <c>GET /v2/payments/{id}</c>. Mollie cannot look a payment up by metadata, so without a
    /// reference (the create answer was lost) the answer is <see cref="ProviderOutcome.Pending"/>: the payment's
    /// webhook, or the customer's return, brings the reference.
    /// </remarks>
    public Task<ProviderPaymentResult> SyncAsync(SyncRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = RequireAccount(request.Account);
        if (request.ProviderReference is { } reference)
        {
            return GetPaymentAsync("sync", request.PaymentId, account, reference, cancellationToken);
        }

        return Task.FromResult(new ProviderPaymentResult
        {
            Outcome = ProviderOutcome.Pending,
            Message = "Mollie payments cannot be looked up without their id; waiting for the webhook.",
            RawStatus = "no_reference",
        });
    }

    /// <inheritdoc />
    /// <remarks>
    /// The body (<c>id=tr_…</c>) is only a hint and carries no signature: the payment is fetched with the account's key
    /// and the notification built from what Mollie answers. An id that is malformed or that this account cannot fetch
    /// (404) is rejected; a Mollie outage throws, so the webhook is answered with an error and Mollie retries it.
    /// The answer is 200 with an empty body.
    /// </remarks>
    public async Task<ProviderWebhookResult> HandleWebhookAsync(ProviderWebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (MollieTransformers.WebhookPaymentId(request.Body.Span) is not { } id)
        {
            throw Rejected(request.Account, "no payment id in the body");
        }

        var answer = await SendAsync("webhook", id, HttpMethod.Get, request.Account, $"/v2/payments/{Uri.EscapeDataString(id)}?embed=refunds",
            null, null, cancellationToken).ConfigureAwait(false);
        if (answer.StatusCode is 404 or 410)
        {
            throw Rejected(request.Account, "the payment is unknown to this account");
        }

        if (!answer.IsSuccess)
        {
            // An outage throws (unavailable / unknown) so the webhook is answered with an error and Mollie retries it;
            // a refusal means the id is not a payment this account can read.
            HandleError(answer, id);
            throw Rejected(request.Account, $"fetching the payment answered HTTP {answer.StatusCode}");
        }

        var notifications = new List<ProviderNotification> { MollieTransformers.ToNotification(answer.Body) };
        notifications.AddRange(MollieTransformers.RefundNotifications(answer.Body));
        foreach (var notification in notifications)
        {
            MollieLog.WebhookAccepted(logger, notification.RawEventType, request.Account.Id);
        }

        return new ProviderWebhookResult { Notifications = notifications, ResponseBody = null };
    }

    /// <inheritdoc />
    /// <remarks>
    /// <c>POST /v2/payments</c> with <c>method: banktransfer</c> (and the attempt's <c>Idempotency-Key</c>). The answer
    /// is the <c>open</c> payment with Mollie's account and <c>transferReference</c> in <c>details</c> and its
    /// <c>expiresAt</c>. A refusal (4xx other than 401/403/429) is not a decline here: nothing was opened, so it is
    /// reported as <see cref="ProviderUnavailableException"/> and the next candidate may take the transfer.
    /// </remarks>
    public async Task<ProviderBankTransfer> CreateBankTransferAsync(CreateBankTransferRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = request.Account;
        var body = MollieTransformers.BankTransferRequestBody(request, request.ReturnUrl ?? account.Setting("return_url"), account.Setting("webhook_url"));
        var answer = await SendAsync("create_bank_transfer", request.PaymentId, HttpMethod.Post, account, "/v2/payments", body, request.IdempotencyKey, cancellationToken)
            .ConfigureAwait(false);
        return TransferOrThrow(answer, null);
    }

    /// <inheritdoc />
    public async Task<ProviderBankTransfer> GetBankTransferAsync(BankTransferStatusRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var answer = await SendAsync("get_bank_transfer", request.PaymentId, HttpMethod.Get, request.Account,
            $"/v2/payments/{Uri.EscapeDataString(request.ProviderReference)}", null, null, cancellationToken).ConfigureAwait(false);
        return TransferOrThrow(answer, request.ProviderReference);
    }

    private ProviderBankTransfer TransferOrThrow(MollieAnswer answer, string? reference)
    {
        if (answer.IsSuccess && MollieTransformers.ToBankTransfer(answer.Body) is { } transfer)
        {
            return transfer;
        }

        if (answer.IsSuccess)
        {
            var malformed = new ProviderOutcomeUnknownException(Id, $"Mollie answered {answer.Operation} without a payment id.");
            MollieLog.Failed(logger, malformed, answer.Operation, answer.PaymentId, "outcome unknown");
            throw malformed;
        }

        var declined = HandleError(answer, reference); // throws for outages and unknown outcomes
        var refused = new ProviderUnavailableException(Id, $"Mollie refused {answer.Operation}: {declined.Message}");
        MollieLog.Failed(logger, refused, answer.Operation, answer.PaymentId, "refused");
        throw refused;
    }

    private async Task<ProviderPaymentResult> GetPaymentAsync(string operation, string paymentId, ProviderAccount account, string reference,
        CancellationToken cancellationToken)
    {
        var answer = await SendAsync(operation, paymentId, HttpMethod.Get, account, $"/v2/payments/{Uri.EscapeDataString(reference)}", null, null, cancellationToken)
            .ConfigureAwait(false);
        return answer.IsSuccess ? MollieTransformers.ToPaymentResult(answer.Body, MollieFlow.Payment) : HandleError(answer, reference);
    }

    private ProviderWebhookRejectedException Rejected(ProviderAccount account, string reason)
    {
        MollieLog.WebhookRejected(logger, account.Id, reason);
        return new ProviderWebhookRejectedException(Id, $"Mollie webhook rejected: {reason}.");
    }

    private static ProviderAccount RequireAccount(ProviderAccount? account) =>
        account ?? throw new ArgumentException("The Mollie provider needs a provider account with an api_key credential.", nameof(account));

    /// <summary>Turns an error answer into a declined result, or throws when Mollie did not or may have processed it.</summary>
    private ProviderPaymentResult HandleError(MollieAnswer answer, string? reference)
    {
        var error = MollieTransformers.ParseError(answer.Body);
        var disposition = MollieTransformers.ClassifyError(answer.StatusCode);
        if (disposition == MollieErrorDisposition.Unavailable && answer.MayHaveProcessed)
        {
            // An earlier attempt of this call timed out or was cut: that one may have been processed.
            disposition = MollieErrorDisposition.OutcomeUnknown;
        }

        var what = $"HTTP {answer.StatusCode} {error?.Title ?? "unknown"}{(error?.Field is { } field ? " (" + field + ")" : string.Empty)}";
        switch (disposition)
        {
            case MollieErrorDisposition.Declined:
                return MollieTransformers.DeclinedFromError(answer.StatusCode, error, reference);
            case MollieErrorDisposition.Unavailable:
                var unavailable = new ProviderUnavailableException(Id, $"Mollie did not process {answer.Operation}: {what}.");
                MollieLog.Failed(logger, unavailable, answer.Operation, answer.PaymentId, "not processed");
                throw unavailable;
            default:
                var unknown = new ProviderOutcomeUnknownException(Id, $"Mollie's outcome for {answer.Operation} is unknown: {what}. Reconcile with the same idempotency key.");
                MollieLog.Failed(logger, unknown, answer.Operation, answer.PaymentId, "outcome unknown");
                throw unknown;
        }
    }

    private async Task<MollieAnswer> SendAsync(string operation, string paymentId, HttpMethod method, ProviderAccount account, string pathAndQuery,
        byte[]? body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var baseUrl = (account.Setting("base_url") ?? DefaultBaseUrl).TrimEnd('/');
        using var request = new HttpRequestMessage(method, new Uri(baseUrl + pathAndQuery));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.Credential("api_key").Reveal());
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        var answer = await ProviderHttpExchange.SendAsync(httpClientFactory.CreateClient(HttpClientName), request, Id, "Mollie", operation,
            (e, disposition) => MollieLog.Failed(logger, e, operation, paymentId, disposition), cancellationToken).ConfigureAwait(false);
        MollieLog.Answered(logger, operation, paymentId, answer.StatusCode, MollieTransformers.String(answer.Body, "status"));
        return new MollieAnswer(operation, paymentId, answer.StatusCode, answer.IsSuccess, answer.Body, answer.MayHaveProcessed);
    }

    private sealed record MollieAnswer(string Operation, string PaymentId, int StatusCode, bool IsSuccess, JsonElement Body, bool MayHaveProcessed);
}
