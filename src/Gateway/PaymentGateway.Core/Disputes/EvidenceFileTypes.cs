using System.Text;

namespace PaymentGateway.Core.Disputes;

/// <summary>
/// What an uploaded evidence file is, from its own first bytes, never from what the uploader declared: PDF
/// (<c>%PDF-</c>), PNG (its 8-byte signature) or JPEG (<c>FF D8 FF</c>). The declared type must agree. A PDF carrying
/// active content the gateway can see (<c>/JavaScript</c>, <c>/JS</c>, <c>/Launch</c>, <c>/EmbeddedFile</c>,
/// <c>/OpenAction</c>, <c>/AA</c> in an uncompressed object) is refused: evidence is a document, not a program. This is
/// a cheap guard, not a virus scan; the gateway never opens, renders or executes a file, and serves it back only as an
/// attachment.
/// </summary>
public static class EvidenceFileTypes
{
    public const string Pdf = "application/pdf";
    public const string Png = "image/png";
    public const string Jpeg = "image/jpeg";

    public static IReadOnlyList<string> Allowed { get; } = [Pdf, Png, Jpeg];

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly string[] ActivePdfMarkers = ["/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/OpenAction", "/AA", "/RichMedia", "/XFA"];

    /// <summary>The type the bytes are, or null when they are none of the allowed ones.</summary>
    public static string? Sniff(ReadOnlySpan<byte> content)
    {
        if (content.StartsWith("%PDF-"u8))
        {
            return Pdf;
        }

        if (content.StartsWith(PngSignature))
        {
            return Png;
        }

        return content.Length >= 3 && content[0] == 0xFF && content[1] == 0xD8 && content[2] == 0xFF ? Jpeg : null;
    }

    /// <summary>The declared content type without parameters, lower case (<c>Image/PNG; x=1</c> → <c>image/png</c>).</summary>
    public static string Normalize(string? declared) =>
        (declared ?? string.Empty).Split(';', 2)[0].Trim().ToLowerInvariant() switch
        {
            "image/jpg" or "image/pjpeg" => Jpeg,
            var other => other,
        };

    /// <summary>The PDF's first active-content marker outside compressed streams, or null.</summary>
    public static string? FindActivePdfContent(ReadOnlySpan<byte> pdf)
    {
        // Latin-1 keeps one char per byte, so names match at byte positions; binary stream data may contain anything,
        // but a name is only a marker when a delimiter follows it.
        var text = Encoding.Latin1.GetString(pdf);
        foreach (var marker in ActivePdfMarkers)
        {
            for (var at = text.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = text.IndexOf(marker, at + 1, StringComparison.Ordinal))
            {
                var end = at + marker.Length;
                if (end >= text.Length || text[end] is ' ' or '/' or '<' or '(' or '[' or '\r' or '\n' or '\t')
                {
                    return marker;
                }
            }
        }

        return null;
    }

    /// <summary>A file name safe to store and to put in a Content-Disposition header, ending in the type's extension.</summary>
    public static string SafeFileName(string? requested, string contentType)
    {
        var extension = contentType switch { Pdf => ".pdf", Png => ".png", _ => ".jpg" };
        var name = Path.GetFileNameWithoutExtension(requested ?? string.Empty);
        var sb = new StringBuilder();
        foreach (var ch in name)
        {
            if (char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.')
            {
                sb.Append(ch);
            }
            else if (ch == ' ' && sb.Length > 0)
            {
                sb.Append('_');
            }

            if (sb.Length == 80)
            {
                break;
            }
        }

        var stem = sb.ToString().Trim('.');
        return (stem.Length == 0 ? "evidence" : stem) + extension;
    }
}
