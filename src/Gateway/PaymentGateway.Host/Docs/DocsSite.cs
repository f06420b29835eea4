using System.Collections.Frozen;
using System.Net;
using System.Reflection;
using System.Text;
using Markdig;
using PaymentGateway.Core.Payments;
using PaymentGateway.Host.Infrastructure;

namespace PaymentGateway.Host.Docs;

/// <summary>
/// The documentation site at <c>/docs</c> (docs/api-reference.md): an index, the guides of docs/ rendered on the server
/// from Markdown (raw HTML in them is not passed through), the payment and dispute state diagrams, and the API reference
/// (Scalar's standalone bundle, from the gateway's origin, with its vendor's buttons, agent, telemetry and fonts off).
/// Every page: no inline script, no CDN, a strict CSP.
/// </summary>
internal static class DocsSite
{
    /// <summary>No inline script anywhere; Scalar's bundle sets style attributes, so styles may be inline on the reference only.</summary>
    private const string PageCsp = "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private const string ReferenceCsp = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UsePipeTables().UseAutoIdentifiers().DisableHtml().Build();

    /// <summary>The guides: docs/*.md embedded at build time (name without extension → Markdown), and their images.</summary>
    private static readonly Lazy<FrozenDictionary<string, string>> Guides = new(() => Resources(".md")
        .ToFrozenDictionary(r => r.Name, r => Encoding.UTF8.GetString(r.Bytes), StringComparer.Ordinal));

    private static readonly Lazy<FrozenDictionary<string, byte[]>> Images = new(() => Resources(".png")
        .ToFrozenDictionary(r => r.Name + ".png", r => r.Bytes, StringComparer.Ordinal));

    private const string GuidePrefix = "PaymentGateway.Host.Docs.Guides.";

    public static WebApplication MapDocsSite(this WebApplication app)
    {
        var assets = new EmbeddedAssets("PaymentGateway.Host.Docs.Assets.", ["docs.css", "reference.js"]);
        assets.Serve(app, "/docs/assets/docs.css", "docs.css", "text/css; charset=utf-8");
        assets.Serve(app, "/docs/assets/reference.js", "reference.js", "text/javascript; charset=utf-8");
        var scalar = ScalarBundle();
        app.MapGet("/docs/assets/scalar.js", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=3600";
            http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
            return Results.Bytes(scalar, "text/javascript; charset=utf-8");
        }).ExcludeFromDescription();

        app.MapGet("/docs", (HttpContext http) => Page(http, "PaymentGateway documentation", IndexBody(), PageCsp)).ExcludeFromDescription();
        app.MapGet("/docs/reference", (HttpContext http) => Page(http, "API reference", """
            <div id="main" class="reference"><h1 class="skip">API reference</h1><div id="reference"></div></div>
            <script src="/docs/assets/scalar.js"></script>
            <script src="/docs/assets/reference.js"></script>
            """, ReferenceCsp)).ExcludeFromDescription();
        app.MapGet("/docs/guides/{name}", (HttpContext http, string name) =>
            Guides.Value.TryGetValue(name, out var markdown)
                ? Page(http, Title(name, markdown), "<main id=\"main\">" + RenderGuide(markdown) + "</main>", PageCsp)
                : throw Core.GatewayException.NotFound("guide", name)).ExcludeFromDescription();
        app.MapGet("/docs/images/{file}", (HttpContext http, string file) =>
        {
            if (!Images.Value.TryGetValue(file, out var bytes))
            {
                throw Core.GatewayException.NotFound("image", file);
            }

            http.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Bytes(bytes, "image/png");
        }).ExcludeFromDescription();
        app.MapGet("/docs/state-diagram", (HttpContext http) => Page(http, "Payment state diagram",
            Diagram("Payment state diagram", "Every status a payment can have and the transitions between them, generated from the state machine the gateway runs.",
                PaymentStateMachine.ToMermaid(), "/docs/state-diagram.mmd"), PageCsp)).ExcludeFromDescription();
        app.MapGet("/docs/dispute-state-diagram", (HttpContext http) => Page(http, "Dispute state diagram",
            Diagram("Dispute state diagram", "Every status a dispute can have and the transitions between them, generated from the dispute state machine.",
                Core.Disputes.DisputeStateMachine.ToMermaid(), "/docs/dispute-state-diagram.mmd"), PageCsp)).ExcludeFromDescription();
        return app;
    }

    private static string IndexBody()
    {
        var html = new StringBuilder("<main id=\"main\"><h1>PaymentGateway documentation</h1>");
        html.Append("<p>The <a href=\"/docs/reference\">API reference</a> describes every REST operation, field, error code and header ")
            .Append("(from <a href=\"/openapi/v1.json\">/openapi/v1.json</a>, the same document client generators read). The guides explain how the pieces fit.</p>");
        html.Append("<h2 id=\"guides\">Guides</h2><ul class=\"guides\">");
        foreach (var (name, markdown) in Guides.Value.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            html.Append("<li><a href=\"/docs/guides/").Append(WebUtility.UrlEncode(name)).Append("\">").Append(WebUtility.HtmlEncode(Title(name, markdown))).Append("</a></li>");
        }

        html.Append("</ul><h2>State diagrams</h2><ul class=\"guides\">")
            .Append("<li><a href=\"/docs/state-diagram\">Payment state diagram</a> (<a href=\"/docs/state-diagram.mmd\">Mermaid source</a>)</li>")
            .Append("<li><a href=\"/docs/dispute-state-diagram\">Dispute state diagram</a> (<a href=\"/docs/dispute-state-diagram.mmd\">Mermaid source</a>)</li></ul></main>");
        return html.ToString();
    }

    private static string Diagram(string title, string intro, string mermaid, string source)
    {
        var lines = mermaid.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.Contains("-->", StringComparison.Ordinal))
            .Select(l => l.Split("-->", 2))
            .Select(p => (From: p[0].Trim(), Target: p[1].Split(':', 2)))
            .Select(t => "<tr><td>" + WebUtility.HtmlEncode(t.From) + "</td><td>" + WebUtility.HtmlEncode(t.Target[0].Trim()) + "</td><td>"
                + WebUtility.HtmlEncode(t.Target.Length > 1 ? t.Target[1].Trim() : "") + "</td></tr>");
        return $"""
            <main id="main"><h1>{WebUtility.HtmlEncode(title)}</h1><p>{WebUtility.HtmlEncode(intro)}</p>
            <table><caption class="muted">Transitions ([*] is the start or the end)</caption><thead><tr><th scope="col">From</th><th scope="col">To</th><th scope="col">On</th></tr></thead>
            <tbody>{string.Concat(lines)}</tbody></table>
            <h2>Mermaid source</h2><p>Paste it into any Mermaid renderer to draw it; <a href="{source}">download it</a>.</p>
            <pre><code>{WebUtility.HtmlEncode(mermaid)}</code></pre></main>
            """;
    }

    /// <summary>Markdown to HTML; links between guides (payments.md) and to images (images/x.png) follow the site's paths.</summary>
    private static string RenderGuide(string markdown)
    {
        var html = Markdig.Markdown.ToHtml(markdown, Markdown);
        html = System.Text.RegularExpressions.Regex.Replace(html, "href=\"(?:\\./|docs/)?([a-z0-9-]+)\\.md(#[^\"]*)?\"", "href=\"/docs/guides/$1$2\"");
        return html.Replace("src=\"images/", "src=\"/docs/images/", StringComparison.Ordinal);
    }

    private static string Title(string name, string markdown) =>
        markdown.Split('\n').FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal))?[2..].Trim() ?? name;

    private static IResult Page(HttpContext http, string title, string body, string csp)
    {
        http.Response.Headers.ContentSecurityPolicy = csp;
        http.Response.Headers.CacheControl = "no-cache";
        return Results.Content($"""
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{WebUtility.HtmlEncode(title)} · PaymentGateway</title><link rel="stylesheet" href="/docs/assets/docs.css"></head>
            <body><a class="skip" href="#main">Skip to content</a>
            <header class="site"><a class="brand" href="/docs">PaymentGateway docs</a>
            <nav aria-label="Documentation"><ul><li><a href="/docs/reference">API reference</a></li><li><a href="/docs#guides">Guides</a></li>
            <li><a href="/docs/state-diagram">Payment states</a></li><li><a href="/openapi/v1.json">OpenAPI JSON</a></li></ul></nav></header>
            {body}
            </body></html>
            """, "text/html; charset=utf-8");
    }

    private static byte[] ScalarBundle()
    {
        using var stream = typeof(Scalar.AspNetCore.ScalarOptions).Assembly.GetManifestResourceStream("ScalarStaticAssets.scalar.js")
                           ?? throw new InvalidOperationException("Scalar's bundle is missing from Scalar.AspNetCore.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        if (bytes is not [0x1f, 0x8b, ..])
        {
            return bytes;
        }

        // The package stores it gzip-compressed.
        using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(bytes), System.IO.Compression.CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        return plain.ToArray();
    }

    private static IEnumerable<(string Name, byte[] Bytes)> Resources(string extension)
    {
        var assembly = Assembly.GetExecutingAssembly();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (resource.StartsWith(GuidePrefix, StringComparison.Ordinal) && resource.EndsWith(extension, StringComparison.Ordinal))
            {
                using var stream = assembly.GetManifestResourceStream(resource) ?? throw new InvalidOperationException(resource);
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                yield return (resource[GuidePrefix.Length..^extension.Length], buffer.ToArray());
            }
        }
    }
}
