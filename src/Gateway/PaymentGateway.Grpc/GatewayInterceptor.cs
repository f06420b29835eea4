using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PaymentGateway.Core;
using PaymentGateway.Core.Diagnostics;
using PaymentGateway.Core.Idempotency;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Grpc;

/// <summary>
/// The gRPC counterpart of the REST middleware, with the same rules through the same core services:
/// a request id (response metadata <c>request-id</c>), the API key from <c>authorization: Bearer</c> checked against the
/// method's <see cref="RequiresKeyAttribute"/>, <c>idempotency-key</c> claim / replay / conflict through
/// <see cref="IdempotencyService"/> (final outcomes stored, failures on our side released), and every error as a rich
/// <c>google.rpc.Status</c> (<see cref="GrpcErrors"/>).
/// </summary>
public sealed partial class GatewayInterceptor(
    MerchantService merchants, IdempotencyService idempotency, ILogger<GatewayInterceptor> logger, RequestLogFeed requestLog) : Interceptor
{
    public const string AuthorizationHeader = "authorization";
    public const string IdempotencyKeyHeader = "idempotency-key";
    public const string RequestIdHeader = "request-id";
    public const string ReplayedHeader = "idempotent-replayed";

    private const int OkStatus = 200;

    /// <summary>
    /// Every call runs in a log scope carrying its request id (like REST's <c>RequestContextMiddleware</c>), and ends
    /// with one Information line: method, status, duration.
    /// </summary>
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var started = Stopwatch.GetTimestamp();
        var state = GatewayCallState.Attach(context, RequestLogScope.NewRequestId());
        using var scope = logger.BeginScope(new RequestLogScope(state.RequestId));
        var status = StatusCode.OK;
        try
        {
            return await HandleAsync(request, context, continuation, state).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            status = e.StatusCode;
            throw;
        }
        finally
        {
            var elapsed = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3);
            LogCallFinished(logger, context.Method, status, elapsed);
            if (requestLog.HasFollowers && state.Caller is { } caller)
            {
                requestLog.Publish(caller.MerchantId, new Core.Api.RequestLogResource
                {
                    Id = state.RequestId,
                    Livemode = caller.Livemode,
                    Created = DateTimeOffset.UtcNow,
                    Transport = "grpc",
                    Method = context.Method,
                    Path = context.Method,
                    Status = state.HttpStatus ?? HttpStatusOf(status),
                    GrpcStatus = GrpcStatusName(status),
                    DurationMs = elapsed,
                });
            }
        }
    }

    /// <summary>The HTTP status a gRPC status stands for, when the call did not end in a gateway error (which has its own).</summary>
    private static int HttpStatusOf(StatusCode status) => status switch
    {
        StatusCode.OK => OkStatus,
        StatusCode.InvalidArgument or StatusCode.OutOfRange => 400,
        StatusCode.Unauthenticated => 401,
        StatusCode.PermissionDenied => 403,
        StatusCode.NotFound => 404,
        StatusCode.AlreadyExists or StatusCode.Aborted => 409,
        StatusCode.FailedPrecondition => 422,
        StatusCode.ResourceExhausted => 429,
        StatusCode.Cancelled => 499,
        StatusCode.Unavailable => 503,
        StatusCode.DeadlineExceeded => 504,
        _ => 500,
    };

    /// <summary>The gRPC status as its name in the protocol (<c>INVALID_ARGUMENT</c>).</summary>
    private static string GrpcStatusName(StatusCode status) =>
        System.Text.Json.JsonNamingPolicy.SnakeCaseUpper.ConvertName(status.ToString());

    private async Task<TResponse> HandleAsync<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation, GatewayCallState state)
        where TRequest : class
        where TResponse : class
    {
        try
        {
            var metadata = context.GetHttpContext().GetEndpoint()?.Metadata;
            state.Caller = await AuthenticateAsync(context, metadata?.GetMetadata<RequiresKeyAttribute>()?.Kind).ConfigureAwait(false);
            if (request is IMessage values)
            {
                RejectNul(values, prefix: null, depth: 0);
            }

            var headers = new Metadata { { RequestIdHeader, state.RequestId } };
            var key = context.RequestHeaders.Get(IdempotencyKeyHeader)?.Value;
            if (metadata?.GetMetadata<IdempotentAttribute>() is null || key is null || state.Caller is null || request is not IMessage message)
            {
                await context.WriteResponseHeadersAsync(headers).ConfigureAwait(false);
                return await continuation(request, context).ConfigureAwait(false);
            }

            var folded = metadata.GetMetadata<IdempotentAttribute>() is { FoldsPaymentAnswer: true };
            return await RunIdempotentAsync(message, key, folded, state, headers, context, () => continuation(request, context)).ConfigureAwait(false);
        }
        catch (GatewayException e)
        {
            state.HttpStatus = GrpcErrors.For(e.Kind).HttpStatus;
            throw GrpcErrors.ToStatus(e, state.RequestId).ToRpcException();
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            var expired = context.Deadline <= DateTime.UtcNow;
            throw new RpcException(new Status(expired ? StatusCode.DeadlineExceeded : StatusCode.Cancelled,
                expired ? "The deadline passed before the call finished." : "The call was canceled."));
        }
        catch (Exception e) when (e is not RpcException)
        {
            LogUnhandled(logger, e, state.RequestId, context.Method);
            throw GrpcErrors.ToStatus(new GatewayException(ErrorKind.Internal, ErrorCodes.InternalError,
                $"Something went wrong on our side. Quote request id {state.RequestId} when asking for help."), state.RequestId).ToRpcException();
        }
    }

    private async Task<TResponse> RunIdempotentAsync<TResponse>(
        IMessage request, string key, bool folded, GatewayCallState state, Metadata headers, ServerCallContext context, Func<Task<TResponse>> run)
        where TResponse : class
    {
        var scope = state.Caller?.MerchantId ?? "anonymous";
        var fingerprint = IdempotencyService.Fingerprint(context.Method, request.ToByteArray());
        var claim = await idempotency.ClaimAsync(scope, key, fingerprint, sensitive: false, "Idempotency-Key", context.CancellationToken, deferClaim: folded)
            .ConfigureAwait(false);
        if (claim.IsReplay || claim.Scope is not { } keyed)
        {
            return await ReplayAsync<TResponse>(claim, scope, headers, context).ConfigureAwait(false);
        }

        if (folded)
        {
            keyed.Renderer = new GrpcPaymentAnswers<TResponse>(state.RequestId);
        }

        state.RecoverySeed = claim.RecoverySeed;
        await context.WriteResponseHeadersAsync(headers).ConfigureAwait(false);
        TResponse response;
        try
        {
            using (keyed.Enter())
            {
                response = await run().ConfigureAwait(false);
            }
        }
        catch (IdempotencyKeyTakenException)
        {
            // Another request claimed the key first and nothing of this one was written: answer as if it came second.
            var taken = await idempotency.AnswerTakenKeyAsync(keyed, sensitive: false, "Idempotency-Key", context.CancellationToken).ConfigureAwait(false);
            return Replayed<TResponse>(taken);
        }
        catch (GatewayException e) when (GrpcErrors.IsStoredForReplay(e.Kind))
        {
            state.HttpStatus = GrpcErrors.For(e.Kind).HttpStatus;
            var status = GrpcErrors.ToStatus(e, state.RequestId);
            await idempotency.FinishAsync(keyed, GrpcErrors.For(e.Kind).HttpStatus, Convert.ToBase64String(status.ToByteArray()), sensitive: false).ConfigureAwait(false);
            throw status.ToRpcException();
        }
        catch
        {
            await idempotency.FinishAsync(keyed, StatusCodes.Status500InternalServerError, string.Empty, sensitive: false).ConfigureAwait(false);
            throw;
        }

        var body = response is IMessage message ? message.ToByteArray() : [];
        await idempotency.FinishAsync(keyed, OkStatus, Convert.ToBase64String(body), sensitive: false).ConfigureAwait(false);
        return response;
    }

    private async Task<TResponse> ReplayAsync<TResponse>(IdempotencyClaim claim, string scope, Metadata headers, ServerCallContext context)
        where TResponse : class
    {
        LogReplay(logger, scope, context.Method);
        headers.Add(ReplayedHeader, "true");
        await context.WriteResponseHeadersAsync(headers).ConfigureAwait(false);
        return Replayed<TResponse>(claim);
    }

    /// <summary>A stored response: the message for a stored 200, else the stored <c>google.rpc.Status</c> thrown.</summary>
    private static TResponse Replayed<TResponse>(IdempotencyClaim claim)
        where TResponse : class
    {
        var stored = Convert.FromBase64String(claim.ResponseBody ?? string.Empty);
        if (claim.ResponseStatus == OkStatus && Activator.CreateInstance<TResponse>() is IMessage replayed)
        {
            replayed.MergeFrom(stored);
            return (TResponse)replayed;
        }

        throw Google.Rpc.Status.Parser.ParseFrom(stored).ToRpcException();
    }

    private async Task<CallerContext?> AuthenticateAsync(ServerCallContext context, ApiKeyKind? required)
    {
        if (required is null)
        {
            return null;
        }

        var header = context.RequestHeaders.Get(AuthorizationHeader)?.Value;
        if (string.IsNullOrEmpty(header))
        {
            throw new GatewayException(ErrorKind.Authentication, ErrorCodes.AuthenticationRequired,
                "No API key provided. Send the metadata 'authorization: Bearer <key>'.");
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            throw new GatewayException(ErrorKind.Authentication, ErrorCodes.ApiKeyInvalid, "The authorization metadata must be 'Bearer <key>'.");
        }

        var caller = await merchants.AuthenticateAsync(header[7..].Trim(), context.CancellationToken).ConfigureAwait(false)
            ?? throw new GatewayException(ErrorKind.Authentication, ErrorCodes.ApiKeyInvalid, "Invalid API key.");
        return (required, caller.KeyKind) switch
        {
            (ApiKeyKind.Secret, not ApiKeyKind.Secret) => throw new GatewayException(ErrorKind.PermissionDenied, ErrorCodes.SecretKeyRequired,
                "This method needs a secret key (sk_...); publishable keys may only tokenize cards."),
            (ApiKeyKind.Publishable, not ApiKeyKind.Publishable) => throw new GatewayException(ErrorKind.PermissionDenied, ErrorCodes.PublishableKeyRequired,
                "Card details must be sent from the browser with a publishable key (pk_...), never from your server."),
            _ => caller,
        };
    }

    /// <summary>
    /// A string holding U+0000 anywhere in the request is refused (400 <c>parameter_invalid</c> naming the field), as
    /// REST's request reader does: no field of this API means it, and PostgreSQL cannot store it.
    /// </summary>
    private static void RejectNul(IMessage message, string? prefix, int depth)
    {
        if (depth > 16)
        {
            return;
        }

        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var name = prefix is null ? field.Name : $"{prefix}.{field.Name}";
            switch (field.Accessor.GetValue(message))
            {
                case string text when text.Contains('\0', StringComparison.Ordinal):
                    throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"Invalid value for '{name}': it contains the character U+0000.", name);
                case IMessage nested:
                    RejectNul(nested, name, depth + 1);
                    break;
                case System.Collections.IDictionary map:
                    foreach (System.Collections.DictionaryEntry entry in map)
                    {
                        var key = entry.Key as string ?? string.Empty;
                        if (key.Contains('\0', StringComparison.Ordinal))
                        {
                            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"The keys of '{name}' must not contain the character U+0000.", name);
                        }

                        if (entry.Value is string value && value.Contains('\0', StringComparison.Ordinal))
                        {
                            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"Invalid value for '{name}[{key}]': it contains the character U+0000.", $"{name}[{key}]");
                        }
                    }

                    break;
                case System.Collections.IList list:
                    foreach (var item in list)
                    {
                        if (item is string element && element.Contains('\0', StringComparison.Ordinal))
                        {
                            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"Invalid value in '{name}': it contains the character U+0000.", name);
                        }

                        if (item is IMessage nestedItem)
                        {
                            RejectNul(nestedItem, name, depth + 1);
                        }
                    }

                    break;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Idempotent replay for {Scope} on {Method}")]
    private static partial void LogReplay(ILogger logger, string scope, string method);

    [LoggerMessage(Level = LogLevel.Information, Message = "gRPC {Method} responded {StatusCode} in {ElapsedMs} ms")]
    private static partial void LogCallFinished(ILogger logger, string method, StatusCode statusCode, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error for request {RequestId} {Method}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string requestId, string method);

    /// <summary>
    /// A card payment answer exactly as this interceptor stores a method's outcome: the response message with its
    /// <c>payment</c> field, or the error's <c>google.rpc.Status</c>.
    /// </summary>
    private sealed class GrpcPaymentAnswers<TResponse>(string requestId) : IPaymentAnswerRenderer
        where TResponse : class
    {
        public IdempotentResponse Render(Core.Api.PaymentResource payment, string? json)
        {
            var message = Activator.CreateInstance<TResponse>() as IMessage
                ?? throw new InvalidOperationException($"{typeof(TResponse).Name} is not a protobuf message.");
            var field = message.Descriptor.FindFieldByName("payment")
                ?? throw new InvalidOperationException($"{typeof(TResponse).Name} has no payment field.");
            field.Accessor.SetValue(message, ProtoMapper.ToProto(payment));
            return new IdempotentResponse(OkStatus, Convert.ToBase64String(message.ToByteArray()));
        }

        public IdempotentResponse Render(GatewayException error) =>
            new(GrpcErrors.For(error.Kind).HttpStatus, Convert.ToBase64String(GrpcErrors.ToStatus(error, requestId).ToByteArray()));
    }
}
