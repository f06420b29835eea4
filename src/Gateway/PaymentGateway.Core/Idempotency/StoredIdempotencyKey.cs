namespace PaymentGateway.Core.Idempotency;

/// <summary>What an idempotency key's row says, as an engine read it inside the transaction that writes the decision.</summary>
public sealed record StoredIdempotencyKey
{
    /// <summary>The fingerprint of the request that first used the key.</summary>
    public required string RequestHash { get; init; }

    public required string RecoverySeed { get; init; }

    public required IdempotencyKeyState State { get; init; }

    /// <summary>Until when a <see cref="IdempotencyKeyState.Started"/> request holds the key.</summary>
    public required DateTimeOffset LockedUntil { get; init; }

    public int ResponseStatus { get; init; }

    public string? ResponseBody { get; init; }

    /// <summary>Reads a stored state name; anything else is a corrupt row.</summary>
    public static IdempotencyKeyState ParseState(string stored) => stored switch
    {
        "started" => IdempotencyKeyState.Started,
        "completed" => IdempotencyKeyState.Completed,
        "open" => IdempotencyKeyState.Open,
        _ => throw new InvalidDataException($"Unknown idempotency key state '{stored}'."),
    };
}

/// <summary>An idempotency key's state; engines store it as the lower-case name (<c>started</c>, <c>completed</c>, <c>open</c>).</summary>
public enum IdempotencyKeyState
{
    /// <summary>A request holds the key until its lock ends.</summary>
    Started,

    /// <summary>The response is stored for replay.</summary>
    Completed,

    /// <summary>Released without a response (the request failed on our side): the next request with it runs.</summary>
    Open,
}
