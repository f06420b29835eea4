using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PaymentGateway.Cli;

/// <summary>
/// The REST API as the CLI uses it: JSON in, the answer's JSON out unchanged (so <c>--json</c> prints exactly what
/// the API said), an <c>Idempotency-Key</c> on every POST, and each failure turned into one line and an exit code.
/// </summary>
public sealed class GatewayHttp(Uri baseUrl, string apiKey) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseUrl, Timeout = Timeout.InfiniteTimeSpan };

    public Uri BaseUrl => baseUrl;

    /// <summary>Whether the key is a test-mode secret key (<c>sk_test_…</c>).</summary>
    public bool TestMode => apiKey.StartsWith("sk_test_", StringComparison.Ordinal);

    public Task<JsonElement> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, ct);

    public Task<JsonElement> PostAsync(string path, JsonObject body, CancellationToken ct) => SendAsync(HttpMethod.Post, path, body, ct);

    /// <summary>Opens a long-lived GET (the event stream); the caller reads the body.</summary>
    public async Task<HttpResponseMessage> OpenStreamAsync(string path, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await Send(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw Failure(response.StatusCode, await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
            }
        }
        return response;
    }

    /// <summary>
    /// Follows a server-sent-events stream of the API (<paramref name="what"/> names it in errors): <paramref name="onOpen"/>
    /// once it is open, then <paramref name="onItem"/> for each item until it answers false (done) or Ctrl-C. A stream
    /// that breaks or that the gateway closes is exit code <see cref="ExitCodes.Unreachable"/>.
    /// </summary>
    public async Task<int> FollowAsync(string path, string what, Func<Task> onOpen, Func<SseItem<string>, Task<bool>> onItem, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(onOpen);
        ArgumentNullException.ThrowIfNull(onItem);
        using var response = await OpenStreamAsync(path, ct).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await onOpen().ConfigureAwait(false);
        try
        {
            await foreach (var item in SseParser.Create(body).EnumerateAsync(ct).ConfigureAwait(false))
            {
                if (!await onItem(item).ConfigureAwait(false))
                {
                    return ExitCodes.Ok;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return ExitCodes.Ok; // Ctrl-C
        }
        catch (IOException ex)
        {
            throw new CliException(ExitCodes.Unreachable, $"the {what} from {baseUrl} broke: {ex.Message}");
        }
        throw new CliException(ExitCodes.Unreachable, $"the gateway at {baseUrl} closed the {what}");
    }

    /// <summary>
    /// Copies a download (<paramref name="path"/>, e.g. an export's CSV) into <paramref name="destination"/> as it
    /// arrives, never holding it in memory, and reports the bytes copied so far to <paramref name="progress"/> (about
    /// once per MiB and at the end). Returns the byte count.
    /// </summary>
    public async Task<long> DownloadAsync(string path, Stream destination, Func<long, long?, Task> progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(progress);
        using var request = Request(HttpMethod.Get, path);
        using var response = await Send(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw Failure(response.StatusCode, await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
        }
        var length = response.Content.Headers.ContentLength;
        await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var buffer = new byte[81920];
        long copied = 0, reported = 0;
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                copied += read;
                if (copied - reported >= 1 << 20)
                {
                    reported = copied;
                    await progress(copied, length).ConfigureAwait(false);
                }
            }
        }
        catch (HttpIOException ex)
        {
            throw new CliException(ExitCodes.Unreachable, $"the download from {baseUrl} broke after {copied} bytes: {ex.Message}");
        }
        await progress(copied, length).ConfigureAwait(false);
        return copied;
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken ct)
    {
        using var request = Request(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            request.Headers.Add("Idempotency-Key", $"pgw_{Guid.NewGuid():N}");
        }
        using var response = await Send(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw Failure(response.StatusCode, text);
        }
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new CliException(ExitCodes.ApiError, $"{baseUrl} answered {(int)response.StatusCode} with a body that is not JSON: is it a PaymentGateway?");
        }
    }

    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(baseUrl, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("pgw", typeof(GatewayHttp).Assembly.GetName().Version?.ToString(3) ?? "0"));
        return request;
    }

    private async Task<HttpResponseMessage> Send(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken ct)
    {
        try
        {
            return await _http.SendAsync(request, completion, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException socket)
        {
            throw new CliException(ExitCodes.Unreachable,
                $"cannot reach the gateway at {baseUrl} ({socket.SocketErrorCode}); nothing was sent. Is it running? (--base-url or PGW_BASE_URL)");
        }
        catch (HttpRequestException ex)
        {
            throw new CliException(ExitCodes.Unreachable, $"the request to {baseUrl} failed: {ex.Message}");
        }
    }

    private static CliException Failure(HttpStatusCode status, string body)
    {
        string? code = null, message = null;
        JsonElement? document = null;
        try
        {
            using var problem = JsonDocument.Parse(body);
            document = problem.RootElement.Clone();
            code = problem.RootElement.TryGetProperty("code", out var c) ? c.GetString() : null;
            message = problem.RootElement.TryGetProperty("detail", out var d) ? d.GetString()
                : problem.RootElement.TryGetProperty("title", out var t) ? t.GetString() : null;
        }
        catch (JsonException)
        {
            // Not a problem document: the status alone says it.
        }
        var line = $"HTTP {(int)status}{(code is null ? "" : $" {code}")}: {message ?? status.ToString()}";
        return status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            ? new CliException(ExitCodes.Authentication, $"{line} (check the key: pgw login, --api-key or PGW_API_KEY)") { Problem = document }
            : new CliException(ExitCodes.ApiError, line) { Problem = document };
    }

    public void Dispose() => _http.Dispose();
}
