using System.Text.Json;
using System.Text.RegularExpressions;
using Google.Protobuf;
using PaymentGateway.TraceViewer.Otlp.Collector;

namespace PaymentGateway.TraceViewer;

/// <summary>
/// The viewer's HTTP surface. OTLP/HTTP in (<c>POST /v1/traces</c>, binary protobuf, optionally gzip), and out:
/// <c>GET /api/traces?attribute=key=value</c>, <c>GET /api/traces/{traceId}</c> (JSON), <c>GET /api/traces/{traceId}/tree</c>
/// (text) and <c>GET /traces/{traceId}</c> (HTML waterfall). Metrics and logs sent to the same endpoint are accepted
/// and dropped, so a gateway exporting everything over OTLP does not log export failures.
/// </summary>
public static partial class TraceViewerApp
{
    public const string ProtobufContentType = "application/x-protobuf";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddSingleton(new SpanStore(builder.Configuration.GetValue("TraceViewer:Capacity", 20_000)));
        builder.Services.AddProblemDetails();
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning); // not a line per received export
        configure?.Invoke(builder);
        var app = builder.Build();
        Map(app);
        return app;
    }

    private static void Map(WebApplication app)
    {
        app.MapPost("/v1/traces", async (HttpContext http, SpanStore store, ILoggerFactory logs) =>
        {
            if (!IsProtobuf(http.Request.ContentType))
            {
                return Results.Problem(statusCode: 415, title: "Unsupported media type", detail: $"Send OTLP as {ProtobufContentType} (OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf).");
            }

            var encoding = http.Request.Headers.ContentEncoding.ToString();
            if (encoding.Length > 0 && !encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase) && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
            {
                return Results.Problem(statusCode: 415, title: "Unsupported content encoding", detail: "Only gzip is supported.");
            }

            ExportTraceServiceRequest request;
            try
            {
                request = await OtlpTraceDecoder.ReadAsync(http.Request.Body, encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase), http.RequestAborted);
            }
            catch (Exception e) when (e is InvalidProtocolBufferException or InvalidDataException)
            {
                logs.CreateLogger("PaymentGateway.TraceViewer").LogWarning("Rejected an OTLP body: {Reason}", e.Message);
                return Results.Problem(statusCode: 400, title: "Bad OTLP body", detail: "The body is not an ExportTraceServiceRequest.");
            }

            store.Add(OtlpTraceDecoder.Flatten(request).ToList());
            return Results.Bytes(new ExportTraceServiceResponse().ToByteArray(), ProtobufContentType);
        });
        app.MapPost("/v1/metrics", (Delegate)Discard);
        app.MapPost("/v1/logs", (Delegate)Discard);

        app.MapGet("/api/traces", (string? attribute, int? limit, SpanStore store) =>
        {
            string? key = null, value = null;
            if (!string.IsNullOrEmpty(attribute))
            {
                var eq = attribute.IndexOf('=', StringComparison.Ordinal);
                (key, value) = eq > 0 ? (attribute[..eq], attribute[(eq + 1)..]) : (attribute, null);
            }

            var traces = store.Find(key, value, Math.Clamp(limit ?? 20, 1, 200));
            return Results.Json(new { traces }, Json);
        });
        app.MapGet("/api/traces/{traceId}", (string traceId, SpanStore store) =>
            Lookup(traceId, store, spans => Results.Json(new { trace_id = traceId.ToLowerInvariant(), span_count = spans.Count, spans }, Json)));
        app.MapGet("/api/traces/{traceId}/tree", (string traceId, SpanStore store) =>
            Lookup(traceId, store, spans => Results.Text(TraceRendering.Text(spans), "text/plain; charset=utf-8")));
        app.MapGet("/traces/{traceId}", (string traceId, SpanStore store) =>
            Lookup(traceId, store, spans => Results.Content(TraceRendering.Html(traceId.ToLowerInvariant(), spans), "text/html; charset=utf-8")));
        app.MapGet("/", (SpanStore store) => Results.Json(new { spans = store.Count, capacity = store.Capacity, traces = store.Find(null, null, 20) }, Json));
    }

    private static async Task<IResult> Discard(HttpContext http)
    {
        await http.Request.Body.CopyToAsync(Stream.Null, http.RequestAborted);
        return Results.Bytes([], ProtobufContentType);
    }

    private static IResult Lookup(string traceId, SpanStore store, Func<IReadOnlyList<StoredSpan>, IResult> render)
    {
        if (!TraceIdPattern().IsMatch(traceId))
        {
            return Results.Problem(statusCode: 400, title: "Bad trace id", detail: "A trace id is 32 hexadecimal digits.");
        }

        var spans = store.GetTrace(traceId);
        return spans is null
            ? Results.Problem(statusCode: 404, title: "No such trace", detail: "The viewer holds no span of this trace (never received, or already evicted).")
            : render(spans);
    }

    private static bool IsProtobuf(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim().Equals(ProtobufContentType, StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex("^[0-9a-fA-F]{32}$")]
    private static partial Regex TraceIdPattern();
}
