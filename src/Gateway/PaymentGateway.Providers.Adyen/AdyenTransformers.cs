using System.Collections.Frozen;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Adyen;

/// <summary>Adyen's <c>ServiceError</c>: <c>status</c>, <c>errorCode</c>, <c>errorType</c>, <c>message</c>, <c>pspReference</c>.</summary>
public sealed record AdyenError
{
    /// <summary>Adyen's error code ("702", "704", ...).</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The error category ("validation", "security", "configuration", "internal").</summary>
    public string? ErrorType { get; init; }

    /// <summary>A short explanation.</summary>
    public string? Message { get; init; }

    /// <summary>The PSP reference, when Adyen assigned one.</summary>
    public string? PspReference { get; init; }
}

/// <summary>
/// Pure translations between gateway types and Adyen Checkout v71 / Standard webhook wire types: request bodies,
/// <c>resultCode</c> and refusal reasons, modification answers, errors, amounts and HMAC-signed notification items.
/// </summary>
public static class AdyenTransformers
{
    /// <summary>Adyen's documented maximum length of an <c>Idempotency-Key</c>.</summary>
    public const int MaxIdempotencyKeyLength = 64;

    // Adyen's currency table follows ISO 4217 except for these (docs.adyen.com/development-resources/currency-codes).
    private static readonly FrozenDictionary<string, int> ExponentOverrides =
        new Dictionary<string, int>(StringComparer.Ordinal) { ["CLP"] = 2, ["CVE"] = 0, ["IDR"] = 0, ["ISK"] = 2 }.ToFrozenDictionary(StringComparer.Ordinal);

    // refusalReasonCode, refusalReason, normalized code (docs.adyen.com/development-resources/refusal-reasons).
    private static readonly (string Code, string Reason, string Normalized)[] RefusalReasons =
    [
        ("2", "Refused", DeclineCodes.GenericDecline),
        ("3", "Referral", DeclineCodes.GenericDecline),
        ("4", "Acquirer Error", DeclineCodes.ProcessingError),
        ("5", "Blocked Card", DeclineCodes.GenericDecline),
        ("6", "Expired Card", DeclineCodes.ExpiredCard),
        ("7", "Invalid Amount", DeclineCodes.GenericDecline),
        ("8", "Invalid Card Number", DeclineCodes.GenericDecline),
        ("9", "Issuer Unavailable", DeclineCodes.ProcessingError),
        ("10", "Not supported", DeclineCodes.GenericDecline),
        ("11", "3D Not Authenticated", DeclineCodes.AuthenticationFailed),
        ("12", "Not enough balance", DeclineCodes.InsufficientFunds),
        ("14", "Acquirer Fraud", DeclineCodes.Fraudulent),
        ("15", "Cancelled", DeclineCodes.GenericDecline),
        ("16", "Shopper Cancelled", DeclineCodes.GenericDecline),
        ("17", "Invalid Pin", DeclineCodes.GenericDecline),
        ("18", "Pin tries exceeded", DeclineCodes.GenericDecline),
        ("19", "Pin validation not possible", DeclineCodes.GenericDecline),
        ("20", "FRAUD", DeclineCodes.Fraudulent),
        ("21", "Not Submitted", DeclineCodes.ProcessingError),
        ("22", "FRAUD-CANCELLED", DeclineCodes.Fraudulent),
        ("23", "Transaction Not Permitted", DeclineCodes.GenericDecline),
        ("24", "CVC Declined", DeclineCodes.IncorrectCvc),
        ("25", "Restricted Card", DeclineCodes.GenericDecline),
        ("26", "Revocation Of Auth", DeclineCodes.GenericDecline),
        ("27", "Declined Non Generic", DeclineCodes.GenericDecline),
        ("28", "Withdrawal amount exceeded", DeclineCodes.InsufficientFunds),
        ("29", "Withdrawal count exceeded", DeclineCodes.InsufficientFunds),
        ("31", "Issuer Suspected Fraud", DeclineCodes.Fraudulent),
        ("32", "AVS Declined", DeclineCodes.GenericDecline),
        // A soft decline: the issuer wants the cardholder to authenticate (typically an off-session payment).
        ("38", "Authentication required", DeclineCodes.AuthenticationRequired),
    ];

    private static readonly FrozenDictionary<string, string> ByRefusalCode =
        RefusalReasons.ToFrozenDictionary(r => r.Code, r => r.Normalized, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> ByRefusalReason =
        RefusalReasons.ToFrozenDictionary(r => r.Reason, r => r.Normalized, StringComparer.OrdinalIgnoreCase);

    /// <summary>The documented refusal reason table: code, reason text, normalized decline code.</summary>
    public static IReadOnlyList<(string Code, string Reason, string Normalized)> RefusalReasonTable => RefusalReasons;

    // ---- amounts and keys ----

    /// <summary>The number of decimals Adyen expects for a currency.</summary>
    public static int AdyenExponent(Currency currency)
    {
        ArgumentNullException.ThrowIfNull(currency);
        return ExponentOverrides.TryGetValue(currency.Code, out var exponent) ? exponent : currency.Exponent;
    }

    /// <summary>The amount in Adyen's minor units; throws <see cref="ArgumentException"/> when it cannot be represented.</summary>
    public static long ToAdyenAmount(Money amount) => amount.ToUnits(AdyenExponent(amount.Currency));

    /// <summary>An Adyen amount back to gateway money; null for an unknown currency.</summary>
    public static Money? FromAdyenAmount(long value, string? currency) =>
        Currency.TryFind(currency, out var found) ? Money.FromUnits(value, AdyenExponent(found), found) : null;

    /// <summary>
    /// The key sent as <c>Idempotency-Key</c>: the gateway's key unchanged when it fits Adyen's 64 characters, else
    /// its SHA-256 in hex (64 characters, still stable across retries).
    /// </summary>
    public static string IdempotencyKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Length <= MaxIdempotencyKeyLength ? key : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    // ---- requests ----

    /// <summary>
    /// <c>POST /payments</c> with raw card details (<c>scheme</c>) and what web 3-D Secure 2 needs: the required
    /// <c>returnUrl</c>, <c>channel: Web</c>, <c>origin</c> (the browser's, else the return URL's origin),
    /// <c>shopperIP</c> and <c>browserInfo</c> when the gateway knows them (browserInfo only complete: Adyen requires all
    /// its fields). Manual capture is asked with <c>additionalData.manualCapture</c>; automatic capture with
    /// <c>captureDelayHours: 0</c>. A requested challenge is <c>authenticationData.attemptAuthentication: always</c> with
    /// <c>threeDSRequestorChallengeInd: 03</c>; every request asks for the redirect flow
    /// (<c>authenticationData.threeDSRequestData.nativeThreeDS: disabled</c>). The description becomes a <c>shopperStatement</c> of Adyen's allowed
    /// characters. The card number and CVC are revealed here, into the body only.
    /// <para>Stored credentials (<see cref="AdyenStoredCards"/>): a payment on a token of this account sends
    /// <c>storedPaymentMethodId</c> instead of the card; <paramref name="zeroAuth"/> (setup mode) sends neither capture field.</para>
    /// </summary>
    public static byte[] PaymentRequestBody(AuthorizeRequest request, string merchantAccount, string returnUrl, bool zeroAuth = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(returnUrl);
        var storedId = AdyenStoredCards.StoredPaymentMethodId(request.StoredCredential);
        var card = request.Card ?? (storedId is null ? throw new ArgumentException("The Adyen adapter sends card data; the request has none.", nameof(request)) : null);
        var browser = request.Browser;
        var networkTxReference = AdyenStoredCards.NetworkTxReference(request.StoredCredential);
        return ProviderJson.Write(w =>
        {
            WriteAmount(w, request.Amount);
            w.WriteString("merchantAccount", merchantAccount);
            w.WriteString("reference", request.PaymentId);
            w.WriteString("returnUrl", returnUrl);
            w.WriteStartObject("paymentMethod");
            w.WriteString("type", "scheme");
            if (storedId is not null)
            {
                // Adyen's token: the card number stays in the vault.
                w.WriteString("storedPaymentMethodId", storedId);
            }
            else if (card is not null)
            {
                w.WriteString("number", card.Number.Reveal());
                w.WriteString("expiryMonth", card.ExpMonth.ToString("00", CultureInfo.InvariantCulture));
                w.WriteString("expiryYear", card.ExpYear.ToString(CultureInfo.InvariantCulture));
                if (card.Cvc is { } cvc)
                {
                    w.WriteString("cvc", cvc.Reveal());
                }

                if (card.HolderName is { } holder)
                {
                    w.WriteString("holderName", holder);
                }
            }

            w.WriteEndObject();
            if (request.Capture && !zeroAuth)
            {
                w.WriteNumber("captureDelayHours", 0);
            }

            if ((!request.Capture && !zeroAuth) || networkTxReference is not null)
            {
                w.WriteStartObject("additionalData");
                if (!request.Capture && !zeroAuth)
                {
                    w.WriteString("manualCapture", "true");
                }

                if (networkTxReference is not null)
                {
                    w.WriteString("networkTxReference", networkTxReference);
                }

                w.WriteEndObject();
            }

            w.WriteString("shopperInteraction", AdyenStoredCards.ShopperInteraction(request.StoredCredential));
            AdyenStoredCards.Write(w, request.StoredCredential);
            w.WriteString("channel", "Web");
            if ((browser?.Origin ?? OriginOf(returnUrl)) is { } origin)
            {
                w.WriteString("origin", origin);
            }

            if (browser?.IpAddress is { } ip)
            {
                w.WriteString("shopperIP", ip);
            }

            if (browser is { HasThreeDSecureBrowserData: true })
            {
                WriteBrowserInfo(w, browser);
            }

            // The redirect 3-D Secure flow (nativeThreeDS: disabled): Adyen answers a redirect action the hosted
            // checkout and gateway.js follow as a page, never a threeDS2 action that needs Adyen's Web Components.
            w.WriteStartObject("authenticationData");
            if (request.ThreeDSecure == ThreeDSecurePreference.Challenge)
            {
                w.WriteString("attemptAuthentication", "always");
            }

            w.WriteStartObject("threeDSRequestData");
            w.WriteString("nativeThreeDS", "disabled");
            w.WriteEndObject();
            w.WriteEndObject();
            if (request.ThreeDSecure == ThreeDSecurePreference.Challenge)
            {
                w.WriteStartObject("threeDS2RequestData");
                w.WriteString("threeDSRequestorChallengeInd", "03");
                w.WriteEndObject();
            }

            if (ShopperStatement(request.Description) is { } statement)
            {
                w.WriteString("shopperStatement", statement);
            }

            w.WriteStartObject("metadata");
            w.WriteString("gateway_attempt_id", request.AttemptId);
            w.WriteEndObject();
        });
    }

    /// <summary>Adyen's longest recommended <c>shopperStatement</c> (banks cut longer ones).</summary>
    public const int MaxShopperStatementLength = 22;

    /// <summary>
    /// A description as a <c>shopperStatement</c>: only the characters Adyen allows (letters, digits, spaces and
    /// <c>. , ' _ - ? + * /</c>; anything else becomes a space, runs of spaces one), at most 22 characters; null when nothing is left.
    /// </summary>
    public static string? ShopperStatement(string? description)
    {
        if (description is null)
        {
            return null;
        }

        var allowed = new string(description.Select(c => char.IsAsciiLetterOrDigit(c) || ".,'_-?+*/".Contains(c, StringComparison.Ordinal) ? c : ' ').ToArray());
        var cleaned = string.Join(' ', allowed.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (cleaned.Length > MaxShopperStatementLength)
        {
            cleaned = cleaned[..MaxShopperStatementLength].TrimEnd();
        }

        return cleaned.Length == 0 ? null : cleaned;
    }

    /// <summary>The origin (<c>scheme://host[:port]</c>, no path, no trailing slash) of an absolute http(s) URL; null otherwise or when longer than Adyen's 80 characters.</summary>
    public static string? OriginOf(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && uri.GetLeftPart(UriPartial.Authority) is { Length: <= 80 } origin
            ? origin
            : null;

    private static void WriteBrowserInfo(Utf8JsonWriter w, CustomerBrowser browser)
    {
        w.WriteStartObject("browserInfo");
        w.WriteString("acceptHeader", browser.AcceptHeader);
        w.WriteNumber("colorDepth", browser.ColorDepth ?? 24);
        w.WriteBoolean("javaEnabled", browser.JavaEnabled ?? false);
        if (browser.JavaScriptEnabled is { } javaScript)
        {
            w.WriteBoolean("javaScriptEnabled", javaScript);
        }

        w.WriteString("language", browser.Language);
        w.WriteNumber("screenHeight", browser.ScreenHeight ?? 0);
        w.WriteNumber("screenWidth", browser.ScreenWidth ?? 0);
        w.WriteNumber("timeZoneOffset", browser.TimeZoneOffsetMinutes ?? 0);
        w.WriteString("userAgent", browser.UserAgent);
        w.WriteEndObject();
    }

    /// <summary>
    /// The fields of <c>PaymentCompletionDetails</c> a card payment's redirect returns (<c>redirectResult</c> on a GET
    /// return, <c>MD</c>/<c>PaRes</c> on a 3-D Secure 1 POST return, <c>threeDSResult</c>, <c>payload</c>): only these
    /// are forwarded, so a parameter the shopper's browser added never reaches Adyen (its schema allows no others).
    /// </summary>
    public static readonly FrozenSet<string> ReturnDetailFields =
        FrozenSet.ToFrozenSet(["redirectResult", "MD", "PaRes", "threeDSResult", "payload", "returnUrlQueryString"], StringComparer.Ordinal);

    /// <summary><c>POST /payments/details</c> with what the shopper's redirect returned (<see cref="ReturnDetailFields"/> only).</summary>
    public static byte[] PaymentDetailsBody(CompleteAuthenticationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ProviderJson.Write(w =>
        {
            w.WriteStartObject("details");
            foreach (var (key, value) in request.Details.Where(d => ReturnDetailFields.Contains(d.Key)).OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                w.WriteString(key, value);
            }

            w.WriteEndObject();
        });
    }

    /// <summary><c>POST /payments/{pspReference}/captures</c>.</summary>
    public static byte[] CaptureBody(CaptureRequest request, string merchantAccount)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ProviderJson.Write(w =>
        {
            w.WriteString("merchantAccount", merchantAccount);
            WriteAmount(w, request.Amount);
            w.WriteString("reference", request.PaymentId);
        });
    }

    /// <summary><c>POST /payments/{pspReference}/cancels</c>.</summary>
    public static byte[] CancelBody(VoidRequest request, string merchantAccount)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ProviderJson.Write(w =>
        {
            w.WriteString("merchantAccount", merchantAccount);
            w.WriteString("reference", request.PaymentId);
        });
    }

    /// <summary><c>POST /payments/{pspReference}/refunds</c>; the reference is the gateway refund id, echoed in the REFUND webhook.</summary>
    public static byte[] RefundBody(RefundRequest request, string merchantAccount)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ProviderJson.Write(w =>
        {
            w.WriteString("merchantAccount", merchantAccount);
            WriteAmount(w, request.Amount);
            w.WriteString("reference", request.RefundId);
        });
    }

    // ---- responses ----

    /// <summary>
    /// A <c>resultCode</c> to an outcome. <c>Authorised</c> is <see cref="ProviderOutcome.Authorized"/> for manual
    /// capture; under automatic capture it is <see cref="ProviderOutcome.Pending"/>: Adyen captures asynchronously and the
    /// capture can still fail, so the payment is not succeeded until the CAPTURE notification says so. Anything not
    /// listed is pending.
    /// </summary>
    public static ProviderOutcome ResultCodeOutcome(string? resultCode, bool capture) => resultCode switch
    {
        "Authorised" => capture ? ProviderOutcome.Pending : ProviderOutcome.Authorized,
        "Refused" or "Error" or "Cancelled" => ProviderOutcome.Declined,
        "RedirectShopper" or "ChallengeShopper" or "IdentifyShopper" or "PresentToShopper" => ProviderOutcome.RequiresAction,
        // Pending, Received, PartiallyAuthorised (needs a decision), AuthenticationFinished/NotRequired
        // (authentication-only flows), Success (not documented for cards) and any new value: ask again later.
        _ => ProviderOutcome.Pending,
    };

    /// <summary>Maps a <c>/payments</c> or <c>/payments/details</c> answer.</summary>
    public static ProviderPaymentResult ToPaymentResult(JsonElement response, bool capture)
    {
        var resultCode = response.String("resultCode");
        var outcome = ResultCodeOutcome(resultCode, capture);
        var result = AdyenStoredCards.WithReferences(
            new ProviderPaymentResult { Outcome = outcome, ProviderReference = response.String("pspReference"), RawStatus = resultCode }, response);
        return outcome switch
        {
            ProviderOutcome.Declined => result with
            {
                DeclineCode = resultCode switch
                {
                    "Error" => DeclineCodes.ProcessingError,
                    "Cancelled" => DeclineCodes.GenericDecline,
                    _ => MapRefusalReason(response.String("refusalReasonCode"), response.String("refusalReason")),
                },
                Message = response.String("refusalReason"),
            },
            ProviderOutcome.RequiresAction when NextAction(response) is { } action => result with
            {
                Action = action,
                RedirectUrl = action is { Type: ProviderNextActionType.Redirect, Method: "GET" } ? action.Url : null,
            },
            _ when outcome == ProviderOutcome.Pending && resultCode == "Authorised" => result with
            {
                Message = "Authorised; Adyen captures asynchronously, the CAPTURE notification settles it.",
            },
            _ => result,
        };
    }

    /// <summary>
    /// The answer's <c>action</c>: <c>redirect</c> is a redirect to its <c>url</c> by its <c>method</c> (a <c>POST</c>
    /// carries <c>data</c> as form fields); <c>threeDS2</c> (fingerprint or challenge, no URL) and every other type are
    /// data for Adyen's component, carried as the action object's JSON. Null when there is no action.
    /// </summary>
    public static ProviderNextAction? NextAction(JsonElement response)
    {
        if (!response.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var type = action.String("type");
        if (type == "redirect" && action.String("url") is { } url)
        {
            var data = new Dictionary<string, string>(StringComparer.Ordinal);
            if (action.TryGetProperty("data", out var fields) && fields.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in fields.EnumerateObject().Where(f => f.Value.ValueKind == JsonValueKind.String))
                {
                    data[field.Name] = field.Value.GetString() ?? string.Empty;
                }
            }

            var method = string.Equals(action.String("method"), "POST", StringComparison.OrdinalIgnoreCase) ? "POST" : "GET";
            return new ProviderNextAction { Type = ProviderNextActionType.Redirect, Url = url, Method = method, Data = data, ProviderType = type };
        }

        return new ProviderNextAction { Type = ProviderNextActionType.ProviderSdk, SdkData = action.GetRawText(), ProviderType = type };
    }

    /// <summary>Normalizes a refusal by <c>refusalReasonCode</c> (preferred) or <c>refusalReason</c> text; unknown is a generic decline.</summary>
    public static string MapRefusalReason(string? refusalReasonCode, string? refusalReason)
    {
        if (refusalReasonCode is not null && ByRefusalCode.TryGetValue(refusalReasonCode, out var byCode))
        {
            return byCode;
        }

        if (refusalReason is not null && ByRefusalReason.TryGetValue(refusalReason.Trim(), out var byReason))
        {
            return byReason;
        }

        return DeclineCodes.GenericDecline;
    }

    /// <summary>
    /// A capture or cancel answer. Adyen only acknowledges (<c>status: received</c>); the result comes by webhook,
    /// so it is always <see cref="ProviderOutcome.Pending"/>.
    /// </summary>
    public static ProviderPaymentResult ToModificationResult(JsonElement response, string paymentReference) => new()
    {
        Outcome = ProviderOutcome.Pending,
        ProviderReference = paymentReference,
        RawStatus = response.String("status"),
    };

    /// <summary>A refund answer: pending (result by REFUND webhook), with the refund's own PSP reference.</summary>
    public static ProviderRefundResult ToRefundResult(JsonElement response) => new()
    {
        Outcome = ProviderOutcome.Pending,
        ProviderReference = response.String("pspReference"),
    };

    /// <summary>Reads a <c>ServiceError</c>; null when the body is not one.</summary>
    public static AdyenError? ParseError(JsonElement body) =>
        body.ValueKind != JsonValueKind.Object || (body.String("errorCode") is null && body.String("message") is null)
            ? null
            : new AdyenError
            {
                ErrorCode = body.String("errorCode"),
                ErrorType = body.String("errorType"),
                Message = body.String("message"),
                PspReference = body.String("pspReference"),
            };

    /// <summary>
    /// What Adyen documents an error to mean where it differs from the shared status rule
    /// (<see cref="ProviderErrorPolicy.ForStatus"/>): errorCode 704 (a request with this idempotency key is in progress,
    /// or was processed with other data) may have been processed, whatever the status. Null: the shared rule decides
    /// (400/404/422 validation refusals, 401/403/429/502/503 not processed, 500/504 unknown).
    /// </summary>
    public static ProviderErrorDisposition? DocumentedDisposition(AdyenError? error) =>
        error?.ErrorCode == "704" ? ProviderErrorDisposition.OutcomeUnknown : null;

    /// <summary>The declined result for a validation error; an invalid card number (errorCode 101) is a generic decline.</summary>
    public static ProviderPaymentResult DeclinedFromError(AdyenError? error, string? providerReference) => new()
    {
        Outcome = ProviderOutcome.Declined,
        ProviderReference = error?.PspReference ?? providerReference,
        DeclineCode = error?.ErrorCode == "101" ? DeclineCodes.GenericDecline : DeclineCodes.ProcessingError,
        Message = error?.Message,
        RawStatus = error?.ErrorCode is { } code ? "error_" + code : null,
    };

    // ---- helpers ----

    private static void WriteAmount(Utf8JsonWriter writer, Money amount)
    {
        writer.WriteStartObject("amount");
        writer.WriteString("currency", amount.Currency.Code);
        writer.WriteNumber("value", ToAdyenAmount(amount));
        writer.WriteEndObject();
    }
}
