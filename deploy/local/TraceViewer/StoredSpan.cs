namespace PaymentGateway.TraceViewer;

/// <summary>One received span, flattened with its resource's service name and instance.</summary>
public sealed record StoredSpan(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    string Kind,
    string Service,
    string? Instance,
    string Scope,
    ulong StartTimeUnixNano,
    ulong EndTimeUnixNano,
    IReadOnlyDictionary<string, string> Attributes,
    string Status,
    string? StatusMessage,
    IReadOnlyList<string> Events)
{
    public double DurationMs => EndTimeUnixNano > StartTimeUnixNano ? (EndTimeUnixNano - StartTimeUnixNano) / 1e6 : 0;
}

/// <summary>A trace found by a search: its root (or earliest) span and size.</summary>
public sealed record TraceSummary(string TraceId, string RootName, string Service, int SpanCount, DateTimeOffset Start, double DurationMs);
