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
}

public sealed record IdempotencyCompletion
{
    public required string MerchantId { get; init; }
    public required string Key { get; init; }
    public required int ResponseStatus { get; init; }
    public required string ResponseBody { get; init; }
}
