using System.Net;
using System.Net.Http.Headers;

namespace PaymentGateway.Sdk.Internal;

/// <summary>
/// A request body copied from the caller's stream as it is sent (chunked when the length is unknown), with
/// <c>Content-Type: application/xml</c>. Unlike <see cref="StreamContent"/> it leaves the stream open for its owner.
/// </summary>
internal sealed class XmlStreamContent : HttpContent
{
    private readonly Stream _stream;

    public XmlStreamContent(Stream stream)
    {
        _stream = stream;
        Headers.ContentType = new MediaTypeHeaderValue("application/xml");
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        _stream.CopyToAsync(stream);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        _stream.CopyToAsync(stream, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        if (_stream.CanSeek)
        {
            length = _stream.Length - _stream.Position;
            return true;
        }

        length = 0;
        return false;
    }
}
