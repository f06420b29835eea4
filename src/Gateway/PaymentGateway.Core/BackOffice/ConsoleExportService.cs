using System.Globalization;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Reports;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.BackOffice;

/// <summary>What the console's export form sends: the type, a range of UTC days (both included) and the filters.</summary>
public sealed record ConsoleExportForm
{
    public string? Type { get; init; }

    public string? From { get; init; }

    public string? To { get; init; }

    public string? Status { get; init; }

    public string? Currency { get; init; }

    /// <summary>The event type an events export is limited to.</summary>
    public string? EventType { get; init; }

    /// <summary>The form's one-time token: the export's id derives from it, so a double click or a resubmitted form creates one export.</summary>
    public string? FormToken { get; init; }

    /// <summary>When the form was shown (Unix milliseconds): the derived id's time, so the export sorts where it was asked for.</summary>
    public long Issued { get; init; }
}

/// <summary>
/// The console's Exports page: a merchant's export jobs through <see cref="ExportService"/> — the API's service — for
/// users whose role allows <see cref="ConsolePermission.ExportData"/> on it (owners and finance; checked here). Creating,
/// canceling and downloading are audited with the console user as the actor; a refused create or cancel is audited with
/// outcome <c>refused</c>.
/// </summary>
public sealed class ConsoleExportService(ExportService exports, IMerchantStore merchants, IConsoleStore consoleStore, TimeProvider time)
{
    public const string CreatedAction = "console.export.created";
    public const string CanceledAction = "console.export.canceled";
    public const string DownloadedAction = "console.export.downloaded";
    public const string ExportTarget = "export";

    /// <summary>How old an export form may be before it has to be opened again.</summary>
    public static readonly TimeSpan FormLifetime = TimeSpan.FromDays(1);

    /// <summary>The merchants whose data the caller may export, by name.</summary>
    public Task<IReadOnlyList<Merchant>> MerchantsAsync(ConsoleCaller caller, CancellationToken ct) =>
        ConsoleMerchants.AllowingAsync(merchants, caller, ConsolePermission.ExportData, ct);

    /// <summary>One page of the merchant's exports, newest first, as <c>GET /v1/exports</c> answers it.</summary>
    public Task<ListResource<ExportResource>> ListAsync(ConsoleCaller caller, string merchantId, bool livemode, ListQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.Demand(ConsolePermission.ExportData, merchantId);
        return exports.ListAsync(Api(merchantId, livemode), query, ct);
    }

    /// <summary>
    /// Starts an export (<c>pending</c>; a worker writes it). A bad field is refused beside it and nothing is created;
    /// the same form sent again answers the export it created.
    /// </summary>
    public async Task<ExportResource> CreateAsync(ConsoleCaller caller, string merchantId, bool livemode, ConsoleExportForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var role = await DemandAsync(caller, merchantId, CreatedAction, null, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var issued = form.Issued > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(Math.Min(form.Issued, now.ToUnixTimeMilliseconds())) : DateTimeOffset.MinValue;
        if (form.FormToken is not { Length: >= 16 and <= 100 } token || now - issued > FormLifetime)
        {
            throw new ConsoleValidationException("Type", "This form has expired; open the page again.");
        }

        var type = form.Type?.Trim() ?? string.Empty;
        if (!ExportColumns.Types.Contains(type, StringComparer.Ordinal))
        {
            throw new ConsoleValidationException("Type", $"Choose what to export: {string.Join(", ", ExportColumns.Types)}.");
        }

        var (from, to) = ConsoleWebhookService.ParseRange(form.From, form.To);
        var filters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, field, value) in new[] { ("status", "Status", form.Status), ("currency", "Currency", form.Currency?.ToUpperInvariant()), ("type", "EventType", form.EventType) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            if (!ExportService.FiltersFor(type).Contains(name, StringComparer.Ordinal))
            {
                throw new ConsoleValidationException(field, $"An export of {type} filters by {string.Join(" and ", ExportService.FiltersFor(type))} only; leave this empty.");
            }

            filters[name] = value.Trim();
        }

        // The form sent again: the export it created, already audited.
        var id = Ids.Derived(Ids.ReportRun, issued, $"console\n{caller.UserId}\n{token}");
        try
        {
            return await exports.GetAsync(Api(merchantId, livemode), id, ct).ConfigureAwait(false);
        }
        catch (GatewayException e) when (e.Kind == ErrorKind.NotFound)
        {
            // Not created yet: this is the form's first submission.
        }

        ExportResource created;
        try
        {
            created = await exports.CreateAsync(Api(merchantId, livemode), new CreateExportRequest { Type = type, From = from, To = to, Filters = filters }, id, ct)
                .ConfigureAwait(false);
        }
        catch (GatewayException e) when (e.Kind == ErrorKind.InvalidRequest)
        {
            throw new ConsoleValidationException(e.Param switch { "from" => "From", "to" => "To", "type" => "Type", _ => "Status" }, e.Message);
        }

        await AuditAsync(Record(caller, role, CreatedAction, merchantId, created.Id, AuditOutcomes.Succeeded, new Dictionary<string, string?>
        {
            ["livemode"] = livemode ? "true" : "false",
            ["type"] = created.Type,
            ["from"] = created.From.ToString("O", CultureInfo.InvariantCulture),
            ["to"] = created.To.ToString("O", CultureInfo.InvariantCulture),
            ["filters"] = string.Join(", ", created.Filters.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}")),
        }), ct).ConfigureAwait(false);
        return created;
    }

    /// <summary>Cancels an export no worker has started (what the API allows); 409 <c>export_not_cancelable</c> once it started.</summary>
    public async Task<ExportResource> CancelAsync(ConsoleCaller caller, string merchantId, bool livemode, string id, CancellationToken ct)
    {
        var role = await DemandAsync(caller, merchantId, CanceledAction, id, ct).ConfigureAwait(false);
        var canceled = await exports.CancelAsync(Api(merchantId, livemode), id, ct).ConfigureAwait(false);
        await AuditAsync(Record(caller, role, CanceledAction, merchantId, id, AuditOutcomes.Succeeded,
            new Dictionary<string, string?> { ["livemode"] = livemode ? "true" : "false" }), ct).ConfigureAwait(false);
        return canceled;
    }

    /// <summary>
    /// The finished file opened for streaming (409 before it succeeded, 410 once it expired, 404 for another merchant's);
    /// the download is audited before a byte is sent.
    /// </summary>
    public async Task<(ExportJob Job, Stream File)> OpenAsync(ConsoleCaller caller, string merchantId, bool livemode, string id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var role = caller.Demand(ConsolePermission.ExportData, merchantId);
        var (job, file) = await exports.OpenAsync(Api(merchantId, livemode), id, ct).ConfigureAwait(false);
        try
        {
            await AuditAsync(Record(caller, role, DownloadedAction, merchantId, id, AuditOutcomes.Succeeded, new Dictionary<string, string?>
            {
                ["livemode"] = livemode ? "true" : "false",
                ["type"] = job.Type,
                ["rows"] = job.Rows.ToString(CultureInfo.InvariantCulture),
            }), ct).ConfigureAwait(false);
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return (job, file);
    }

    /// <summary>The role allowing exports on the merchant; a refusal is audited (outcome <c>refused</c>) and thrown (403).</summary>
    private async Task<ConsoleRole> DemandAsync(ConsoleCaller caller, string merchantId, string action, string? exportId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return await caller.DemandAuditedAsync(ConsolePermission.ExportData, merchantId,
            () => AuditAsync(Record(caller, null, action, merchantId, exportId, AuditOutcomes.Refused, new Dictionary<string, string?> { ["reason"] = "role" }), ct))
            .ConfigureAwait(false);
    }

    private Task AuditAsync(AuditRecord record, CancellationToken ct)
    {
        var changes = new ConsoleChanges();
        changes.AuditRecords.Add(record);
        return consoleStore.CommitAsync(changes, record.Outcome == AuditOutcomes.Refused ? CancellationToken.None : ct);
    }

    private AuditRecord Record(ConsoleCaller caller, ConsoleRole? role, string action, string merchantId, string? exportId, string outcome,
        IReadOnlyDictionary<string, string?> after) => new()
        {
            Created = time.GetUtcNow(),
            Action = action,
            Outcome = outcome,
            Actor = caller.Actor(role),
            MerchantId = merchantId,
            TargetType = ExportTarget,
            TargetId = exportId,
            After = after,
            Context = caller.Context,
        };

    private static CallerContext Api(string merchantId, bool livemode) => new(merchantId, livemode, ApiKeyKind.Secret);
}
