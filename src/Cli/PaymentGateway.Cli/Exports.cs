using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PaymentGateway.Cli;

/// <summary>
/// <c>pgw exports</c>: CSV exports as jobs (<c>POST /v1/exports</c> and friends). <c>create</c> starts one and, unless
/// told not to wait, follows it to the end with a progress line on stderr each time it moves (percent and rows), then
/// downloads the file with the bytes so far; stdout keeps only the result (a line, or the export's JSON with
/// <c>--json</c>), so scripts read it unchanged.
/// </summary>
public static class Exports
{
    /// <summary>How often a followed export is asked for its progress; <c>PGW_POLL_MS</c> overrides it (tests).</summary>
    private static readonly TimeSpan DefaultPoll = TimeSpan.FromSeconds(1);

    public static Command Command(CliEnvironment env)
    {
        var exports = new Command("exports", "Export payments, refunds, events or settlements as CSV (jobs with progress).");
        exports.Subcommands.Add(Create(env));
        exports.Subcommands.Add(Get(env));
        exports.Subcommands.Add(Download(env));
        exports.Subcommands.Add(List(env));
        return exports;
    }

    private static Command Create(CliEnvironment env)
    {
        var type = new Argument<string>("type") { Description = "payments, refunds, events or settlements." };
        type.AcceptOnlyFromAmong("payments", "refunds", "events", "settlements");
        var from = new Option<string>("--from") { Description = "First day or instant included (2026-03-01 or 2026-03-01T00:00:00Z, UTC).", Required = true };
        var to = new Option<string>("--to") { Description = "First day or instant no longer included (UTC).", Required = true };
        var status = new Option<string?>("--status") { Description = "Only rows in this status (payments, refunds, settlements)." };
        var currency = new Option<string?>("--currency") { Description = "Only rows in this currency (payments, refunds, settlements)." };
        var eventType = new Option<string?>("--event-type") { Description = "Only events of this type (events)." };
        var output = new Option<string?>("--output", "-o") { Description = "Where to save the CSV (default: the export's id .csv in the current folder)." };
        var noWait = new Option<bool>("--no-wait") { Description = "Start the export and print it; do not follow it or download it." };
        var command = new Command("create", "Start an export and follow it to the end, then download the CSV.") { type, from, to, status, currency, eventType, output, noWait };
        command.SetAction(async (parsed, ct) =>
        {
            var body = new JsonObject
            {
                ["type"] = parsed.GetValue(type),
                ["from"] = Instant(parsed.GetValue(from), "--from"),
                ["to"] = Instant(parsed.GetValue(to), "--to"),
            };
            var filters = new JsonObject();
            foreach (var (name, option) in new[] { ("status", status), ("currency", currency), ("type", eventType) })
            {
                if (parsed.GetValue(option) is { Length: > 0 } value)
                {
                    filters[name] = value;
                }
            }
            if (filters.Count > 0)
            {
                body["filters"] = filters;
            }

            using var http = CliApp.Connect(parsed, env);
            var created = await http.PostAsync("v1/exports", body, ct).ConfigureAwait(false);
            if (parsed.GetValue(noWait))
            {
                await (CliApp.Json(parsed) ? CliApp.PrintJsonAsync(env, created) : env.Out.WriteLineAsync(Line(created))).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            var finished = await FollowAsync(http, CliApp.Str(created, "id"), env, ct).ConfigureAwait(false);
            return await SaveAsync(http, finished, parsed.GetValue(output), CliApp.Json(parsed), env, ct).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Get(CliEnvironment env)
    {
        var id = new Argument<string>("id") { Description = "The export (rpt_…)." };
        var command = new Command("get", "Show an export: its status and progress.") { id };
        command.SetAction(async (parsed, ct) =>
        {
            using var http = CliApp.Connect(parsed, env);
            var export = await http.GetAsync($"v1/exports/{Uri.EscapeDataString(parsed.GetValue(id) ?? "")}", ct).ConfigureAwait(false);
            await (CliApp.Json(parsed) ? CliApp.PrintJsonAsync(env, export) : env.Out.WriteLineAsync(Line(export))).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Download(CliEnvironment env)
    {
        var id = new Argument<string>("id") { Description = "The export (rpt_…)." };
        var output = new Option<string?>("--output", "-o") { Description = "Where to save the CSV (default: the export's id .csv in the current folder)." };
        var command = new Command("download", "Wait for an export to finish (with progress), then save its CSV.") { id, output };
        command.SetAction(async (parsed, ct) =>
        {
            using var http = CliApp.Connect(parsed, env);
            var finished = await FollowAsync(http, parsed.GetValue(id) ?? "", env, ct).ConfigureAwait(false);
            return await SaveAsync(http, finished, parsed.GetValue(output), CliApp.Json(parsed), env, ct).ConfigureAwait(false);
        });
        return command;
    }

    private static Command List(CliEnvironment env)
    {
        var limit = new Option<int>("--limit") { Description = "How many, newest first (1-100).", DefaultValueFactory = _ => 10 };
        var command = new Command("list", "List exports, newest first.") { limit };
        command.SetAction(async (parsed, ct) =>
        {
            using var http = CliApp.Connect(parsed, env);
            var page = await http.GetAsync($"v1/exports?limit={parsed.GetValue(limit).ToString(CultureInfo.InvariantCulture)}", ct).ConfigureAwait(false);
            if (CliApp.Json(parsed))
            {
                await CliApp.PrintJsonAsync(env, page).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            foreach (var export in page.GetProperty("data").EnumerateArray())
            {
                await env.Out.WriteLineAsync(Line(export)).ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Asks for the export until it is no longer pending or running, writing a progress line whenever it moved.</summary>
    private static async Task<JsonElement> FollowAsync(GatewayHttp http, string id, CliEnvironment env, CancellationToken ct)
    {
        var poll = env.Variable("PGW_POLL_MS") is { } ms && int.TryParse(ms, CultureInfo.InvariantCulture, out var m) && m > 0 ? TimeSpan.FromMilliseconds(m) : DefaultPoll;
        string? last = null;
        while (true)
        {
            var export = await http.GetAsync($"v1/exports/{Uri.EscapeDataString(id)}", ct).ConfigureAwait(false);
            var status = CliApp.Str(export, "status");
            var progress = Progress(export);
            if (progress != last)
            {
                last = progress;
                await env.Error.WriteLineAsync(progress).ConfigureAwait(false);
                await env.Error.FlushAsync(ct).ConfigureAwait(false);
            }
            switch (status)
            {
                case "succeeded":
                    return export;
                case "pending" or "running":
                    await Task.Delay(poll, ct).ConfigureAwait(false);
                    break;
                default:
                    var why = CliApp.Str(export, "failure_message");
                    throw new CliException(ExitCodes.ApiError, $"export {id} is {status}{(why.Length > 0 ? $": {why}" : "")}; nothing was downloaded");
            }
        }
    }

    /// <summary>Downloads a finished export to <paramref name="output"/> (or its id .csv), with the bytes so far on stderr.</summary>
    private static async Task<int> SaveAsync(GatewayHttp http, JsonElement export, string? output, bool json, CliEnvironment env, CancellationToken ct)
    {
        var id = CliApp.Str(export, "id");
        var path = Path.GetFullPath(output ?? $"{id}.csv");
        var partial = path + ".part";
        long bytes;
        await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            bytes = await http.DownloadAsync($"v1/exports/{Uri.EscapeDataString(id)}/download", file,
                async (copied, length) =>
                {
                    await env.Error.WriteLineAsync(length is > 0
                        ? string.Create(CultureInfo.InvariantCulture, $"{id}  downloading {copied:N0} of {length.Value:N0} bytes")
                        : string.Create(CultureInfo.InvariantCulture, $"{id}  downloading {copied:N0} bytes")).ConfigureAwait(false);
                    await env.Error.FlushAsync(ct).ConfigureAwait(false);
                },
                ct).ConfigureAwait(false);
        }
        // Renamed only once complete: a broken download never leaves a file that looks whole.
        File.Move(partial, path, overwrite: true);
        if (json)
        {
            await CliApp.PrintJsonAsync(env, export).ConfigureAwait(false);
        }
        else
        {
            await env.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{id}  {Long(export, "rows"):N0} rows, {bytes:N0} bytes saved to {path}")).ConfigureAwait(false);
        }
        return ExitCodes.Ok;
    }

    /// <summary>A day (<c>2026-03-01</c>, midnight UTC) or an instant with its offset, as the API takes it.</summary>
    private static string Instant(string? value, string option)
    {
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day.ToDateTime(TimeOnly.MinValue).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            return instant.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }
        throw new CliException(ExitCodes.Usage, $"{option} '{value}' is not a day (2026-03-01) or an instant (2026-03-01T12:00:00Z)");
    }

    private static string Progress(JsonElement export)
    {
        var rows = Long(export, "rows");
        var total = export.TryGetProperty("total_rows", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt64() : (long?)null;
        var percent = Long(export, "progress_percent");
        return string.Create(CultureInfo.InvariantCulture,
            $"{CliApp.Str(export, "id")}  {CliApp.Str(export, "status")}  {percent}%  {rows:N0}{(total is { } n ? $" of {n:N0}" : "")} rows");
    }

    private static string Line(JsonElement export) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{CliApp.Str(export, "id")}  {CliApp.Str(export, "type"),-11}  {CliApp.Str(export, "status"),-9}  {Long(export, "progress_percent")}%  {Long(export, "rows"):N0} rows  {CliApp.Str(export, "created")}");

    private static long Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;
}
