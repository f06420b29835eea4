using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Polly.Timeout;
using Refit;

namespace PaymentGateway.Sdk.Internal;

/// <summary>
/// What every operation shares: the generated Refit client, the default API key, idempotency keys, and the one place
/// where a Refit response becomes a model or a <see cref="PaymentGatewayException"/>.
/// </summary>
internal sealed class ApiTransport(IPaymentGatewayApi api, string apiKey)
{
    private const int MaxBodyInException = 2048;

    public IPaymentGatewayApi Api { get; } = api;

    public string ApiKeyFor(RequestOptions? requestOptions) =>
        string.IsNullOrEmpty(requestOptions?.ApiKey) ? apiKey : requestOptions.ApiKey;

    /// <summary>The caller's key verbatim, or a new one. Called once per logical call, before any retry.</summary>
    public static string IdempotencyKeyFor(RequestOptions? requestOptions)
    {
        var key = requestOptions?.IdempotencyKey;
        if (key is null)
        {
            return Guid.CreateVersion7().ToString();
        }

        if (key.Length is 0 or > RequestOptions.MaxIdempotencyKeyLength)
        {
            throw new ArgumentException(
                $"An idempotency key must be 1 to {RequestOptions.MaxIdempotencyKeyLength} characters long.",
                nameof(requestOptions));
        }

        return key;
    }

    public static string FormatTimestamp(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<T> SendAsync<T>(Task<IApiResponse<T>> call, string? idempotencyKey, CancellationToken cancellationToken)
        where T : PaymentGatewayObject
    {
        IApiResponse<T> response;
        try
        {
            response = await call.ConfigureAwait(false);
        }
        catch (ApiRequestException ex)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw FromTransportFailure(ex.InnerException ?? ex, idempotencyKey);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException)
        {
            throw FromTransportFailure(ex, idempotencyKey);
        }

        using (response)
        {
            if (response.Error is ApiRequestException requestError)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw FromTransportFailure(requestError.InnerException ?? requestError, idempotencyKey);
            }

            if (!response.IsSuccessStatusCode || response.Content is not { } content)
            {
                throw FromErrorResponse(response, idempotencyKey);
            }

            return content with
            {
                RequestId = Header(response.Headers, "Request-Id"),
                IdempotentReplayed = string.Equals(Header(response.Headers, "Idempotent-Replayed"), "true", StringComparison.OrdinalIgnoreCase),
            };
        }
    }

    /// <summary>As <see cref="SendAsync{T}"/>, but an HTTP 204 (nothing to return) comes back as null.</summary>
    public static async Task<T?> SendOrNoContentAsync<T>(Task<IApiResponse<T>> call, string? idempotencyKey, CancellationToken cancellationToken)
        where T : PaymentGatewayObject
    {
        var response = await Await(call, idempotencyKey, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.NoContent)
        {
            response.Dispose();
            return null;
        }

        return await SendAsync(Task.FromResult(response), idempotencyKey, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A file download: the body is read whole into memory (collection files are at most a few MiB) so the connection
    /// is released at once; the caller owns the returned stream. Errors map like every other call.
    /// </summary>
    public static async Task<Stream> SendFileAsync(Task<IApiResponse<Stream>> call, CancellationToken cancellationToken)
    {
        using var response = await Await(call, null, cancellationToken).ConfigureAwait(false);
        if (response.Error is ApiRequestException requestError)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw FromTransportFailure(requestError.InnerException ?? requestError, null);
        }

        if (!response.IsSuccessStatusCode || response.Content is not { } content)
        {
            throw FromErrorResponse(response, null);
        }

        var copy = new MemoryStream();
        await content.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        copy.Position = 0;
        return copy;
    }

    private static async Task<IApiResponse<T>> Await<T>(Task<IApiResponse<T>> call, string? idempotencyKey, CancellationToken cancellationToken)
    {
        try
        {
            return await call.ConfigureAwait(false);
        }
        catch (ApiRequestException ex)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw FromTransportFailure(ex.InnerException ?? ex, idempotencyKey);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException)
        {
            throw FromTransportFailure(ex, idempotencyKey);
        }
    }

    private static PaymentGatewayException FromTransportFailure(Exception cause, string? idempotencyKey) =>
        TransportFailure.Create(cause, idempotencyKey, PaymentGatewayTransport.Rest);

    private static PaymentGatewayException FromErrorResponse(IApiResponse response, string? idempotencyKey)
    {
        var status = response.StatusCode is { } statusCode ? (int)statusCode : 0;
        var headerRequestId = Header(response.Headers, "Request-Id");
        var body = (response.Error as ApiException)?.Content;
        var problem = TryReadProblem(body);

        if (problem is null)
        {
            var kind = response.IsSuccessStatusCode
                ? $"The payment gateway answered HTTP {status} with a body the SDK could not read"
                : status == 400 && body is not null && body.Contains("HTTP/2 only endpoint", StringComparison.Ordinal)
                    // Kestrel's answer to an HTTP/1.1 request on an HTTP/2-only endpoint (the gateway's gRPC port serves only h2c).
                    ? "The address answered that it speaks only HTTP/2: BaseAddress may be the gateway's gRPC port; nothing was done. "
                        + "Use the gateway's REST address, or Transport = PaymentGatewayTransport.Grpc with the gRPC address"
                    : $"The payment gateway answered HTTP {status} {response.ReasonPhrase} without a problem document";
            return new PaymentGatewayException(
                Append(kind, headerRequestId),
                response.Error)
            {
                Status = status,
                RequestId = headerRequestId,
                IdempotencyKey = idempotencyKey,
                ResponseBody = Truncate(body),
            };
        }

        var requestId = headerRequestId ?? problem.RequestId;
        var message = new StringBuilder()
            .Append(problem.Detail ?? problem.Title ?? $"HTTP {status}")
            .Append(" (status ").Append(status);
        if (problem.Code is not null)
        {
            message.Append(", code ").Append(problem.Code);
        }

        if (problem.DeclineCode is not null)
        {
            message.Append(", decline_code ").Append(problem.DeclineCode);
        }

        if (problem.Param is not null)
        {
            message.Append(", param ").Append(problem.Param);
        }

        if (requestId is not null)
        {
            message.Append(", request ").Append(requestId);
        }

        message.Append(')').Append(TransportFailure.HintFor(status));

        return new PaymentGatewayException(message.ToString(), response.Error)
        {
            Status = status,
            Code = problem.Code is { } code ? new ErrorCode(code) : default(ErrorCode?),
            DeclineCode = problem.DeclineCode,
            Param = problem.Param,
            RequestId = requestId,
            IdempotencyKey = idempotencyKey,
            Type = problem.Type,
            Title = problem.Title,
            Detail = problem.Detail,
            Payment = problem.Payment,
        };
    }

    private static ProblemDocument? TryReadProblem(string? body)
    {
        if (string.IsNullOrWhiteSpace(body) || body.TrimStart()[0] != '{')
        {
            return null;
        }

        try
        {
            var problem = JsonSerializer.Deserialize(body, SdkJsonContext.Default.ProblemDocument);
            return problem is { Code: null, Title: null, Detail: null } ? null : problem;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Append(string message, string? requestId) =>
        requestId is null ? message + "." : $"{message} (request {requestId}).";

    private static string? Truncate(string? body) =>
        body is null ? null : body.Length <= MaxBodyInException ? body : body[..MaxBodyInException];

    private static string? Header(HttpResponseHeaders? headers, string name) =>
        headers is not null && headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
