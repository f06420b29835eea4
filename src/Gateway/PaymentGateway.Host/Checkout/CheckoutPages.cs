using System.Globalization;
using System.Net;
using System.Text;
using PaymentGateway.Core.Checkout;
using PaymentGateway.Core.Payments;
using PaymentGateway.Providers;

namespace PaymentGateway.Host.Checkout;

/// <summary>
/// The hosted checkout page and the hosted card fields, rendered on the server as HTML-encoded templates. Self-contained:
/// CSS and JS come from the gateway origin; no inline script or style (CSP <c>script-src 'self'</c>); framing only for
/// the session's allowed origins.
/// </summary>
internal static class CheckoutPages
{
    private const string BasePolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'";

    public static IResult Checkout(HttpContext http, CheckoutSession session, Payment? payment, string pageToken, string? fieldsOrigin)
    {
        var amount = FormatAmount(session.Amount, session.Currency);
        var currency = Currency.Get(session.Currency);
        var state = session.Status.ToWire();
        var lastError = payment is { Status: PaymentStatus.Failed or PaymentStatus.Canceled, LastPaymentError: { } error } && session.Status == CheckoutSessionStatus.Open
            ? error.Message
            : null;
        var pendingAction = session.Status == CheckoutSessionStatus.Open && payment is { Status: PaymentStatus.RequiresAction, NextAction.RedirectToUrl.Url: { } url } ? url : null;

        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"""
            <main class="checkout" id="checkout" data-session="{E(session.Id)}" data-token="{E(pageToken)}" data-state="{E(state)}"
              data-mode="{(fieldsOrigin is null ? "page" : "fields")}" data-success-url="{E(CheckoutService.SuccessRedirect(session))}" data-cancel-url="{E(session.CancelUrl)}"
              data-parent-origins="{E(CheckoutApi.JsonArray(fieldsOrigin is null ? session.AllowedFrameAncestors : [fieldsOrigin]))}"
              data-payment="{E(payment?.Id ?? string.Empty)}" data-payment-status="{E(payment?.Status.ToWire() ?? string.Empty)}"
              data-amount="{session.Amount}" data-currency="{E(session.Currency)}" data-exponent="{currency.Exponent}">
            """);
        if (!session.Livemode)
        {
            body.Append("<p class=\"test-mode\">Test mode: no real money moves. Pay with 4242 4242 4242 4242.</p>");
        }

        body.Append(CultureInfo.InvariantCulture, $"""
            <section class="summary" aria-labelledby="summary-title">
              <h1 id="summary-title"><span class="label">Pay</span> <span class="amount" id="amount" data-minor="{session.Amount}">{E(amount)}</span></h1>
            """);
        if (session.Description is { Length: > 0 } description)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p class=\"description\">{E(description)}</p>");
        }

        if (session.LineItems.Count > 0)
        {
            body.Append("<ul class=\"items\">");
            foreach (var item in session.LineItems)
            {
                var line = FormatAmount(item.Quantity * item.UnitAmount, session.Currency);
                body.Append(CultureInfo.InvariantCulture,
                    $"<li><span class=\"item-name\">{E(item.Name)}</span> <span class=\"item-qty\">× {item.Quantity}</span> <span class=\"amount\" data-minor=\"{item.Quantity * item.UnitAmount}\">{E(line)}</span></li>");
            }

            body.Append("</ul>");
        }

        body.Append("</section>");
        var status = 200;
        switch (session.Status)
        {
            case CheckoutSessionStatus.Expired:
                status = StatusCodes.Status410Gone;
                body.Append(CultureInfo.InvariantCulture, $"""
                    <section class="outcome" id="outcome" role="status">
                      <h2>This checkout has expired</h2>
                      <p>Nothing was charged. Return to the merchant to start again.</p>
                      <p><a class="button secondary" id="cancel-link" href="{E(session.CancelUrl)}">Return to merchant</a></p>
                    </section>
                    """);
                break;
            case CheckoutSessionStatus.Complete:
                body.Append(CultureInfo.InvariantCulture, $"""
                    <section class="outcome" id="outcome" role="status">
                      <h2>Payment received</h2>
                      <p>Thank you. You are being returned to the merchant.</p>
                      <p><a class="button" id="continue-link" href="{E(CheckoutService.SuccessRedirect(session))}">Continue</a></p>
                    </section>
                    """);
                break;
            default:
                body.Append(CultureInfo.InvariantCulture, $"""
                    <form id="pay-form" class="pay-form" novalidate aria-describedby="form-error">
                      <div id="form-error" class="error" role="alert" aria-live="assertive"{(lastError is null ? " hidden" : string.Empty)}>{E(lastError ?? string.Empty)}</div>
                      {CardFields()}
                      {SaveCardChoice(session)}
                      <button type="submit" id="pay-button" class="button">Pay <span class="amount" data-minor="{session.Amount}">{E(amount)}</span></button>
                      <p class="secure">Card details go straight to the payment gateway; the shop never sees them.</p>
                      <a class="button secondary" id="cancel-link" href="{E(session.CancelUrl)}">Cancel and return to merchant</a>
                    </form>
                    """);
                if (pendingAction is not null)
                {
                    body.Append(CultureInfo.InvariantCulture,
                        $"<p class=\"notice\" id=\"pending-action\">Your bank asked to confirm this payment. <a href=\"{E(pendingAction)}\">Continue to your bank</a></p>");
                }

                break;
        }

        body.Append("""<div id="status" class="visually-hidden" role="status" aria-live="polite"></div></main>""");
        var ancestors = fieldsOrigin is null ? session.AllowedFrameAncestors : [fieldsOrigin];
        return Html(http, status, $"Pay {amount}", body.ToString(), "/checkout/assets/checkout.js", FrameAncestors(ancestors));
    }

    public static IResult Fields(HttpContext http, string origin)
    {
        var body = $"""
            <main class="fields" id="fields" data-parent-origin="{E(origin)}">
              <form id="fields-form" class="pay-form" novalidate>
                <div id="form-error" class="error" role="alert" aria-live="assertive" hidden></div>
                {CardFields()}
              </form>
              <div id="status" class="visually-hidden" role="status" aria-live="polite"></div>
            </main>
            """;
        return Html(http, 200, "Card details", body, "/checkout/assets/fields.js", FrameAncestors([origin]), "fields-page");
    }

    public static IResult BadFieldsOrigin(HttpContext http) =>
        Html(http, StatusCodes.Status400BadRequest, "Card fields unavailable",
            "<main class=\"checkout\"><h1>Card fields unavailable</h1><p>The embedding page did not say its origin.</p></main>", null, "'none'");

    public static IResult NotFound(HttpContext http) =>
        Html(http, StatusCodes.Status404NotFound, "Checkout not found",
            "<main class=\"checkout\"><h1>Checkout not found</h1><p>This checkout link is not valid. Return to the merchant and start again.</p></main>", null, "'none'");

    /// <summary>The amount as the customer reads it, from the currency table's exponent (the page's script re-formats it in the browser's locale).</summary>
    public static string FormatAmount(long minor, string currencyCode)
    {
        var currency = Currency.Get(currencyCode);
        var value = (decimal)minor;
        for (var i = 0; i < currency.Exponent; i++)
        {
            value /= 10;
        }

        return value.ToString("N" + currency.Exponent.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + " " + currency.Code;
    }

    private static string CardFields() => """
        <div class="field">
          <label for="cardholder">Name on card</label>
          <input id="cardholder" type="text" autocomplete="cc-name" maxlength="100" spellcheck="false">
        </div>
        <div class="field">
          <label for="card-number">Card number</label>
          <input id="card-number" type="text" inputmode="numeric" autocomplete="cc-number" maxlength="23" required aria-required="true"
                 aria-describedby="card-number-error" spellcheck="false" placeholder="1234 1234 1234 1234">
          <span id="card-number-error" class="field-error" aria-live="polite"></span>
        </div>
        <div class="row">
          <div class="field">
            <label for="card-expiry">Expiry date (MM/YY)</label>
            <input id="card-expiry" type="text" inputmode="numeric" autocomplete="cc-exp" maxlength="7" required aria-required="true"
                   aria-describedby="card-expiry-error" placeholder="MM/YY">
            <span id="card-expiry-error" class="field-error" aria-live="polite"></span>
          </div>
          <div class="field">
            <label for="card-cvc">Security code (CVC)</label>
            <input id="card-cvc" type="text" inputmode="numeric" autocomplete="cc-csc" maxlength="4" required aria-required="true"
                   aria-describedby="card-cvc-error" placeholder="123">
            <span id="card-cvc-error" class="field-error" aria-live="polite"></span>
          </div>
        </div>
        """;

    /// <summary>The "save this card" checkbox (offer) or the notice that paying saves it (require); nothing when the session does not save cards.</summary>
    private static string SaveCardChoice(CheckoutSession session)
    {
        if (session.Customer is null || session.SaveCard is not { } saveCard)
        {
            return string.Empty;
        }

        var use = session.SetupFutureUsage == "off_session"
            ? "The merchant may charge it later for purchases you agreed to, without asking you for the card again."
            : "Next time you pay this merchant you will not need to type it again.";
        return saveCard == CheckoutSaveCard.Require
            ? $"<p class=\"notice\" id=\"save-card-notice\">Paying saves this card with the merchant. {E(use)}</p>"
            : $"""
              <div class="checkbox-field">
                <input id="save-card" type="checkbox" aria-describedby="save-card-help">
                <label for="save-card">Save this card for future payments</label>
                <p id="save-card-help" class="help">{E(use)}</p>
              </div>
              """;
    }

    private static string FrameAncestors(IReadOnlyCollection<string> origins) =>
        origins.Count == 0 ? "'none'" : string.Join(' ', origins);

    private static IResult Html(HttpContext http, int status, string title, string body, string? script, string frameAncestors, string bodyClass = "checkout-page")
    {
        http.Response.Headers.ContentSecurityPolicy = $"{BasePolicy}; frame-ancestors {frameAncestors}";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        http.Response.Headers.CacheControl = "no-store";
        var scriptTag = script is null ? string.Empty : $"<script src=\"/checkout/assets/card.js\" defer></script>\n<script src=\"{script}\" defer></script>";
        return Results.Content($"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex">
            <title>{E(title)}</title>
            <link rel="stylesheet" href="/checkout/assets/checkout.css">
            {scriptTag}
            </head>
            <body class="{bodyClass}">
            {body}
            </body>
            </html>
            """, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    private static string E(string value) => WebUtility.HtmlEncode(value);
}
