using PaymentGateway.Host.Infrastructure;

namespace PaymentGateway.Host.BackOffice;

/// <summary>The console's stylesheet and its one small script, embedded and served from /console/assets (no CDN).</summary>
internal static class ConsoleAssets
{
    private static readonly EmbeddedAssets Files = new("PaymentGateway.Host.BackOffice.Assets.", ["console.css", "console.js"]);

    public static void Map(IEndpointRouteBuilder app)
    {
        Files.Serve(app, "/console/assets/console.css", "console.css", "text/css; charset=utf-8");
        Files.Serve(app, "/console/assets/console.js", "console.js", "text/javascript; charset=utf-8");
    }
}
