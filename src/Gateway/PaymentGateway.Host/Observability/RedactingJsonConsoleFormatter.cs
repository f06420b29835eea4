using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using PaymentGateway.Core.Diagnostics;

namespace PaymentGateway.Host.Observability;

/// <summary>
/// Structured JSON log lines (one object per line) with trace and span ids, scope values (the request id) and every
/// structured property — each passed through <see cref="Redactor"/>, so a card number, CVC, API key or secret that
/// reaches a log call is masked before it is written.
/// </summary>
public sealed class RedactingJsonConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "gateway-json";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("level", logEntry.LogLevel.ToString());
            json.WriteString("category", logEntry.Category);
            if (logEntry.EventId.Id != 0)
            {
                json.WriteNumber("event_id", logEntry.EventId.Id);
            }

            json.WriteString("message", Redactor.Redact(message));
            if (Activity.Current is { } activity)
            {
                json.WriteString("trace_id", activity.TraceId.ToHexString());
                json.WriteString("span_id", activity.SpanId.ToHexString());
            }

            if (logEntry.State is IReadOnlyList<KeyValuePair<string, object?>> properties)
            {
                foreach (var (key, value) in properties)
                {
                    if (key == "{OriginalFormat}")
                    {
                        continue;
                    }

                    json.WriteString(ToSnake(key), Redactor.RedactProperty(key, value));
                }
            }

            scopeProvider?.ForEachScope((scope, writer) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                {
                    foreach (var (key, value) in pairs)
                    {
                        if (key != "{OriginalFormat}")
                        {
                            writer.WriteString("scope_" + ToSnake(key), Redactor.RedactProperty(key, value));
                        }
                    }
                }
            }, json);

            if (logEntry.Exception is { } exception)
            {
                json.WriteString("exception", Redactor.Redact(exception.ToString()));
            }

            json.WriteEndObject();
        }

        textWriter.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    private static string ToSnake(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
}

/// <summary>A logger provider decorator for non-console sinks: redacts the formatted message before passing it on.</summary>
public static class RedactionLogging
{
    /// <summary>Formats a log entry as the JSON line the gateway writes (exposed for tests and other sinks).</summary>
    public static string Format<TState>(LogLevel level, string category, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var formatterInstance = new RedactingJsonConsoleFormatter();
        using var writer = new StringWriter();
        formatterInstance.Write(new LogEntry<TState>(level, category, default, state, exception, formatter), null, writer);
        return writer.ToString();
    }
}
