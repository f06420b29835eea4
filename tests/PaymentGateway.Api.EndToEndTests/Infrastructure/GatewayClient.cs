using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace PaymentGateway.Api.EndToEndTests.Infrastructure;

/// <summary>A thin raw-HTTP client for tests: sends exactly what the test says, returns status, headers and JSON.</summary>
public sealed class GatewayClient(HttpClient http, string? key)
{
    public HttpClient Http => http;

    public Task<ApiResponse> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null, null);

    public Task<ApiResponse> PostAsync(string path, object? body, string? idempotencyKey = null) =>
        SendAsync(HttpMethod.Post, path, body is null ? null : JsonSerializer.Serialize(body, TestJson.Options), idempotencyKey);

    public Task<ApiResponse> PostRawAsync(string path, string? rawBody, string? idempotencyKey = null, string contentType = "application/json") =>
        SendAsync(HttpMethod.Post, path, rawBody, idempotencyKey, contentType);

    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, string? body, string? idempotencyKey, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new ApiResponse(response.StatusCode, response.Headers, response.Content.Headers, text);
    }
}

public sealed class ApiResponse(HttpStatusCode status, HttpResponseHeaders headers, HttpContentHeaders contentHeaders, string body)
{
    private JsonElement? _json;

    public int Status { get; } = (int)status;

    public HttpResponseHeaders Headers { get; } = headers;

    public string? ContentType { get; } = contentHeaders.ContentType?.MediaType;

    public string Body { get; } = body;

    public JsonElement Json => _json ??= JsonDocument.Parse(Body).RootElement.Clone();

    public string? Header(string name) => Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    /// <summary>The problem's <c>code</c>, for error responses.</summary>
    public string? Code => Json.TryGetProperty("code", out var code) ? code.GetString() : null;

    public string? Str(string property) => Json.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public long Long(string property) => Json.GetProperty(property).GetInt64();

    public ApiResponse EnsureStatus(int expected)
    {
        if (Status != expected)
        {
            throw new Xunit.Sdk.XunitException($"Expected HTTP {expected} but got {Status}: {Body}");
        }

        return this;
    }
}

public static class TestJson
{
    public static JsonSerializerOptions Options { get; } = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
