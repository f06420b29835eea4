using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Reports;

/// <summary>
/// Runs export jobs on worker nodes: claims one (a per-row lease, renewed while writing, so a dead worker's job is taken
/// over when its lease runs out), streams its rows page by page (keyset by id, so memory stays flat however many rows)
/// into <c>{random}.csv</c> in the export directory, and records progress (rows, percent) as it goes. A job made by a
/// schedule ends with a <c>report.ready</c> event (a signed webhook) carrying its download link.
/// </summary>
public sealed class ExportRunner(IExportStore store, IPaymentStore payments, IOptions<ReportOptions> options, IOptions<GatewayOptions> gateway, TimeProvider time)
{
    private const int PageSize = 1000;
    private const int ProgressEveryRows = 20_000;
    private readonly string _holder = Environment.MachineName + ":" + Environment.ProcessId + ":" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Claims and runs one export; false when none was waiting.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var job = await store.ClaimExportAsync(_holder, now, now + settings.ExportLease, ct).ConfigureAwait(false);
        if (job is null)
        {
            return false;
        }

        await RunAsync(job, ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>Deletes the files of exports whose download time ended; returns how many.</summary>
    public async Task<int> ExpireAsync(CancellationToken ct)
    {
        var expired = await store.ExpireExportsAsync(time.GetUtcNow(), 100, ct).ConfigureAwait(false);
        var directory = ExportService.Directory(options.Value, gateway.Value);
        foreach (var job in expired.Where(j => j.FileName is not null))
        {
            File.Delete(Path.Combine(directory, job.FileName ?? string.Empty));
        }

        return expired.Count;
    }

    private async Task RunAsync(ExportJob job, CancellationToken ct)
    {
        var settings = options.Value;
        var directory = ExportService.Directory(settings, gateway.Value);
        Directory.CreateDirectory(directory);
        var name = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + ".csv";
        var partial = Path.Combine(directory, name + ".part");
        var range = new ExportRange
        {
            Type = job.Type,
            MerchantId = job.MerchantId,
            Livemode = job.Livemode,
            FromMs = job.From.ToUnixTimeMilliseconds(),
            ToMs = job.To.ToUnixTimeMilliseconds(),
            Status = job.Filters.GetValueOrDefault("status"),
            Currency = job.Filters.GetValueOrDefault("currency")?.ToUpperInvariant(),
            EventType = job.Filters.GetValueOrDefault("type"),
        };
        try
        {
            job.Status = ExportStatus.Running;
            job.Rows = 0;
            job.TotalRows = await store.CountExportRowsAsync(range, ct).ConfigureAwait(false);
            await SaveAsync(job, ct).ConfigureAwait(false);
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, BufferSize = 64 * 1024, Options = FileOptions.Asynchronous };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using (var file = new FileStream(partial, options))
            {
                await using var csv = new CsvExportWriter(file);
                csv.WriteRow(ExportColumns.For(job.Type));
                var lastProgress = 0L;
                await foreach (var row in RowsAsync(range, ct).ConfigureAwait(false))
                {
                    csv.WriteRow(row);
                    job.Rows++;
                    if (job.Rows - lastProgress >= ProgressEveryRows)
                    {
                        lastProgress = job.Rows;
                        await csv.FlushAsync().ConfigureAwait(false);
                        job.Bytes = file.Length;
                        await SaveAsync(job, ct).ConfigureAwait(false);
                    }
                }

                await csv.FlushAsync().ConfigureAwait(false);
            }

            File.Move(partial, Path.Combine(directory, name), overwrite: false);
            var now = time.GetUtcNow();
            if (job.Schedule is not null)
            {
                // The next period before this one is marked done: a worker that stops in between leaves this export to
                // be run again, and that run finds the next period's export (same derived id) instead of adding one.
                var next = ExportService.NextScheduled(job, now);
                if (await store.GetExportAsync(next.MerchantId, next.Livemode, next.Id, ct).ConfigureAwait(false) is null)
                {
                    await store.CreateExportAsync(next, ct).ConfigureAwait(false);
                }
            }

            job.FileName = name;
            job.Bytes = new FileInfo(Path.Combine(directory, name)).Length;
            job.Status = ExportStatus.Succeeded;
            job.CompletedAt = now;
            job.ExpiresAt = now + settings.ExportRetention;
            await SaveAsync(job, ct).ConfigureAwait(false);
            if (job.Schedule is not null)
            {
                // A worker that stops before this write loses one notification; the export stays listed and downloadable.
                await payments.CommitAsync(ReadyEvent(job, now), ct).ConfigureAwait(false);
            }
        }
        catch (LeaseLostException)
        {
            File.Delete(partial); // another worker took the job over; it writes its own file
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            File.Delete(partial);
            job.Status = ExportStatus.Failed;
            job.FailureMessage = "The export file could not be written on the worker node.";
            job.CompletedAt = time.GetUtcNow();
            await store.UpdateExportAsync(job, _holder, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The signed webhook that tells the merchant a scheduled report is ready, with its download link.</summary>
    public static StoreChanges ReadyEvent(ExportJob job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        var changes = new StoreChanges();
        changes.Events.Add(new GatewayEvent
        {
            Id = Ids.New(Ids.Event),
            MerchantId = job.MerchantId,
            Livemode = job.Livemode,
            Type = EventTypes.ReportReady,
            ObjectId = job.Id,
            Created = now,
            DataJson = JsonSerializer.Serialize(ExportService.ToResource(job), ApiJson.Context.ExportResource),
        });
        return changes;
    }

    private async Task SaveAsync(ExportJob job, CancellationToken ct)
    {
        job.Updated = time.GetUtcNow();
        if (!await store.UpdateExportAsync(job, _holder, job.Updated + options.Value.ExportLease, ct).ConfigureAwait(false))
        {
            throw new LeaseLostException();
        }
    }

    /// <summary>
    /// The range's rows, page by page (keyset by id). The next page is read (query and row building, on the thread pool)
    /// while the current one is written, so the database, the row building and the CSV writing overlap; at most two pages
    /// are held at a time, whatever the row count.
    /// </summary>
    private async IAsyncEnumerable<string?[]> RowsAsync(ExportRange range, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var next = Task.Run(() => PageAsync(range, null, ct), ct);
        try
        {
            while (true)
            {
                var (rows, last) = await next.ConfigureAwait(false);
                var more = rows.Count == PageSize;
                if (more)
                {
                    next = Task.Run(() => PageAsync(range, last, ct), ct);
                }

                foreach (var row in rows)
                {
                    yield return row;
                }

                if (!more)
                {
                    yield break;
                }
            }
        }
        finally
        {
            // A write that failed (or a lost lease) leaves the page being read: wait for it so nothing runs on unobserved.
            if (!next.IsCompleted)
            {
                try
                {
                    await next.ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // the export already failed for its own reason
                }
            }
        }
    }

    private async Task<(IReadOnlyList<string?[]> Rows, string? Last)> PageAsync(ExportRange range, string? after, CancellationToken ct)
    {
        switch (range.Type)
        {
            case "payments":
                var p = await store.ListPaymentRowsForExportAsync(range, after, PageSize, ct).ConfigureAwait(false);
                return (p, p.Count > 0 ? p[^1][0] : after);
            case "refunds":
                var r = await store.ListRefundsForExportAsync(range, after, PageSize, ct).ConfigureAwait(false);
                return ([.. r.Select(ExportColumns.Row)], r.Count > 0 ? r[^1].Id : after);
            case "events":
                var e = await store.ListEventsForExportAsync(range, after, PageSize, ct).ConfigureAwait(false);
                return ([.. e.Select(ExportColumns.Row)], e.Count > 0 ? e[^1].Id : after);
            default:
                var s = await store.ListSettlementLinesForExportAsync(range, after, PageSize, ct).ConfigureAwait(false);
                return ([.. s.Select(ExportColumns.Row)], s.Count > 0 ? s[^1].Id : after);
        }
    }

    private sealed class LeaseLostException : Exception;
}
