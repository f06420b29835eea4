using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using PaymentGateway.Core.Diagnostics;
using PaymentGateway.Core.Webhooks;

namespace PaymentGateway.Host.Webhooks;

/// <summary>
/// Sends webhooks over HTTP. Redirects are never followed (a 3xx is a failed attempt), no proxy is used, and every
/// connection re-resolves the host and connects only to addresses the <see cref="WebhookUrlGuard"/> allows, so a DNS
/// answer that changed after the URL was checked (rebinding) cannot reach an internal address.
/// </summary>
public sealed class HttpWebhookSender : IWebhookSender, IDisposable
{
    private const int SnippetBytes = 1024;
    private const int SnippetChars = 256;
    private readonly HttpClient _client;
    private readonly TimeProvider _time;

    public HttpWebhookSender(WebhookUrlGuard guard, IWebhookHostResolver resolver, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(guard);
        ArgumentNullException.ThrowIfNull(resolver);
        _time = time;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            ConnectCallback = async (context, ct) =>
            {
                var host = context.DnsEndPoint.Host.Trim('[', ']');
                var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await resolver.ResolveAsync(host, ct).ConfigureAwait(false);
                var allowed = addresses.Where(guard.IsAllowed).ToArray();
                if (allowed.Length == 0)
                {
                    throw new WebhookAddressNotAllowedException();
                }

                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("PaymentGateway-Webhooks/1.0");
    }

    public async Task<WebhookSendResult> SendAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(request.Timeout);
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Url) { Content = new ByteArrayContent(request.Body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        message.Headers.TryAddWithoutValidation(StandardWebhookSigner.IdHeader, request.WebhookId);
        message.Headers.TryAddWithoutValidation(StandardWebhookSigner.TimestampHeader, request.Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        message.Headers.TryAddWithoutValidation(StandardWebhookSigner.SignatureHeader, request.Signature);
        try
        {
            using var response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            return new WebhookSendResult
            {
                StatusCode = (int)response.StatusCode,
                RetryAfter = RetryAfter(response.Headers.RetryAfter),
                ResponseSnippet = await SnippetAsync(response, timeout.Token).ConfigureAwait(false),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookSendResult { Error = "timeout" };
        }
        catch (HttpRequestException e) when (Find<WebhookAddressNotAllowedException>(e) is not null)
        {
            return new WebhookSendResult { Error = "address_not_allowed" };
        }
        catch (HttpRequestException e)
        {
            return new WebhookSendResult { Error = "connection_failed: " + e.HttpRequestError.ToString() };
        }
    }

    public void Dispose() => _client.Dispose();

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > _time.GetUtcNow() ? date - _time.GetUtcNow() : TimeSpan.Zero,
        _ => null,
    };

    private static async Task<string?> SnippetAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var buffer = new byte[SnippetBytes];
                var read = 0;
                int n;
                while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), ct).ConfigureAwait(false)) > 0)
                {
                    read += n;
                }

                if (read == 0)
                {
                    return null;
                }

                var text = Encoding.UTF8.GetString(buffer, 0, read);
                var clean = new string(text.Take(SnippetChars).Select(c => char.IsControl(c) && c is not '\n' ? ' ' : c).ToArray());

                // The receiver's answer is stored in the delivery log: scrub anything that looks like card data or a key.
                return Redactor.Redact(clean);
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
        {
            return null;
        }
    }

    private static T? Find<T>(Exception e)
        where T : Exception
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }

        return null;
    }
}

/// <summary>The host resolved only to addresses webhooks may not reach.</summary>
public sealed class WebhookAddressNotAllowedException : Exception
{
    public WebhookAddressNotAllowedException()
        : base("The webhook host resolves only to addresses that are not allowed.")
    {
    }

    public WebhookAddressNotAllowedException(string message)
        : base(message)
    {
    }

    public WebhookAddressNotAllowedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
