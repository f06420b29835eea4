using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Vault;

namespace PaymentGateway.Core.Idempotency;

/// <summary>
/// The outcome of claiming an idempotency key: run the request (with its recovery seed and <see cref="Scope"/>) or
/// replay a stored response.
/// </summary>
public sealed record IdempotencyClaim(bool IsReplay, string? RecoverySeed, int ResponseStatus, string? ResponseBody)
{
    /// <summary>For a request that runs: its scope, to enter for the request's duration and finish with <see cref="IdempotencyService.FinishAsync"/>.</summary>
    public IdempotencyScope? Scope { get; init; }
}

/// <summary>
/// Idempotency rules shared by every transport (REST middleware, gRPC interceptor): key validation, request
/// fingerprints, claim / replay / conflict decisions made by the store (so they hold across nodes), and encrypted
/// storage of responses that carry secrets. With a deferred claim (see <see cref="IdempotencyScope"/>) a new key is
/// written by the request's own commits instead of commits of its own.
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
    /// different request and 409 <c>idempotency_key_in_use</c> while another request holds it. With
    /// <paramref name="deferClaim"/>, a key seen for the first time is only read here: its claim is written by the
    /// request's first commit (<see cref="IdempotencyScope"/>); a key that exists is decided and written as before.
    /// </summary>
    public async Task<IdempotencyClaim> ClaimAsync(string scope, string key, string fingerprint, bool sensitive, string param, CancellationToken ct,
        bool deferClaim = false)
    {
        ValidateKey(key, param);
        var request = new IdempotencyBeginRequest
        {
            MerchantId = scope,
            Key = key,
            RequestHash = fingerprint,
            Now = time.GetUtcNow(),
            LockDuration = options.Value.IdempotencyLockTimeout,
        };
        if (deferClaim)
        {
            var stored = await store.FindIdempotencyKeyAsync(scope, key, ct).ConfigureAwait(false);
            var decision = IdempotencyDecision.Decide(stored, request, IdempotencyDecision.NewRecoverySeed());
            if (decision.Write == IdempotencyKeyWrite.Insert)
            {
                return Started(request, decision.Result, claimWritten: false);
            }

            if (decision.Write == IdempotencyKeyWrite.None)
            {
                return Answer(scope, key, sensitive, param, decision.Result);
            }

            // A released or expired key is taken again in a transaction of its own (rare: a retry after a failure).
        }

        var begin = await store.BeginIdempotentRequestAsync(request, ct).ConfigureAwait(false);
        return begin.Outcome == IdempotencyBeginOutcome.Started
            ? Started(request, begin, claimWritten: true)
            : Answer(scope, key, sensitive, param, begin);
    }

    /// <summary>
    /// A commit of <paramref name="scope"/>'s request found its key written by another request first
    /// (<see cref="IdempotencyKeyTakenException"/>; nothing of it was written): the answer is what that request's key
    /// says now — its stored response, or 409 in use, or 422 for a different request.
    /// </summary>
    public async Task<IdempotencyClaim> AnswerTakenKeyAsync(IdempotencyScope scope, bool sensitive, string param, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var stored = await store.FindIdempotencyKeyAsync(scope.MerchantId, scope.Key, ct).ConfigureAwait(false);
        var decision = IdempotencyDecision.Decide(stored, scope.Request with { Now = time.GetUtcNow() }, IdempotencyDecision.NewRecoverySeed());

        // Started (the other request already let go of the key, or it vanished): this request had no effect, so it is
        // told to retry like any request that meets a key in use.
        return Answer(scope.MerchantId, scope.Key, sensitive, param,
            decision.Write == IdempotencyKeyWrite.None ? decision.Result : new IdempotencyBeginResult { Outcome = IdempotencyBeginOutcome.InUse });
    }

    /// <summary>Writes the current request's deferred claim now, before a write that cannot carry it (no-op when there is none).</summary>
    public async Task EnsureClaimedAsync(CancellationToken ct)
    {
        if (IdempotencyScope.Current is { ClaimWritten: false } scope && scope.ForCommit(null) is { } changes)
        {
            await store.CommitIdempotencyAsync(changes, ct).ConfigureAwait(false);
            scope.Committed(changes);
        }
    }

    /// <summary>
    /// Ends <paramref name="scope"/>'s request with the response it sent: below 500 the response is stored for replays
    /// (unless the request's last commit stored exactly this one already), otherwise the key is released so a retry
    /// runs again. A key never written (the request ended before any commit) is written completed at once.
    /// </summary>
    public async Task FinishAsync(IdempotencyScope scope, int status, string body, bool sensitive)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (status >= 500)
        {
            if (scope.ClaimWritten)
            {
                await store.ReleaseIdempotentRequestAsync(scope.MerchantId, scope.Key, CancellationToken.None).ConfigureAwait(false);
            }

            return;
        }

        if (scope.StoredResponse is { } stored && stored.Status == status && string.Equals(stored.Body, body, StringComparison.Ordinal))
        {
            return;
        }

        var response = sensitive ? vault.Encrypt(RecordId(scope.MerchantId, scope.Key), body) : body;
        if (scope.ClaimWritten)
        {
            await store.CompleteIdempotentRequestAsync(new IdempotencyCompletion
            {
                MerchantId = scope.MerchantId,
                Key = scope.Key,
                ResponseStatus = status,
                ResponseBody = response,
            }, CancellationToken.None).ConfigureAwait(false);
            return;
        }

        var changes = scope.ForCommit(null) ?? throw new InvalidOperationException("An unwritten claim has changes to write.");
        try
        {
            await store.CommitIdempotencyAsync(changes with { Response = new IdempotentResponse(status, response) }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (IdempotencyKeyTakenException)
        {
            // This request wrote nothing before its answer (that is why its claim was still unwritten) and another
            // request took the key meanwhile: the key keeps that one's outcome; this answer had no effect to protect.
        }
    }

    private static IdempotencyClaim Started(IdempotencyBeginRequest request, IdempotencyBeginResult begin, bool claimWritten)
    {
        var seed = begin.RecoverySeed ?? throw new InvalidOperationException("Store returned no recovery seed.");
        return new IdempotencyClaim(false, seed, 0, null) { Scope = new IdempotencyScope(request, seed, begin.IsFirstUse, claimWritten) };
    }

    private IdempotencyClaim Answer(string scope, string key, bool sensitive, string param, IdempotencyBeginResult begin)
    {
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
                throw new InvalidOperationException($"Not an answer: {begin.Outcome}.");
        }
    }

    internal static string RecordId(string scope, string key) => $"idem:{scope}:{key}";
}
