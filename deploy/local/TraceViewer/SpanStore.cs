namespace PaymentGateway.TraceViewer;

/// <summary>
/// The last <see cref="Capacity"/> spans in memory, indexed by trace. When full, the oldest received span goes first,
/// so memory stays bounded whatever the exporters send.
/// </summary>
public sealed class SpanStore(int capacity)
{
    private readonly Queue<StoredSpan> _order = new();
    private readonly Dictionary<string, List<StoredSpan>> _traces = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _order.Count;
            }
        }
    }

    public void Add(IEnumerable<StoredSpan> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        lock (_gate)
        {
            foreach (var span in spans)
            {
                while (_order.Count >= Capacity)
                {
                    var oldest = _order.Dequeue();
                    if (_traces.TryGetValue(oldest.TraceId, out var list) && list.Remove(oldest) && list.Count == 0)
                    {
                        _traces.Remove(oldest.TraceId);
                    }
                }

                _order.Enqueue(span);
                if (!_traces.TryGetValue(span.TraceId, out var trace))
                {
                    _traces[span.TraceId] = trace = [];
                }

                trace.Add(span);
            }
        }
    }

    /// <summary>The trace's spans by start time, or null when none is held.</summary>
    public IReadOnlyList<StoredSpan>? GetTrace(string traceId)
    {
        lock (_gate)
        {
            return _traces.TryGetValue(traceId.ToLowerInvariant(), out var spans)
                ? spans.OrderBy(s => s.StartTimeUnixNano).ToList()
                : null;
        }
    }

    /// <summary>Traces with a span carrying the attribute (any attribute when <paramref name="key"/> is null), newest first.</summary>
    public IReadOnlyList<TraceSummary> Find(string? key, string? value, int limit)
    {
        lock (_gate)
        {
            return _traces.Values
                .Where(spans => key is null || spans.Any(s => s.Attributes.TryGetValue(key, out var v) && (value is null || v == value)))
                .Select(Summarize)
                .OrderByDescending(t => t.Start)
                .Take(limit)
                .ToList();
        }
    }

    private static TraceSummary Summarize(List<StoredSpan> spans)
    {
        var ids = spans.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
        var root = spans.Where(s => s.ParentSpanId is null || !ids.Contains(s.ParentSpanId)).MinBy(s => s.StartTimeUnixNano)
            ?? spans.MinBy(s => s.StartTimeUnixNano)!;
        var start = spans.Min(s => s.StartTimeUnixNano);
        var end = spans.Max(s => s.EndTimeUnixNano);
        return new TraceSummary(root.TraceId, root.Name, root.Service, spans.Count,
            DateTimeOffset.FromUnixTimeMilliseconds((long)(start / 1_000_000)), end > start ? (end - start) / 1e6 : 0);
    }
}
