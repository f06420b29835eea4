using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Idempotency;

/// <summary>What the store must write for a decision, in the same transaction as the read it was made on.</summary>
public enum IdempotencyKeyWrite
{
    /// <summary>Nothing: the answer is a replay, in use or a mismatch.</summary>
    None,

    /// <summary>A new row: state started, the request's hash, <see cref="IdempotencyDecision.RecoverySeed"/>, locked until <see cref="IdempotencyDecision.LockedUntil"/>.</summary>
    Insert,

    /// <summary>The existing row taken again (released, or its lock expired): state started, locked until <see cref="IdempotencyDecision.LockedUntil"/>; seed and hash kept.</summary>
    Relock,
}

/// <summary>
/// The idempotency decision, for both storage engines: given the key's row (or none) and the request, whether the
/// request starts, replays the stored response, finds the key in use or was a different request, and what to write.
/// Pure: engines read the row, call <see cref="Decide"/> and write what it says in one transaction (SQLite: one writer
/// unit; PostgreSQL: the guarded insert, or the row held <c>FOR UPDATE</c>), so two nodes never both start.
/// </summary>
public sealed record IdempotencyDecision
{
    public required IdempotencyBeginResult Result { get; init; }

    public required IdempotencyKeyWrite Write { get; init; }

    /// <summary>The seed to insert (<see cref="IdempotencyKeyWrite.Insert"/>); otherwise the stored one, when the result carries it.</summary>
    public string? RecoverySeed => Result.RecoverySeed;

    /// <summary>For <see cref="IdempotencyKeyWrite.Insert"/> and <see cref="IdempotencyKeyWrite.Relock"/>: the end of the new lock.</summary>
    public DateTimeOffset LockedUntil { get; init; }

    /// <summary>
    /// Decides a claim. In order: no row → start with <paramref name="newRecoverySeed"/> (insert); another request's
    /// hash → mismatch; completed → replay the stored response and seed; started and still locked at
    /// <see cref="IdempotencyBeginRequest.Now"/> → in use; otherwise (released, or the lock ran out) → start again with
    /// the stored seed (relock).
    /// </summary>
    public static IdempotencyDecision Decide(StoredIdempotencyKey? stored, IdempotencyBeginRequest request, string newRecoverySeed)
    {
        ArgumentNullException.ThrowIfNull(request);
        var lockedUntil = request.Now + request.LockDuration;
        if (stored is null)
        {
            return Start(newRecoverySeed, IdempotencyKeyWrite.Insert, lockedUntil, firstUse: true);
        }

        if (!string.Equals(stored.RequestHash, request.RequestHash, StringComparison.Ordinal))
        {
            return Answer(new IdempotencyBeginResult { Outcome = IdempotencyBeginOutcome.Mismatch });
        }

        if (stored.State == IdempotencyKeyState.Completed)
        {
            return Answer(new IdempotencyBeginResult
            {
                Outcome = IdempotencyBeginOutcome.Replay,
                ResponseStatus = stored.ResponseStatus,
                ResponseBody = stored.ResponseBody,
                RecoverySeed = stored.RecoverySeed,
            });
        }

        // Compared in whole milliseconds, as the engines store the lock's end.
        if (stored.State == IdempotencyKeyState.Started && stored.LockedUntil.ToUnixTimeMilliseconds() > request.Now.ToUnixTimeMilliseconds())
        {
            return Answer(new IdempotencyBeginResult { Outcome = IdempotencyBeginOutcome.InUse });
        }

        return Start(stored.RecoverySeed, IdempotencyKeyWrite.Relock, lockedUntil, firstUse: false);
    }

    /// <summary>A fresh random recovery seed for a key's first use.</summary>
    public static string NewRecoverySeed() => Ids.New("x")[2..];

    private static IdempotencyDecision Start(string seed, IdempotencyKeyWrite write, DateTimeOffset lockedUntil, bool firstUse) => new()
    {
        Result = new IdempotencyBeginResult { Outcome = IdempotencyBeginOutcome.Started, RecoverySeed = seed, IsFirstUse = firstUse },
        Write = write,
        LockedUntil = lockedUntil,
    };

    private static IdempotencyDecision Answer(IdempotencyBeginResult result) => new() { Result = result, Write = IdempotencyKeyWrite.None };
}
