using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Customers;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Vault;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.Checkout;

/// <summary>
/// Hosted checkout sessions: creation and validation, the open → complete | expired lifecycle (enforced here, on every
/// read and before every payment), and paying a session. A session has at most one live payment at a time: a new one
/// starts only after the previous one failed or was canceled, and the switch is a version-checked write, so two
/// concurrent payers cannot both charge the same session.
/// </summary>
public sealed class CheckoutService(
    IPaymentStore paymentStore, ICheckoutStore checkoutStore,
    PaymentCreation creation, CardPayments cards, PaymentCancellation cancellation,
    PaymentMethodService paymentMethods,
    CustomerService customers,
    CardVault vault,
    IOptions<CheckoutOptions> options,
    IOptions<GatewayOptions> gatewayOptions,
    TimeProvider time)
{
    public const string SessionMetadataKey = "checkout_session";
    private const string ClientSecretSeparator = "_secret_";
    private const int MaxLineItems = 100;

    /// <summary>Creates a session; returns it with the client secret, which is shown only here.</summary>
    public async Task<(CheckoutSession Session, string ClientSecret)> CreateAsync(CallerContext caller, CreateCheckoutSessionRequest request, CancellationToken ct)
    {
        var settings = options.Value;
        var lineItems = ValidateLineItems(request.LineItems);
        long amount;
        if (lineItems.Count > 0)
        {
            long sum;
            try
            {
                sum = checked(lineItems.Sum(i => checked(i.Quantity * i.UnitAmount)));
            }
            catch (OverflowException)
            {
                throw GatewayException.Invalid(ErrorCodes.AmountTooLarge, "The line items' total overflows.", "line_items");
            }

            if (request.Amount is { } given && given != sum)
            {
                throw GatewayException.Invalid(ErrorCodes.AmountInvalid, $"amount ({given}) must equal the line items' total ({sum}).", "amount");
            }

            amount = sum;
        }
        else
        {
            if (string.IsNullOrWhiteSpace(request.Description))
            {
                throw GatewayException.Invalid(ErrorCodes.ParameterMissing, "Give line_items or a description, so the customer sees what they pay for.", "description");
            }

            amount = request.Amount ?? throw GatewayException.Missing("amount");
        }

        var currency = RequestValidation.Money(amount, request.Currency, "amount", gatewayOptions.Value.MaxAmount).Currency;
        var captureMethod = request.CaptureMethod switch
        {
            null or "automatic" => "automatic",
            "manual" => "manual",
            _ => throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "capture_method must be 'automatic' or 'manual'.", "capture_method"),
        };
        RequestValidation.Text(request.Description, "description", 1000);
        RequestValidation.Metadata(request.Metadata);
        var successUrl = request.SuccessUrl ?? throw GatewayException.Missing("success_url");
        var cancelUrl = request.CancelUrl ?? throw GatewayException.Missing("cancel_url");
        RequestValidation.Url(successUrl, "success_url");
        RequestValidation.Url(cancelUrl, "cancel_url");
        var ancestors = ValidateFrameAncestors(request.AllowedFrameAncestors, settings.MaxFrameAncestors);
        var (customer, saveCard, usage) = await ValidateSaveCardAsync(caller, request, ct).ConfigureAwait(false);

        var now = time.GetUtcNow();
        var expiresAt = request.ExpiresAt ?? now + settings.DefaultExpiry;
        if (expiresAt < now + settings.MinExpiry || expiresAt > now + settings.MaxExpiry)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid,
                $"expires_at must be between {settings.MinExpiry.TotalMinutes:0.##} minutes and {settings.MaxExpiry.TotalHours:0.##} hours from now.", "expires_at");
        }

        var id = Ids.New(Ids.CheckoutSession);
        var clientSecret = MerchantService.NewSecret(id + ClientSecretSeparator);
        var session = new CheckoutSession
        {
            Id = id,
            MerchantId = caller.MerchantId,
            Livemode = caller.Livemode,
            Status = CheckoutSessionStatus.Open,
            Amount = amount,
            Currency = currency.Code,
            CaptureMethod = captureMethod,
            Description = request.Description,
            LineItems = lineItems,
            SuccessUrl = successUrl,
            CancelUrl = cancelUrl,
            AllowedFrameAncestors = ancestors,
            ClientSecretHash = MerchantService.Hash(clientSecret),
            Customer = customer,
            SaveCard = saveCard,
            SetupFutureUsage = usage,
            Metadata = request.Metadata ?? [],
            ExpiresAt = expiresAt.ToUniversalTime(),
            Created = now,
            Updated = now,
        };
        await checkoutStore.CreateCheckoutSessionAsync(session, ct).ConfigureAwait(false);
        return (session, clientSecret);
    }

    /// <summary>The merchant's view of a session, with its state brought up to date.</summary>
    public async Task<CheckoutSession> GetAsync(CallerContext caller, string id, CancellationToken ct)
    {
        var session = await checkoutStore.GetCheckoutSessionAsync(id, ct).ConfigureAwait(false);
        if (session is null || session.MerchantId != caller.MerchantId || session.Livemode != caller.Livemode)
        {
            throw GatewayException.NotFound("checkout session", id);
        }

        return (await RefreshAsync(session, ct).ConfigureAwait(false)).Session;
    }

    /// <summary>The session and its current payment for the hosted page, with its state brought up to date; null when there is no such session.</summary>
    public async Task<(CheckoutSession Session, Payment? Payment)?> FindForPageAsync(string id, CancellationToken ct)
    {
        var session = await checkoutStore.GetCheckoutSessionAsync(id, ct).ConfigureAwait(false);
        return session is null ? null : await RefreshAsync(session, ct).ConfigureAwait(false);
    }

    /// <summary>The anti-forgery token the hosted page is rendered with: a keyed hash of the session id under the vault's MAC key.</summary>
    public string PageToken(string sessionId) => vault.Fingerprint("checkout-page-token:" + sessionId);

    /// <summary>The session id a client secret belongs to (it starts with it), or null.</summary>
    public static string? SessionIdFromClientSecret(string? clientSecret)
    {
        var at = clientSecret?.IndexOf(ClientSecretSeparator, StringComparison.Ordinal) ?? -1;
        return clientSecret is not null && at > 0 ? clientSecret[..at] : null;
    }

    /// <summary>
    /// Pays the session: tokenizes the card (or takes a payment method tokenized with the merchant's publishable key),
    /// starts the session's payment and confirms it. Declines surface as the payment API's 402 problem; the session stays
    /// open for another try.
    /// </summary>
    public async Task<PaymentResource> PayAsync(string sessionId, CheckoutPayRequest request, string? pageToken, string returnUrl, CancellationToken ct)
    {
        var found = await checkoutStore.GetCheckoutSessionAsync(sessionId, ct).ConfigureAwait(false) ?? throw GatewayException.NotFound("checkout session", sessionId);
        if (!IsAuthorized(found, request.ClientSecret, pageToken))
        {
            throw new GatewayException(ErrorKind.Authentication, ErrorCodes.CheckoutClientSecretInvalid, "The client secret or page token does not match this checkout session.");
        }

        if (request.EmbedOrigin is not null && !found.AllowedFrameAncestors.Contains(request.EmbedOrigin, StringComparer.Ordinal))
        {
            throw new GatewayException(ErrorKind.PermissionDenied, ErrorCodes.UrlNotAllowed,
                "The embedding page's origin is not in this session's allowed_frame_ancestors.", "embed_origin");
        }

        var (session, current) = await RefreshAsync(found, ct).ConfigureAwait(false);
        EnsureOpen(session);
        if (current is not null && current.Status is not (PaymentStatus.Failed or PaymentStatus.Canceled))
        {
            throw new GatewayException(ErrorKind.Conflict, ErrorCodes.CheckoutSessionPaymentInProgress,
                $"This checkout session's payment is '{current.Status.ToWire()}'; it must finish before another try.")
            {
                Resource = current.ToResource(),
            };
        }

        if ((request.Card is null) == (request.PaymentMethod is null))
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterMissing, "Send either card or payment_method.", "card");
        }

        var caller = new CallerContext(session.MerchantId, session.Livemode, ApiKeyKind.Publishable);
        var methodId = request.PaymentMethod
            ?? (await paymentMethods.CreateAsync(caller, new CreatePaymentMethodRequest { Type = "card", Card = request.Card, HolderName = request.HolderName }, null, ct)
                .ConfigureAwait(false)).Id;

        var metadata = new Dictionary<string, string>(session.Metadata, StringComparer.Ordinal) { [SessionMetadataKey] = session.Id };
        var save = session.SaveCard == CheckoutSaveCard.Require || (session.SaveCard == CheckoutSaveCard.Offer && request.SaveCard == true);
        var payment = await creation.CreateAsync(caller, new CreatePaymentRequest
        {
            Amount = session.Amount,
            Currency = session.Currency,
            CaptureMethod = session.CaptureMethod,
            PaymentMethod = methodId,
            Confirm = false,
            Description = session.Description ?? Summary(session),
            Metadata = metadata,
            ReturnUrl = returnUrl,
            Customer = session.Customer,
            SetupFutureUsage = save ? session.SetupFutureUsage : null,
        }, null, ct).ConfigureAwait(false);

        // Bind the payment to the session before charging: a concurrent payer loses here, before any provider call.
        session.PaymentId = payment.Id;
        session.Updated = time.GetUtcNow();
        try
        {
            await checkoutStore.UpdateCheckoutSessionAsync(session, ct).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException)
        {
            throw new GatewayException(ErrorKind.Conflict, ErrorCodes.ConcurrentUpdate, "This checkout session was paid or changed concurrently; reload it.");
        }

        var result = await cards.ConfirmAsync(caller, payment.Id, new ConfirmPaymentRequest(), ct).ConfigureAwait(false);
        if (result.Status is "succeeded" or "requires_capture")
        {
            await RefreshAsync(session, ct).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>The success URL with the session id appended (<c>session_id=cs_…</c>).</summary>
    public static string SuccessRedirect(CheckoutSession session)
    {
        var separator = session.SuccessUrl.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return $"{session.SuccessUrl}{separator}session_id={Uri.EscapeDataString(session.Id)}";
    }

    public static CheckoutSessionResource ToResource(CheckoutSession session, string url, string? clientSecret = null) => new()
    {
        Id = session.Id,
        Livemode = session.Livemode,
        Status = session.Status.ToWire(),
        Amount = session.Amount,
        Currency = session.Currency,
        CaptureMethod = session.CaptureMethod,
        Description = session.Description,
        LineItems = [.. session.LineItems.Select(i => new CheckoutLineItemResource { Name = i.Name, Quantity = i.Quantity, UnitAmount = i.UnitAmount, Amount = i.Quantity * i.UnitAmount })],
        SuccessUrl = session.SuccessUrl,
        CancelUrl = session.CancelUrl,
        AllowedFrameAncestors = session.AllowedFrameAncestors,
        Customer = session.Customer,
        SaveCard = session.SaveCard?.ToWire(),
        SetupFutureUsage = session.SetupFutureUsage,
        Url = url,
        ClientSecret = clientSecret,
        Payment = session.PaymentId,
        Metadata = session.Metadata,
        ExpiresAt = session.ExpiresAt,
        CompletedAt = session.CompletedAt,
        Created = session.Created,
    };

    /// <summary>Whether <paramref name="origin"/> is a bare http(s) origin (scheme, host, optional port; nothing else).</summary>
    public static bool IsOrigin(string? origin) =>
        origin is { Length: > 0 and <= 255 }
        && Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https"
        && string.Equals(uri.GetLeftPart(UriPartial.Authority), origin, StringComparison.Ordinal)
        && uri.UserInfo.Length == 0;

    private bool IsAuthorized(CheckoutSession session, string? clientSecret, string? pageToken)
    {
        if (clientSecret is not null)
        {
            return MerchantService.HashEquals(clientSecret, session.ClientSecretHash);
        }

        return pageToken is not null
               && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(pageToken), Encoding.ASCII.GetBytes(PageToken(session.Id)));
    }

    private static void EnsureOpen(CheckoutSession session)
    {
        switch (session.Status)
        {
            case CheckoutSessionStatus.Expired:
                throw new GatewayException(ErrorKind.Conflict, ErrorCodes.CheckoutSessionExpired, "This checkout session has expired.");
            case CheckoutSessionStatus.Complete:
                throw new GatewayException(ErrorKind.Conflict, ErrorCodes.CheckoutSessionNotOpen, "This checkout session is already paid.");
        }
    }

    /// <summary>
    /// Brings the session's status up to date: complete once its payment succeeded (or is authorized for manual
    /// capture), expired once past <see cref="CheckoutSession.ExpiresAt"/> with no payment underway. A payment still
    /// waiting for the customer (3-D Secure) when the session expires is canceled, so it cannot complete afterwards.
    /// </summary>
    private async Task<(CheckoutSession Session, Payment? Payment)> RefreshAsync(CheckoutSession session, CancellationToken ct)
    {
        for (var round = 0; ; round++)
        {
            var payment = session.PaymentId is null ? null : await paymentStore.GetPaymentByIdAsync(session.PaymentId, ct).ConfigureAwait(false);
            if (session.Status != CheckoutSessionStatus.Open)
            {
                return (session, payment);
            }

            var now = time.GetUtcNow();
            if (payment?.Status is PaymentStatus.Succeeded or PaymentStatus.RequiresCapture)
            {
                session.Status = CheckoutSessionStatus.Complete;
                session.CompletedAt = now;
            }
            else if (now >= session.ExpiresAt)
            {
                if (payment?.Status is PaymentStatus.RequiresAction or PaymentStatus.RequiresConfirmation or PaymentStatus.RequiresPaymentMethod)
                {
                    var caller = new CallerContext(session.MerchantId, session.Livemode, ApiKeyKind.Publishable);
                    try
                    {
                        await cancellation.CancelAsync(caller, payment.Id, new CancelPaymentRequest { CancellationReason = "abandoned" }, ct).ConfigureAwait(false);
                    }
                    catch (GatewayException)
                    {
                        // It moved on (the customer finished the challenge): decide on the next round.
                    }

                    payment = await paymentStore.GetPaymentByIdAsync(payment.Id, ct).ConfigureAwait(false);
                    if (payment?.Status is PaymentStatus.Succeeded or PaymentStatus.RequiresCapture && round < 2)
                    {
                        continue;
                    }
                }

                if (payment?.Status is PaymentStatus.Processing)
                {
                    return (session, payment); // the reconciler decides; the session follows on a later read
                }

                session.Status = CheckoutSessionStatus.Expired;
            }
            else
            {
                return (session, payment);
            }

            session.Updated = now;
            try
            {
                await checkoutStore.UpdateCheckoutSessionAsync(session, ct).ConfigureAwait(false);
                return (session, payment);
            }
            catch (ConcurrencyConflictException) when (round < 3)
            {
                session = await checkoutStore.GetCheckoutSessionAsync(session.Id, ct).ConfigureAwait(false) ?? throw GatewayException.NotFound("checkout session", session.Id);
            }
        }
    }

    /// <summary>The session's customer and how it saves the card: a live customer of the merchant is needed to save one.</summary>
    private async Task<(string? Customer, CheckoutSaveCard? SaveCard, string? Usage)> ValidateSaveCardAsync(
        CallerContext caller, CreateCheckoutSessionRequest request, CancellationToken ct)
    {
        var saveCard = request.SaveCard switch
        {
            null => (CheckoutSaveCard?)null,
            "offer" => CheckoutSaveCard.Offer,
            "require" => CheckoutSaveCard.Require,
            _ => throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "save_card must be 'offer' or 'require'.", "save_card"),
        };
        if (request.SetupFutureUsage is not null && saveCard is null)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "setup_future_usage needs save_card ('offer' or 'require').", "setup_future_usage");
        }

        var usage = request.SetupFutureUsage switch
        {
            null when saveCard is not null => "off_session",
            null => null,
            "on_session" or "off_session" => request.SetupFutureUsage,
            _ => throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "setup_future_usage must be 'on_session' or 'off_session'.", "setup_future_usage"),
        };
        if (request.Customer is null)
        {
            return saveCard is null ? (null, null, null) : throw GatewayException.Invalid(ErrorCodes.ParameterMissing, "save_card needs the customer the card is saved for.", "customer");
        }

        var customer = CustomerService.RequireLive(await customers.LoadAsync(caller, request.Customer, ct).ConfigureAwait(false), "customer");
        return (customer.Id, saveCard, usage);
    }

    private static string Summary(CheckoutSession session) =>
        session.LineItems.Count == 1 ? session.LineItems[0].Name : $"{session.LineItems.Count} items";

    private static List<CheckoutLineItem> ValidateLineItems(List<CheckoutLineItemRequest>? items)
    {
        if (items is null)
        {
            return [];
        }

        if (items.Count is 0 or > MaxLineItems)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"line_items must have 1 to {MaxLineItems} entries.", "line_items");
        }

        var result = new List<CheckoutLineItem>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i] ?? throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "A line item cannot be null.", $"line_items[{i}]");
            if (string.IsNullOrWhiteSpace(item.Name) || item.Name.Length > 200)
            {
                throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "Each line item needs a name of 1 to 200 characters.", $"line_items[{i}].name");
            }

            if (item.Quantity is not (>= 1 and <= 10_000))
            {
                throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "quantity must be 1 to 10000.", $"line_items[{i}].quantity");
            }

            if (item.UnitAmount is not > 0)
            {
                throw GatewayException.Invalid(ErrorCodes.AmountInvalid, "unit_amount must be a positive integer in minor units.", $"line_items[{i}].unit_amount");
            }

            result.Add(new CheckoutLineItem { Name = item.Name, Quantity = item.Quantity.Value, UnitAmount = item.UnitAmount.Value });
        }

        return result;
    }

    private static List<string> ValidateFrameAncestors(List<string>? origins, int max)
    {
        if (origins is null)
        {
            return [];
        }

        if (origins.Count > max)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"allowed_frame_ancestors can have at most {max} origins.", "allowed_frame_ancestors");
        }

        foreach (var origin in origins)
        {
            if (!IsOrigin(origin))
            {
                throw GatewayException.Invalid(ErrorCodes.UrlInvalid,
                    "Each allowed_frame_ancestors entry must be an origin like 'https://shop.example' (scheme, host, optional port; no path, no wildcard).",
                    "allowed_frame_ancestors");
            }
        }

        return [.. origins.Distinct(StringComparer.Ordinal)];
    }
}
