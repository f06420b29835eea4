using System.Net;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using PaymentGateway.Host.Infrastructure;

namespace PaymentGateway.Host.Apis;

/// <summary>
/// The simulator's 3-D Secure challenge page (what a card issuer's ACS would show). The customer is redirected here
/// from <c>next_action.redirect_to_url</c>, passes or fails, and is sent on to the payment's <c>return_url</c>.
/// </summary>
public static class SimulatorChallengeApi
{
    public static void MapSimulatorChallenge(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/simulator/challenge").ExcludeFromDescription();

        group.MapGet("/{paymentId}", async (string paymentId, string? @ref, HttpContext http, IPaymentStore store, ICheckoutStore checkouts, CancellationToken ct) =>
        {
            var payment = await store.GetPaymentByIdAsync(paymentId, ct);
            if (payment is null || @ref is null || payment.CurrentAttempt?.ProviderReference != @ref)
            {
                return Page(http, StatusCodes.Status404NotFound, "Challenge not found", "<p>This challenge does not exist or has expired.</p>");
            }

            if (payment.Status != PaymentStatus.RequiresAction)
            {
                return Page(http, StatusCodes.Status409Conflict, "Challenge already completed",
                    $"<p>This payment is <strong>{WebUtility.HtmlEncode(payment.Status.ToWire())}</strong>.</p>");
            }

            var frameAncestors = await CheckoutFrameAncestorsAsync(payment, checkouts, ct);
            var amount = PaymentGateway.Providers.Currency.Get(payment.Currency).ToDecimalString(payment.Amount);
            var action = $"/simulator/challenge/{Uri.EscapeDataString(payment.Id)}?ref={Uri.EscapeDataString(@ref)}";
            return Page(http, StatusCodes.Status200OK, "Simulated 3-D Secure", $"""
                <p>Test bank: confirm the payment of <strong>{WebUtility.HtmlEncode(amount)} {WebUtility.HtmlEncode(payment.Currency)}</strong>.</p>
                <p>This page simulates the card issuer's challenge. Nothing real is charged.</p>
                <form method="post" action="{WebUtility.HtmlEncode(action)}">
                  <button type="submit" name="outcome" value="pass" id="pass">Complete authentication</button>
                  <button type="submit" name="outcome" value="fail" id="fail">Fail authentication</button>
                </form>
                """, frameAncestors);
        });

        group.MapPost("/{paymentId}", async (string paymentId, string? @ref, HttpContext http, IPaymentStore store, CardAuthorization payments, CancellationToken ct) =>
        {
            var payment = await store.GetPaymentByIdAsync(paymentId, ct);
            if (payment is null || @ref is null || payment.CurrentAttempt?.ProviderReference != @ref)
            {
                return Page(http, StatusCodes.Status404NotFound, "Challenge not found", "<p>This challenge does not exist or has expired.</p>");
            }

            var form = await FormBody.ReadAsync(http, ct);
            var outcome = form?["outcome"].ToString() == "pass" ? "pass" : "fail";
            var result = await payments.CompleteAuthenticationAsync(paymentId, new Dictionary<string, string> { ["outcome"] = outcome, ["ref"] = @ref }, ct);
            if (result.ReturnUrl is { } returnUrl)
            {
                var separator = returnUrl.Contains('?', StringComparison.Ordinal) ? '&' : '?';
                return Results.Redirect($"{returnUrl}{separator}payment={Uri.EscapeDataString(result.Id)}&status={result.Status.ToWire()}");
            }

            return Page(http, StatusCodes.Status200OK, "Authentication finished",
                $"<p id=\"status\">Payment {WebUtility.HtmlEncode(result.Id)} is now <strong>{WebUtility.HtmlEncode(result.Status.ToWire())}</strong>.</p>");
        }).DisableAntiforgery();
    }

    /// <summary>
    /// A payment started by a hosted checkout session may be challenged inside the session's iframe (as a real issuer's
    /// ACS page can be): then the session's allowed origins may frame this page; otherwise nobody may.
    /// </summary>
    internal static async Task<string> CheckoutFrameAncestorsAsync(Payment payment, ICheckoutStore store, CancellationToken ct)
    {
        if (!payment.Metadata.TryGetValue(PaymentGateway.Core.Checkout.CheckoutService.SessionMetadataKey, out var sessionId)
            || await store.GetCheckoutSessionAsync(sessionId, ct) is not { } session
            || session.MerchantId != payment.MerchantId || session.AllowedFrameAncestors.Count == 0)
        {
            return "'none'";
        }

        return string.Join(' ', session.AllowedFrameAncestors);
    }

    private static IResult Page(HttpContext http, int status, string title, string body, string frameAncestors = "'none'")
    {
        http.Response.Headers.ContentSecurityPolicy = $"default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors {frameAncestors}";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        return Results.Content($$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{WebUtility.HtmlEncode(title)}}</title>
            <style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}button{display:block;width:100%;margin:.5rem 0;padding:.75rem;font-size:1rem}</style>
            </head><body><main><h1>{{WebUtility.HtmlEncode(title)}}</h1>{{body}}</main></body></html>
            """, "text/html; charset=utf-8", statusCode: status);
    }
}
