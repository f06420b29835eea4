using Microsoft.Extensions.Options;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Reports;

/// <summary>
/// The export API: create a job (a worker writes the file, <see cref="ExportRunner"/>), read its progress, list, and
/// open the finished file for download until it expires.
/// </summary>
public sealed class ExportService(IExportStore store, IOptions<ReportOptions> options, IOptions<GatewayOptions> gateway, TimeProvider time)
{
    private static readonly Dictionary<string, string[]> AllowedFilters = new(StringComparer.Ordinal)
    {
        ["payments"] = ["status", "currency"],
        ["refunds"] = ["status", "currency"],
        ["events"] = ["type"],
        ["settlements"] = ["status", "currency"],
    };

    /// <summary>The filters an export of <paramref name="type"/> takes (none for an unknown type).</summary>
    public static IReadOnlyList<string> FiltersFor(string type) => AllowedFilters.TryGetValue(type, out var allowed) ? allowed : [];

    public async Task<ExportResource> CreateAsync(CallerContext caller, CreateExportRequest request, string? recoveryId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var job = Validate(caller, request, recoveryId, schedule: null, time.GetUtcNow());
        if (recoveryId is not null && await store.GetExportAsync(caller.MerchantId, caller.Livemode, job.Id, ct).ConfigureAwait(false) is { } existing)
        {
            return ToResource(existing);
        }

        await store.CreateExportAsync(job, ct).ConfigureAwait(false);
        return ToResource(job);
    }

    /// <summary>A validated new job (400 for a bad type, range, version or filter).</summary>
    public static ExportJob Validate(CallerContext caller, CreateExportRequest request, string? id, string? schedule, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var type = request.Type ?? throw GatewayException.Missing("type");
        if (!AllowedFilters.TryGetValue(type, out var allowed))
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"type must be one of {string.Join(", ", ExportColumns.Types)}.", "type");
        }

        var version = request.ColumnsVersion ?? ExportColumns.V1;
        if (version != ExportColumns.V1)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "columns_version must be v1.", "columns_version");
        }

        DateTimeOffset from, to;
        DateTimeOffset? runAfter = null;
        schedule ??= request.Schedule;
        if (schedule is not null)
        {
            var period = SchedulePeriod(schedule);
            if (request.To is not null)
            {
                throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "A scheduled report covers whole periods: give from (a period start) and no to.", "to");
            }

            from = request.From ?? PeriodStart(schedule, now);
            if (from != PeriodStart(schedule, from))
            {
                throw GatewayException.Invalid(ErrorCodes.ParameterInvalid,
                    schedule == Daily ? "from of a daily report must be a UTC midnight." : "from of a weekly report must be a Monday, 00:00 UTC.", "from");
            }

            if (from < PeriodStart(schedule, now).AddDays(-31))
            {
                throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "from of a scheduled report is at most 31 days before the current period.", "from");
            }

            to = from + period;
            runAfter = to;
        }
        else
        {
            from = request.From ?? throw GatewayException.Missing("from");
            to = request.To ?? throw GatewayException.Missing("to");
        }

        if (to <= from)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "to must be after from.", "to");
        }

        var filters = request.Filters ?? [];
        foreach (var (name, value) in filters)
        {
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"A {type} export filters by {string.Join(", ", allowed)}; not '{(name.Length > 32 ? name[..32] : name)}'.", "filters");
            }

            if (value is not { Length: > 0 and <= 64 })
            {
                throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"filters.{name} must be 1 to 64 characters.", "filters");
            }
        }

        return new ExportJob
        {
            Id = id ?? Ids.New(Ids.ReportRun),
            MerchantId = caller.MerchantId,
            Livemode = caller.Livemode,
            Type = type,
            ColumnsVersion = version,
            Status = ExportStatus.Pending,
            From = from,
            To = to,
            Filters = new Dictionary<string, string>(filters, StringComparer.Ordinal),
            Schedule = schedule,
            RunAfter = runAfter,
            Created = now,
            Updated = now,
        };
    }

    /// <summary>The schedule names: <c>daily</c> (UTC days) and <c>weekly</c> (UTC weeks from Monday).</summary>
    public const string Daily = "daily";

    /// <inheritdoc cref="Daily"/>
    public const string Weekly = "weekly";

    /// <summary>The length of a schedule's period (400 for an unknown schedule).</summary>
    public static TimeSpan SchedulePeriod(string schedule) => schedule switch
    {
        Daily => TimeSpan.FromDays(1),
        Weekly => TimeSpan.FromDays(7),
        _ => throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "schedule must be daily or weekly.", "schedule"),
    };

    /// <summary>The start of the UTC day (daily) or week from Monday (weekly) that holds <paramref name="at"/>.</summary>
    public static DateTimeOffset PeriodStart(string schedule, DateTimeOffset at)
    {
        var day = new DateTimeOffset(at.UtcDateTime.Date, TimeSpan.Zero);
        return schedule == Weekly ? day.AddDays(-(((int)day.DayOfWeek + 6) % 7)) : day;
    }

    /// <summary>
    /// The export of a scheduled report's next period, queued when one succeeded; its id derives from the finished
    /// export's, so a worker that runs the same export again finds it instead of starting a second schedule.
    /// </summary>
    public static ExportJob NextScheduled(ExportJob done, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(done);
        var schedule = done.Schedule ?? throw new ArgumentException("Not a scheduled export.", nameof(done));
        var to = done.To + SchedulePeriod(schedule);
        return new ExportJob
        {
            Id = Ids.Derived(Ids.ReportRun, done.To, done.Id),
            MerchantId = done.MerchantId,
            Livemode = done.Livemode,
            Type = done.Type,
            ColumnsVersion = done.ColumnsVersion,
            Status = ExportStatus.Pending,
            From = done.To,
            To = to,
            Filters = new Dictionary<string, string>(done.Filters, StringComparer.Ordinal),
            Schedule = schedule,
            RunAfter = to,
            Created = now,
            Updated = now,
        };
    }

    /// <summary>Cancels a pending export no worker has claimed yet (a scheduled report's next period: that ends the schedule); 409 otherwise.</summary>
    public async Task<ExportResource> CancelAsync(CallerContext caller, string id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var job = await LoadAsync(caller, id, ct).ConfigureAwait(false);
        if (job.Status == ExportStatus.Canceled)
        {
            return ToResource(job);
        }

        job.Status = ExportStatus.Canceled;
        job.Updated = time.GetUtcNow();
        job.CompletedAt = job.Updated;
        if (!await store.CancelExportAsync(job, ct).ConfigureAwait(false))
        {
            throw new GatewayException(ErrorKind.Conflict, ErrorCodes.ExportNotCancelable, $"Export {job.Id} has started or finished; only a pending export can be canceled.");
        }

        return ToResource(job);
    }

    public async Task<ExportResource> GetAsync(CallerContext caller, string id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return ToResource(await LoadAsync(caller, id, ct).ConfigureAwait(false));
    }

    public async Task<ListResource<ExportResource>> ListAsync(CallerContext caller, ListQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var rows = await store.ListExportsAsync(caller.MerchantId, caller.Livemode, Paging.Probe(query), ct).ConfigureAwait(false);
        return Paging.ToList(rows, query, ToResource);
    }

    /// <summary>The finished file, opened for reading: 409 <c>export_not_ready</c> before, 410 <c>export_expired</c> after its time.</summary>
    public async Task<(ExportJob Job, Stream File)> OpenAsync(CallerContext caller, string id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var job = await LoadAsync(caller, id, ct).ConfigureAwait(false);
        if (job.Status == ExportStatus.Expired || (job.ExpiresAt is { } expires && expires <= time.GetUtcNow()))
        {
            throw new GatewayException(ErrorKind.Gone, ErrorCodes.ExportExpired, $"Export {job.Id} expired at {job.ExpiresAt:O}; create it again.");
        }

        if (job.Status != ExportStatus.Succeeded || job.FileName is null)
        {
            throw new GatewayException(ErrorKind.Conflict, ErrorCodes.ExportNotReady, $"Export {job.Id} is {job.Status.ToWire()}; download it once it succeeded.");
        }

        var path = Path.Combine(Directory(options.Value, gateway.Value), job.FileName);
        return (job, new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true));
    }

    private async Task<ExportJob> LoadAsync(CallerContext caller, string id, CancellationToken ct) =>
        await store.GetExportAsync(caller.MerchantId, caller.Livemode, id, ct).ConfigureAwait(false) ?? throw GatewayException.NotFound("export", id);

    /// <summary>The export directory (absolute, under the data directory unless configured absolute).</summary>
    public static string Directory(ReportOptions reports, GatewayOptions gateway)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(gateway);
        return Path.GetFullPath(Path.Combine(gateway.DataDirectory, reports.ExportDirectory));
    }

    public static ExportResource ToResource(ExportJob j)
    {
        ArgumentNullException.ThrowIfNull(j);
        return new ExportResource
        {
            Id = j.Id,
            Livemode = j.Livemode,
            Type = j.Type,
            ColumnsVersion = j.ColumnsVersion,
            Status = j.Status.ToWire(),
            Schedule = j.Schedule,
            RunAfter = j.RunAfter,
            From = j.From,
            To = j.To,
            Filters = j.Filters,
            ProgressPercent = j.ProgressPercent,
            Rows = j.Rows,
            TotalRows = j.TotalRows,
            Bytes = j.Bytes,
            DownloadUrl = j.Status == ExportStatus.Succeeded ? $"/v1/exports/{j.Id}/download" : null,
            FailureMessage = j.FailureMessage,
            Created = j.Created,
            CompletedAt = j.CompletedAt,
            ExpiresAt = j.ExpiresAt,
        };
    }
}
