using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Vault;

namespace PaymentGateway.Core.Idempotency;

/// <summary>The outcome of claiming an idempotency key: run the request (with its recovery seed) or replay a stored response.</summary>
public sealed record IdempotencyClaim(bool IsReplay, string? RecoverySeed, int ResponseStatus, string? ResponseBody);

/// <summary>
/// Idempotency rules shared by every transport (REST middleware, gRPC interceptor): key validation, request
/// fingerprints, claim / replay / conflict decisions made by the store (so they hold across nodes), and encrypted
/// storage of responses that carry secrets.
/// </summary>
public sealed class IdempotencyService(IIdempotencyStore store, CardVault vault, IOptions<GatewayOptions> options, TimeProvider time)
{
    public const int MaxKeyLength = 255;

    /// <summary>Throws 400 <c>idempotency_key_invalid</c> unless the key is 1-255 printable ASCII characters.</summary>
    public static void ValidateKey(string key, string param)
    {
        if (key.Length is 0 or > MaxKeyLength || key.Any(c => c is < (char)0x20 or > (char)0x7E))
        {
            throw GatewayException.Invalid(ErrorCodes.IdempotencyKeyInvalid, $"Idempotency-Key must be 1-{MaxKeyLength} printable ASCII characters.", param);
        }
    }

    /// <summary>The request fingerprint: SHA-256 over the operation name and the exact request bytes.</summary>
    public static string Fingerprint(string operation, ReadOnlySpan<byte> body)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(operation + "\n"));
        sha.AppendData(body);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>
    /// Claims <paramref name="key"/> for this request. Throws 422 <c>idempotency_key_reused</c> when it was used for a
    /// different request and 409 <c>idempotency_key_in_use</c> while another request holds it.
    /// </summary>
    public async Task<IdempotencyClaim> ClaimAsync(string scope, string key, string fingerprint, bool sensitive, string param, CancellationToken ct)
    {
        ValidateKey(key, param);
        var begin = await store.BeginIdempotentRequestAsync(new IdempotencyBeginRequest
        {
            MerchantId = scope,
            Key = key,
            RequestHash = fingerprint,
            Now = time.GetUtcNow(),
            LockDuration = options.Value.IdempotencyLockTimeout,
        }, ct).ConfigureAwait(false);

        switch (begin.Outcome)
        {
            case IdempotencyBeginOutcome.Mismatch:
                throw new GatewayException(ErrorKind.Unprocessable, ErrorCodes.IdempotencyKeyReused,
                    "This Idempotency-Key was already used with a different request. Use a new key for a new request.", param);
            case IdempotencyBeginOutcome.InUse:
                throw new GatewayException(ErrorKind.Conflict, ErrorCodes.IdempotencyKeyInUse,
                    "A request with this Idempotency-Key is still being processed. Retry after it finishes.", param);
            case IdempotencyBeginOutcome.Replay:
                var body = begin.ResponseBody;
                if (sensitive && !string.IsNullOrEmpty(body))
                {
                    body = vault.Decrypt(RecordId(scope, key), body);
                }

                Diagnostics.GatewayTelemetry.IdempotencyReplays.Add(1);
                return new IdempotencyClaim(true, begin.RecoverySeed, begin.ResponseStatus, body);
            default:
                return new IdempotencyClaim(false, begin.RecoverySeed ?? throw new InvalidOperationException("Store returned no recovery seed."), 0, null);
        }
    }

    /// <summary>Stores the response for replays; responses that carry secrets are encrypted with the vault.</summary>
    public Task CompleteAsync(string scope, string key, int status, string body, bool sensitive) =>
        store.CompleteIdempotentRequestAsync(new IdempotencyCompletion
        {
            MerchantId = scope,
            Key = key,
            ResponseStatus = status,
            ResponseBody = sensitive ? vault.Encrypt(RecordId(scope, key), body) : body,
        }, CancellationToken.None);

    /// <summary>Lets a retry run again (the request failed on our side); the recovery seed is kept.</summary>
    public Task ReleaseAsync(string scope, string key) => store.ReleaseIdempotentRequestAsync(scope, key, CancellationToken.None);

    private static string RecordId(string scope, string key) => $"idem:{scope}:{key}";
}
