using System.Text;
using PaymentGateway.Core.Disputes;
using PaymentGateway.Core.Vault;

namespace PaymentGateway.Core.UnitTests.Disputes;

public sealed class EvidenceFileTests
{
    internal static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    internal static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R'];
    internal static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F'];

    [Fact]
    public void Sniff_knows_pdf_png_and_jpeg_by_their_first_bytes_only()
    {
        Assert.Equal(EvidenceFileTypes.Pdf, EvidenceFileTypes.Sniff(Pdf));
        Assert.Equal(EvidenceFileTypes.Png, EvidenceFileTypes.Sniff(Png));
        Assert.Equal(EvidenceFileTypes.Jpeg, EvidenceFileTypes.Sniff(Jpeg));
        Assert.Null(EvidenceFileTypes.Sniff("GIF89a"u8));
        Assert.Null(EvidenceFileTypes.Sniff("<html><script>alert(1)</script>"u8));
        Assert.Null(EvidenceFileTypes.Sniff("MZ\x90\0"u8));
        Assert.Null(EvidenceFileTypes.Sniff(" %PDF-1.4"u8));
        Assert.Null(EvidenceFileTypes.Sniff([]));
    }

    [Theory]
    [InlineData("application/pdf", "application/pdf")]
    [InlineData("Application/PDF; charset=binary", "application/pdf")]
    [InlineData("image/jpg", "image/jpeg")]
    [InlineData(null, "")]
    public void Normalize_drops_parameters_and_case(string? declared, string expected) =>
        Assert.Equal(expected, EvidenceFileTypes.Normalize(declared));

    [Fact]
    public void Validate_accepts_a_file_whose_bytes_match_its_declared_type()
    {
        Assert.Equal(EvidenceFileTypes.Pdf, Core.Disputes.DisputeEvidenceService.Validate(Pdf, "application/pdf"));
        Assert.Equal(EvidenceFileTypes.Jpeg, Core.Disputes.DisputeEvidenceService.Validate(Jpeg, "image/jpeg"));
    }

    [Theory]
    [InlineData("html-as-pdf", "application/pdf")]
    [InlineData("png-as-pdf", "application/pdf")]
    [InlineData("pdf-as-octet-stream", "application/octet-stream")]
    [InlineData("pdf-as-html", "text/html")]
    [InlineData("empty", "application/pdf")]
    [InlineData("active-pdf", "application/pdf")]
    public void Validate_refuses_what_is_not_a_plain_document_of_its_declared_type(string what, string declared)
    {
        var bytes = what switch
        {
            "html-as-pdf" => Encoding.ASCII.GetBytes("<html><body>hi</body></html>"),
            "png-as-pdf" => Png,
            "empty" => [],
            "active-pdf" => Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF"),
            _ => Pdf,
        };

        var e = Assert.Throws<GatewayException>(() => Core.Disputes.DisputeEvidenceService.Validate(bytes, declared));

        Assert.Equal(ErrorCodes.EvidenceFileInvalid, e.Code);
        Assert.Equal(ErrorKind.InvalidRequest, e.Kind);
    }

    [Fact]
    public void Active_pdf_markers_need_a_delimiter_after_the_name()
    {
        Assert.Null(EvidenceFileTypes.FindActivePdfContent(Encoding.ASCII.GetBytes("%PDF-1.4 /JSON /AAA /Launchpad")));
        Assert.Equal("/Launch", EvidenceFileTypes.FindActivePdfContent(Encoding.ASCII.GetBytes("%PDF-1.4 << /Launch << /F (x.exe) >> >>")));
    }

    [Theory]
    [InlineData("receipt.pdf", "application/pdf", "receipt.pdf")]
    [InlineData("../../etc/passwd", "application/pdf", "passwd.pdf")]
    [InlineData("my scan \"final\".exe", "image/png", "my_scan_final.png")]
    [InlineData("\r\nContent-Type: text/html", "image/jpeg", "html.jpg")]
    [InlineData(null, "application/pdf", "evidence.pdf")]
    [InlineData("...", "image/png", "evidence.png")]
    public void SafeFileName_keeps_a_plain_name_with_the_types_extension(string? requested, string type, string expected) =>
        Assert.Equal(expected, EvidenceFileTypes.SafeFileName(requested, type));

    [Fact]
    public void Vault_encrypts_bytes_bound_to_the_file_id()
    {
        var vault = new CardVault(VaultKeyRing.Generate());
        var blob = vault.EncryptBytes("dpf_1", Png);

        Assert.Equal(Png, vault.DecryptBytes("dpf_1", blob));
        Assert.DoesNotContain(Convert.ToBase64String(Png), blob, StringComparison.Ordinal);
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => vault.DecryptBytes("dpf_2", blob));
        Assert.Equal("text", vault.Decrypt("r", vault.Encrypt("r", "text")));
    }
}
