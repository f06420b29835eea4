using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.TraceViewer;
using PaymentGateway.TraceViewer.Otlp.Collector;
using PaymentGateway.TraceViewer.Otlp.Common;
using PaymentGateway.TraceViewer.Otlp.Resource;
using PaymentGateway.TraceViewer.Otlp.Trace;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>
/// deploy/local/TraceViewer: the OTLP/HTTP decoding on a hand-built request, the bounded store, and a real gateway
/// exporting a payment's spans to it over OTLP/HTTP protobuf.
/// </summary>
public sealed class TraceViewerTests
{
    private static readonly byte[] TraceId = Convert.FromHexString("0af7651916cd43dd8448eb211c80319c");
    private static readonly byte[] RootId = Convert.FromHexString("b7ad6b7169203331");
    private static readonly byte[] ChildId = Convert.FromHexString("00f067aa0ba902b7");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Decoder_ReadsAHandBuiltRequest_PlainAndGzip(bool gzip)
    {
        var body = HandBuiltRequest().ToByteArray();
        if (gzip)
        {
            body = Gzip(body);
        }

        var request = await OtlpTraceDecoder.ReadAsync(new MemoryStream(body), gzip, CancellationToken.None);
        var spans = OtlpTraceDecoder.Flatten(request).ToList();

        Assert.Equal(2, spans.Count); // the span with a 3-byte trace id is invalid and skipped
        var root = Assert.Single(spans, s => s.Name == "POST /v1/payments");
        var child = Assert.Single(spans, s => s.Name == "provider.authorize");
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", root.TraceId);
        Assert.Equal("b7ad6b7169203331", root.SpanId);
        Assert.Null(root.ParentSpanId);
        Assert.Equal("b7ad6b7169203331", child.ParentSpanId);
        Assert.Equal("server", root.Kind);
        Assert.Equal("client", child.Kind);
        Assert.Equal("paymentgateway", root.Service);
        Assert.Equal("node-1", root.Instance);
        Assert.Equal("PaymentGateway", child.Scope);
        Assert.Equal(12.5, child.DurationMs);
        Assert.Equal("200", root.Attributes["http.response.status_code"]);
        Assert.Equal("true", root.Attributes["flag"]);
        Assert.Equal("0.25", root.Attributes["ratio"]);
        Assert.Equal("[a, 1]", root.Attributes["list"]);
        Assert.Equal("pay_123", child.Attributes["payment.id"]);
        Assert.Equal("error", child.Status);
        Assert.Equal("unknown", child.StatusMessage);
        Assert.Equal(["retry"], child.Events);
    }

    [Fact]
    public async Task Decoder_RefusesABodyThatIsNotProtobuf()
    {
        await Assert.ThrowsAsync<InvalidProtocolBufferException>(() =>
            OtlpTraceDecoder.ReadAsync(new MemoryStream([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]), gzip: false, CancellationToken.None));
    }

    [Fact]
    public void Store_IsBounded_OldestSpansGoFirst()
    {
        var store = new SpanStore(3);
        StoredSpan Span(string trace, string id) => new(trace, id, null, "s" + id, "internal", "svc", null, "", 1, 2,
            new Dictionary<string, string> { ["payment.id"] = "pay_" + trace }, "unset", null, []);
        var a = new string('a', 32);
        var b = new string('b', 32);
        store.Add([Span(a, "1"), Span(a, "2"), Span(b, "3"), Span(b, "4")]);

        Assert.Equal(3, store.Count);
        Assert.Equal(["2"], store.GetTrace(a)!.Select(s => s.SpanId));
        Assert.Equal(2, store.GetTrace(b)!.Count);
        store.Add([Span(b, "5")]);
        Assert.Null(store.GetTrace(a));
        Assert.Equal(b, Assert.Single(store.Find("payment.id", "pay_" + b, 10)).TraceId);
        Assert.Empty(store.Find("payment.id", "pay_" + a, 10));
    }

    [Fact]
    public async Task Viewer_AcceptsOtlpHttp_AndServesJsonTreeAndEncodedHtml()
    {
        await using var viewer = await StartViewerAsync();
        var request = HandBuiltRequest();
        request.ResourceSpans[0].ScopeSpans[0].Spans[0].Attributes.Add(Attr("note", "<script>alert(1)</script>"));

        using (var wrong = new ByteArrayContent(request.ToByteArray()))
        {
            wrong.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await viewer.Http.PostAsync("/v1/traces", wrong)).StatusCode);
        }

        using (var garbage = new ByteArrayContent([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]))
        {
            garbage.Headers.ContentType = new MediaTypeHeaderValue(TraceViewerApp.ProtobufContentType);
            Assert.Equal(HttpStatusCode.BadRequest, (await viewer.Http.PostAsync("/v1/traces", garbage)).StatusCode);
        }

        using var content = new ByteArrayContent(Gzip(request.ToByteArray()));
        content.Headers.ContentType = new MediaTypeHeaderValue(TraceViewerApp.ProtobufContentType);
        content.Headers.ContentEncoding.Add("gzip");
        var posted = await viewer.Http.PostAsync("/v1/traces", content);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal(TraceViewerApp.ProtobufContentType, posted.Content.Headers.ContentType?.MediaType);

        using var found = JsonDocument.Parse(await viewer.Http.GetStringAsync("/api/traces?attribute=payment.id=pay_123"));
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", Assert.Single(found.RootElement.GetProperty("traces").EnumerateArray()).GetProperty("trace_id").GetString());
        using var none = JsonDocument.Parse(await viewer.Http.GetStringAsync("/api/traces?attribute=payment.id=pay_999"));
        Assert.Empty(none.RootElement.GetProperty("traces").EnumerateArray());

        using var trace = JsonDocument.Parse(await viewer.Http.GetStringAsync("/api/traces/0af7651916cd43dd8448eb211c80319c"));
        Assert.Equal(2, trace.RootElement.GetProperty("span_count").GetInt32());
        Assert.Equal("b7ad6b7169203331", trace.RootElement.GetProperty("spans")[1].GetProperty("parent_span_id").GetString());

        var tree = await viewer.Http.GetStringAsync("/api/traces/0af7651916cd43dd8448eb211c80319c/tree");
        var lines = tree.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("POST /v1/payments  [server] paymentgateway/node-1", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("  provider.authorize  [client]", lines[1], StringComparison.Ordinal);

        var html = await viewer.Http.GetStringAsync("/traces/0af7651916cd43dd8448eb211c80319c");
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal); // no external assets
        Assert.Contains("provider.authorize", html, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await viewer.Http.GetAsync("/api/traces/" + new string('1', 32))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await viewer.Http.GetAsync("/traces/not-a-trace")).StatusCode);
    }

    [Fact]
    public async Task Gateway_ExportsAPaymentsSpansOverOtlpHttp_WithLinksAndNoCardData()
    {
        await using var viewer = await StartViewerAsync();
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = viewer.BaseAddress.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_SERVICE_NAME"] = "paymentgateway-otlp-test",
            ["OTEL_RESOURCE_ATTRIBUTES"] = "service.instance.id=node-test",
        });
        var merchant = await gateway.CreateMerchantAsync();
        var pm = await Flows.TokenizeAsync(gateway, merchant);
        var api = gateway.Client(merchant.SecretKey);
        var payment = await api.PostAsync("/v1/payments", new { amount = 2500, currency = "EUR", payment_method = pm, confirm = true, capture_method = "manual" });
        payment.EnsureStatus(200);
        var paymentId = payment.Json.GetProperty("id").GetString()!;
        (await api.PostAsync($"/v1/payments/{paymentId}/capture", new { })).EnsureStatus(200);
        (await api.PostAsync("/v1/refunds", new { payment = paymentId, amount = 100 })).EnsureStatus(200);

        // The batch processor exports every 200 ms: wait until the three requests' traces are in.
        List<List<StoredSpan>> traces = [];
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            using var found = JsonDocument.Parse(await viewer.Http.GetStringAsync($"/api/traces?attribute=payment.id={paymentId}"));
            traces = [];
            foreach (var summary in found.RootElement.GetProperty("traces").EnumerateArray())
            {
                traces.Add(await SpansAsync(viewer, summary.GetProperty("trace_id").GetString()!));
            }

            if (traces.Count == 3 && traces.All(t => t.Any(s => s.Kind == "server")))
            {
                break;
            }

            await Task.Delay(200);
        }

        Assert.Equal(3, traces.Count);
        var create = Assert.Single(traces, t => t.Any(s => s.Name == "provider.authorize"));
        Assert.Single(traces, t => t.Any(s => s.Name == "provider.capture"));
        Assert.Single(traces, t => t.Any(s => s.Name == "provider.refund"));

        var server = Assert.Single(create, s => s.Kind == "server");
        Assert.StartsWith("POST /v1/payments", server.Name, StringComparison.Ordinal);
        Assert.Equal("paymentgateway-otlp-test", server.Service);
        Assert.Equal("node-test", server.Instance);
        Assert.Equal("200", server.Attributes["http.response.status_code"]);
        var authorize = Assert.Single(create, s => s.Name == "provider.authorize");
        Assert.Equal("client", authorize.Kind);
        Assert.Equal(paymentId, authorize.Attributes["payment.id"]);
        Assert.Equal("simulator", authorize.Attributes["paymentgateway.provider"]);
        Assert.Equal("authorized", authorize.Attributes["paymentgateway.outcome"]); // manual capture
        Assert.True(IsUnder(create, authorize, server), "provider.authorize is not under the server span");
        var stores = create.Where(s => s.Name.StartsWith("store ", StringComparison.Ordinal)).ToList();
        Assert.Contains(stores, s => s.Name == "store Commit");
        Assert.All(stores, s => Assert.Equal(server.SpanId, s.ParentSpanId));
        Assert.All(create.Where(s => IsUnder(create, s, server)), s => Assert.InRange(s.StartTimeUnixNano, server.StartTimeUnixNano, server.EndTimeUnixNano));

        foreach (var span in traces.SelectMany(t => t))
        {
            Assert.DoesNotContain(span.Attributes, a => a.Key.Contains("cvc", StringComparison.OrdinalIgnoreCase) || a.Key.Contains("card.number", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(span.Attributes.Values, v => v.Contains(Flows.Visa, StringComparison.Ordinal) || v.Contains(merchant.SecretKey, StringComparison.Ordinal));
        }
    }

    private static bool IsUnder(List<StoredSpan> trace, StoredSpan span, StoredSpan ancestor)
    {
        var byId = trace.ToDictionary(s => s.SpanId);
        for (var current = span; current.ParentSpanId is not null && byId.TryGetValue(current.ParentSpanId, out var parent); current = parent)
        {
            if (parent.SpanId == ancestor.SpanId)
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<List<StoredSpan>> SpansAsync(Viewer viewer, string traceId)
    {
        using var json = JsonDocument.Parse(await viewer.Http.GetStringAsync("/api/traces/" + traceId));
        return json.RootElement.GetProperty("spans").EnumerateArray().Select(s => new StoredSpan(
            s.GetProperty("trace_id").GetString()!,
            s.GetProperty("span_id").GetString()!,
            s.GetProperty("parent_span_id").GetString(),
            s.GetProperty("name").GetString()!,
            s.GetProperty("kind").GetString()!,
            s.GetProperty("service").GetString()!,
            s.GetProperty("instance").GetString(),
            s.GetProperty("scope").GetString()!,
            s.GetProperty("start_time_unix_nano").GetUInt64(),
            s.GetProperty("end_time_unix_nano").GetUInt64(),
            s.GetProperty("attributes").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
            s.GetProperty("status").GetString()!,
            s.GetProperty("status_message").GetString(),
            [.. s.GetProperty("events").EnumerateArray().Select(e => e.GetString()!)])).ToList();
    }

    private static ExportTraceServiceRequest HandBuiltRequest()
    {
        const ulong start = 1_700_000_000_000_000_000;
        var root = new Span
        {
            TraceId = ByteString.CopyFrom(TraceId),
            SpanId = ByteString.CopyFrom(RootId),
            Name = "POST /v1/payments",
            Kind = Span.Types.SpanKind.Server,
            StartTimeUnixNano = start,
            EndTimeUnixNano = start + 40_000_000,
            Attributes =
            {
                new KeyValue { Key = "http.response.status_code", Value = new AnyValue { IntValue = 200 } },
                new KeyValue { Key = "flag", Value = new AnyValue { BoolValue = true } },
                new KeyValue { Key = "ratio", Value = new AnyValue { DoubleValue = 0.25 } },
                new KeyValue { Key = "list", Value = new AnyValue { ArrayValue = new ArrayValue { Values = { new AnyValue { StringValue = "a" }, new AnyValue { IntValue = 1 } } } } },
            },
        };
        var child = new Span
        {
            TraceId = ByteString.CopyFrom(TraceId),
            SpanId = ByteString.CopyFrom(ChildId),
            ParentSpanId = ByteString.CopyFrom(RootId),
            Name = "provider.authorize",
            Kind = Span.Types.SpanKind.Client,
            StartTimeUnixNano = start + 10_000_000,
            EndTimeUnixNano = start + 22_500_000,
            Attributes = { Attr("payment.id", "pay_123") },
            Events = { new Span.Types.Event { Name = "retry", TimeUnixNano = start + 11_000_000 } },
            Status = new Status { Code = Status.Types.StatusCode.Error, Message = "unknown" },
        };
        var invalid = new Span { TraceId = ByteString.CopyFrom(1, 2, 3), SpanId = ByteString.CopyFrom(ChildId), Name = "broken" };
        return new ExportTraceServiceRequest
        {
            ResourceSpans =
            {
                new ResourceSpans
                {
                    Resource = new Resource { Attributes = { Attr("service.name", "paymentgateway"), Attr("service.instance.id", "node-1") } },
                    ScopeSpans =
                    {
                        new ScopeSpans { Scope = new InstrumentationScope { Name = "Microsoft.AspNetCore" }, Spans = { root } },
                        new ScopeSpans { Scope = new InstrumentationScope { Name = "PaymentGateway" }, Spans = { child, invalid } },
                    },
                },
            },
        };
    }

    private static KeyValue Attr(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static async Task<Viewer> StartViewerAsync()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var app = TraceViewerApp.Create(["--urls", baseAddress.ToString()]);
        await app.StartAsync();
        return new Viewer(app, baseAddress);
    }

    private sealed class Viewer(WebApplication app, Uri baseAddress) : IAsyncDisposable
    {
        public Uri BaseAddress { get; } = baseAddress;

        public HttpClient Http { get; } = new() { BaseAddress = baseAddress };

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
