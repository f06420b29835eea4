namespace PaymentGateway.Core.Storage;

/// <summary>A condition of a list page: <c>{Column} {Operator} {Value}</c>, the value bound as a parameter.</summary>
public readonly record struct ListCondition(string Column, string Operator, object Value);

/// <summary>
/// How both engines read one page of a <see cref="ListQuery"/>: newest first by id (ids sort by creation time);
/// <c>starting_after</c> continues below its cursor; <c>ending_before</c> alone reads upwards from its cursor, and the
/// rows are then reversed so the page is still newest first; <c>created_gte</c> / <c>created_lt</c> bound
/// <c>created_at</c> (Unix milliseconds; <c>created_gte</c> included, <c>created_lt</c> excluded), and for a table whose
/// ids are minted at creation (an id prefix given) also bound the id (<see cref="CreatedIdRange"/>), so a range deep in
/// a large merchant's history is read through the id index instead of skipping every newer row; at least 1 and at most
/// 1,000 rows. Engines turn it into SQL.
/// </summary>
public sealed record ListPage
{
    public const int MaxLimit = 1000;

    /// <summary>The page's conditions besides the caller's own filters, in a fixed order.</summary>
    public required IReadOnlyList<ListCondition> Conditions { get; init; }

    /// <summary>True when rows are read in ascending id order (<c>ending_before</c> alone); <see cref="InListOrder{T}"/> reverses them.</summary>
    public required bool Ascending { get; init; }

    public required int Limit { get; init; }

    /// <summary>The page of <paramref name="query"/>; <paramref name="idPrefix"/> names the table's id prefix when its ids are minted at creation (see <see cref="CreatedIdRange"/>).</summary>
    public static ListPage For(ListQuery query, string? idPrefix = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        var conditions = new List<ListCondition>(6);
        if (query.CreatedGte is { } gte)
        {
            conditions.Add(new ListCondition("created_at", ">=", gte.ToUnixTimeMilliseconds()));
        }

        if (query.CreatedLt is { } lt)
        {
            conditions.Add(new ListCondition("created_at", "<", lt.ToUnixTimeMilliseconds()));
        }

        if (idPrefix is not null && query.CreatedGte is { } from)
        {
            conditions.Add(new ListCondition("id", ">=", CreatedIdRange.Lower(idPrefix, from.ToUnixTimeMilliseconds())));
        }

        if (idPrefix is not null && query.CreatedLt is { } to)
        {
            conditions.Add(new ListCondition("id", "<", CreatedIdRange.Upper(idPrefix, to.ToUnixTimeMilliseconds())));
        }

        if (query.StartingAfter is { } after)
        {
            conditions.Add(new ListCondition("id", "<", after));
        }

        if (query.EndingBefore is { } before)
        {
            conditions.Add(new ListCondition("id", ">", before));
        }

        return new ListPage
        {
            Conditions = conditions,
            Ascending = query.EndingBefore is not null && query.StartingAfter is null,
            Limit = Math.Clamp(query.Limit, 1, MaxLimit),
        };
    }

    /// <summary>The SQL order of the read: <c>ASC</c> or <c>DESC</c> by id.</summary>
    public string IdOrder => Ascending ? "ASC" : "DESC";

    /// <summary>The rows as the page shows them, newest first (reversed in place when read ascending).</summary>
    public IReadOnlyList<T> InListOrder<T>(List<T> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (Ascending)
        {
            rows.Reverse();
        }

        return rows;
    }
}
