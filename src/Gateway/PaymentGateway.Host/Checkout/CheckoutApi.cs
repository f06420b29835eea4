using System.Text.Json;
using Microsoft.Extensions.Options;
using PaymentGateway.Core;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Checkout;
using PaymentGateway.Host.Apis;
using PaymentGateway.Host.Infrastructure;

namespace PaymentGateway.Host.Checkout;

/// <summary>
/// Hosted checkout: the sessions API (secret key), the hosted page and hosted card fields (gateway origin), and the
/// pay endpoint they call (authorised by the page token or the session's client secret, never a secret key).
/// </summary>
public static class CheckoutApi
{
    public const string PageTokenHeader = "X-Checkout-Token";

    public static IEndpointRouteBuilder MapCheckout(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/checkout/sessions").WithTags("Checkout").RequireKey(KeyRequirement.Secret);

        group.MapPost("/", async (HttpContext http, CheckoutService checkout, IOptions<GatewayOptions> options, CancellationToken ct) =>
            {
                var request = JsonBody.Read(http, ApiJson.Context.CreateCheckoutSessionRequest, allowEmpty: false);
                var (session, clientSecret) = await checkout.CreateAsync(http.Caller(), request, ct);
                return TypedResults.Json(CheckoutService.ToResource(session, PageUrl(http, options.Value, session.Id), clientSecret),
                    ApiJson.Context.CheckoutSessionResource);
            })
            .WithMetadata(new SensitiveResponseAttribute())
            .WithName("CreateCheckoutSession")
            .WithSummary("Create checkout session").WithDescription("Create a hosted checkout session. Send the customer to `url` (or frame it on an allowed origin); `client_secret` is in this response only.")
            .WithJsonBody<CreateCheckoutSessionRequest>().Produces<CheckoutSessionResource>().WithStandardProblems();

        group.MapGet("/{id}", async (string id, HttpContext http, CheckoutService checkout, IOptions<GatewayOptions> options, CancellationToken ct) =>
            {
                var session = await checkout.GetAsync(http.Caller(), id, ct);
                return TypedResults.Json(CheckoutService.ToResource(session, PageUrl(http, options.Value, session.Id)), ApiJson.Context.CheckoutSessionResource);
            })
            .WithName("GetCheckoutSession").WithSummary("Retrieve checkout session").WithDescription("Retrieve a checkout session: status (open, complete, expired) and its payment.")
            .Produces<CheckoutSessionResource>().WithStandardProblems(404);

        var pages = app.MapGroup("/checkout").ExcludeFromDescription();
        pages.MapGet("/{id}", async (string id, string? mode, string? origin, HttpContext http, CheckoutService checkout, CancellationToken ct) =>
        {
            if (!id.StartsWith(Ids.CheckoutSession + "_", StringComparison.Ordinal) || await checkout.FindForPageAsync(id, ct) is not { } found)
            {
                return CheckoutPages.NotFound(http);
            }

            var fieldsOrigin = mode == "fields" && found.Session.AllowedFrameAncestors.Contains(origin ?? string.Empty, StringComparer.Ordinal) ? origin : null;
            return CheckoutPages.Checkout(http, found.Session, found.Payment, checkout.PageToken(found.Session.Id), fieldsOrigin);
        });

        pages.MapGet("/fields", (string? origin, HttpContext http) =>
            origin is { } embedder && CheckoutService.IsOrigin(embedder) ? CheckoutPages.Fields(http, embedder) : CheckoutPages.BadFieldsOrigin(http));

        pages.MapPost("/{id}/pay", async (string id, HttpContext http, CheckoutService checkout, IOptions<GatewayOptions> options, CancellationToken ct) =>
        {
            // CSRF: only the gateway's own pages may call this (browsers send Sec-Fetch-Site; a cross-site JSON POST also
            // needs a CORS preflight, which is never granted), and the hosted page must echo its page token.
            var site = http.Request.Headers["Sec-Fetch-Site"].ToString();
            if (site.Length > 0 && site != "same-origin")
            {
                throw new GatewayException(ErrorKind.PermissionDenied, ErrorCodes.CheckoutClientSecretInvalid, "Checkout can only be paid from the gateway's own pages.");
            }

            var request = JsonBody.Read(http, ApiJson.Context.CheckoutPayRequest, allowEmpty: false);
            var pageToken = http.Request.Headers[PageTokenHeader].ToString();
            var returnUrl = PageUrl(http, options.Value, id);
            if (request.EmbedOrigin is { } embedOrigin)
            {
                returnUrl += "?mode=fields&origin=" + Uri.EscapeDataString(embedOrigin);
            }

            var payment = await checkout.PayAsync(id, request, pageToken.Length == 0 ? null : pageToken, returnUrl, ct);
            return TypedResults.Json(payment, ApiJson.Context.PaymentResource);
        }).DisableAntiforgery();

        app.MapCheckoutAssets();
        return app;
    }

    /// <summary>The hosted page's absolute URL: the configured public base URL, else this request's scheme and host.</summary>
    public static string PageUrl(HttpContext http, GatewayOptions options, string sessionId)
    {
        var baseUrl = options.PublicBaseUrl is { Length: > 0 } configured
            ? configured.TrimEnd('/')
            : $"{http.Request.Scheme}://{http.Request.Host.Value}";
        return $"{baseUrl}/checkout/{Uri.EscapeDataString(sessionId)}";
    }

    internal static string JsonArray(IEnumerable<string> values) => JsonSerializer.Serialize(values.ToArray(), CheckoutPagesJson.Default.StringArray);
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class CheckoutPagesJson : System.Text.Json.Serialization.JsonSerializerContext;
