using PaymentGateway.Core.BankTransfers;

namespace PaymentGateway.Core.UnitTests;

/// <summary>TARGET2 closing days as published by the ECB: weekends, 1 January, Good Friday, Easter Monday, 1 May, 25 and 26 December.</summary>
public sealed class Target2CalendarTests
{
    [Theory]
    [InlineData(2019, "2019-04-21")]
    [InlineData(2024, "2024-03-31")]
    [InlineData(2025, "2025-04-20")]
    [InlineData(2026, "2026-04-05")]
    [InlineData(2027, "2027-03-28")]
    [InlineData(2038, "2038-04-25")]
    [InlineData(2285, "2285-03-22")]
    public void EasterSunday_MatchesPublishedDates(int year, string expected)
    {
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Target2Calendar.EasterSunday(year));
    }

    [Theory]
    [InlineData("2025-01-01")]
    [InlineData("2025-04-18")] // Good Friday
    [InlineData("2025-04-21")] // Easter Monday
    [InlineData("2025-05-01")]
    [InlineData("2025-12-25")]
    [InlineData("2025-12-26")]
    [InlineData("2026-04-03")] // Good Friday
    [InlineData("2026-04-06")] // Easter Monday
    [InlineData("2026-01-01")]
    public void ClosingDays_AreNotBusinessDays(string date)
    {
        var day = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Target2Calendar.IsClosingDay(day));
        Assert.False(Target2Calendar.IsBusinessDay(day));
    }

    [Theory]
    [InlineData("2025-04-17")] // Maundy Thursday: open
    [InlineData("2025-04-22")]
    [InlineData("2025-12-24")] // Christmas Eve: open in TARGET2
    [InlineData("2025-12-31")]
    [InlineData("2026-05-14")] // Ascension: a national holiday in some countries, open in TARGET2
    public void OrdinaryWeekdays_AreBusinessDays(string date)
    {
        Assert.True(Target2Calendar.IsBusinessDay(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Weekends_AreNotBusinessDays()
    {
        Assert.False(Target2Calendar.IsBusinessDay(new DateOnly(2026, 11, 28)));
        Assert.False(Target2Calendar.IsBusinessDay(new DateOnly(2026, 11, 29)));
        Assert.True(Target2Calendar.IsBusinessDay(new DateOnly(2026, 11, 30)));
    }

    [Theory]
    [InlineData("2026-11-23", 5, "2026-11-30")] // Monday + 5 = next Monday
    [InlineData("2026-11-27", 1, "2026-11-30")] // Friday + 1 skips the weekend
    [InlineData("2025-04-16", 2, "2025-04-22")] // Wednesday: Thursday, (Good Friday, weekend, Easter Monday), Tuesday
    [InlineData("2025-12-23", 3, "2025-12-30")] // 24, (25, 26, weekend), 29, 30
    [InlineData("2026-12-31", 1, "2027-01-04")] // New Year's Day is a Friday in 2027: next is Monday
    [InlineData("2026-11-23", 0, "2026-11-23")]
    public void AddBusinessDays_SkipsWeekendsAndClosingDays(string from, int days, string expected)
    {
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        Assert.Equal(DateOnly.Parse(expected, culture), Target2Calendar.AddBusinessDays(DateOnly.Parse(from, culture), days));
    }

    [Fact]
    public void SettlementDate_MovesACollectionOnAClosingDayToTheNextBusinessDayFirst()
    {
        // Collection requested on Good Friday 2026 (2026-04-03): collected Tuesday 2026-04-07, + 5 = Tuesday 2026-04-14.
        Assert.Equal(new DateOnly(2026, 4, 14), Target2Calendar.SettlementDate(new DateOnly(2026, 4, 3), 5));
        // Collection on a Saturday: collected Monday 2026-11-30, + 5 = Monday 2026-12-07.
        Assert.Equal(new DateOnly(2026, 12, 7), Target2Calendar.SettlementDate(new DateOnly(2026, 11, 28), 5));
        Assert.Equal(new DateOnly(2026, 11, 27), Target2Calendar.OnOrAfter(new DateOnly(2026, 11, 27)));
    }
}
