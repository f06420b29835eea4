using System.Globalization;
using System.IO.Compression;
using Google.Protobuf;
using PaymentGateway.TraceViewer.Otlp.Collector;
using PaymentGateway.TraceViewer.Otlp.Common;
using PaymentGateway.TraceViewer.Otlp.Trace;

namespace PaymentGateway.TraceViewer;

/// <summary>Decodes an OTLP/HTTP protobuf body (ExportTraceServiceRequest, optionally gzip-compressed) into spans.</summary>
public static class OtlpTraceDecoder
{
    /// <summary>Largest decompressed body accepted (a gzip bomb stops here).</summary>
    public const int MaxBodyBytes = 16 * 1024 * 1024;

    public static async Task<ExportTraceServiceRequest> ReadAsync(Stream body, bool gzip, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var buffer = new MemoryStream();
        var source = gzip ? new GZipStream(body, CompressionMode.Decompress, leaveOpen: true) : body;
        try
        {
            var chunk = new byte[81920];
            int read;
            while ((read = await source.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
                {
                    throw new InvalidDataException($"The request body is larger than {MaxBodyBytes} bytes.");
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            if (gzip)
            {
                await source.DisposeAsync().ConfigureAwait(false);
            }
        }

        buffer.Position = 0;
        return ExportTraceServiceRequest.Parser.ParseFrom(buffer);
    }

    /// <summary>Every span of the request with its resource's <c>service.name</c> and <c>service.instance.id</c>.</summary>
    public static IEnumerable<StoredSpan> Flatten(ExportTraceServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var resource = resourceSpans.Resource?.Attributes.ToDictionary(a => a.Key, a => Format(a.Value)) ?? [];
            var service = resource.GetValueOrDefault("service.name") ?? "unknown";
            var instance = resource.GetValueOrDefault("service.instance.id");
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                var scope = scopeSpans.Scope?.Name ?? string.Empty;
                foreach (var span in scopeSpans.Spans)
                {
                    if (span.TraceId.Length != 16 || span.SpanId.Length != 8)
                    {
                        continue; // invalid per the spec; nothing to index it by
                    }

                    var attributes = new SortedDictionary<string, string>(StringComparer.Ordinal);
                    foreach (var attribute in span.Attributes)
                    {
                        attributes[attribute.Key] = Format(attribute.Value);
                    }

                    yield return new StoredSpan(
                        Hex(span.TraceId),
                        Hex(span.SpanId),
                        span.ParentSpanId.Length == 8 && span.ParentSpanId.Any(b => b != 0) ? Hex(span.ParentSpanId) : null,
                        span.Name,
                        span.Kind.ToString().Replace("SpanKind", string.Empty, StringComparison.Ordinal).ToLowerInvariant(),
                        service,
                        instance,
                        scope,
                        span.StartTimeUnixNano,
                        span.EndTimeUnixNano,
                        attributes,
                        (span.Status?.Code ?? Status.Types.StatusCode.Unset).ToString().Replace("StatusCode", string.Empty, StringComparison.Ordinal).ToLowerInvariant(),
                        string.IsNullOrEmpty(span.Status?.Message) ? null : span.Status.Message,
                        span.Events.Select(e => e.Name).ToList());
                }
            }
        }
    }

    /// <summary>An attribute value as text (arrays and maps in a compact JSON-like form).</summary>
    public static string Format(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString("R", CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.ArrayValue => "[" + string.Join(", ", value.ArrayValue.Values.Select(Format)) + "]",
        AnyValue.ValueOneofCase.KvlistValue => "{" + string.Join(", ", value.KvlistValue.Values.Select(kv => kv.Key + ": " + Format(kv.Value))) + "}",
        AnyValue.ValueOneofCase.BytesValue => Convert.ToBase64String(value.BytesValue.Span),
        _ => string.Empty,
    };

    public static string Hex(ByteString bytes) => Convert.ToHexStringLower((bytes ?? ByteString.Empty).Span);
}
