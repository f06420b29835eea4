using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.UnitTests;

/// <summary>The page rule both storage engines turn into SQL (<see cref="ListPage"/>).</summary>
public sealed class ListPageTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, ListQuery, string[], bool> Cases() => new()
    {
        // case, query, conditions as "column op value", read ascending
        { "no cursor: newest first, no conditions", new ListQuery(), [], false },
        { "starting_after: below the cursor, newest first", new ListQuery { StartingAfter = "pay_5" }, ["id < pay_5"], false },
        { "ending_before alone: above the cursor, read upwards", new ListQuery { EndingBefore = "pay_5" }, ["id > pay_5"], true },
        { "both cursors: between them, newest first", new ListQuery { StartingAfter = "pay_9", EndingBefore = "pay_2" }, ["id < pay_9", "id > pay_2"], false },
        { "created bounds in Unix milliseconds", new ListQuery { CreatedGte = T0, CreatedLt = T0.AddSeconds(1) },
            [$"created_at >= {T0.ToUnixTimeMilliseconds()}", $"created_at < {T0.ToUnixTimeMilliseconds() + 1000}"], false },
        { "everything, in a fixed order", new ListQuery { CreatedLt = T0, EndingBefore = "pay_1", CreatedGte = T0.AddDays(-1) },
            [$"created_at >= {T0.AddDays(-1).ToUnixTimeMilliseconds()}", $"created_at < {T0.ToUnixTimeMilliseconds()}", "id > pay_1"], true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Conditions_and_read_order(string @case, ListQuery query, string[] conditions, bool ascending)
    {
        var page = ListPage.For(query);

        Assert.True(conditions.SequenceEqual(page.Conditions.Select(c => $"{c.Column} {c.Operator} {c.Value}")), $"{@case}: {string.Join("; ", page.Conditions)}");
        Assert.Equal(ascending, page.Ascending);
        Assert.Equal(ascending ? "ASC" : "DESC", page.IdOrder);
    }

    [Theory]
    [InlineData(10, 10)]
    [InlineData(1, 1)]
    [InlineData(0, 1)]
    [InlineData(-5, 1)]
    [InlineData(1000, 1000)]
    [InlineData(1001, 1000)]
    [InlineData(int.MaxValue, 1000)]
    public void Limit_is_clamped_to_1_through_1000(int asked, int limit) => Assert.Equal(limit, ListPage.For(new ListQuery { Limit = asked }).Limit);

    [Fact]
    public void Rows_read_upwards_are_shown_newest_first()
    {
        Assert.Equal(["c", "b", "a"], ListPage.For(new ListQuery { EndingBefore = "x" }).InListOrder(new List<string> { "a", "b", "c" }));
        Assert.Equal(["c", "b", "a"], ListPage.For(new ListQuery()).InListOrder(new List<string> { "c", "b", "a" }));
    }
}
