using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Stripe;

/// <summary>
/// The Stripe transport: builds each request (URL from the account's <c>base_url</c>, Bearer <c>api_key</c>,
/// <c>Idempotency-Key</c>, form body), sends it through the <c>stripe</c> HTTP client and its resilience pipeline,
/// and routes the answer to <see cref="StripeTransformers"/>. Stateless: the account comes with every call.
/// </summary>
public sealed class StripeProvider(
    IHttpClientFactory httpClientFactory,
    IOptionsMonitor<StripeProviderOptions> options,
    ILogger<StripeProvider> logger,
    TimeProvider timeProvider)
    : IPaymentProvider, IAuthorizeFlow, ICaptureFlow, IVoidFlow, IRefundFlow, ISyncFlow, IAuthenticationFlow, IWebhookFlow
{
    /// <summary>The provider id.</summary>
    public const string ProviderId = "stripe";

    /// <summary>The name of the HTTP client <see cref="StripeServiceCollectionExtensions.AddStripeProvider"/> registers.</summary>
    public const string HttpClientName = "PaymentGateway.Providers.Stripe";

    /// <summary>Stripe's API root, used when the account sets no <c>base_url</c>.</summary>
    public const string DefaultBaseUrl = "https://api.stripe.com";

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
        var form = StripeTransformers.AuthorizeForm(request);
        var answer = await SendAsync("authorize", request.PaymentId, HttpMethod.Post, request.Account, "/v1/payment_intents", form,
            request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        return ToPaymentResult(answer, StripeFlow.Payment, null);
    }

    /// <inheritdoc />
    public async Task<ProviderPaymentResult> CaptureAsync(CaptureRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var answer = await SendAsync("capture", request.PaymentId, HttpMethod.Post, request.Account,
            $"/v1/payment_intents/{Uri.EscapeDataString(request.ProviderReference)}/capture", StripeTransformers.CaptureForm(request),
            request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        return ToPaymentResult(answer, StripeFlow.Capture, request.ProviderReference);
    }

    /// <inheritdoc />
    public async Task<ProviderPaymentResult> VoidAsync(VoidRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var answer = await SendAsync("void", request.PaymentId, HttpMethod.Post, request.Account,
            $"/v1/payment_intents/{Uri.EscapeDataString(request.ProviderReference)}/cancel", StripeTransformers.VoidForm(request),
            request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        return ToPaymentResult(answer, StripeFlow.Void, request.ProviderReference);
    }

    /// <inheritdoc />
    public async Task<ProviderRefundResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var answer = await SendAsync("refund", request.PaymentId, HttpMethod.Post, request.Account, "/v1/refunds",
            StripeTransformers.RefundForm(request), request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        if (answer.IsSuccess)
        {
            return StripeTransformers.ToRefundResult(answer.Body);
        }

        var declined = HandleError(answer, request.PaymentId, "refund", null);
        return new ProviderRefundResult { Outcome = ProviderOutcome.Declined, FailureReason = declined.RawStatus ?? declined.Message };
    }

    /// <inheritdoc />
    /// <remarks>
    /// With a reference: <c>GET /v1/payment_intents/{id}</c>. Without one (the answer to the create was lost), the
    /// PaymentIntent is searched by the attempt's idempotency key, which authorize stores in metadata. Stripe's search
    /// index lags by up to a minute, so "not found" is <see cref="ProviderOutcome.Pending"/>: ask again later.
    /// </remarks>
    public async Task<ProviderPaymentResult> SyncAsync(SyncRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ProviderReference is { } reference)
        {
            var answer = await SendAsync("sync", request.PaymentId, HttpMethod.Get, request.Account,
                $"/v1/payment_intents/{Uri.EscapeDataString(reference)}", null, null, cancellationToken).ConfigureAwait(false);
            return ToPaymentResult(answer, StripeFlow.Payment, reference);
        }

        var query = Uri.EscapeDataString(StripeTransformers.SyncSearchQuery(request.IdempotencyKey));
        var search = await SendAsync("sync", request.PaymentId, HttpMethod.Get, request.Account,
            $"/v1/payment_intents/search?query={query}", null, null, cancellationToken).ConfigureAwait(false);
        if (!search.IsSuccess)
        {
            return HandleError(search, request.PaymentId, "sync", null);
        }

        if (search.Body.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array && data.GetArrayLength() > 0)
        {
            return StripeTransformers.ToPaymentResult(data[0], StripeFlow.Payment);
        }

        return new ProviderPaymentResult
        {
            Outcome = ProviderOutcome.Pending,
            Message = "Stripe has no PaymentIntent for this attempt yet.",
            RawStatus = "not_found",
        };
    }

    /// <inheritdoc />
    /// <remarks>Stripe finishes 3-D Secure itself; after the redirect the PaymentIntent is read back.</remarks>
    public async Task<ProviderPaymentResult> CompleteAuthenticationAsync(CompleteAuthenticationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reference = request.Details.TryGetValue("payment_intent", out var fromRedirect) ? fromRedirect : request.ProviderReference;
        var answer = await SendAsync("complete_authentication", request.PaymentId, HttpMethod.Get, request.Account,
            $"/v1/payment_intents/{Uri.EscapeDataString(reference)}", null, null, cancellationToken).ConfigureAwait(false);
        return ToPaymentResult(answer, StripeFlow.Payment, reference);
    }

    /// <inheritdoc />
    public Task<ProviderWebhookResult> HandleWebhookAsync(ProviderWebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.FirstOrDefault(h => string.Equals(h.Key, "Stripe-Signature", StringComparison.OrdinalIgnoreCase)).Value;
        var secret = request.Account.Credential("webhook_secret").Reveal();
        var problem = StripeTransformers.VerifySignature(header, request.Body.Span, secret, timeProvider.GetUtcNow(), options.CurrentValue.WebhookTolerance);
        if (problem is not null)
        {
            StripeLog.WebhookRejected(logger, request.Account.Id, problem);
            throw new ProviderWebhookRejectedException(Id, $"Stripe webhook rejected: {problem}.");
        }

        ProviderNotification notification;
        try
        {
            using var document = JsonDocument.Parse(request.Body);
            notification = StripeTransformers.ToNotification(document.RootElement) with { EventId = StripeTransformers.String(document.RootElement, "id") };
        }
        catch (JsonException)
        {
            StripeLog.WebhookRejected(logger, request.Account.Id, "unreadable body");
            throw new ProviderWebhookRejectedException(Id, "Stripe webhook rejected: the body is not a JSON event.");
        }

        StripeLog.WebhookAccepted(logger, notification.RawEventType, request.Account.Id);
        return Task.FromResult(new ProviderWebhookResult { Notifications = [notification] });
    }

    private ProviderPaymentResult ToPaymentResult(StripeAnswer answer, StripeFlow flow, string? reference) =>
        answer.IsSuccess ? StripeTransformers.ToPaymentResult(answer.Body, flow) : HandleError(answer, answer.PaymentId, answer.Operation, reference);

    /// <summary>Turns an error answer into a declined result, or throws when Stripe did not or may have processed it.</summary>
    private ProviderPaymentResult HandleError(StripeAnswer answer, string paymentId, string operation, string? reference)
    {
        var error = StripeTransformers.ParseError(answer.Body);
        var disposition = StripeTransformers.ClassifyError(answer.StatusCode, error);
        if (disposition == StripeErrorDisposition.Unavailable && answer.MayHaveProcessed)
        {
            // An earlier attempt of this call timed out or was cut: that one may have been processed.
            disposition = StripeErrorDisposition.OutcomeUnknown;
        }

        var what = $"HTTP {answer.StatusCode} {error?.Type ?? "unknown_error"}{(error?.Code is { } code ? "/" + code : string.Empty)}";
        switch (disposition)
        {
            case StripeErrorDisposition.Declined:
                return StripeTransformers.DeclinedFromError(answer.StatusCode, error, reference);
            case StripeErrorDisposition.Unavailable:
                var unavailable = new ProviderUnavailableException(Id, $"Stripe did not process {operation}: {what}.");
                StripeLog.Failed(logger, unavailable, operation, paymentId, "not processed");
                throw unavailable;
            default:
                var unknown = new ProviderOutcomeUnknownException(Id, $"Stripe's outcome for {operation} is unknown: {what}. Reconcile with the same idempotency key.");
                StripeLog.Failed(logger, unknown, operation, paymentId, "outcome unknown");
                throw unknown;
        }
    }

    private async Task<StripeAnswer> SendAsync(string operation, string paymentId, HttpMethod method, ProviderAccount? account,
        string pathAndQuery, StripeForm? form, string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (account is null)
        {
            throw new ArgumentException("The Stripe provider needs a provider account with an api_key credential.", nameof(account));
        }

        var baseUrl = (account.Setting("base_url") ?? DefaultBaseUrl).TrimEnd('/');
        using var request = new HttpRequestMessage(method, new Uri(baseUrl + pathAndQuery));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.Credential("api_key").Reveal());
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        if (form is not null)
        {
            request.Content = form.ToHttpContent();
        }

        var answer = await ProviderHttpExchange.SendAsync(httpClientFactory.CreateClient(HttpClientName), request, Id, "Stripe", operation,
            (e, disposition) => StripeLog.Failed(logger, e, operation, paymentId, disposition), cancellationToken).ConfigureAwait(false);
        StripeLog.Answered(logger, operation, paymentId, answer.StatusCode, StripeTransformers.String(answer.Body, "status"));
        return new StripeAnswer(operation, paymentId, answer.StatusCode, answer.IsSuccess, answer.Body, answer.MayHaveProcessed);
    }

    private sealed record StripeAnswer(string Operation, string PaymentId, int StatusCode, bool IsSuccess, JsonElement Body, bool MayHaveProcessed);
}
