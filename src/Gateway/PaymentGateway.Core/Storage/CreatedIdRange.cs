namespace PaymentGateway.Core.Storage;

/// <summary>
/// Turns a list's created range into an id range, so the index on <c>(merchant_id, livemode, id)</c> that reads a page
/// newest first also bounds the range (ids sort by their time; <see cref="Ids"/>). The id's time and <c>created_at</c>
/// come from the same clock but are not the same instant: an object made on a retry of an idempotent request keeps the
/// id reserved at its first try (the key is kept <see cref="GatewayOptions.IdempotencyRetention"/>, 24 h), so its id
/// may be up to a day older than its <c>created_at</c>; and an event's id is minted just after the <c>now</c> it is
/// stamped with. So the id range is wider than the created range by <see cref="Before"/> below and <see cref="After"/>
/// above, and the list keeps its <c>created_at</c> conditions: the id range only narrows what is read, never what matches.
/// Only tables whose rows get <see cref="Ids.New(string)"/> ids at creation use it (payments, refunds, events).
/// </summary>
public static class CreatedIdRange
{
    /// <summary>How much older than its <c>created_at</c> an id may be: the idempotency retention (24 h) and an hour of margin.</summary>
    public static readonly TimeSpan Before = TimeSpan.FromHours(25);

    /// <summary>How much newer than its <c>created_at</c> an id may be: the work between reading the clock and minting the id (milliseconds), with a wide margin.</summary>
    public static readonly TimeSpan After = TimeSpan.FromMinutes(1);

    private const int TimeChars = 9; // the first 45 of the id's 48 time bits: 8 ms steps
    private const long MaxMs = 253402300799999; // 9999-12-31T23:59:59.999Z, the last instant DateTimeOffset can hold

    /// <summary>A string at or below every id of <paramref name="prefix"/> whose <c>created_at</c> is at or after <paramref name="createdGteMs"/>.</summary>
    public static string Lower(string prefix, long createdGteMs) => Floor(prefix, SaturatingAdd(createdGteMs, -(long)Before.TotalMilliseconds));

    /// <summary>A string above every id of <paramref name="prefix"/> whose <c>created_at</c> is before <paramref name="createdLtMs"/>.</summary>
    public static string Upper(string prefix, long createdLtMs)
    {
        var ms = SaturatingAdd(createdLtMs, (long)After.TotalMilliseconds + 8);
        return ms > MaxMs ? prefix + "`" : Floor(prefix, ms); // "pay`" sorts after every "pay_…" ('`' follows '_')
    }

    /// <summary>The id's time part truncated to 45 bits: sorts at or before every id made at or after <paramref name="ms"/> (and after every id made 8 ms or more before it).</summary>
    private static string Floor(string prefix, long ms) =>
        Ids.New(prefix, DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(ms, 0, MaxMs)))[..(prefix.Length + 1 + TimeChars)];

    private static long SaturatingAdd(long a, long b) =>
        b > 0 && a > long.MaxValue - b ? long.MaxValue : b < 0 && a < long.MinValue - b ? long.MinValue : a + b;
}
