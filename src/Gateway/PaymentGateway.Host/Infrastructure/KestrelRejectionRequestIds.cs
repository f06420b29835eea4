using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace PaymentGateway.Host.Infrastructure;

/// <summary>
/// A <c>Request-Id</c> on the 400 (or 413/414/431) that Kestrel answers by itself for a request it refuses before the
/// application runs: a NUL (<c>%00</c>) in the path, a malformed request line or header, headers too large. No
/// middleware runs for such a request, so <see cref="RequestContextMiddleware"/> cannot stamp it, and Kestrel writes
/// the response from a reset header set (an <c>OnStarting</c> callback or a header set earlier would be dropped).
/// <para>
/// What the framework does allow: Kestrel raises the diagnostic event <c>Microsoft.AspNetCore.Server.Kestrel.BadRequest</c>
/// (with the request's feature collection) before it writes that response, and a connection middleware sees the bytes
/// it writes. The listener names the rejected request with a new request id, logs it, and arms the connection; the
/// connection's writer adds one <c>Request-Id</c> line after the status line of the next response it writes, which is
/// Kestrel's rejection (it always closes the connection after it). Everything else passes through untouched. The body
/// stays empty: Kestrel has already fixed <c>Content-Length: 0</c> (docs/decisions.md).
/// </para>
/// </summary>
public static partial class KestrelRejectionRequestIds
{
    public const string BadRequestEvent = "Microsoft.AspNetCore.Server.Kestrel.BadRequest";

    /// <summary>Registers the listener for Kestrel's rejections.</summary>
    public static IServiceCollection AddKestrelRejectionRequestIds(this IServiceCollection services)
    {
        services.AddHostedService<RejectionListener>();
        return services;
    }

    /// <summary>Puts the connection writer that can add the Request-Id in front of this endpoint's HTTP/1.x connections.</summary>
    public static ListenOptions UseKestrelRejectionRequestIds(this ListenOptions listen)
    {
        listen.Use(next => async connection =>
        {
            var original = connection.Transport;
            var writer = new RequestIdWriter(original.Output);
            connection.Transport = new DuplexPipe(original.Input, writer);
            connection.Features.Set(writer);
            try
            {
                await next(connection).ConfigureAwait(false);
            }
            finally
            {
                connection.Transport = original;
            }
        });
        return listen;
    }

    /// <summary>Names Kestrel's rejections: a new request id, logged, and handed to the connection's writer.</summary>
    private sealed partial class RejectionListener(DiagnosticListener diagnostics, ILogger<RejectionListener> logger)
        : IHostedService, IObserver<KeyValuePair<string, object?>>
    {
        private IDisposable? _subscription;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            _subscription = diagnostics.Subscribe(this, name => name == BadRequestEvent);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            _subscription?.Dispose();
            return Task.CompletedTask;
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key != BadRequestEvent || value.Value is not IFeatureCollection features || features.Get<RequestIdWriter>() is not { } writer
                || features.Get<IHttpResponseFeature>() is not { HasStarted: false })
            {
                return;
            }

            var requestId = RequestContextMiddleware.NewRequestId();
            writer.Arm(requestId);
            var status = features.Get<IBadRequestExceptionFeature>()?.Error is Microsoft.AspNetCore.Http.BadHttpRequestException rejected ? rejected.StatusCode : StatusCodes.Status400BadRequest;
            LogRejected(logger, requestId, status, features.Get<IHttpConnectionFeature>()?.ConnectionId ?? string.Empty);
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        [LoggerMessage(Level = LogLevel.Information,
            Message = "Request {RequestId} refused by Kestrel before the application ran: HTTP {StatusCode} on connection {ConnectionId} (Kestrel's debug log has the reason)")]
        private static partial void LogRejected(ILogger logger, string requestId, int statusCode, string connectionId);
    }

    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;

    /// <summary>
    /// The connection's output, passed through, except once armed: it holds what is written until the status line is
    /// complete, checks it is an HTTP/1.x response, and adds the <c>Request-Id</c> line after it.
    /// </summary>
    private sealed class RequestIdWriter(PipeWriter inner) : PipeWriter
    {
        private static ReadOnlySpan<byte> Http1 => "HTTP/1."u8;

        private byte[]? _header;
        private byte[]? _lease;
        private MemoryStream? _held;

        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes + (_held?.Length ?? 0);

        public void Arm(string requestId) => _header = Encoding.ASCII.GetBytes($"{RequestContextMiddleware.RequestIdHeader}: {requestId}\r\n");

        public override Memory<byte> GetMemory(int sizeHint = 0) => _header is null ? inner.GetMemory(sizeHint) : Lease(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => _header is null ? inner.GetSpan(sizeHint) : Lease(sizeHint).Span;

        public override void Advance(int bytes)
        {
            if (_lease is not { } lease)
            {
                inner.Advance(bytes);
                return;
            }

            _lease = null;
            (_held ??= new MemoryStream()).Write(lease, 0, bytes);
            var held = _held.GetBuffer().AsSpan(0, (int)_held.Length);
            if (held.Length >= Http1.Length && !held.StartsWith(Http1))
            {
                Release(); // not an HTTP/1.x response (an HTTP/2 frame): leave it as it is
                return;
            }

            var endOfStatusLine = held.IndexOf("\r\n"u8);
            if (endOfStatusLine < 0 || _header is not { } header)
            {
                return;
            }

            inner.Write(held[..(endOfStatusLine + 2)]);
            inner.Write(header);
            inner.Write(held[(endOfStatusLine + 2)..]);
            _held = null;
            _header = null;
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            Release();
            return inner.FlushAsync(cancellationToken);
        }

        public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default) =>
            _header is null ? inner.WriteAsync(source, cancellationToken) : base.WriteAsync(source, cancellationToken);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null)
        {
            Release();
            inner.Complete(exception);
        }

        public override ValueTask CompleteAsync(Exception? exception = null)
        {
            Release();
            return inner.CompleteAsync(exception);
        }

        private Memory<byte> Lease(int sizeHint) => _lease = new byte[Math.Max(sizeHint, 4096)];

        /// <summary>Writes what is held unchanged and disarms.</summary>
        private void Release()
        {
            if (_held is { Length: > 0 } held)
            {
                inner.Write(held.GetBuffer().AsSpan(0, (int)held.Length));
            }

            _held = null;
            _header = null;
        }
    }
}
