namespace PaymentGateway.Core.BankTransfers;

/// <summary>
/// TARGET2 business days, the calendar SEPA Direct Debits settle on: every day except Saturdays, Sundays and the
/// TARGET2 closing days (1 January, Good Friday, Easter Monday, 1 May, 25 and 26 December). Easter Sunday is computed
/// with the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
/// </summary>
public static class Target2Calendar
{
    /// <summary>Easter Sunday of <paramref name="year"/> (Gregorian calendar).</summary>
    public static DateOnly EasterSunday(int year)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1583);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 9999);
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = ((19 * a) + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        var m = (a + (11 * h) + (22 * l)) / 451;
        var month = (h + l - (7 * m) + 114) / 31;
        var day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new DateOnly(year, month, day);
    }

    public static bool IsClosingDay(DateOnly date)
    {
        if ((date.Month, date.Day) is (1, 1) or (5, 1) or (12, 25) or (12, 26))
        {
            return true;
        }

        var easter = EasterSunday(date.Year);
        return date == easter.AddDays(-2) || date == easter.AddDays(1);
    }

    public static bool IsBusinessDay(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !IsClosingDay(date);

    /// <summary><paramref name="date"/> itself when it is a business day, else the next one.</summary>
    public static DateOnly OnOrAfter(DateOnly date)
    {
        while (!IsBusinessDay(date))
        {
            date = date.AddDays(1);
        }

        return date;
    }

    /// <summary>The business day <paramref name="days"/> business days after <paramref name="date"/> (which need not be one).</summary>
    public static DateOnly AddBusinessDays(DateOnly date, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        for (var added = 0; added < days;)
        {
            date = date.AddDays(1);
            if (IsBusinessDay(date))
            {
                added++;
            }
        }

        return date;
    }

    /// <summary>
    /// The first day on which a debit collected on <paramref name="collectionDate"/> counts as settled: the collection
    /// moves to the next business day when it falls on a closing day, then <paramref name="businessDays"/> business days
    /// must pass without a return.
    /// </summary>
    public static DateOnly SettlementDate(DateOnly collectionDate, int businessDays) =>
        AddBusinessDays(OnOrAfter(collectionDate), businessDays);
}
