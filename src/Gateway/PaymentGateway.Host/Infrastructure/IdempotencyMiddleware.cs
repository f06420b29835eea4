using System.Text;
using System.Text.Json;
using PaymentGateway.Core;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Idempotency;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Host.Infrastructure;

/// <summary>The recovery seed reserved for this request's idempotency key; services derive new object ids from it.</summary>
public sealed record IdempotencyFeature(string Key, string RecoverySeed);

/// <summary>
/// Endpoint metadata: the endpoint's flow makes its first write through the payment writer and answers with a card
/// payment (<see cref="Core.Payments.CardAnswer"/>), so a new key's claim rides in its first commit and the response in
/// its last (<see cref="IdempotencyScope"/>) instead of commits of their own.
/// </summary>
public sealed record FoldedIdempotencyAttribute;

/// <summary>
/// <c>Idempotency-Key</c> on REST POSTs (rules in <see cref="IdempotencyService"/>): the first request claims the key;
/// a replay with the same body gets the stored status and body back with <c>Idempotent-Replayed: true</c>. Responses
/// below 500 are stored; on a 5xx or an exception the key is released so a retry runs again.
/// </summary>
public sealed partial class IdempotencyMiddleware(RequestDelegate next, IdempotencyService idempotency, ILogger<IdempotencyMiddleware> logger)
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Headers.TryGetValue(HeaderName, out var values)
            || StreamedUploads.Matches(context.Request))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var key = values.Count == 1 ? values.ToString() : string.Empty;
        var scope = context.Features.Get<ApiPrincipal>()?.Scope ?? "anonymous";
        var body = context.Features.Get<BufferedBodyFeature>()?.Body ?? [];
        var fingerprint = IdempotencyService.Fingerprint($"{context.Request.Method} {context.Request.Path.Value}", body);
        var metadata = context.GetEndpoint()?.Metadata;
        var sensitive = metadata?.GetMetadata<SensitiveResponseAttribute>() is not null;
        var folded = !sensitive && metadata?.GetMetadata<FoldedIdempotencyAttribute>() is not null;
        var claim = await idempotency.ClaimAsync(scope, key, fingerprint, sensitive, HeaderName, context.RequestAborted, deferClaim: folded).ConfigureAwait(false);
        if (claim.IsReplay || claim.Scope is not { } request)
        {
            await ReplayAsync(context, scope, claim).ConfigureAwait(false);
            return;
        }

        if (folded)
        {
            request.Renderer = new RestPaymentAnswers(context.GetRequestId());
        }

        context.Features.Set(new IdempotencyFeature(key, claim.RecoverySeed ?? string.Empty));
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            using (request.Enter())
            {
                try
                {
                    await next(context).ConfigureAwait(false);
                }
                catch (GatewayException e)
                {
                    await Problems.WriteAsync(context, e).ConfigureAwait(false);
                }
            }
        }
        catch (IdempotencyKeyTakenException)
        {
            // Another request claimed the key first and nothing of this one was written: answer as if it came second.
            context.Response.Body = original;
            await ReplayAsync(context, scope, await idempotency.AnswerTakenKeyAsync(request, sensitive, HeaderName, context.RequestAborted).ConfigureAwait(false))
                .ConfigureAwait(false);
            return;
        }
        catch
        {
            context.Response.Body = original;
            await idempotency.FinishAsync(request, StatusCodes.Status500InternalServerError, string.Empty, sensitive).ConfigureAwait(false);
            throw;
        }

        context.Response.Body = original;
        await idempotency.FinishAsync(request, context.Response.StatusCode, Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), sensitive)
            .ConfigureAwait(false);
        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task ReplayAsync(HttpContext context, string scope, IdempotencyClaim claim)
    {
        LogReplay(logger, scope, context.Request.Path.Value ?? string.Empty);
        context.Response.StatusCode = claim.ResponseStatus;
        context.Response.ContentType = claim.ResponseStatus >= 400 ? Problems.ContentType : "application/json";
        context.Response.Headers[ReplayedHeader] = "true";
        await context.Response.WriteAsync(claim.ResponseBody ?? string.Empty, context.RequestAborted).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Idempotent replay for {Scope} on {Path}")]
    private static partial void LogReplay(ILogger logger, string scope, string path);

    /// <summary>A card payment answer exactly as the endpoint and <see cref="Problems"/> write it.</summary>
    private sealed class RestPaymentAnswers(string? requestId) : IPaymentAnswerRenderer
    {
        public IdempotentResponse Render(PaymentResource payment, string? json) =>
            new(StatusCodes.Status200OK, json ?? JsonSerializer.Serialize(payment, ApiJson.Context.PaymentResource));

        public IdempotentResponse Render(GatewayException error)
        {
            var problem = Problems.From(error, requestId);
            return new(problem.Status, JsonSerializer.Serialize(problem, ApiJson.Context.ProblemResource));
        }
    }
}
