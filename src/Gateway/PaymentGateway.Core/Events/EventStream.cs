using System.Runtime.CompilerServices;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Webhooks;

namespace PaymentGateway.Core.Events;

/// <summary>
/// Follows a merchant's event log as it grows, for <c>GET /v1/events/stream</c> (what <c>pgw listen</c> reads): the
/// events created from the moment the stream opens, oldest first, each once. The log is read from the store, so a
/// stream on one node sees events written by every node. Event ids and times are taken before the row commits, so an
/// event can become visible slightly after a newer one; each read therefore looks back <see cref="Lookback"/> behind
/// the newest event seen and skips the ids it already sent. A read takes at most <see cref="ReadLimit"/> events (the
/// newest): a merchant creating more than that within <see cref="Lookback"/> can miss some in the stream, which is a
/// development tool's view; webhooks and the event list are the complete record.
/// </summary>
public sealed class EventStream(IEventStore store, TimeProvider time)
{
    /// <summary>How far behind the newest event seen each read looks again for events that committed late.</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromSeconds(5);

    /// <summary>The most events one read takes (then it reads again without waiting).</summary>
    public const int ReadLimit = 200;

    /// <summary>
    /// The event types a stream is filtered to, from a comma-separated list (empty: every type); an unknown type is a
    /// 400 <c>event_type_unknown</c> before the stream opens.
    /// </summary>
    public static IReadOnlySet<string> ParseTypes(string? commaSeparated)
    {
        var types = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in (commaSeparated ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            WebhookEndpointService.RequireKnownEventType(type, "types");
            types.Add(type);
        }
        return types;
    }

    public async IAsyncEnumerable<EventResource> FollowAsync(
        CallerContext caller, IReadOnlySet<string> types, TimeSpan pollInterval, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(types);
        var opened = time.GetUtcNow();
        var since = opened;
        var sent = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        while (!ct.IsCancellationRequested)
        {
            // Newest first from the store; the window starts Lookback before the newest event already sent.
            var rows = await store.ListEventsAsync(
                caller.MerchantId, caller.Livemode, new EventListQuery { Limit = ReadLimit, CreatedGte = since - Lookback }, ct).ConfigureAwait(false);
            var fresh = rows.Where(e => !sent.ContainsKey(e.Id)).OrderBy(e => e.Created).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
            foreach (var e in fresh)
            {
                sent[e.Id] = e.Created;
                if (e.Created > since)
                {
                    since = e.Created;
                }
                if (e.Created >= opened && (types.Count == 0 || types.Contains(e.Type)))
                {
                    yield return e.ToResource();
                }
            }
            // Ids older than the window can never be read again.
            foreach (var old in sent.Where(kv => kv.Value < since - Lookback - Lookback).Select(kv => kv.Key).ToList())
            {
                sent.Remove(old);
            }
            if (rows.Count < ReadLimit || fresh.Count == 0)
            {
                await Task.Delay(pollInterval, time, ct).ConfigureAwait(false);
            }
        }
    }
}
