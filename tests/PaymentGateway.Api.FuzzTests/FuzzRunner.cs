using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace PaymentGateway.Api.FuzzTests;

/// <summary>What came back for one request, and what is wrong with it (null when nothing is).</summary>
public sealed record FuzzOutcome(FuzzRequest Request, int Status, string? ContentType, string? Code, string? Failure, string Body)
{
    /// <summary>Got past authentication: the operation's handler (or its validation) answered.</summary>
    public bool ReachedHandler => Failure is null && Status is not (401 or 403) && Code is not ("route_not_found" or "method_not_allowed");

    /// <summary>Wrote an object: a success, or an error that carries the object it wrote (a declined payment).</summary>
    public bool Wrote => Status is >= 200 and < 300 || (Status >= 400 && Body.Contains("\"payment\":{", StringComparison.Ordinal));
}

/// <summary>Sends fuzz requests to the gateway and judges each answer.</summary>
public sealed class FuzzRunner(HttpClient http, FuzzWorld world)
{
    private const int MaxBodyChars = 4_096;

    public static HttpClient CreateClient(Uri baseAddress) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        MaxConnectionsPerServer = 8,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        UseCookies = false,
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public async Task<FuzzOutcome> SendAsync(FuzzRequest request, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.PathAndQuery);
        message.Headers.TryAddWithoutValidation("Authorization", request.Authorization ?? "Bearer " + world.KeyFor(request.Key));
        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (request.Body is { } body)
        {
            message.Content = new ByteArrayContent(body);
            if (request.ContentType is { } contentType)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new FuzzOutcome(request, 0, null, null, $"no answer ({e.GetType().Name}: {e.GetBaseException().Message})", string.Empty);
        }

        using (response)
        {
            // A stream (GET /v1/events/stream) answers its headers at once and never ends: its status is the verdict.
            if (response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType == "text/event-stream")
            {
                return new FuzzOutcome(request, (int)response.StatusCode, "text/event-stream", null, null, string.Empty);
            }

            string text;
            try
            {
                text = await response.Content.ReadAsStringAsync(ct);
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                return new FuzzOutcome(request, (int)response.StatusCode, null, null, $"the answer broke off ({e.GetBaseException().Message})", string.Empty);
            }

            var status = (int)response.StatusCode;
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            var requestId = response.Headers.TryGetValues("Request-Id", out var ids) ? ids.FirstOrDefault() : null;
            var code = ProblemCode(text, out var bodyRequestId);

            // An idempotent replay answers the first request's stored body, and with it that request's request_id.
            var replayed = response.Headers.TryGetValues("Idempotent-Replayed", out var replay) && replay.Contains("true");
            var excerpt = text.Length > MaxBodyChars ? text[..MaxBodyChars] : text;
            return new FuzzOutcome(request, status, mediaType, code, Judge(request, status, mediaType, code, text, requestId, replayed ? requestId : bodyRequestId), excerpt);
        }
    }

    private static string? Judge(FuzzRequest request, int status, string? mediaType, string? code, string text, string? requestId, string? bodyRequestId)
    {
        if (request.Body is { } sent && Contains(sent, FuzzWorld.Card) && text.Contains(FuzzWorld.Card, StringComparison.Ordinal))
        {
            return "the answer repeats the card number that was sent";
        }

        if (status >= 500)
        {
            return $"HTTP {status} {code}";
        }

        if (status < 400)
        {
            return null;
        }

        if (request.Expect == FuzzExpectation.ServerMayReject && status == 400 && text.Length == 0)
        {
            // Kestrel refused the request before the application ran: no body is possible, a Request-Id is.
            return string.IsNullOrEmpty(requestId) ? "Kestrel's 400 carries no Request-Id" : null;
        }

        if (!string.Equals(mediaType, "application/problem+json", StringComparison.Ordinal))
        {
            return $"HTTP {status} answered as '{mediaType ?? "(no content type)"}', not application/problem+json: {Excerpt(text)}";
        }

        if (code is null)
        {
            return $"HTTP {status} problem without a code: {Excerpt(text)}";
        }

        if (string.IsNullOrEmpty(requestId) || requestId != bodyRequestId)
        {
            return $"HTTP {status} {code}: Request-Id header '{requestId}' does not match the problem's request_id '{bodyRequestId}'";
        }

        return null;
    }

    private static string? ProblemCode(string text, out string? requestId)
    {
        requestId = null;
        if (text.Length == 0 || text[0] != '{')
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            requestId = root.TryGetProperty("request_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            return root.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool Contains(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.ASCII.GetBytes(needle)) >= 0;

    private static string Excerpt(string text) => text.Length <= 200 ? text : text[..200] + "…";

    /// <summary>A shell command that sends the same request (keys as variables), to paste into a terminal.</summary>
    public static string Reproduction(FuzzRequest request)
    {
        var key = request.Key switch
        {
            FuzzKey.Admin => "$ADMIN_KEY",
            FuzzKey.Publishable => "$PK",
            _ => "$SK",
        };
        var builder = new StringBuilder("curl -sS -i -X ").Append(request.Method).Append(" \"$GATEWAY").Append(request.PathAndQuery.Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
        builder.Append(" -H '").Append(request.Authorization is { } auth ? Shell(Short(auth)) : "Authorization: Bearer " + key).Append('\'');
        foreach (var (name, value) in request.Headers)
        {
            builder.Append(" -H '").Append(name).Append(": ").Append(Shell(Short(value))).Append('\'');
        }

        if (request.Body is { } body)
        {
            builder.Append(" -H 'Content-Type: ").Append(Shell(request.ContentType ?? string.Empty)).Append('\'');
            var printable = IsPrintableUtf8(body);
            if (body.Length > 600)
            {
                builder.Append(" --data-binary '<").Append(body.Length).Append(" bytes, as the mutation above describes>'");
            }
            else if (printable)
            {
                builder.Append(" --data-binary '").Append(Shell(Encoding.UTF8.GetString(body))).Append('\'');
            }
            else
            {
                builder.Append(" --data-binary @<(echo ").Append(Convert.ToBase64String(body)).Append(" | base64 -d)");
            }
        }

        return builder.ToString();

        static string Short(string value) => value.Length > 200 ? $"{value[..60]}…({value.Length} chars)" : value;
        static string Shell(string value) => value.Replace("'", "'\\''", StringComparison.Ordinal);
    }

    private static bool IsPrintableUtf8(byte[] body)
    {
        try
        {
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
            return text.All(c => c >= ' ' || c is '\n' or '\r' or '\t');
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
