using System.Text.Json;
using Microsoft.Extensions.Options;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Stripe;

/// <summary>
/// The Stripe adapter: each flow names its PaymentIntents API path and form body (<see cref="StripeTransformers"/>) and
/// how to read the answer; <see cref="ProviderHttpClient{TTransport}"/> sends it as <see cref="StripeTransport"/>
/// describes. Stateless: the account comes with every call.
/// </summary>
public sealed class StripeProvider(ProviderHttpClient<StripeTransport> http, IOptionsMonitor<StripeProviderOptions> options, TimeProvider timeProvider)
    : IPaymentProvider, IAuthorizeFlow, ICaptureFlow, IVoidFlow, IRefundFlow, ISyncFlow, IAuthenticationFlow, IWebhookFlow, IProviderAccountValidation
{
    /// <summary>The provider id.</summary>
    public const string ProviderId = "stripe";

    /// <summary>
    /// The account setting that says whether Stripe enabled the account for raw card data (<c>true</c>/<c>false</c>,
    /// required): the gateway's vault sends card numbers, which Stripe refuses on accounts it has not enabled.
    /// </summary>
    public const string RawCardDataSetting = "raw_card_data_enabled";

    /// <inheritdoc />
    public string Id => ProviderId;

    /// <inheritdoc />
    public ProviderCapabilities Capabilities => ProviderCapabilities.CardProcessor;

    /// <inheritdoc />
    public Task<ProviderPaymentResult> AuthorizeAsync(AuthorizeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = http.RequireAccount(request.Account);
        var form = StripeTransformers.AuthorizeForm(request, request.ReturnUrl ?? account.Setting("return_url"));
        var call = ProviderHttpCall.Authorize(request, "/v1/payment_intents", form.ToHttpContent());
        if (request.ProviderPaymentMethod is null && request.Card is null)
        {
            throw http.NotSent(call, "the request has neither card data nor a Stripe payment method.");
        }

        if (request.ProviderPaymentMethod is null && account.Setting(RawCardDataSetting) != "true")
        {
            throw http.NotSent(call, $"provider account {account.Id} is not enabled for raw card data (settings[{RawCardDataSetting}] is not \"true\"), so Stripe would refuse the card number.");
        }

        return http.PaymentAsync(call, body => StripeTransformers.ToPaymentResult(body, StripeFlow.Payment), cancellationToken);
    }

    /// <inheritdoc />
    public Task<ProviderPaymentResult> CaptureAsync(CaptureRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = ProviderHttpCall.Capture(request, PaymentIntentPath(request.ProviderReference) + "/capture", StripeTransformers.CaptureForm(request).ToHttpContent());
        return http.PaymentAsync(call, body => StripeTransformers.ToPaymentResult(body, StripeFlow.Capture), cancellationToken);
    }

    /// <inheritdoc />
    public Task<ProviderPaymentResult> VoidAsync(VoidRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = ProviderHttpCall.Void(request, PaymentIntentPath(request.ProviderReference) + "/cancel", StripeTransformers.VoidForm(request).ToHttpContent());
        return http.PaymentAsync(call, body => StripeTransformers.ToPaymentResult(body, StripeFlow.Void), cancellationToken);
    }

    /// <inheritdoc />
    public Task<ProviderRefundResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = ProviderHttpCall.Refund(request, "/v1/refunds", StripeTransformers.RefundForm(request).ToHttpContent());
        return http.RefundAsync(call, StripeTransformers.ToRefundResult, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// With a reference: <c>GET /v1/payment_intents/{id}</c>. Without one (the answer to the create was lost), the
    /// PaymentIntent is searched by the attempt's idempotency key, which authorize stores in metadata. Stripe's search
    /// index lags by up to a minute, so "not found" is <see cref="ProviderOutcome.Pending"/>: ask again later.
    /// </remarks>
    public Task<ProviderPaymentResult> SyncAsync(SyncRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ProviderReference is { } reference)
        {
            return ReadPaymentIntentAsync("sync", request.PaymentId, request.Account, reference, cancellationToken);
        }

        var query = Uri.EscapeDataString(StripeTransformers.SyncSearchQuery(request.IdempotencyKey));
        var search = ProviderHttpCall.Get("sync", request.PaymentId, request.Account, $"/v1/payment_intents/search?query={query}", null);
        return http.SearchAsync(search, StripeTransformers.FirstSearchResult, pi => StripeTransformers.ToPaymentResult(pi, StripeFlow.Payment), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Stripe finishes 3-D Secure itself; after the redirect the PaymentIntent is read back. The one read is the
    /// payment's own PaymentIntent: the redirect's <c>payment_intent</c> is used only when no reference is stored (it
    /// comes from the customer's browser and could name another payment).
    /// </remarks>
    public Task<ProviderPaymentResult> CompleteAuthenticationAsync(CompleteAuthenticationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reference = request.ProviderReference.Length > 0 ? request.ProviderReference
            : request.Details.TryGetValue("payment_intent", out var fromRedirect) ? fromRedirect : request.ProviderReference;
        return ReadPaymentIntentAsync("complete_authentication", request.PaymentId, request.Account, reference, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The key's mode must be the account's (<c>sk_live_</c>/<c>rk_live_</c> for live, <c>sk_test_</c>/<c>rk_test_</c>
    /// for test), and <see cref="RawCardDataSetting"/> must say whether Stripe enabled raw card data.
    /// </remarks>
    public ProviderAccountProblem? ValidateAccount(ProviderAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (account.Credentials.TryGetValue("api_key", out var key))
        {
            var mode = account.Livemode ? "live" : "test";
            var value = key.Reveal();
            if (!value.StartsWith($"sk_{mode}_", StringComparison.Ordinal) && !value.StartsWith($"rk_{mode}_", StringComparison.Ordinal))
            {
                return new ProviderAccountProblem
                {
                    Parameter = "credentials[api_key]",
                    Message = $"A {mode}-mode Stripe account needs a {mode} key (sk_{mode}_… or rk_{mode}_…).",
                };
            }
        }

        return account.Setting(RawCardDataSetting) switch
        {
            "true" or "false" => null,
            null => new ProviderAccountProblem
            {
                Parameter = $"settings[{RawCardDataSetting}]",
                Message = $"settings[{RawCardDataSetting}] is required: \"true\" when Stripe enabled raw card data APIs on this account (the gateway sends card numbers from its vault), else \"false\" (tokenized payment methods only; see docs/providers.md).",
                Missing = true,
            },
            _ => new ProviderAccountProblem { Parameter = $"settings[{RawCardDataSetting}]", Message = $"settings[{RawCardDataSetting}] must be \"true\" or \"false\"." },
        };
    }

    /// <inheritdoc />
    public Task<ProviderWebhookResult> HandleWebhookAsync(ProviderWebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.FirstOrDefault(h => string.Equals(h.Key, "Stripe-Signature", StringComparison.OrdinalIgnoreCase)).Value;
        var secret = request.Account.Credential("webhook_secret").Reveal();
        var problem = StripeWebhookTransformers.VerifySignature(header, request.Body.Span, secret, timeProvider.GetUtcNow(), options.CurrentValue.WebhookTolerance);
        if (problem is not null)
        {
            throw http.WebhookRejected(request.Account, problem);
        }

        ProviderNotification notification;
        try
        {
            using var document = JsonDocument.Parse(request.Body);
            notification = StripeWebhookTransformers.ToNotification(document.RootElement) with { EventId = document.RootElement.String("id") };
        }
        catch (JsonException)
        {
            throw http.WebhookRejected(request.Account, "the body is not a JSON event");
        }

        return Task.FromResult(http.WebhookAccepted(request.Account, [notification]));
    }

    private Task<ProviderPaymentResult> ReadPaymentIntentAsync(string operation, string paymentId, ProviderAccount? account, string reference,
        CancellationToken cancellationToken) =>
        http.PaymentAsync(ProviderHttpCall.Get(operation, paymentId, account, PaymentIntentPath(reference), reference),
            body => StripeTransformers.ToPaymentResult(body, StripeFlow.Payment), cancellationToken);

    private static string PaymentIntentPath(string reference) => "/v1/payment_intents/" + Uri.EscapeDataString(reference);
}
