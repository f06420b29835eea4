using System.Text;
using PaymentGateway.Core.Idempotency;

namespace PaymentGateway.Host.Infrastructure;

/// <summary>The recovery seed reserved for this request's idempotency key; services derive new object ids from it.</summary>
public sealed record IdempotencyFeature(string Key, string RecoverySeed);

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
        var sensitive = context.GetEndpoint()?.Metadata.GetMetadata<SensitiveResponseAttribute>() is not null;
        var claim = await idempotency.ClaimAsync(scope, key, fingerprint, sensitive, HeaderName, context.RequestAborted).ConfigureAwait(false);
        if (claim.IsReplay)
        {
            LogReplay(logger, scope, context.Request.Path.Value ?? string.Empty);
            context.Response.StatusCode = claim.ResponseStatus;
            context.Response.ContentType = claim.ResponseStatus >= 400 ? Problems.ContentType : "application/json";
            context.Response.Headers[ReplayedHeader] = "true";
            await context.Response.WriteAsync(claim.ResponseBody ?? string.Empty, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        context.Features.Set(new IdempotencyFeature(key, claim.RecoverySeed ?? string.Empty));
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (Core.GatewayException e)
            {
                await Problems.WriteAsync(context, e).ConfigureAwait(false);
            }
        }
        catch
        {
            context.Response.Body = original;
            await idempotency.ReleaseAsync(scope, key).ConfigureAwait(false);
            throw;
        }

        context.Response.Body = original;
        var status = context.Response.StatusCode;
        if (status >= 500)
        {
            await idempotency.ReleaseAsync(scope, key).ConfigureAwait(false);
        }
        else
        {
            await idempotency.CompleteAsync(scope, key, status, Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), sensitive).ConfigureAwait(false);
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Idempotent replay for {Scope} on {Path}")]
    private static partial void LogReplay(ILogger logger, string scope, string path);
}
