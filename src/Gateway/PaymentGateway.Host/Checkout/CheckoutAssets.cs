using PaymentGateway.Host.Infrastructure;

namespace PaymentGateway.Host.Checkout;

/// <summary>The hosted page's CSS and scripts and the browser SDK, embedded in the assembly and served from the gateway origin (no CDN).</summary>
internal static class CheckoutAssets
{
    private static readonly EmbeddedAssets Files = new("PaymentGateway.Host.Checkout.Assets.",
        ["checkout.css", "checkout.js", "fields.js", "card.js", "gateway.js", "gateway.d.ts"]);

    public static void MapCheckoutAssets(this IEndpointRouteBuilder app)
    {
        Files.Serve(app, "/checkout/assets/checkout.css", "checkout.css", "text/css; charset=utf-8");
        Files.Serve(app, "/checkout/assets/checkout.js", "checkout.js", "text/javascript; charset=utf-8");
        Files.Serve(app, "/checkout/assets/fields.js", "fields.js", "text/javascript; charset=utf-8");
        Files.Serve(app, "/checkout/assets/card.js", "card.js", "text/javascript; charset=utf-8");

        // gateway.js is loaded cross-origin by merchant pages.
        Files.Serve(app, "/js/v1/gateway.js", "gateway.js", "text/javascript; charset=utf-8", CrossOrigin);
        Files.Serve(app, "/js/v1/gateway.d.ts", "gateway.d.ts", "application/typescript; charset=utf-8", CrossOrigin);
    }

    private static void CrossOrigin(HttpResponse response)
    {
        response.Headers.AccessControlAllowOrigin = "*";
        response.Headers["Cross-Origin-Resource-Policy"] = "cross-origin";
    }
}
