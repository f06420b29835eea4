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
    : IPaymentProvider, IAuthorizeFlow, ICaptureFlow, IVoidFlow, IRefundFlow, ISyncFlow, IAuthenticationFlow, IWebhookFlow, IProviderAccountValidation,
      IVerifyFlow, IDisputeFlow, IDisputeSyncFlow
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
    /// <remarks>
    /// Stored credentials: cards are saved on Stripe Customers (<see cref="StripeStoredCards"/>). Stripe does not take a
    /// network transaction id from a series started elsewhere on the PaymentIntents API, so a card saved through another
    /// account is not charged off session here.
    /// </remarks>
    public ProviderCapabilities Capabilities { get; } = ProviderCapabilities.CardProcessor with { StoredCredentials = true };

    /// <inheritdoc />
    public async Task<ProviderPaymentResult> AuthorizeAsync(AuthorizeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = http.RequireAccount(request.Account);
        var savedAtStripe = StripeStoredCards.SavedPaymentMethod(request.StoredCredential) is not null;
        var probe = ProviderHttpCall.Post("authorize", request.PaymentId, account, "/v1/payment_intents", null, request.IdempotencyKey, null);
        if (!savedAtStripe && request.ProviderPaymentMethod is null && request.Card is null)
        {
            throw http.NotSent(probe, "the request has neither card data nor a Stripe payment method.");
        }

        if (!savedAtStripe && request.ProviderPaymentMethod is null && account.Setting(RawCardDataSetting) != "true")
        {
            throw http.NotSent(probe, $"provider account {account.Id} is not enabled for raw card data (settings[{RawCardDataSetting}] is not \"true\"), so Stripe would refuse the card number.");
        }

        var customer = StripeStoredCards.SavesCard(request.StoredCredential)
            ? await CreateCustomerAsync(request.PaymentId, account, request.StoredCredential, request.IdempotencyKey, cancellationToken).ConfigureAwait(false)
            : null;
        var form = StripeTransformers.AuthorizeForm(request, request.ReturnUrl ?? account.Setting("return_url"), customer);
        var call = ProviderHttpCall.Authorize(request, "/v1/payment_intents", form.ToHttpContent());
        return await http.PaymentAsync(call, body => StripeTransformers.ToPaymentResult(body, StripeFlow.Payment), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Setup mode is Stripe's SetupIntent: a Customer is created for the card, then <c>POST /v1/setup_intents</c> confirms
    /// the vault's card on it (3-D Secure by redirect when the issuer asks). Nothing is charged.
    /// </remarks>
    public async Task<ProviderPaymentResult> VerifyAsync(VerifyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = http.RequireAccount(request.Account);
        var probe = ProviderHttpCall.Post("verify", request.PaymentId, account, "/v1/setup_intents", null, request.IdempotencyKey, null);
        if (account.Setting(RawCardDataSetting) != "true")
        {
            throw http.NotSent(probe, $"provider account {account.Id} is not enabled for raw card data (settings[{RawCardDataSetting}] is not \"true\"), so Stripe would refuse the card number.");
        }

        var customer = await CreateCustomerAsync(request.PaymentId, account, request.StoredCredential, request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        var form = StripeStoredCards.SetupIntentForm(request, request.ReturnUrl ?? account.Setting("return_url"), customer);
        return await http.PaymentAsync(probe with { Content = form.ToHttpContent() }, StripeStoredCards.ToSetupResult, cancellationToken).ConfigureAwait(false);
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
            return ReadIntentAsync("sync", request.PaymentId, request.Account, reference, cancellationToken);
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
        return ReadIntentAsync("complete_authentication", request.PaymentId, request.Account, reference, cancellationToken);
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
        DisputeNotification? dispute;
        try
        {
            using var document = JsonDocument.Parse(request.Body);
            notification = StripeWebhookTransformers.ToNotification(document.RootElement) with { EventId = document.RootElement.String("id") };
            dispute = StripeDisputeTransformers.ToNotification(document.RootElement);
        }
        catch (JsonException)
        {
            throw http.WebhookRejected(request.Account, "the body is not a JSON event");
        }

        return Task.FromResult(http.WebhookAccepted(request.Account, [notification]) with { Disputes = dispute is null ? [] : [dispute] });
    }

    /// <inheritdoc />
    /// <remarks>
    /// Each document is uploaded to Stripe's Files API (<c>POST /v1/files</c>, multipart, <c>purpose=dispute_evidence</c>,
    /// on <c>files.stripe.com</c> unless the account has a <c>base_url</c>), each keyed by the submission's key and its
    /// position; then <c>POST /v1/disputes/{id}</c> sends the text fields and the file ids with <c>submit=true</c>. A
    /// refusal (400: the dispute is closed, past due, a field is invalid) is <see cref="DisputeResponseOutcome.Rejected"/>.
    /// </remarks>
    public async Task<DisputeResponseResult> SubmitEvidenceAsync(SubmitDisputeEvidenceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = http.RequireAccount(request.Account);
        var files = new List<(string Field, string FileId)>();
        var filesAccount = account.Setting("base_url") is null
            ? account with { Settings = new Dictionary<string, string>(account.Settings) { ["base_url"] = FilesBaseUrl } }
            : account;
        for (var i = 0; i < request.Documents.Count; i++)
        {
            var document = request.Documents[i];
            var upload = new MultipartFormDataContent { { new StringContent("dispute_evidence"), "purpose" } };
            var file = new ReadOnlyMemoryContent(document.Content);
            file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(document.ContentType);
            upload.Add(file, "file", document.FileName);
            var call = ProviderHttpCall.Post("dispute_file", request.DisputeId, filesAccount, "/v1/files", upload, $"{request.IdempotencyKey}:file:{i}", null);
            var answer = await http.SendAsync(call, cancellationToken).ConfigureAwait(false);
            if (!answer.IsSuccess || answer.Body.String("id") is not { } fileId)
            {
                return Refused(answer);
            }

            files.Add((document.Field, fileId));
        }

        var form = StripeDisputeTransformers.EvidenceForm(request, files);
        return await DisputeCallAsync(ProviderHttpCall.Post("dispute_submit", request.DisputeId, account, DisputePath(request.ProviderDisputeId),
            form.ToHttpContent(), request.IdempotencyKey, request.ProviderDisputeId), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks><c>POST /v1/disputes/{id}/close</c>: the merchant concedes; Stripe marks the dispute lost.</remarks>
    public Task<DisputeResponseResult> AcceptDisputeAsync(AcceptDisputeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return DisputeCallAsync(ProviderHttpCall.Post("dispute_accept", request.DisputeId, request.Account, DisputePath(request.ProviderDisputeId) + "/close",
            new StripeForm().ToHttpContent(), request.IdempotencyKey, request.ProviderDisputeId), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// <c>GET /v1/disputes?created[gte]={cursor}</c>, newest first, paged with <c>starting_after</c> (at most ten pages a
    /// call); returned oldest first, the cursor the newest <c>created</c> seen. Changes to older disputes are found by
    /// <see cref="GetDisputeAsync"/>, which the gateway calls for open disputes it has not heard of for a while.
    /// </remarks>
    public async Task<DisputeSyncPage> ListDisputesAsync(ListProviderDisputesRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var since = request.Cursor is { } cursor && long.TryParse(cursor, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var c)
            ? c
            : request.Since.ToUnixTimeSeconds();
        var limit = Math.Clamp(request.Limit, 1, 100);
        var disputes = new List<DisputeNotification>();
        var newest = since;
        string? after = null;
        for (var page = 0; page < 10; page++)
        {
            var path = $"/v1/disputes?limit={limit}&created[gte]={since}" + (after is null ? string.Empty : "&starting_after=" + Uri.EscapeDataString(after));
            var answer = await http.SendAsync(ProviderHttpCall.Get("dispute_sync", "disputes", request.Account, path, null), cancellationToken).ConfigureAwait(false);
            if (!answer.IsSuccess || !answer.Body.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            {
                throw new ProviderOutcomeUnknownException(Id, $"Stripe's dispute list answered HTTP {answer.StatusCode}.");
            }

            foreach (var item in data.EnumerateArray())
            {
                if (StripeDisputeTransformers.ToSnapshot(item, timeProvider.GetUtcNow()) is { } snapshot)
                {
                    disputes.Add(snapshot);
                    newest = Math.Max(newest, item.TryGetProperty("created", out var created) && created.TryGetInt64(out var t) ? t : since);
                }

                after = item.String("id");
            }

            if (!(answer.Body.TryGetProperty("has_more", out var more) && more.ValueKind == JsonValueKind.True) || after is null)
            {
                break;
            }
        }

        disputes.Reverse();
        return new DisputeSyncPage { Disputes = disputes, NextCursor = newest.ToString(System.Globalization.CultureInfo.InvariantCulture) };
    }

    /// <inheritdoc />
    public async Task<DisputeNotification?> GetDisputeAsync(GetProviderDisputeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var answer = await http.SendAsync(ProviderHttpCall.Get("dispute_read", request.ProviderDisputeId, request.Account, DisputePath(request.ProviderDisputeId), request.ProviderDisputeId),
            cancellationToken).ConfigureAwait(false);
        return answer switch
        {
            { IsSuccess: true } => StripeDisputeTransformers.ToSnapshot(answer.Body, timeProvider.GetUtcNow()),
            { StatusCode: 404 } => null,
            _ => throw new ProviderOutcomeUnknownException(Id, $"Stripe's dispute read answered HTTP {answer.StatusCode}."),
        };
    }

    /// <summary>Where Stripe takes file uploads (its Files API has its own host).</summary>
    public const string FilesBaseUrl = "https://files.stripe.com";

    private async Task<DisputeResponseResult> DisputeCallAsync(ProviderHttpCall call, CancellationToken cancellationToken)
    {
        var answer = await http.SendAsync(call, cancellationToken).ConfigureAwait(false);
        return answer.IsSuccess
            ? new DisputeResponseResult { Outcome = DisputeResponseOutcome.Accepted, ProviderStatus = answer.Body.String("status") }
            : Refused(answer);
    }

    /// <summary>An error answer: Stripe's definite refusal is <see cref="DisputeResponseOutcome.Rejected"/> with its message; anything else throws as unknown.</summary>
    private DisputeResponseResult Refused(ProviderHttpAnswer answer)
    {
        var declined = http.DeclinedOrThrow(answer);
        return new DisputeResponseResult { Outcome = DisputeResponseOutcome.Rejected, Message = declined.Message ?? declined.RawStatus };
    }

    private static string DisputePath(string id) => "/v1/disputes/" + Uri.EscapeDataString(id);

    /// <summary>Reads a PaymentIntent (or, for a setup payment, its SetupIntent <c>seti_…</c>), with the charge expanded for its network transaction id.</summary>
    private Task<ProviderPaymentResult> ReadIntentAsync(string operation, string paymentId, ProviderAccount? account, string reference,
        CancellationToken cancellationToken) =>
        reference.StartsWith("seti_", StringComparison.Ordinal)
            ? http.PaymentAsync(ProviderHttpCall.Get(operation, paymentId, account, "/v1/setup_intents/" + Uri.EscapeDataString(reference), reference),
                StripeStoredCards.ToSetupResult, cancellationToken)
            : http.PaymentAsync(ProviderHttpCall.Get(operation, paymentId, account, PaymentIntentPath(reference) + "?expand[]=latest_charge", reference),
                body => StripeTransformers.ToPaymentResult(body, StripeFlow.Payment), cancellationToken);

    /// <summary>
    /// <c>POST /v1/customers</c> for a card being saved (keyed by the attempt, so a retry finds the same Customer). Any
    /// failure is <see cref="ProviderUnavailableException"/>: the payment itself was not sent, nothing was charged.
    /// </summary>
    private async Task<string> CreateCustomerAsync(string paymentId, ProviderAccount account, StoredCredential? stored, string idempotencyKey, CancellationToken cancellationToken)
    {
        var form = StripeStoredCards.CustomerForm(stored ?? new StoredCredential { Initiator = StoredCredentialInitiator.Customer, Sequence = StoredCredentialSequence.First });
        var call = ProviderHttpCall.Post("create_customer", paymentId, account, "/v1/customers", form.ToHttpContent(), idempotencyKey + ":customer", null);
        ProviderHttpAnswer answer;
        try
        {
            answer = await http.SendAsync(call, cancellationToken).ConfigureAwait(false);
        }
        catch (ProviderOutcomeUnknownException e)
        {
            throw new ProviderUnavailableException(Id, "Stripe's answer to creating the customer was lost; the payment was not sent.", e);
        }

        return answer.IsSuccess && answer.Body.String("id") is { } id
            ? id
            : throw http.NotSent(call with { Operation = "authorize" }, $"Stripe refused to create the customer for the saved card (HTTP {answer.StatusCode}).");
    }

    private static string PaymentIntentPath(string reference) => "/v1/payment_intents/" + Uri.EscapeDataString(reference);
}
