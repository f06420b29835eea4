using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using PaymentGateway.Core;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Vault;

namespace PaymentGateway.Host.Infrastructure;

/// <summary>The recovery seed reserved for this request's idempotency key; services derive new object ids from it.</summary>
public sealed record IdempotencyFeature(string Key, string RecoverySeed);

/// <summary>
/// <c>Idempotency-Key</c> on POSTs, decided by the store so it holds across nodes: the first request claims the key;
/// a replay with the same body gets the stored status and body back; a different body is 422
/// <c>idempotency_key_reused</c>; a concurrent duplicate is 409 <c>idempotency_key_in_use</c>. Responses below 500 are
/// stored; on a 5xx the key is released (keeping its recovery seed) so a retry resumes instead of starting over.
/// </summary>
public sealed partial class IdempotencyMiddleware(RequestDelegate next, IGatewayStore store, CardVault vault, IOptions<GatewayOptions> options, TimeProvider time, ILogger<IdempotencyMiddleware> logger)
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 255;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Headers.TryGetValue(HeaderName, out var values))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var key = values.ToString();
        if (key.Length is 0 or > MaxKeyLength || values.Count > 1 || key.Any(c => c is < (char)0x20 or > (char)0x7E))
        {
            throw GatewayException.Invalid(ErrorCodes.IdempotencyKeyInvalid,
                $"Idempotency-Key must be 1-{MaxKeyLength} printable ASCII characters.", HeaderName);
        }

        var principal = context.Features.Get<ApiPrincipal>();
        var scope = principal?.Scope ?? "anonymous";
        var body = context.Features.Get<BufferedBodyFeature>()?.Body ?? [];
        var hash = RequestHash(context.Request.Method, context.Request.Path.Value ?? string.Empty, body);
        var sensitive = context.GetEndpoint()?.Metadata.GetMetadata<SensitiveResponseAttribute>() is not null;
        var begin = await store.BeginIdempotentRequestAsync(new IdempotencyBeginRequest
        {
            MerchantId = scope,
            Key = key,
            RequestHash = hash,
            Now = time.GetUtcNow(),
            LockDuration = options.Value.IdempotencyLockTimeout,
        }, context.RequestAborted).ConfigureAwait(false);

        switch (begin.Outcome)
        {
            case IdempotencyBeginOutcome.Mismatch:
                throw new GatewayException(ErrorKind.Unprocessable, ErrorCodes.IdempotencyKeyReused,
                    "This Idempotency-Key was already used with a different request. Use a new key for a new request.", HeaderName);
            case IdempotencyBeginOutcome.InUse:
                throw new GatewayException(ErrorKind.Conflict, ErrorCodes.IdempotencyKeyInUse,
                    "A request with this Idempotency-Key is still being processed. Retry after it finishes.", HeaderName);
            case IdempotencyBeginOutcome.Replay:
                LogReplay(logger, scope, context.Request.Path.Value ?? string.Empty);
                var stored = begin.ResponseBody ?? string.Empty;
                if (sensitive && stored.Length > 0)
                {
                    stored = vault.Decrypt(RecordId(scope, key), stored);
                }

                context.Response.StatusCode = begin.ResponseStatus;
                context.Response.ContentType = begin.ResponseStatus >= 400 ? Problems.ContentType : "application/json";
                context.Response.Headers[ReplayedHeader] = "true";
                await context.Response.WriteAsync(stored, context.RequestAborted).ConfigureAwait(false);
                return;
        }

        context.Features.Set(new IdempotencyFeature(key, begin.RecoverySeed ?? throw new InvalidOperationException("Store returned no recovery seed.")));
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
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
        catch
        {
            context.Response.Body = original;
            await store.ReleaseIdempotentRequestAsync(scope, key, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        context.Response.Body = original;
        var status = context.Response.StatusCode;
        var responseText = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        if (status >= 500)
        {
            await store.ReleaseIdempotentRequestAsync(scope, key, CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            await store.CompleteIdempotentRequestAsync(new IdempotencyCompletion
            {
                MerchantId = scope,
                Key = key,
                ResponseStatus = status,
                ResponseBody = sensitive ? vault.Encrypt(RecordId(scope, key), responseText) : responseText,
            }, CancellationToken.None).ConfigureAwait(false);
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted).ConfigureAwait(false);
    }

    private static string RecordId(string scope, string key) => $"idem:{scope}:{key}";

    private static string RequestHash(string method, string path, byte[] body)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{method} {path}\n"));
        sha.AppendData(body);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Idempotent replay for {Scope} on {Path}")]
    private static partial void LogReplay(ILogger logger, string scope, string path);
}
