using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace PaymentGateway.Host.Infrastructure;

/// <summary>
/// Static files embedded in the assembly and served from the gateway origin (no CDN): an ETag from the content, a short
/// public cache, <c>304</c> on a match, and a CSP that lets the file run nothing of its own. The hosted checkout and the
/// console serve their CSS and scripts through this.
/// </summary>
internal sealed class EmbeddedAssets
{
    private readonly FrozenDictionary<string, (byte[] Body, string ETag)> _files;

    public EmbeddedAssets(string resourcePrefix, IEnumerable<string> names)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            using var stream = assembly.GetManifestResourceStream(resourcePrefix + name)
                               ?? throw new InvalidOperationException($"Embedded asset {name} is missing.");
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            files[name] = (bytes, "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] + "\"");
        }

        _files = files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Maps GET <paramref name="path"/> to the embedded file <paramref name="name"/>; <paramref name="extraHeaders"/> may add headers (CORS).</summary>
    public void Serve(IEndpointRouteBuilder app, string path, string name, string contentType, Action<HttpResponse>? extraHeaders = null)
    {
        var (body, etag) = _files[name];
        app.MapGet(path, (HttpContext http) =>
        {
            http.Response.Headers.ETag = etag;
            http.Response.Headers.CacheControl = "public, max-age=300";
            http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
            if (http.Request.Headers.IfNoneMatch.ToString() == etag)
            {
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }

            extraHeaders?.Invoke(http.Response);
            return Results.Bytes(body, contentType);
        }).ExcludeFromDescription();
    }
}
