using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Api;

/// <summary>
/// Turns a store page fetched with <c>Limit + 1</c> into a list response. Stores return rows newest first; the extra
/// row that proves <c>has_more</c> is the one farthest from the cursor: the oldest when paging forward
/// (<c>starting_after</c>), the newest when paging backward (<c>ending_before</c>).
/// </summary>
public static class Paging
{
    /// <summary>The query to send to the store: one more row than asked, to learn whether there are more.</summary>
    public static TQuery Probe<TQuery>(TQuery query)
        where TQuery : ListQuery => query with { Limit = query.Limit + 1 };

    public static ListResource<TResource> ToList<TRow, TResource>(IReadOnlyList<TRow> rows, ListQuery query, Func<TRow, TResource> map)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(query);
        var backward = query.EndingBefore is not null && query.StartingAfter is null;
        var hasMore = rows.Count > query.Limit;
        var page = !hasMore ? rows : backward ? rows.Skip(rows.Count - query.Limit) : rows.Take(query.Limit);
        return new ListResource<TResource> { Data = page.Select(map).ToList(), HasMore = hasMore };
    }
}
