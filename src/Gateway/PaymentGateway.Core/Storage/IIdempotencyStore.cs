namespace PaymentGateway.Core.Storage;

/// <summary>
/// Idempotency keys: claim, complete, release and purge. Whether a claim starts, replays, is in use or mismatches is
/// decided by <see cref="Idempotency.IdempotencyDecision"/>; the store reads the key's row and writes that decision in
/// one transaction, so it holds across nodes.
/// </summary>
public interface IIdempotencyStore
{
    /// <summary>Claims or re-enters an idempotency key (see <see cref="Idempotency.IdempotencyDecision"/>).</summary>
    Task<IdempotencyBeginResult> BeginIdempotentRequestAsync(IdempotencyBeginRequest request, CancellationToken cancellationToken);

    /// <summary>The key's row as it is now, or null; a plain read (nothing is locked or written).</summary>
    Task<Idempotency.StoredIdempotencyKey?> FindIdempotencyKeyAsync(string merchantId, string key, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="changes"/> in a transaction of their own (the same writes a payment commit carries in
    /// <see cref="StoreChanges.Idempotency"/>). A claim whose key exists already throws
    /// <see cref="IdempotencyKeyTakenException"/> and writes nothing.
    /// </summary>
    Task CommitIdempotencyAsync(IdempotencyKeyChanges changes, CancellationToken cancellationToken);

    /// <summary>Stores the response for replay.</summary>
    Task CompleteIdempotentRequestAsync(IdempotencyCompletion completion, CancellationToken cancellationToken);

    /// <summary>Unlocks a key without a stored response (the request failed on our side); its reserved id is kept for the retry.</summary>
    Task ReleaseIdempotentRequestAsync(string merchantId, string key, CancellationToken cancellationToken);

    Task<int> PurgeIdempotencyKeysAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken);
}

public sealed record IdempotencyBeginRequest
{
    public required string MerchantId { get; init; }
    public required string Key { get; init; }
    public required string RequestHash { get; init; }
    public required DateTimeOffset Now { get; init; }
    public required TimeSpan LockDuration { get; init; }
}

public enum IdempotencyBeginOutcome
{
    /// <summary>This request owns the key now; go ahead.</summary>
    Started,
    /// <summary>A response is stored; send it back.</summary>
    Replay,
    /// <summary>Another request with this key is running.</summary>
    InUse,
    /// <summary>The key was used for a different request.</summary>
    Mismatch,
}

public sealed record IdempotencyBeginResult
{
    public required IdempotencyBeginOutcome Outcome { get; init; }

    /// <summary>A random value reserved for this key at first use, the same for every retry; services derive object ids from it.</summary>
    public string? RecoverySeed { get; init; }

    public int ResponseStatus { get; init; }

    public string? ResponseBody { get; init; }

    /// <summary>For <see cref="IdempotencyBeginOutcome.Started"/>: the seed was made for this request, so no object exists yet under an id derived from it.</summary>
    public bool IsFirstUse { get; init; }
}

public sealed record IdempotencyCompletion
{
    public required string MerchantId { get; init; }
    public required string Key { get; init; }
    public required int ResponseStatus { get; init; }
    public required string ResponseBody { get; init; }
}

/// <summary>
/// Idempotency-key writes that ride in another commit (<see cref="StoreChanges.Idempotency"/>), so a keyed request
/// needs no commit of its own for them: the key's first claim with the request's first commit, its response with the
/// request's last. Both at once write the key as completed.
/// </summary>
public sealed record IdempotencyKeyChanges
{
    public required string MerchantId { get; init; }

    public required string Key { get; init; }

    /// <summary>Insert the key (state started, or completed with <see cref="Response"/>). A key that exists already fails the whole commit with <see cref="IdempotencyKeyTakenException"/>.</summary>
    public IdempotencyKeyClaim? Claim { get; init; }

    /// <summary>The stored response (state completed).</summary>
    public IdempotentResponse? Response { get; init; }
}

/// <summary>A key's first claim: the row an <see cref="Idempotency.IdempotencyKeyWrite.Insert"/> decision writes.</summary>
public sealed record IdempotencyKeyClaim(string RequestHash, string RecoverySeed, DateTimeOffset LockedUntil, DateTimeOffset Created);

/// <summary>A response as stored for replay: the status and the body as the transport sent it.</summary>
public sealed record IdempotentResponse(int Status, string Body);

/// <summary>
/// A commit carrying a key's first claim found the key already written by another request (on any node): nothing of
/// the commit was written. The request is answered as if it had arrived after that one (replay, in use or mismatch).
/// </summary>
public sealed class IdempotencyKeyTakenException(string key)
    : Exception($"Idempotency key {key} was claimed by another request first.")
{
    public string Key { get; } = key;
}
