namespace PaymentGateway.Sdk;

/// <summary>Filters and cursors of <c>GET /v1/events</c>.</summary>
public sealed record ListEventsRequest
{
    /// <summary>How many events per page, 1–100.</summary>
    public int? Limit { get; init; }

    /// <summary>An event id: list the events after it (older ones).</summary>
    public string? StartingAfter { get; init; }

    /// <summary>An event id: list the events before it (newer ones).</summary>
    public string? EndingBefore { get; init; }
}
