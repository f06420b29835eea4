using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace PaymentGateway.Host.Checkout;

/// <summary>The hosted page's CSS and scripts and the browser SDK, embedded in the assembly and served from the gateway origin (no CDN).</summary>
internal static class CheckoutAssets
{
    private static readonly FrozenDictionary<string, (byte[] Body, string ContentType, string ETag)> Files = Load();

    public static void MapCheckoutAssets(this IEndpointRouteBuilder app)
    {
        Serve(app, "/checkout/assets/checkout.css", "checkout.css", "text/css; charset=utf-8");
        Serve(app, "/checkout/assets/checkout.js", "checkout.js", "text/javascript; charset=utf-8");
        Serve(app, "/checkout/assets/fields.js", "fields.js", "text/javascript; charset=utf-8");
        Serve(app, "/checkout/assets/card.js", "card.js", "text/javascript; charset=utf-8");
        Serve(app, "/js/v1/gateway.js", "gateway.js", "text/javascript; charset=utf-8");
        Serve(app, "/js/v1/gateway.d.ts", "gateway.d.ts", "application/typescript; charset=utf-8");
    }

    private static void Serve(IEndpointRouteBuilder app, string path, string name, string contentType)
    {
        app.MapGet(path, (HttpContext http) =>
        {
            var (body, _, etag) = Files[name];
            http.Response.Headers.ETag = etag;
            http.Response.Headers.CacheControl = "public, max-age=300";
            http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
            if (http.Request.Headers.IfNoneMatch.ToString() == etag)
            {
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }

            // gateway.js is loaded cross-origin by merchant pages.
            if (name == "gateway.js" || name == "gateway.d.ts")
            {
                http.Response.Headers.AccessControlAllowOrigin = "*";
                http.Response.Headers["Cross-Origin-Resource-Policy"] = "cross-origin";
            }

            return Results.Bytes(body, contentType);
        }).ExcludeFromDescription();
    }

    private static FrozenDictionary<string, (byte[], string, string)> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var files = new Dictionary<string, (byte[], string, string)>(StringComparer.Ordinal);
        foreach (var name in new[] { "checkout.css", "checkout.js", "fields.js", "card.js", "gateway.js", "gateway.d.ts" })
        {
            using var stream = assembly.GetManifestResourceStream("PaymentGateway.Host.Checkout.Assets." + name)
                               ?? throw new InvalidOperationException($"Embedded asset {name} is missing.");
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            files[name] = (bytes, string.Empty, "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] + "\"");
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
