using PaymentGateway.Core.Reports;

namespace PaymentGateway.Core.UnitTests.Reports;

public sealed class ReportPeriodsTests
{
    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void The_spring_forward_day_in_amsterdam_has_23_hours()
    {
        var day = Assert.Single(ReportPeriods.For(ReportInterval.Day, new DateOnly(2026, 3, 29), new DateOnly(2026, 3, 30), Amsterdam));
        Assert.Equal(("2026-03-29", Utc("2026-03-28T23:00:00Z"), Utc("2026-03-29T22:00:00Z")), (day.Label, day.Start, day.End));
    }

    [Fact]
    public void The_fall_back_day_in_amsterdam_has_25_hours()
    {
        var day = Assert.Single(ReportPeriods.For(ReportInterval.Day, new DateOnly(2026, 10, 25), new DateOnly(2026, 10, 26), Amsterdam));
        Assert.Equal(TimeSpan.FromHours(25), day.End - day.Start);
        Assert.Equal(Utc("2026-10-24T22:00:00Z"), day.Start);
    }

    [Fact]
    public void Hours_of_the_fall_back_day_show_two_0200_hours_with_their_offsets()
    {
        var hours = ReportPeriods.For(ReportInterval.Hour, new DateOnly(2026, 10, 25), new DateOnly(2026, 10, 26), Amsterdam);
        Assert.Equal(25, hours.Count);
        Assert.Contains(hours, h => h.Label == "2026-10-25T02:00+02:00");
        Assert.Contains(hours, h => h.Label == "2026-10-25T02:00+01:00");
        Assert.All(hours, h => Assert.Equal(TimeSpan.FromHours(1), h.End - h.Start));
    }

    [Fact]
    public void Hours_of_the_spring_forward_day_skip_0200()
    {
        var hours = ReportPeriods.For(ReportInterval.Hour, new DateOnly(2026, 3, 29), new DateOnly(2026, 3, 30), Amsterdam);
        Assert.Equal(23, hours.Count);
        Assert.DoesNotContain(hours, h => h.Label.StartsWith("2026-03-29T02:", StringComparison.Ordinal));
        Assert.Equal("2026-03-29T03:00+02:00", hours[2].Label);
    }

    [Fact]
    public void A_half_hour_zone_starts_its_day_and_hours_on_the_half_hour_in_utc()
    {
        var kolkata = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");
        var day = Assert.Single(ReportPeriods.For(ReportInterval.Day, new DateOnly(2026, 3, 10), new DateOnly(2026, 3, 11), kolkata));
        Assert.Equal(Utc("2026-03-09T18:30:00Z"), day.Start);
        var hours = ReportPeriods.For(ReportInterval.Hour, new DateOnly(2026, 3, 10), new DateOnly(2026, 3, 11), kolkata);
        Assert.Equal(24, hours.Count);
        Assert.Equal(Utc("2026-03-09T19:30:00Z"), hours[1].Start);
    }

    [Fact]
    public void Months_are_clipped_to_the_range_and_start_at_local_midnight()
    {
        var months = ReportPeriods.For(ReportInterval.Month, new DateOnly(2026, 3, 15), new DateOnly(2026, 5, 10), Amsterdam);
        Assert.Equal(["2026-03", "2026-04", "2026-05"], months.Select(m => m.Label));
        Assert.Equal(Utc("2026-03-14T23:00:00Z"), months[0].Start);
        Assert.Equal(Utc("2026-03-31T22:00:00Z"), months[1].Start);
        Assert.Equal(Utc("2026-05-09T22:00:00Z"), months[2].End);
    }

    [Fact]
    public void A_bucket_is_found_in_the_period_that_contains_it()
    {
        var days = ReportPeriods.For(ReportInterval.Day, new DateOnly(2026, 3, 28), new DateOnly(2026, 3, 31), Amsterdam);
        Assert.Equal(1, ReportPeriods.IndexOf(days, Utc("2026-03-28T23:00:00Z").ToUnixTimeMilliseconds()));
        Assert.Equal(0, ReportPeriods.IndexOf(days, Utc("2026-03-28T22:45:00Z").ToUnixTimeMilliseconds()));
        Assert.Equal(-1, ReportPeriods.IndexOf(days, Utc("2026-03-31T22:00:00Z").ToUnixTimeMilliseconds()));
    }
}
