using System.Net;
using PaymentGateway.Core;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using PaymentGateway.Providers;

namespace PaymentGateway.Host.Apis;

/// <summary>
/// A real provider's 3-D Secure round trip through the gateway. <c>/provider_actions/{paymentId}/{attemptId}</c> shows
/// an action the browser cannot follow as a plain navigation (an auto-submitted POST form to the issuer; a provider-SDK
/// action it explains); <c>/provider_returns/{accountId}/{paymentId}/{attemptId}</c> (GET and POST) is where the
/// provider sends the customer back: the path binds the return to the payment (<see cref="CardAuthorization.CompleteProviderReturnAsync"/>),
/// the adapter finishes the authorization, and the customer goes on to the payment's <c>return_url</c>.
/// </summary>
public static class ProviderReturnApi
{
    /// <summary>The most fields a return may carry (Adyen's <c>MD</c>/<c>PaRes</c>, Stripe's three, Checkout.com's one).</summary>
    private const int MaxFields = 16;

    /// <summary>The longest field value accepted (Adyen's <c>PaRes</c> and <c>redirectResult</c> are at most 20,000 characters).</summary>
    private const int MaxFieldLength = 20_000;

    /// <summary>The script that submits the action page's form (a file of its own: the pages run no inline script).</summary>
    private const string ActionScript = "document.addEventListener('DOMContentLoaded',function(){var f=document.getElementById('provider-action');if(f){f.submit();}});\n";

    public static void MapProviderReturns(this IEndpointRouteBuilder app)
    {
        app.MapGet(ProviderReturns.ActionPath + "/action.js", (HttpContext http) =>
        {
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Text(ActionScript, "text/javascript; charset=utf-8");
        }).ExcludeFromDescription();

        app.MapGet(ProviderReturns.ActionPath + "/{paymentId}/{attemptId}", async (string paymentId, string attemptId, HttpContext http, IPaymentStore store,
            ICheckoutStore checkouts, CancellationToken ct) =>
        {
            var payment = await store.GetPaymentByIdAsync(paymentId, ct);
            if (payment is null || payment.CurrentAttempt?.Id != attemptId || payment.Status != PaymentStatus.RequiresAction
                || payment.NextAction?.ProviderAction is not { } action)
            {
                return Page(http, StatusCodes.Status404NotFound, "Authentication not found", "<p>This authentication does not exist or is already finished.</p>");
            }

            var frameAncestors = await SimulatorChallengeApi.CheckoutFrameAncestorsAsync(payment, checkouts, ct);
            if (action is { Type: ProviderNextActionType.Redirect, Url: { } url } && Uri.TryCreate(url, UriKind.Absolute, out var target)
                && (target.Scheme == Uri.UriSchemeHttps || target.Scheme == Uri.UriSchemeHttp))
            {
                var fields = string.Concat(action.Data.Select(f =>
                    $"<input type=\"hidden\" name=\"{WebUtility.HtmlEncode(f.Key)}\" value=\"{WebUtility.HtmlEncode(f.Value)}\">"));
                return Page(http, StatusCodes.Status200OK, "Continue to your bank", $"""
                    <p>Your bank asks you to confirm this payment. You are being taken to its page.</p>
                    <form method="post" action="{WebUtility.HtmlEncode(target.AbsoluteUri)}" id="provider-action">{fields}
                      <button type="submit" id="continue">Continue to your bank</button>
                    </form>
                    """, frameAncestors, formAction: target.GetLeftPart(UriPartial.Authority), script: true);
            }

            // A provider-SDK action (Adyen threeDS2, Stripe use_stripe_sdk) needs the provider's own script, which the
            // gateway's pages do not load (no third-party script under the strict CSP). The adapters ask for the
            // redirect flow so this is not expected; the payment stays requires_action until it expires or is canceled.
            return Page(http, StatusCodes.Status409Conflict, "Authentication not available",
                $"<p>This payment asks for an authentication step ({WebUtility.HtmlEncode(action.ProviderType ?? "provider component")}) that this page cannot run. Please try another payment method.</p>",
                frameAncestors);
        }).ExcludeFromDescription();

        app.MapMethods(ProviderReturns.ReturnPath + "/{accountId}/{paymentId}/{attemptId}", [HttpMethods.Get, HttpMethods.Post],
            async (string accountId, string paymentId, string attemptId, HttpContext http, CardAuthorization payments, CancellationToken ct) =>
            {
                var details = await ReadDetailsAsync(http, ct);
                if (details is null)
                {
                    return Page(http, StatusCodes.Status400BadRequest, "Return not accepted", "<p>The bank's answer could not be read.</p>");
                }

                Payment result;
                try
                {
                    result = await payments.CompleteProviderReturnAsync(accountId, paymentId, attemptId, details, ct);
                }
                catch (GatewayException e) when (e.Code == ErrorCodes.ResourceMissing)
                {
                    return Page(http, StatusCodes.Status404NotFound, "Payment not found", "<p>This return does not belong to a payment waiting for it.</p>");
                }

                if (result.ReturnUrl is { } returnUrl)
                {
                    var separator = returnUrl.Contains('?', StringComparison.Ordinal) ? '&' : '?';
                    return Results.Redirect($"{returnUrl}{separator}payment={Uri.EscapeDataString(result.Id)}&status={result.Status.ToWire()}");
                }

                return Page(http, StatusCodes.Status200OK, "Authentication finished",
                    $"<p id=\"status\">Payment {WebUtility.HtmlEncode(result.Id)} is now <strong>{WebUtility.HtmlEncode(result.Status.ToWire())}</strong>.</p>");
            }).DisableAntiforgery().ExcludeFromDescription();
    }

    /// <summary>The query and form fields of a return (form fields win); null when there are too many or one is too long.</summary>
    private static async Task<Dictionary<string, string>?> ReadDetailsAsync(HttpContext http, CancellationToken ct)
    {
        var details = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in http.Request.Query)
        {
            details[key] = value.ToString();
        }

        if (HttpMethods.IsPost(http.Request.Method) && http.Request.HasFormContentType)
        {
            foreach (var (key, value) in await http.Request.ReadFormAsync(ct))
            {
                details[key] = value.ToString();
            }
        }

        return details.Count > MaxFields || details.Any(d => d.Key.Length > 64 || d.Value.Length > MaxFieldLength) ? null : details;
    }

    private static IResult Page(HttpContext http, int status, string title, string body, string frameAncestors = "'none'", string formAction = "'none'",
        bool script = false)
    {
        var scriptSource = script ? "'self'" : "'none'";
        http.Response.Headers.ContentSecurityPolicy =
            $"default-src 'none'; script-src {scriptSource}; form-action {formAction}; frame-ancestors {frameAncestors}; base-uri 'none'";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        http.Response.Headers.CacheControl = "no-store";
        var scriptTag = script ? $"<script src=\"{ProviderReturns.ActionPath}/action.js\"></script>" : string.Empty;
        return Results.Content($"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{WebUtility.HtmlEncode(title)}</title>{scriptTag}
            </head><body><main><h1>{WebUtility.HtmlEncode(title)}</h1>{body}</main></body></html>
            """, "text/html; charset=utf-8", statusCode: status);
    }
}
