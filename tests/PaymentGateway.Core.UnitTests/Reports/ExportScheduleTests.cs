using PaymentGateway.Core.Api;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Reports;

namespace PaymentGateway.Core.UnitTests.Reports;

public sealed class ExportScheduleTests
{
    private static readonly CallerContext Caller = new("mer_schedule", false, ApiKeyKind.Secret);

    // A Thursday afternoon (UTC).
    private static readonly DateTimeOffset Now = new(2026, 3, 12, 15, 40, 0, TimeSpan.Zero);

    private static ExportJob Validate(CreateExportRequest request) => ExportService.Validate(Caller, request, null, null, Now);

    [Fact]
    public void A_daily_report_defaults_to_the_current_utc_day_and_waits_for_its_end()
    {
        var job = Validate(new CreateExportRequest { Type = "payments", Schedule = "daily" });

        Assert.Equal((new DateTimeOffset(2026, 3, 12, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 13, 0, 0, 0, TimeSpan.Zero)), (job.From, job.To));
        Assert.Equal(job.To, job.RunAfter);
        Assert.Equal(("daily", ExportStatus.Pending), (job.Schedule, job.Status));
    }

    [Fact]
    public void A_weekly_report_covers_monday_to_monday_utc()
    {
        var job = Validate(new CreateExportRequest { Type = "refunds", Schedule = "weekly" });

        Assert.Equal(new DateTimeOffset(2026, 3, 9, 0, 0, 0, TimeSpan.Zero), job.From);
        Assert.Equal(DayOfWeek.Monday, job.From.DayOfWeek);
        Assert.Equal(TimeSpan.FromDays(7), job.To - job.From);
    }

    [Fact]
    public void An_unscheduled_export_runs_at_once()
    {
        var job = Validate(new CreateExportRequest { Type = "payments", From = Now.AddDays(-1), To = Now });
        Assert.Null(job.RunAfter);
        Assert.Null(job.Schedule);
    }

    [Theory]
    [InlineData("hourly", null, false, "schedule")]
    [InlineData("daily", "2026-03-11T06:00:00Z", false, "from")] // not a period start
    [InlineData("weekly", "2026-03-10T00:00:00Z", false, "from")] // a Tuesday
    [InlineData("daily", "2026-01-01T00:00:00Z", false, "from")] // more than 31 days back
    [InlineData("daily", null, true, "to")] // a schedule's periods are whole
    public void Bad_schedules_are_400s_naming_the_parameter(string schedule, string? from, bool withTo, string param)
    {
        var request = new CreateExportRequest
        {
            Type = "payments",
            Schedule = schedule,
            From = from is null ? null : DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture),
            To = withTo ? Now : null,
        };

        var e = Assert.Throws<GatewayException>(() => Validate(request));
        Assert.Equal((ErrorCodes.ParameterInvalid, param), (e.Code, e.Param));
    }

    [Fact]
    public void The_next_period_follows_on_and_has_the_same_id_when_made_again()
    {
        var first = Validate(new CreateExportRequest { Type = "events", Schedule = "daily", From = new DateTimeOffset(2026, 3, 11, 0, 0, 0, TimeSpan.Zero), Filters = new() { ["type"] = "payment.succeeded" } });

        var next = ExportService.NextScheduled(first, Now);
        var again = ExportService.NextScheduled(first, Now.AddMinutes(5));

        Assert.Equal((first.To, first.To.AddDays(1), first.To.AddDays(1)), (next.From, next.To, next.RunAfter));
        Assert.Equal(("events", "daily", "payment.succeeded"), (next.Type, next.Schedule, next.Filters["type"]));
        Assert.Equal(next.Id, again.Id);
        Assert.Matches("^rpt_[0-9a-z]{29}$", next.Id);
        Assert.NotEqual(next.Id, ExportService.NextScheduled(Validate(new CreateExportRequest { Type = "events", Schedule = "daily", From = new DateTimeOffset(2026, 3, 11, 0, 0, 0, TimeSpan.Zero) }), Now).Id);
    }
}
