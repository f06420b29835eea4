using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace PaymentGateway.Cli;

/// <summary>
/// <c>pgw logs tail</c>: this merchant's API requests as they finish (<c>GET /v1/request_logs/stream</c>), one line
/// each — time, transport, method and path, status, the gateway's time, request id — or, with <c>--json</c>, each
/// request_log object as one JSON line.
/// </summary>
public static class Logs
{
    public static Command Command(CliEnvironment env)
    {
        var count = new Option<int?>("--count") { Description = "Stop after printing this many requests (scripts and tests); by default until Ctrl-C." };
        var errors = new Option<bool>("--errors") { Description = "Only requests that failed (status 400 and above)." };
        var path = new Option<string?>("--path") { Description = "Only requests whose path starts with this (/v1/payments)." };
        var tail = new Command("tail", "Show this merchant's API requests live (REST and gRPC), on the node you are connected to.") { count, errors, path };
        tail.SetAction(async (parsed, ct) =>
        {
            var limit = parsed.GetValue(count);
            if (limit is <= 0)
            {
                throw new CliException(ExitCodes.Usage, "--count must be 1 or more");
            }
            var onlyErrors = parsed.GetValue(errors);
            var prefix = parsed.GetValue(path);
            var json = CliApp.Json(parsed);
            using var http = CliApp.Connect(parsed, env);
            var printed = 0;
            return await http.FollowAsync("v1/request_logs/stream", "request log stream",
                async () =>
                {
                    if (!json)
                    {
                        await env.Out.WriteLineAsync($"Ready. Showing {(http.TestMode ? "test" : "live")}-mode requests to {http.BaseUrl.ToString().TrimEnd('/')} as they finish (Ctrl-C to stop).").ConfigureAwait(false);
                        await env.Out.FlushAsync(ct).ConfigureAwait(false);
                    }
                },
                async item =>
                {
                    using var document = JsonDocument.Parse(item.Data);
                    var line = document.RootElement;
                    var status = line.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : 0;
                    if ((onlyErrors && status < 400) || (prefix is not null && !CliApp.Str(line, "path").StartsWith(prefix, StringComparison.Ordinal)))
                    {
                        return true;
                    }
                    await env.Out.WriteLineAsync(json ? item.Data : Line(line, status)).ConfigureAwait(false);
                    await env.Out.FlushAsync(ct).ConfigureAwait(false);
                    return ++printed != limit;
                },
                ct).ConfigureAwait(false);
        });
        var logs = new Command("logs", "Watch the gateway's request log.");
        logs.Subcommands.Add(tail);
        return logs;
    }

    private static string Line(JsonElement line, int status)
    {
        var created = DateTimeOffset.TryParse(CliApp.Str(line, "created"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var c) ? c.ToString("HH:mm:ss", CultureInfo.InvariantCulture) : "--:--:--";
        var duration = line.TryGetProperty("duration_ms", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetDouble() : 0;
        var grpc = CliApp.Str(line, "transport") == "grpc";
        var call = grpc ? $"gRPC {CliApp.Str(line, "path")}" : $"{CliApp.Str(line, "method")} {CliApp.Str(line, "path")}";
        var outcome = grpc ? $"{status.ToString(CultureInfo.InvariantCulture)} {CliApp.Str(line, "grpc_status")}" : status.ToString(CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"{created}  {call}  {outcome}  {duration:0.0} ms  {CliApp.Str(line, "id")}");
    }
}
