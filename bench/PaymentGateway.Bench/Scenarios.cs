using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using Payments.V1;

namespace PaymentGateway.Bench;

/// <summary>The outcome of one call (or one scenario step sequence): an error label or null, and Server-Timing values.</summary>
public readonly record struct OpResult(string? Error, double GatewayMs, double ProviderMs)
{
    public static OpResult Fail(string error) => new(error, double.NaN, double.NaN);
}

/// <summary>One scenario over one transport: <see cref="RunAsync"/> is one measured operation.</summary>
public interface IScenario
{
    string Name { get; }
    string Transport { get; }
    Task PrepareAsync(CancellationToken ct);
    ValueTask<OpResult> RunAsync(long sequence, CancellationToken ct);
}

internal static class ErrorLabels
{
    private static readonly ConcurrentDictionary<int, string> Http = new();
    private static readonly ConcurrentDictionary<StatusCode, string> Grpc = new();
    private static readonly ConcurrentDictionary<string, string> Other = new();

    public static string ForHttp(int status) => Http.GetOrAdd(status, s => $"HTTP {s}");
    public static string ForGrpc(StatusCode status) => Grpc.GetOrAdd(status, s => $"gRPC {s}");
    public static string For(Exception e) => Other.GetOrAdd(e.GetType().Name, n => $"exception {n}");
    public static string Unexpected(string what) => Other.GetOrAdd(what, w => $"unexpected {w}");
}

/// <summary>REST over HTTP/1.1 with one pooled SocketsHttpHandler; bodies read into pooled buffers.</summary>
public sealed class RestTransport : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _http;
    private readonly HttpClient _public;

    public RestTransport(Options options)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Connections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
            AllowAutoRedirect = false,
        };
        _http = new HttpClient(handler) { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(60) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.SecretKey);
        _http.DefaultRequestVersion = HttpVersion.Version11;
        _public = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = options.Url };
        _public.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.PublishableKey);
    }

    public async Task<string> TokenizeTestCardAsync(CancellationToken ct)
    {
        using var content = new StringContent("""{"type":"card","card":{"number":"4242424242424242","exp_month":12,"exp_year":2034,"cvc":"123"}}""", Encoding.UTF8, "application/json");
        using var response = await _public.PostAsync(new Uri("/v1/payment_methods", UriKind.Relative), content, ct).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"tokenizing the test card failed: {(int)response.StatusCode} {body}");
        }

        return ExtractId(Encoding.UTF8.GetBytes(body), "pm_") ?? throw new InvalidOperationException("no pm_ id in " + body);
    }

    /// <summary>Sends one request; <paramref name="inspect"/> sees the status and body (only valid during the call).</summary>
    public async ValueTask<(OpResult Result, T Value)> SendAsync<T>(HttpMethod method, string path, byte[]? body, Func<int, ReadOnlyMemory<byte>, (string? Error, T Value)> inspect, CancellationToken ct,
        string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Version = HttpVersion.Version11 };
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body) { Headers = { ContentType = Json } };
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        byte[]? buffer = null;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            var (gateway, provider) = ReadServerTiming(response);
            buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            var length = 0;
            var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(length), ct).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                }
            }

            var (error, value) = inspect((int)response.StatusCode, buffer.AsMemory(0, length));
            return (new OpResult(error, gateway, provider), value);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            return (OpResult.Fail(ErrorLabels.For(e)), default!);
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static (double Gateway, double Provider) ReadServerTiming(HttpResponseMessage response)
    {
        if (!response.Headers.NonValidated.TryGetValues("Server-Timing", out var values))
        {
            return (double.NaN, double.NaN);
        }

        var text = values.ToString().AsSpan();
        return (Metric(text, "gateway;dur="), Metric(text, "provider;dur="));
    }

    private static double Metric(ReadOnlySpan<char> header, string name)
    {
        var at = header.IndexOf(name, StringComparison.Ordinal);
        if (at < 0)
        {
            return double.NaN;
        }

        var rest = header[(at + name.Length)..];
        var end = rest.IndexOfAny(',', ';');
        return double.TryParse(end < 0 ? rest : rest[..end], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN;
    }

    /// <summary>The first <c>"id":"{prefix}…"</c> in a JSON body.</summary>
    public static string? ExtractId(ReadOnlySpan<byte> json, string prefix)
    {
        Span<byte> needle = stackalloc byte[8 + prefix.Length];
        "\"id\":\""u8.CopyTo(needle);
        var n = 6 + Encoding.ASCII.GetBytes(prefix, needle[6..]);
        var at = json.IndexOf(needle[..n]);
        if (at < 0)
        {
            return null;
        }

        var start = at + 6;
        var end = json[start..].IndexOf((byte)'"');
        return end < 0 ? null : Encoding.ASCII.GetString(json.Slice(start, end));
    }

    public static bool HasStatus(ReadOnlySpan<byte> json, ReadOnlySpan<byte> statusField) => json.IndexOf(statusField) >= 0;

    public void Dispose()
    {
        _http.Dispose();
        _public.Dispose();
    }
}

/// <summary>gRPC over h2c with the generated client; several channels so calls spread over several HTTP/2 connections.</summary>
public sealed class GrpcTransport : IDisposable
{
    private readonly GrpcChannel[] _channels;
    private readonly PaymentGatewayService.PaymentGatewayServiceClient[] _clients;

    public GrpcTransport(Options options)
    {
        _channels = Enumerable.Range(0, options.GrpcChannels).Select(_ => GrpcChannel.ForAddress(options.GrpcUrl, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
                UseProxy = false,
            },
            MaxRetryAttempts = 0,
        })).ToArray();
        _clients = _channels.Select(c => new PaymentGatewayService.PaymentGatewayServiceClient(c)).ToArray();
        Headers = new Metadata { { "authorization", "Bearer " + options.SecretKey } };
    }

    public Metadata Headers { get; }

    public PaymentGatewayService.PaymentGatewayServiceClient Client(long sequence) => _clients[(int)(sequence % _clients.Length)];

    public void Dispose()
    {
        foreach (var c in _channels)
        {
            c.Dispose();
        }
    }
}

/// <summary>Shared set-up: the tokenized test card and pre-created payments.</summary>
public sealed class Fixture(Options options, RestTransport rest)
{
    private string? _paymentMethod;

    public Options Options => options;

    public async Task<string> PaymentMethodAsync(CancellationToken ct) => _paymentMethod ??= await rest.TokenizeTestCardAsync(ct).ConfigureAwait(false);

    /// <summary>Creates <paramref name="count"/> succeeded payments of <paramref name="amount"/> over REST, 16 at a time.</summary>
    public async Task<string[]> CreatePaymentsAsync(int count, long amount, CancellationToken ct)
    {
        var pm = await PaymentMethodAsync(ct).ConfigureAwait(false);
        var body = Encoding.UTF8.GetBytes($$"""{"amount":{{amount}},"currency":"EUR","payment_method":"{{pm}}","confirm":true}""");
        var ids = new string[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (i, token) =>
        {
            var (result, id) = await rest.SendAsync(HttpMethod.Post, "/v1/payments", body, static (status, json) =>
                status == 200 ? ((string?)null, RestTransport.ExtractId(json.Span, "pay_")) : (ErrorLabels.ForHttp(status), null), token).ConfigureAwait(false);
            ids[i] = result.Error is null && id is not null ? id : throw new InvalidOperationException($"pre-creating a payment failed: {result.Error}");
        }).ConfigureAwait(false);
        return ids;
    }
}

/// <summary>Fresh idempotency keys, unique per run and call (<c>--keys</c>), or none.</summary>
public static class Keys
{
    private static readonly string Run = Guid.NewGuid().ToString("N")[..12];

    public static string? For(Options options, long sequence, string scenario) =>
        options.IdempotencyKeys ? string.Create(CultureInfo.InvariantCulture, $"bench-{Run}-{scenario}-{sequence}") : null;
}

public static class ScenarioFactory
{
    private static readonly byte[] Succeeded = "\"status\":\"succeeded\""u8.ToArray();
    private static readonly byte[] RequiresCapture = "\"status\":\"requires_capture\""u8.ToArray();

    public static IScenario Create(string name, string transport, Fixture fixture, RestTransport rest, GrpcTransport? grpc) => (name, transport) switch
    {
        ("ceiling", "rest") => new RestCeiling(rest, "ceiling"),
        ("ceiling-end", "rest") => new RestCeiling(rest, "ceiling (end)"),
        ("one-shot", "rest") => new RestOneShot(fixture, rest),
        ("auth-capture", "rest") => new RestAuthCapture(fixture, rest),
        ("refund", "rest") => new RestRefund(fixture, rest),
        ("retrieve", "rest") => new RestRetrieve(fixture, rest),
        ("list", "rest") => new RestList(rest),
        ("one-shot", "grpc") => new GrpcOneShot(fixture, grpc!),
        ("auth-capture", "grpc") => new GrpcAuthCapture(fixture, grpc!),
        ("refund", "grpc") => new GrpcRefund(fixture, grpc!),
        ("retrieve", "grpc") => new GrpcRetrieve(fixture, grpc!),
        ("list", "grpc") => new GrpcList(grpc!),
        _ => throw new ArgumentException($"no scenario {name} over {transport}"),
    };

    private static (string? Error, bool Value) Expect(int status, ReadOnlyMemory<byte> json, byte[]? statusField)
    {
        if (status != 200)
        {
            return (ErrorLabels.ForHttp(status), false);
        }

        return statusField is null || RestTransport.HasStatus(json.Span, statusField) ? (null, true) : (ErrorLabels.Unexpected("payment status"), false);
    }

    private static OpResult Sum(OpResult a, OpResult b) => new(b.Error, a.GatewayMs + b.GatewayMs, a.ProviderMs + b.ProviderMs);

    private static string? Grpc(Payment payment, PaymentStatus expected) =>
        payment.Status == expected ? null : ErrorLabels.Unexpected("payment status " + payment.Status);

    private static OpResult GrpcOk(string? error) => new(error, double.NaN, double.NaN);

    private sealed class RestCeiling(RestTransport rest, string name) : IScenario
    {
        public string Name => name;
        public string Transport => "rest";
        public Task PrepareAsync(CancellationToken ct) => Task.CompletedTask;

        public async ValueTask<OpResult> RunAsync(long sequence, CancellationToken ct) =>
            (await rest.SendAsync(HttpMethod.Get, "/bench/ceiling", null, static (s, j) => Expect(s, j, null), ct).ConfigureAwait(false)).Result;
    }

    private sealed class RestOneShot(Fixture fixture, RestTransport rest) : IScenario
    {
        private byte[] _body = [];
        public string Name => "one-shot";
        public string Transport => "rest";

        public async Task PrepareAsync(CancellationToken ct) =>
            _body = Encoding.UTF8.GetBytes($$"""{"amount":1000,"currency":"EUR","payment_method":"{{await fixture.PaymentMethodAsync(ct).ConfigureAwait(false)}}","confirm":true}""");

        public async ValueTask<OpResult> RunAsync(long sequence, CancellationToken ct) =>
            (await rest.SendAsync(HttpMethod.Post, "/v1/payments", _body, static (s, j) => Expect(s, j, Succeeded), ct,
                Keys.For(fixture.Options, sequence, "os")).ConfigureAwait(false)).Result;
    }

    private sealed class RestAuthCapture(Fixture fixture, RestTransport rest) : IScenario
    {
        private static readonly byte[] Empty = "{}"u8.ToArray();
        private byte[] _body = [];
        public string Name => "auth-capture";
        public string Transport => "rest";

        public async Task PrepareAsync(CancellationToken ct) =>
            _body = Encoding.UTF8.GetBytes($$"""{"amount":1000,"currency":"EUR","capture_method":"manual","payment_method":"{{await fixture.PaymentMethodAsync(ct).ConfigureAwait(false)}}","confirm":true}""");

        public async ValueTask<OpResult> RunAsync(long sequence, CancellationToken ct)
        {
            var (auth, id) = await rest.SendAsync(HttpMethod.Post, "/v1/payments", _body, static (s, j) =>
            {
                var (e, _) = Expect(s, j, RequiresCapture);
                return (e, e is null ? RestTransport.ExtractId(j.Span, "pay_") : null);
            }, ct, Keys.For(fixture.Options, sequence, "ac")).ConfigureAwait(false);
            if (auth.Error is not null || id is null)
            {
                return auth.Error is null ? OpResult.Fail(ErrorLabels.Unexpected("response without id")) : auth;
            }

            var (capture, _) = await rest.SendAsync(HttpMethod.Post, $"/v1/payments/{id}/capture", Empty, static (s, j) => Expect(s, j, Succeeded), ct,
                Keys.For(fixture.Options, sequence, "cap")).ConfigureAwait(false);
            return Sum(auth, capture);
        }
    }

    private sealed class RestRefund(Fixture fixture, RestTransport rest) : IScenario
    {
        private byte[][] _bodies = [];
        public string Name => "refund";
        public string Transport => "rest";

        public async Task PrepareAsync(CancellationToken ct) =>
            _bodies = (await fixture.CreatePaymentsAsync(fixture.Options.PoolSize, 90_000_000, ct).ConfigureAwait(false))
                .Select(id => Encoding.UTF8.GetBytes($$"""{"payment":"{{id}}","amount":1}""")).ToArray();

        public async ValueTask<OpResult> RunAsync(long sequence, CancellationToken ct) =>
            (await rest.SendAsync(HttpMethod.Post, "/v1/refunds", _bodies[sequence % _bodies.Length], static (s, j) => Expect(s, j, Succeeded), ct,
                Keys.For(fixture.Options, sequence, "rf")).ConfigureAwait(false)).Result;
    }

    private sealed class RestRetrieve(Fixture fixture, RestTransport rest) : IScenario
    {
        private string[] _paths = [];
        public string Name => "retrieve";
        public string Transport => "rest";

        public async Task PrepareAsync(CancellationToken ct) =>
            _paths = (await fixture.CreatePaymentsAsync(fixture.Options.PoolSize, 1000, ct).ConfigureAwait(false)).Select(id => "/v1/payments/" + id).ToArray();

        public async ValueTask<OpResult> RunAsync(long sequence, CancellationToken ct) =>
            (await rest.SendAsync(HttpMethod.Get, _paths[sequence % _paths.Length], null, static (s, j) => Expect(s, j, Succeeded), ct).ConfigureAwait(false)).Result;
    }

    private sealed class RestList(RestTransport rest) : IScenario
    {
        public string Name => "list";
        public string Transport => "rest";
        public Task PrepareAsync(CancellationToken ct) => Task.CompletedTask;

        public async ValueTask<OpResult> RunAsync(long sequence, CancellationToken ct) =>
            (await rest.SendAsync(HttpMethod.Get, "/v1/payments?limit=10", null, static (s, j) => Expect(s, j, null), ct).ConfigureAwait(false)).Result;
    }

    /// <summary>The call's metadata: the API key, and with <c>--keys</c> a fresh idempotency key.</summary>
    private static Metadata GrpcHeaders(GrpcTransport grpc, Options options, long sequence, string scenario) =>
        Keys.For(options, sequence, scenario) is { } key ? new Metadata { grpc.Headers[0], { "idempotency-key", key } } : grpc.Headers;

    private abstract class GrpcScenario(GrpcTransport grpc) : IScenario
    {
        public abstract string Name { get; }
        public string Transport => "grpc";

        /// <summary>The channels and metadata this scenario calls with.</summary>
        protected GrpcTransport Calls => grpc;
        public virtual Task PrepareAsync(CancellationToken ct) => Task.CompletedTask;

        public async ValueTask<OpResult> RunAsync(long sequence, CancellationToken ct)
        {
            try
            {
                return await CallAsync(grpc.Client(sequence), grpc.Headers, sequence, ct).ConfigureAwait(false);
            }
            catch (RpcException e) when (!ct.IsCancellationRequested)
            {
                return OpResult.Fail(ErrorLabels.ForGrpc(e.StatusCode));
            }
        }

        protected abstract Task<OpResult> CallAsync(PaymentGatewayService.PaymentGatewayServiceClient client, Metadata headers, long sequence, CancellationToken ct);
    }

    private sealed class GrpcOneShot(Fixture fixture, GrpcTransport grpc) : GrpcScenario(grpc)
    {
        private string _pm = "";
        public override string Name => "one-shot";
        public override async Task PrepareAsync(CancellationToken ct) => _pm = await fixture.PaymentMethodAsync(ct).ConfigureAwait(false);

        protected override async Task<OpResult> CallAsync(PaymentGatewayService.PaymentGatewayServiceClient client, Metadata headers, long sequence, CancellationToken ct)
        {
            var response = await client.CreatePaymentAsync(new CreatePaymentRequest { Amount = 1000, Currency = "EUR", PaymentMethod = _pm, Confirm = true },
                GrpcHeaders(Calls, fixture.Options, sequence, "os"), cancellationToken: ct).ConfigureAwait(false);
            return GrpcOk(Grpc(response.Payment, PaymentStatus.Succeeded));
        }
    }

    private sealed class GrpcAuthCapture(Fixture fixture, GrpcTransport grpc) : GrpcScenario(grpc)
    {
        private string _pm = "";
        public override string Name => "auth-capture";
        public override async Task PrepareAsync(CancellationToken ct) => _pm = await fixture.PaymentMethodAsync(ct).ConfigureAwait(false);

        protected override async Task<OpResult> CallAsync(PaymentGatewayService.PaymentGatewayServiceClient client, Metadata headers, long sequence, CancellationToken ct)
        {
            var auth = await client.CreatePaymentAsync(new CreatePaymentRequest
            {
                Amount = 1000,
                Currency = "EUR",
                PaymentMethod = _pm,
                Confirm = true,
                CaptureMethod = CaptureMethod.Manual,
            }, GrpcHeaders(Calls, fixture.Options, sequence, "ac"), cancellationToken: ct).ConfigureAwait(false);
            if (Grpc(auth.Payment, PaymentStatus.RequiresCapture) is { } error)
            {
                return GrpcOk(error);
            }

            var capture = await client.CapturePaymentAsync(new CapturePaymentRequest { Id = auth.Payment.Id }, GrpcHeaders(Calls, fixture.Options, sequence, "cap"),
                cancellationToken: ct).ConfigureAwait(false);
            return GrpcOk(Grpc(capture.Payment, PaymentStatus.Succeeded));
        }
    }

    private sealed class GrpcRefund(Fixture fixture, GrpcTransport grpc) : GrpcScenario(grpc)
    {
        private string[] _ids = [];
        public override string Name => "refund";
        public override async Task PrepareAsync(CancellationToken ct) => _ids = await fixture.CreatePaymentsAsync(fixture.Options.PoolSize, 90_000_000, ct).ConfigureAwait(false);

        protected override async Task<OpResult> CallAsync(PaymentGatewayService.PaymentGatewayServiceClient client, Metadata headers, long sequence, CancellationToken ct)
        {
            var response = await client.CreateRefundAsync(new CreateRefundRequest { Payment = _ids[sequence % _ids.Length], Amount = 1 },
                GrpcHeaders(Calls, fixture.Options, sequence, "rf"), cancellationToken: ct).ConfigureAwait(false);
            return GrpcOk(response.Refund.Status == RefundStatus.Succeeded ? null : ErrorLabels.Unexpected("refund status " + response.Refund.Status));
        }
    }

    private sealed class GrpcRetrieve(Fixture fixture, GrpcTransport grpc) : GrpcScenario(grpc)
    {
        private string[] _ids = [];
        public override string Name => "retrieve";
        public override async Task PrepareAsync(CancellationToken ct) => _ids = await fixture.CreatePaymentsAsync(fixture.Options.PoolSize, 1000, ct).ConfigureAwait(false);

        protected override async Task<OpResult> CallAsync(PaymentGatewayService.PaymentGatewayServiceClient client, Metadata headers, long sequence, CancellationToken ct)
        {
            var response = await client.GetPaymentAsync(new GetPaymentRequest { Id = _ids[sequence % _ids.Length] }, headers, cancellationToken: ct).ConfigureAwait(false);
            return GrpcOk(Grpc(response.Payment, PaymentStatus.Succeeded));
        }
    }

    private sealed class GrpcList(GrpcTransport grpc) : GrpcScenario(grpc)
    {
        public override string Name => "list";

        protected override async Task<OpResult> CallAsync(PaymentGatewayService.PaymentGatewayServiceClient client, Metadata headers, long sequence, CancellationToken ct)
        {
            var response = await client.ListPaymentsAsync(new ListPaymentsRequest { Limit = 10 }, headers, cancellationToken: ct).ConfigureAwait(false);
            return GrpcOk(response.Data.Count > 0 ? null : ErrorLabels.Unexpected("empty list"));
        }
    }
}
