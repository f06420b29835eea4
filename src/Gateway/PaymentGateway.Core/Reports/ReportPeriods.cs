using System.Globalization;

namespace PaymentGateway.Core.Reports;

/// <summary>Report intervals.</summary>
public enum ReportInterval
{
    Hour,
    Day,
    Month,
}

/// <summary>One local period of a report: its label and its UTC bounds.</summary>
public sealed record ReportPeriod(string Label, DateTimeOffset Start, DateTimeOffset End);

/// <summary>
/// The local hours, days or months of a date range in a time zone, as UTC bounds: a day is 23 or 25 hours across a DST
/// change, a local hour that happens twice (autumn) is two periods, and one that does not happen (spring) is none.
/// </summary>
public static class ReportPeriods
{
    public static IReadOnlyList<ReportPeriod> For(ReportInterval interval, DateOnly from, DateOnly to, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var periods = new List<ReportPeriod>();
        switch (interval)
        {
            case ReportInterval.Day:
                for (var d = from; d < to; d = d.AddDays(1))
                {
                    periods.Add(new ReportPeriod(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), StartOf(d, zone), StartOf(d.AddDays(1), zone)));
                }

                break;
            case ReportInterval.Month:
                for (var m = new DateOnly(from.Year, from.Month, 1); m < to; m = m.AddMonths(1))
                {
                    var start = m < from ? from : m;
                    var end = m.AddMonths(1) > to ? to : m.AddMonths(1);
                    periods.Add(new ReportPeriod(m.ToString("yyyy-MM", CultureInfo.InvariantCulture), StartOf(start, zone), StartOf(end, zone)));
                }

                break;
            default:
                var t = StartOf(from, zone);
                var last = StartOf(to, zone);
                var step = ReportFacts.BucketSize;
                while (t < last)
                {
                    var local = TimeZoneInfo.ConvertTime(t, zone);
                    var hourStart = t - TimeSpan.FromMinutes(local.Minute) - TimeSpan.FromSeconds(local.Second);
                    var end = hourStart + TimeSpan.FromHours(1);
                    // Offsets are whole quarters of an hour, so the local hour ends on a bucket boundary; a change of
                    // offset inside the hour (DST) ends it early.
                    var next = t + step;
                    while (next < end && next < last && TimeZoneInfo.ConvertTime(next, zone).Offset == local.Offset)
                    {
                        next += step;
                    }

                    var label = new DateTimeOffset(local.Year, local.Month, local.Day, local.Hour, 0, 0, local.Offset).ToString("yyyy-MM-dd'T'HH:mmzzz", CultureInfo.InvariantCulture);
                    periods.Add(new ReportPeriod(label, t, next));
                    t = next;
                }

                break;
        }

        return periods;
    }

    /// <summary>The UTC instant the local date begins (the first valid local time when midnight is skipped by DST).</summary>
    public static DateTimeOffset StartOf(DateOnly date, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    /// <summary>The index of the period containing <paramref name="ms"/> (Unix milliseconds), or -1.</summary>
    public static int IndexOf(IReadOnlyList<ReportPeriod> periods, long ms)
    {
        ArgumentNullException.ThrowIfNull(periods);
        int lo = 0, hi = periods.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (ms < periods[mid].Start.ToUnixTimeMilliseconds())
            {
                hi = mid - 1;
            }
            else if (ms >= periods[mid].End.ToUnixTimeMilliseconds())
            {
                lo = mid + 1;
            }
            else
            {
                return mid;
            }
        }

        return -1;
    }
}
