using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Mollie;

/// <summary>
/// The Mollie API v2 adapter: each flow names its path and JSON body (<see cref="MollieTransformers"/>) and how to read
/// the answer; <see cref="ProviderHttpClient{TTransport}"/> sends it as <see cref="MollieTransport"/> describes. Card
/// payments go through Mollie's hosted checkout: authorize usually answers <see cref="ProviderOutcome.RequiresAction"/>
/// with the checkout URL. Webhooks are thin and unsigned; they are confirmed by fetching the payment with the account's
/// key (<see cref="HandleWebhookAsync"/>).
/// </summary>
public sealed class MollieProvider(ProviderHttpClient<MollieTransport> http)
    : IPaymentProvider, IAuthorizeFlow, IVerifyFlow, ICaptureFlow, IVoidFlow, IRefundFlow, ISyncFlow, IAuthenticationFlow, IWebhookFlow, IBankTransferProvider, IProviderAccountValidation,
      IDisputeSyncFlow
{
    /// <summary>The provider id.</summary>
    public const string ProviderId = "mollie";

    /// <inheritdoc />
    public string Id => ProviderId;

    /// <inheritdoc />
    public ProviderCapabilities Capabilities { get; } = ProviderCapabilities.CardProcessor with
    {
        PaymentMethodTypes = new HashSet<string>(StringComparer.Ordinal) { "card", "bank_transfer" },
        Currencies = MollieTransformers.SupportedCurrencies,
        StoredCredentials = true,
    };

    /// <inheritdoc />
    public async Task<ProviderPaymentResult> AuthorizeAsync(AuthorizeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = http.RequireAccount(request.Account);
        var redirectUrl = request.ReturnUrl ?? account.Setting("return_url");
        if (redirectUrl is null && !MollieStoredCards.IsRecurring(request.StoredCredential))
        {
            throw http.NotSent(ProviderHttpCall.Authorize(request, "/v2/payments", ProviderJson.Content([])),
                $"Mollie needs a redirectUrl: the payment has no return URL and provider account {account.Id} has no setting 'return_url'.");
        }

        if (request.StoredCredential is { Initiator: StoredCredentialInitiator.Merchant } && !MollieStoredCards.IsRecurring(request.StoredCredential))
        {
            throw http.NotSent(ProviderHttpCall.Authorize(request, "/v2/payments", ProviderJson.Content([])),
                $"Mollie charges off session only a card saved through it (a Mollie customer and mandate); provider account {account.Id} has none for this card.");
        }

        var customer = request.StoredCredential is { Sequence: StoredCredentialSequence.First } stored
            ? await CreateCustomerAsync(request.PaymentId, account, stored, request.IdempotencyKey, cancellationToken).ConfigureAwait(false)
            : null;
        var body = MollieTransformers.PaymentRequestBody(request, redirectUrl, account.Setting("webhook_url"), customer);
        return await http.PaymentAsync(ProviderHttpCall.Authorize(request, "/v2/payments", ProviderJson.Content(body)),
            answer => MollieTransformers.ToPaymentResult(answer, MollieFlow.Payment), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Setup mode is Mollie's zero-amount first payment: a Mollie Customer, then <c>POST /v2/payments</c> with
    /// <c>amount 0.00</c>, <c>method: creditcard</c> and <c>sequenceType: first</c> (Mollie accepts EUR 0 first payments for
    /// cards). The customer verifies the card on Mollie's checkout (<see cref="ProviderOutcome.RequiresAction"/>); the read
    /// back on their return (<see cref="CompleteAuthenticationAsync"/>) gives the customer and mandate. Nothing is charged.
    /// </remarks>
    public Task<ProviderPaymentResult> VerifyAsync(VerifyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return AuthorizeAsync(new AuthorizeRequest
        {
            Account = request.Account,
            PaymentId = request.PaymentId,
            AttemptId = request.AttemptId,
            IdempotencyKey = request.IdempotencyKey,
            Amount = new Money(0, request.Currency),
            Capture = true, // no captureMode: nothing is held, the mandate is the point
            Card = request.Card,
            ReturnUrl = request.ReturnUrl,
            Description = request.Description,
            TestMode = request.TestMode,
            StoredCredential = request.StoredCredential,
        }, cancellationToken);
    }

    /// <summary>
    /// <c>POST /v2/customers</c> for a card being saved (keyed by the attempt, so a retry finds the same Customer). Any
    /// failure is <see cref="ProviderUnavailableException"/>: the payment itself was not sent.
    /// </summary>
    private async Task<string> CreateCustomerAsync(string paymentId, ProviderAccount account, StoredCredential stored, string idempotencyKey, CancellationToken cancellationToken)
    {
        var call = ProviderHttpCall.Post("create_customer", paymentId, account, "/v2/customers", ProviderJson.Content(MollieStoredCards.CustomerBody(stored)),
            idempotencyKey + ":customer", null);
        ProviderHttpAnswer answer;
        try
        {
            answer = await http.SendAsync(call, cancellationToken).ConfigureAwait(false);
        }
        catch (ProviderOutcomeUnknownException e)
        {
            throw new ProviderUnavailableException(Id, "Mollie's answer to creating the customer was lost; the payment was not sent.", e);
        }

        return answer.IsSuccess && answer.Body.String("id") is { } id
            ? id
            : throw http.NotSent(call with { Operation = "authorize" }, $"Mollie refused to create the customer for the saved card (HTTP {answer.StatusCode}).");
    }

    /// <inheritdoc />
    /// <remarks>Mollie finishes the card checkout itself; when the customer comes back the payment is read back.</remarks>
    public Task<ProviderPaymentResult> CompleteAuthenticationAsync(CompleteAuthenticationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return GetPaymentAsync("complete_authentication", request.PaymentId, request.Account, request.ProviderReference, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ProviderPaymentResult> CaptureAsync(CaptureRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = ProviderHttpCall.Capture(request, PaymentPath(request.ProviderReference) + "/captures", ProviderJson.Content(MollieTransformers.CaptureBody(request)));
        return http.PaymentAsync(call, answer => MollieTransformers.ToCaptureResult(answer, request.ProviderReference), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Mollie voids two ways, by the payment's state, so the payment is read first: an authorized card hold is released
    /// with <c>POST /v2/payments/{id}/release-authorization</c> (202; Mollie processes it asynchronously and the payment's
    /// webhook then reports <c>canceled</c>, so the result is <see cref="ProviderOutcome.Pending"/>), while an open payment
    /// (a bank transfer, a checkout not completed) is canceled with <c>DELETE /v2/payments/{id}</c>, whose answer is the
    /// canceled payment. A failed read is an unknown outcome, never a void.
    /// </remarks>
    public async Task<ProviderPaymentResult> VoidAsync(VoidRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = PaymentPath(request.ProviderReference);
        var read = await http.SendAsync(ProviderHttpCall.Get("void", request.PaymentId, request.Account, path, request.ProviderReference), cancellationToken).ConfigureAwait(false);
        if (!read.IsSuccess)
        {
            return http.DeclinedOrThrow(read); // a lookup: throws (outcome unknown)
        }

        if (read.Body.String("status") == "authorized")
        {
            var release = ProviderHttpCall.Void(request, path + "/release-authorization", content: null);
            return await http.PaymentAsync(release, _ => MollieTransformers.ReleaseAccepted(request.ProviderReference), cancellationToken).ConfigureAwait(false);
        }

        var cancel = ProviderHttpCall.Void(request, path, content: null) with { Method = HttpMethod.Delete };
        return await http.PaymentAsync(cancel, answer => MollieTransformers.ToPaymentResult(answer, MollieFlow.Cancel), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<ProviderRefundResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = ProviderHttpCall.Refund(request, PaymentPath(request.ProviderReference) + "/refunds", ProviderJson.Content(MollieTransformers.RefundBody(request)));
        return http.RefundAsync(call, MollieTransformers.ToRefundResult, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// With a reference: <c>GET /v2/payments/{id}</c>. Without one (the create answer was lost) Mollie has no search, so
    /// the newest payments of the account are listed (<c>GET /v2/payments?limit=250</c>) and the one whose metadata
    /// carries this attempt's idempotency key (what authorize put there) is taken; none yet is
    /// <see cref="ProviderOutcome.Pending"/>. The reconciler asks soon after the attempt, so it is among the newest; the
    /// payment's webhook brings the reference too.
    /// </remarks>
    public Task<ProviderPaymentResult> SyncAsync(SyncRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = http.RequireAccount(request.Account);
        if (request.ProviderReference is { } reference)
        {
            return GetPaymentAsync("sync", request.PaymentId, account, reference, cancellationToken);
        }

        var list = ProviderHttpCall.Get("sync", request.PaymentId, account, $"/v2/payments?limit={MollieTransformers.SyncListLimit}", null);
        return http.SearchAsync(list, payments => MollieTransformers.PaymentOfAttempt(payments, request.IdempotencyKey),
            payment => MollieTransformers.ToPaymentResult(payment, MollieFlow.Payment), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>The API key's mode must be the account's: <c>live_…</c> for a live account, <c>test_…</c> for a test one.</remarks>
    public ProviderAccountProblem? ValidateAccount(ProviderAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        var mode = account.Livemode ? "live" : "test";
        return account.Credentials.TryGetValue("api_key", out var key) && !key.Reveal().StartsWith(mode + "_", StringComparison.Ordinal)
            ? new ProviderAccountProblem { Parameter = "credentials[api_key]", Message = $"A {mode}-mode Mollie account needs a {mode}_… API key." }
            : null;
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
            throw http.WebhookRejected(request.Account, "no payment id in the body");
        }

        var answer = await http.SendAsync(ProviderHttpCall.Get("webhook", id, request.Account, PaymentPath(id) + "?embed=refunds", id), cancellationToken)
            .ConfigureAwait(false);
        if (answer.StatusCode is 404 or 410)
        {
            throw http.WebhookRejected(request.Account, "the payment is unknown to this account");
        }

        if (!answer.IsSuccess)
        {
            // An outage throws (unavailable / unknown) so the webhook is answered with an error and Mollie retries it;
            // a refusal means the id is not a payment this account can read.
            http.DeclinedOrThrow(answer);
            throw http.WebhookRejected(request.Account, $"fetching the payment answered HTTP {answer.StatusCode}");
        }

        IReadOnlyList<DisputeNotification> disputes = [];
        if (MollieChargebacks.HasChargebacks(answer.Body))
        {
            // Mollie has no dispute events: the payment's chargebacks are read (an outage throws, so Mollie retries the webhook).
            var chargebacks = await http.SendAsync(ProviderHttpCall.Get("webhook_chargebacks", id, request.Account, PaymentPath(id) + "/chargebacks", id), cancellationToken)
                .ConfigureAwait(false);
            if (!chargebacks.IsSuccess)
            {
                http.DeclinedOrThrow(chargebacks);
                throw http.WebhookRejected(request.Account, $"fetching the payment's chargebacks answered HTTP {chargebacks.StatusCode}");
            }

            disputes = MollieChargebacks.ToNotifications(chargebacks.Body, answer.Body);
        }

        return http.WebhookAccepted(request.Account, [MollieTransformers.ToNotification(answer.Body), .. MollieTransformers.RefundNotifications(answer.Body)]) with
        {
            Disputes = disputes,
        };
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
        var call = ProviderHttpCall.Post("create_bank_transfer", request.PaymentId, account, "/v2/payments", ProviderJson.Content(body), request.IdempotencyKey, null);
        return TransferOrThrow(await http.SendAsync(call, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public async Task<ProviderBankTransfer> GetBankTransferAsync(BankTransferStatusRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = ProviderHttpCall.Get("get_bank_transfer", request.PaymentId, request.Account, PaymentPath(request.ProviderReference), request.ProviderReference);
        return TransferOrThrow(await http.SendAsync(call, cancellationToken).ConfigureAwait(false));
    }

    private ProviderBankTransfer TransferOrThrow(ProviderHttpAnswer answer)
    {
        if (answer.IsSuccess && MollieTransformers.ToBankTransfer(answer.Body) is { } transfer)
        {
            return transfer;
        }

        if (answer.IsSuccess)
        {
            throw http.Failed(answer.Call, new ProviderOutcomeUnknownException(Id, $"Mollie answered {answer.Call.Operation} without a payment id."), "outcome unknown");
        }

        var declined = http.DeclinedOrThrow(answer); // throws for outages and unknown outcomes
        throw http.Failed(answer.Call, new ProviderUnavailableException(Id, $"Mollie refused {answer.Call.Operation}: {declined.Message}"), "refused");
    }

    /// <inheritdoc />
    /// <remarks>
    /// <c>GET /v2/chargebacks?embed=payment&amp;limit=250</c>, newest first, following <c>_links.next</c> until a
    /// chargeback older than the cursor (at most ten pages a call); returned oldest first, the cursor the newest
    /// <c>createdAt</c> seen. Each chargeback gives the same notifications as on a payment webhook
    /// (<see cref="MollieChargebacks.FromChargeback"/>), so one read both ways counts once. A reversal of an older
    /// chargeback is found by <see cref="GetDisputeAsync"/>, which the gateway calls for open disputes it has not heard of
    /// for a while.
    /// </remarks>
    public async Task<DisputeSyncPage> ListDisputesAsync(ListProviderDisputesRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var since = request.Cursor is { } cursor && DateTimeOffset.TryParse(cursor, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var c)
            ? c
            : request.Since;
        var newest = since;
        var found = new List<DisputeNotification>();
        var path = $"/v2/chargebacks?embed=payment&limit={Math.Clamp(request.Limit, 1, 250)}";
        for (var page = 0; page < 10 && path is not null; page++)
        {
            var answer = await http.SendAsync(ProviderHttpCall.Get("dispute_sync", "chargebacks", request.Account, path, null), cancellationToken).ConfigureAwait(false);
            if (!answer.IsSuccess)
            {
                throw new ProviderOutcomeUnknownException(Id, $"Mollie's chargeback list answered HTTP {answer.StatusCode}.");
            }

            var older = false;
            foreach (var chargeback in MollieChargebacks.ListedChargebacks(answer.Body))
            {
                var created = MollieChargebacks.CreatedAt(chargeback);
                if (created is { } at && at < since)
                {
                    older = true;
                    continue;
                }

                found.AddRange(MollieChargebacks.FromChargeback(chargeback));
                newest = created is { } t && t > newest ? t : newest;
            }

            path = older ? null : NextPage(answer.Body);
        }

        return new DisputeSyncPage
        {
            Disputes = found.OrderBy(n => n.OccurredAt).ToList(),
            NextCursor = newest.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <inheritdoc />
    /// <remarks>
    /// <c>GET /v2/payments/{payment}/chargebacks/{id}?embed=payment</c> (Mollie reads a chargeback under its payment; without
    /// the payment's reference there is nothing to ask): the newest thing it says — <c>chargeback_reversed</c> once
    /// reversed, else <c>chargeback</c>. 404 is a chargeback Mollie does not know.
    /// </remarks>
    public async Task<DisputeNotification?> GetDisputeAsync(GetProviderDisputeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ProviderPaymentReference is not { Length: > 0 } payment)
        {
            return null;
        }

        var path = PaymentPath(payment) + "/chargebacks/" + Uri.EscapeDataString(request.ProviderDisputeId) + "?embed=payment";
        var answer = await http.SendAsync(ProviderHttpCall.Get("dispute_read", request.ProviderDisputeId, request.Account, path, request.ProviderDisputeId), cancellationToken)
            .ConfigureAwait(false);
        return answer switch
        {
            { IsSuccess: true } => MollieChargebacks.FromChargeback(answer.Body) is { Count: > 0 } said ? said[^1] : null,
            { StatusCode: 404 } => null,
            _ => throw new ProviderOutcomeUnknownException(Id, $"Mollie's chargeback read answered HTTP {answer.StatusCode}."),
        };
    }

    /// <summary>The path and query of a list's <c>_links.next.href</c>, or null on the last page.</summary>
    private static string? NextPage(System.Text.Json.JsonElement list) =>
        list.TryGetProperty("_links", out var links) && links.ValueKind == System.Text.Json.JsonValueKind.Object
        && links.TryGetProperty("next", out var next) && next.String("href") is { } href && Uri.TryCreate(href, UriKind.Absolute, out var uri)
            ? uri.PathAndQuery
            : null;

    private Task<ProviderPaymentResult> GetPaymentAsync(string operation, string paymentId, ProviderAccount? account, string reference, CancellationToken cancellationToken) =>
        http.PaymentAsync(ProviderHttpCall.Get(operation, paymentId, account, PaymentPath(reference), reference),
            answer => MollieTransformers.ToPaymentResult(answer, MollieFlow.Payment), cancellationToken);

    private static string PaymentPath(string id) => "/v2/payments/" + Uri.EscapeDataString(id);
}
