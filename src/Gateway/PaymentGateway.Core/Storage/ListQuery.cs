namespace PaymentGateway.Core.Storage;

/// <summary>Cursor pagination over id order (ids sort by creation time), newest first.</summary>
public record ListQuery
{
    public int Limit { get; init; } = 10;
    public string? StartingAfter { get; init; }
    public string? EndingBefore { get; init; }
    public DateTimeOffset? CreatedGte { get; init; }
    public DateTimeOffset? CreatedLt { get; init; }
}
