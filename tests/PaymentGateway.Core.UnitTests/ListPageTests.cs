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

    [Fact]
    public void A_created_range_of_a_table_with_minted_ids_also_bounds_the_id_and_keeps_the_created_conditions()
    {
        var page = ListPage.For(new ListQuery { CreatedGte = T0, CreatedLt = T0.AddDays(1), StartingAfter = "pay_x" }, Ids.Payment);

        Assert.Equal(
            [$"created_at >= {T0.ToUnixTimeMilliseconds()}", $"created_at < {T0.AddDays(1).ToUnixTimeMilliseconds()}",
                $"id >= {CreatedIdRange.Lower(Ids.Payment, T0.ToUnixTimeMilliseconds())}", $"id < {CreatedIdRange.Upper(Ids.Payment, T0.AddDays(1).ToUnixTimeMilliseconds())}", "id < pay_x"],
            page.Conditions.Select(c => $"{c.Column} {c.Operator} {c.Value}"));
        Assert.Empty(ListPage.For(new ListQuery(), Ids.Payment).Conditions);
        Assert.Equal(["id > pay_1"], ListPage.For(new ListQuery { EndingBefore = "pay_1" }, Ids.Payment).Conditions.Select(c => $"{c.Column} {c.Operator} {c.Value}"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(7)]
    public void The_id_range_holds_every_id_minted_from_25_hours_before_to_a_minute_after_the_created_range(int msOffset)
    {
        var from = T0.AddMilliseconds(msOffset);
        var to = from.AddHours(1);
        var lower = CreatedIdRange.Lower(Ids.Event, from.ToUnixTimeMilliseconds());
        var upper = CreatedIdRange.Upper(Ids.Event, to.ToUnixTimeMilliseconds());

        foreach (var inside in new[] { from.AddHours(-25), from.AddHours(-24), from, to.AddMilliseconds(-1), to, to.AddSeconds(59).AddMilliseconds(999) })
        {
            var id = Ids.New(Ids.Event, inside);
            Assert.True(string.CompareOrdinal(id, lower) >= 0 && string.CompareOrdinal(id, upper) < 0, $"{inside:O} → {id} not in [{lower}, {upper})");
        }

        // Beyond the slack (8 ms steps), ids fall outside: the range narrows the read.
        Assert.True(string.CompareOrdinal(Ids.New(Ids.Event, from.AddHours(-25).AddMilliseconds(-8)), lower) < 0);
        Assert.True(string.CompareOrdinal(Ids.New(Ids.Event, to.AddMinutes(1).AddMilliseconds(16)), upper) >= 0);
        Assert.True(string.CompareOrdinal(Ids.New(Ids.Event, from.AddDays(-2)), lower) < 0);
    }

    [Fact]
    public void The_id_range_of_extreme_dates_holds_every_id()
    {
        var lower = CreatedIdRange.Lower(Ids.Payment, DateTimeOffset.MinValue.ToUnixTimeMilliseconds());
        var upper = CreatedIdRange.Upper(Ids.Payment, DateTimeOffset.MaxValue.ToUnixTimeMilliseconds());

        foreach (var at in new[] { DateTimeOffset.UnixEpoch, T0, DateTimeOffset.MaxValue.AddMilliseconds(-1) })
        {
            var id = Ids.New(Ids.Payment, at);
            Assert.True(string.CompareOrdinal(id, lower) >= 0 && string.CompareOrdinal(id, upper) < 0, $"{at:O} → {id} not in [{lower}, {upper})");
        }
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
