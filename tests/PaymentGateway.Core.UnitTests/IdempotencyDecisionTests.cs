using PaymentGateway.Core.Idempotency;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.UnitTests;

/// <summary>Every branch of the idempotency decision both storage engines write (<see cref="IdempotencyDecision.Decide"/>).</summary>
public sealed class IdempotencyDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lock = TimeSpan.FromSeconds(30);
    private const string NewSeed = "new-seed";
    private const string StoredSeed = "stored-seed";

    private static IdempotencyBeginRequest Request(string hash = "h1") =>
        new() { MerchantId = "mer_1", Key = "key-1", RequestHash = hash, Now = Now, LockDuration = Lock };

    private static StoredIdempotencyKey Row(IdempotencyKeyState state, string hash = "h1", double lockedForMs = 0) => new()
    {
        RequestHash = hash,
        RecoverySeed = StoredSeed,
        State = state,
        LockedUntil = Now.AddMilliseconds(lockedForMs),
        ResponseStatus = state == IdempotencyKeyState.Completed ? 201 : 0,
        ResponseBody = state == IdempotencyKeyState.Completed ? """{"id":"pay_1"}""" : null,
    };

    public static TheoryData<string, StoredIdempotencyKey?, IdempotencyBeginOutcome, IdempotencyKeyWrite, string?> Cases() => new()
    {
        // case, stored row, outcome, write, seed in the answer
        { "no row: the first request starts and inserts with a new seed", null, IdempotencyBeginOutcome.Started, IdempotencyKeyWrite.Insert, NewSeed },
        { "another request's hash, completed", Row(IdempotencyKeyState.Completed, hash: "h2"), IdempotencyBeginOutcome.Mismatch, IdempotencyKeyWrite.None, null },
        { "another request's hash, started and locked", Row(IdempotencyKeyState.Started, hash: "h2", lockedForMs: 5_000), IdempotencyBeginOutcome.Mismatch, IdempotencyKeyWrite.None, null },
        { "another request's hash, started and expired", Row(IdempotencyKeyState.Started, hash: "h2", lockedForMs: -5_000), IdempotencyBeginOutcome.Mismatch, IdempotencyKeyWrite.None, null },
        { "another request's hash, released", Row(IdempotencyKeyState.Open, hash: "h2"), IdempotencyBeginOutcome.Mismatch, IdempotencyKeyWrite.None, null },
        { "completed: replay with the stored seed", Row(IdempotencyKeyState.Completed), IdempotencyBeginOutcome.Replay, IdempotencyKeyWrite.None, StoredSeed },
        { "completed with a lock end in the future: still a replay", Row(IdempotencyKeyState.Completed, lockedForMs: 5_000), IdempotencyBeginOutcome.Replay, IdempotencyKeyWrite.None, StoredSeed },
        { "started, locked for 1 ms more: in use", Row(IdempotencyKeyState.Started, lockedForMs: 1), IdempotencyBeginOutcome.InUse, IdempotencyKeyWrite.None, null },
        { "started, locked for long: in use", Row(IdempotencyKeyState.Started, lockedForMs: 29_000), IdempotencyBeginOutcome.InUse, IdempotencyKeyWrite.None, null },
        { "started, lock ends exactly now: relock", Row(IdempotencyKeyState.Started, lockedForMs: 0), IdempotencyBeginOutcome.Started, IdempotencyKeyWrite.Relock, StoredSeed },
        { "started, lock ends within this millisecond: relock", Row(IdempotencyKeyState.Started, lockedForMs: 0.6), IdempotencyBeginOutcome.Started, IdempotencyKeyWrite.Relock, StoredSeed },
        { "started, lock expired: relock with the stored seed", Row(IdempotencyKeyState.Started, lockedForMs: -1), IdempotencyBeginOutcome.Started, IdempotencyKeyWrite.Relock, StoredSeed },
        { "released: relock with the stored seed", Row(IdempotencyKeyState.Open), IdempotencyBeginOutcome.Started, IdempotencyKeyWrite.Relock, StoredSeed },
        { "released with a lock end in the future: relock", Row(IdempotencyKeyState.Open, lockedForMs: 5_000), IdempotencyBeginOutcome.Started, IdempotencyKeyWrite.Relock, StoredSeed },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decide_returns_the_outcome_and_the_write(string @case, StoredIdempotencyKey? stored, IdempotencyBeginOutcome outcome, IdempotencyKeyWrite write, string? seed)
    {
        var decision = IdempotencyDecision.Decide(stored, Request(), NewSeed);

        Assert.True(outcome == decision.Result.Outcome, $"{@case}: outcome {decision.Result.Outcome}");
        Assert.True(write == decision.Write, $"{@case}: write {decision.Write}");
        Assert.True(seed == decision.Result.RecoverySeed, $"{@case}: seed {decision.Result.RecoverySeed}");
        if (write == IdempotencyKeyWrite.None)
        {
            Assert.Equal(default, decision.LockedUntil);
        }
        else
        {
            Assert.Equal(Now + Lock, decision.LockedUntil);
        }
    }

    [Fact]
    public void Replay_carries_the_stored_status_and_body()
    {
        var decision = IdempotencyDecision.Decide(Row(IdempotencyKeyState.Completed), Request(), NewSeed);

        Assert.Equal(201, decision.Result.ResponseStatus);
        Assert.Equal("""{"id":"pay_1"}""", decision.Result.ResponseBody);
    }

    [Fact]
    public void Answers_other_than_replay_carry_no_response()
    {
        foreach (var stored in new StoredIdempotencyKey?[] { null, Row(IdempotencyKeyState.Started, lockedForMs: 1), Row(IdempotencyKeyState.Open), Row(IdempotencyKeyState.Completed, hash: "h2") })
        {
            var result = IdempotencyDecision.Decide(stored, Request(), NewSeed).Result;
            Assert.Equal(0, result.ResponseStatus);
            Assert.Null(result.ResponseBody);
        }
    }

    [Fact]
    public void Hashes_are_compared_exactly()
    {
        Assert.Equal(IdempotencyBeginOutcome.Mismatch, IdempotencyDecision.Decide(Row(IdempotencyKeyState.Completed, hash: "ABC"), Request("abc"), NewSeed).Result.Outcome);
        Assert.Equal(IdempotencyBeginOutcome.Mismatch, IdempotencyDecision.Decide(Row(IdempotencyKeyState.Completed, hash: "abc "), Request("abc"), NewSeed).Result.Outcome);
    }

    [Theory]
    [InlineData("started", IdempotencyKeyState.Started)]
    [InlineData("completed", IdempotencyKeyState.Completed)]
    [InlineData("open", IdempotencyKeyState.Open)]
    public void Stored_state_names_parse(string stored, IdempotencyKeyState state) => Assert.Equal(state, StoredIdempotencyKey.ParseState(stored));

    [Theory]
    [InlineData("Started")]
    [InlineData("")]
    [InlineData("locked")]
    public void An_unknown_stored_state_is_a_corrupt_row(string stored) =>
        Assert.Throws<InvalidDataException>(() => StoredIdempotencyKey.ParseState(stored));

    [Fact]
    public void New_recovery_seeds_differ_and_carry_no_prefix()
    {
        var a = IdempotencyDecision.NewRecoverySeed();
        var b = IdempotencyDecision.NewRecoverySeed();
        Assert.NotEqual(a, b);
        Assert.DoesNotContain('_', a);
        Assert.True(a.Length >= 20, a);
    }
}
