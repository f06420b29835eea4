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
    : IPaymentProvider, IAuthorizeFlow, ICaptureFlow, IVoidFlow, IRefundFlow, ISyncFlow, IAuthenticationFlow, IWebhookFlow, IProviderAccountValidation,
      IVerifyFlow, IDisputeFlow, IDisputeSyncFlow
{
    /// <summary>The provider id.</summary>
    public const string ProviderId = "checkoutcom";

    /// <summary>The account setting with its account-specific URL prefix (the first 8 characters of the client id after <c>cli_</c>), optional.</summary>
    public const string UrlPrefixSetting = "url_prefix";

    /// <summary>The account setting that turns the <c>3ds</c> request off (<c>disabled</c>); anything else, or none, requests 3-D Secure.</summary>
    public const string ThreeDSecureSetting = "three_ds";

    /// <summary>The account setting with the processing channel (<c>pc_…</c>), required by Checkout.com unless the key is scoped to one channel.</summary>
    public const string ProcessingChannelSetting = "processing_channel_id";

    /// <summary>The header that carries the idempotency key.</summary>
    public const string IdempotencyHeader = "Cko-Idempotency-Key";

    /// <summary>The header that carries a webhook's signature.</summary>
    public const string SignatureHeader = "Cko-Signature";

    /// <inheritdoc />
    public string Id => ProviderId;

    /// <inheritdoc />
    /// <remarks>
    /// Stored credentials through Checkout.com's stored instruments (<see cref="CheckoutComStoredCards"/>); a card saved
    /// elsewhere is charged with the series' scheme transaction id as <c>previous_payment_id</c>, which Checkout.com documents.
    /// </remarks>
    public ProviderCapabilities Capabilities { get; } = ProviderCapabilities.CardProcessor with { StoredCredentials = true, AcceptsNetworkTransactionIds = true };

    /// <inheritdoc />
    public Task<ProviderPaymentResult> AuthorizeAsync(AuthorizeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = http.RequireAccount(request.Account);
        if (request.Card is null && CheckoutComStoredCards.SourceId(request.StoredCredential) is null)
        {
            throw http.NotSent(ProviderHttpCall.Authorize(request, "/payments", ProviderJson.Content([])), "the Checkout.com adapter sends card data and the request has none.");
        }

        var body = CheckoutComTransformers.PaymentRequestBody(request, account.Setting(ProcessingChannelSetting), request.ReturnUrl ?? account.Setting("return_url"),
            threeDSecure: account.Setting(ThreeDSecureSetting) != "disabled");
        var saves = request.StoredCredential is { Sequence: StoredCredentialSequence.First };
        return http.PaymentAsync(ProviderHttpCall.Authorize(request, "/payments", ProviderJson.Content(body)),
            answer => CheckoutComStoredCards.WithReferences(CheckoutComTransformers.ToPaymentResult(answer, request.Capture), answer, saves), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>A card verification: <c>POST /payments</c> with amount 0 that stores the card; <c>Card Verified</c> is verified.</remarks>
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
            Capture = false,
            Card = request.Card,
            ReturnUrl = request.ReturnUrl,
            Description = request.Description,
            TestMode = request.TestMode,
            StoredCredential = request.StoredCredential,
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Each document goes to the Files API (<c>POST /files</c>, multipart, <c>purpose=dispute_evidence</c>), then
    /// <c>PUT /disputes/{id}/evidence</c> (<see cref="CheckoutComDisputes.EvidenceBody"/>) and <c>POST /disputes/{id}/evidence</c>
    /// submits it. A refusal (4xx: the dispute is no longer open, a field is invalid) is <see cref="DisputeResponseOutcome.Rejected"/>.
    /// </remarks>
    public async Task<DisputeResponseResult> SubmitEvidenceAsync(SubmitDisputeEvidenceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = http.RequireAccount(request.Account);
        var filesAccount = account with { Settings = new Dictionary<string, string>(account.Settings) { ["base_url"] = CheckoutComDisputes.FilesBaseUrl(account) } };
        var files = new List<(string Field, string FileId)>();
        for (var i = 0; i < request.Documents.Count; i++)
        {
            var document = request.Documents[i];
            var upload = new MultipartFormDataContent { { new StringContent("dispute_evidence"), "purpose" } };
            var file = new ReadOnlyMemoryContent(document.Content);
            file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(document.ContentType);
            upload.Add(file, "file", document.FileName);
            var answer = await http.SendAsync(ProviderHttpCall.Post("dispute_file", request.DisputeId, filesAccount, "/files", upload, $"{request.IdempotencyKey}:file:{i}", null),
                cancellationToken).ConfigureAwait(false);
            if (!answer.IsSuccess || answer.Body.String("id") is not { } fileId)
            {
                return Refused(answer);
            }

            files.Add((document.Field, fileId));
        }

        var path = DisputePath(request.ProviderDisputeId) + "/evidence";
        var provided = await http.SendAsync(ProviderHttpCall.Post("dispute_evidence", request.DisputeId, account, path,
            ProviderJson.Content(CheckoutComDisputes.EvidenceBody(request.Evidence, files)), request.IdempotencyKey + ":evidence", null) with
        { Method = HttpMethod.Put },
            cancellationToken).ConfigureAwait(false);
        if (!provided.IsSuccess)
        {
            return Refused(provided);
        }

        var submitted = await http.SendAsync(ProviderHttpCall.Post("dispute_submit", request.DisputeId, account, path, null, request.IdempotencyKey, null), cancellationToken)
            .ConfigureAwait(false);
        return submitted.IsSuccess ? new DisputeResponseResult { Outcome = DisputeResponseOutcome.Accepted } : Refused(submitted);
    }

    /// <inheritdoc />
    /// <remarks><c>POST /disputes/{id}/accept</c>.</remarks>
    public async Task<DisputeResponseResult> AcceptDisputeAsync(AcceptDisputeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var answer = await http.SendAsync(ProviderHttpCall.Post("dispute_accept", request.DisputeId, request.Account, DisputePath(request.ProviderDisputeId) + "/accept", null,
            request.IdempotencyKey, null), cancellationToken).ConfigureAwait(false);
        return answer.IsSuccess ? new DisputeResponseResult { Outcome = DisputeResponseOutcome.Accepted } : Refused(answer);
    }

    /// <inheritdoc />
    /// <remarks>
    /// <c>GET /disputes?from={cursor}&amp;limit=100&amp;skip=n</c>: the disputes changed (<c>last_update</c>) since the
    /// cursor, most recently changed first, at most ten pages a call; returned oldest change first, the cursor the newest
    /// <c>last_update</c> seen (<c>from</c> is inclusive, so the newest is read again next time and changes nothing).
    /// </remarks>
    public async Task<DisputeSyncPage> ListDisputesAsync(ListProviderDisputesRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var since = request.Cursor is { } cursor && DateTimeOffset.TryParse(cursor, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var c)
            ? c
            : request.Since;
        var from = Uri.EscapeDataString(since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        var limit = Math.Clamp(request.Limit, 1, 250);
        var found = new List<(DateTimeOffset At, DisputeNotification Dispute)>();
        var newest = since;
        for (int page = 0, skip = 0; page < 10; page++)
        {
            var answer = await http.SendAsync(ProviderHttpCall.Get("dispute_sync", "disputes", request.Account, $"/disputes?from={from}&limit={limit}&skip={skip}", null),
                cancellationToken).ConfigureAwait(false);
            if (!answer.IsSuccess || !answer.Body.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            {
                throw new ProviderOutcomeUnknownException(Id, $"Checkout.com's dispute list answered HTTP {answer.StatusCode}.");
            }

            foreach (var item in data.EnumerateArray())
            {
                if (CheckoutComDisputes.ToSnapshot(item) is { } snapshot)
                {
                    found.Add((snapshot.OccurredAt, snapshot));
                    newest = CheckoutComDisputes.LastUpdate(item) is { } updated && updated > newest ? updated : newest;
                }
            }

            skip += data.GetArrayLength();
            var total = answer.Body.TryGetProperty("total_count", out var t) && t.TryGetInt32(out var n) ? n : 0;
            if (data.GetArrayLength() == 0 || skip >= total)
            {
                break;
            }
        }

        return new DisputeSyncPage
        {
            Disputes = found.OrderBy(f => f.At).Select(f => f.Dispute).ToList(),
            NextCursor = newest.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <inheritdoc />
    /// <remarks><c>GET /disputes/{id}</c>; 404 is a dispute Checkout.com does not know.</remarks>
    public async Task<DisputeNotification?> GetDisputeAsync(GetProviderDisputeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var answer = await http.SendAsync(ProviderHttpCall.Get("dispute_read", request.ProviderDisputeId, request.Account, DisputePath(request.ProviderDisputeId), request.ProviderDisputeId),
            cancellationToken).ConfigureAwait(false);
        return answer switch
        {
            { IsSuccess: true } => CheckoutComDisputes.ToSnapshot(answer.Body),
            { StatusCode: 404 } => null,
            _ => throw new ProviderOutcomeUnknownException(Id, $"Checkout.com's dispute read answered HTTP {answer.StatusCode}."),
        };
    }

    /// <summary>An error answer: Checkout.com's definite refusal is <see cref="DisputeResponseOutcome.Rejected"/>; anything else throws as unknown.</summary>
    private DisputeResponseResult Refused(ProviderHttpAnswer answer)
    {
        var declined = http.DeclinedOrThrow(answer);
        return new DisputeResponseResult { Outcome = DisputeResponseOutcome.Rejected, Message = declined.Message ?? declined.RawStatus };
    }

    private static string DisputePath(string id) => "/disputes/" + Uri.EscapeDataString(id);

    /// <inheritdoc />
    /// <remarks>
    /// After the 3-D Secure redirect Checkout.com appends <c>cko-session-id</c>; the payment is read back with it. The
    /// session id comes from the customer's browser, so the answer counts only when it is this payment
    /// (<see cref="CompleteAuthenticationRequest.ProviderReference"/>); another payment's answer is
    /// <see cref="ProviderOutcome.Pending"/> and the reconciler reads the payment's own state.
    /// </remarks>
    public async Task<ProviderPaymentResult> CompleteAuthenticationAsync(CompleteAuthenticationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = request.Details.TryGetValue("cko-session-id", out var session) ? session : request.ProviderReference;
        var call = ProviderHttpCall.Get("complete_authentication", request.PaymentId, request.Account, PaymentPath(id), request.ProviderReference);
        var result = await http.PaymentAsync(call, answer => CheckoutComTransformers.ToPaymentResult(answer, request.Capture), cancellationToken).ConfigureAwait(false);
        if (request.ProviderReference.Length > 0 && result.ProviderReference is { } read && read != request.ProviderReference)
        {
            return new ProviderPaymentResult
            {
                Outcome = ProviderOutcome.Pending,
                ProviderReference = request.ProviderReference,
                Message = "The 3-D Secure return named another Checkout.com payment; the payment's own state is read by sync.",
                RawStatus = "session_mismatch",
            };
        }

        return result;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The secret key's environment must be the account's (<c>sk_sbox_</c>/<c>sk_test_</c> are sandbox keys);
    /// <see cref="ProcessingChannelSetting"/> is <c>pc_</c> and 26 lower-case letters or digits;
    /// <see cref="UrlPrefixSetting"/> is 8 lower-case letters or digits; <see cref="ThreeDSecureSetting"/> is
    /// <c>enabled</c> or <c>disabled</c>.
    /// </remarks>
    public ProviderAccountProblem? ValidateAccount(ProviderAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (account.Credentials.TryGetValue("secret_key", out var key))
        {
            var sandboxKey = key.Reveal().StartsWith("sk_sbox_", StringComparison.Ordinal) || key.Reveal().StartsWith("sk_test_", StringComparison.Ordinal);
            if (sandboxKey == account.Livemode)
            {
                return new ProviderAccountProblem
                {
                    Parameter = "credentials[secret_key]",
                    Message = account.Livemode
                        ? "A live Checkout.com account needs a live secret key (sk_sbox_… and sk_test_… are sandbox keys)."
                        : "A test-mode Checkout.com account needs a sandbox secret key (sk_sbox_… or sk_test_…).",
                };
            }
        }

        if (account.Setting(ProcessingChannelSetting) is { } channel && !IsLowerAlphanumeric(channel, "pc_", 26))
        {
            return Invalid(ProcessingChannelSetting, "must be the processing channel id Checkout.com shows (pc_ and 26 lower-case letters or digits).");
        }

        if (account.Setting(UrlPrefixSetting) is { } prefix && !IsLowerAlphanumeric(prefix, string.Empty, 8))
        {
            return Invalid(UrlPrefixSetting, "must be the first 8 characters of the client id after cli_ (lower-case letters or digits).");
        }

        return account.Setting(ThreeDSecureSetting) is null or "enabled" or "disabled" ? null : Invalid(ThreeDSecureSetting, "must be enabled or disabled.");

        static ProviderAccountProblem Invalid(string setting, string what) => new() { Parameter = $"settings[{setting}]", Message = $"settings[{setting}] {what}" };

        static bool IsLowerAlphanumeric(string value, string prefix, int length) =>
            value.Length == prefix.Length + length && value.StartsWith(prefix, StringComparison.Ordinal)
            && value[prefix.Length..].All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c));
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
            // capture: false: whether capture was asked is read from the payment's metadata (authorize stored it).
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
        DisputeNotification? dispute;
        try
        {
            using var document = JsonDocument.Parse(request.Body);
            if (document.RootElement.ValueKind != JsonValueKind.Object || document.RootElement.String("type") is null)
            {
                throw http.WebhookRejected(request.Account, "not an event");
            }

            notification = CheckoutComTransformers.ToNotification(document.RootElement) with { EventId = document.RootElement.String("id") };
            dispute = CheckoutComDisputes.ToNotification(document.RootElement);
        }
        catch (JsonException)
        {
            throw http.WebhookRejected(request.Account, "the body is not JSON");
        }

        return Task.FromResult(http.WebhookAccepted(request.Account, [notification]) with { Disputes = dispute is null ? [] : [dispute] });
    }

    private static string PaymentPath(string id) => "/payments/" + Uri.EscapeDataString(id);
}
