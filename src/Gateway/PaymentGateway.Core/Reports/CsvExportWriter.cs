using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace PaymentGateway.Core.Reports;

/// <summary>
/// Writes export rows as RFC 4180 CSV with CsvHelper: comma separated, CRLF line ends, fields quoted when they hold a
/// comma, quote or line break (quotes doubled), UTF-8 without BOM. Spreadsheet formula injection is defused: a cell
/// starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return gets a leading <c>'</c>
/// (CsvHelper's <see cref="InjectionOptions.Escape"/> with its default characters). Rows are written as they come,
/// so memory does not grow with the export.
/// </summary>
public sealed class CsvExportWriter : IAsyncDisposable
{
    private readonly StreamWriter _text;
    private readonly CsvWriter _csv;

    public CsvExportWriter(Stream output)
    {
        _text = new StreamWriter(output, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024, leaveOpen: true);
        _csv = new CsvWriter(_text, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            NewLine = "\r\n",
            InjectionOptions = InjectionOptions.Escape,
            InjectionEscapeCharacter = '\'',
            // RFC 4180: quote a field holding a comma, a quote or any line break (CsvHelper's default only looks for
            // the configured CRLF, so a bare LF would otherwise go out unquoted and split the row).
            ShouldQuote = args => args.Field is { } field && field.AsSpan().IndexOfAny(",\"\r\n") >= 0,
        });
    }

    public void WriteRow(IReadOnlyList<string?> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        foreach (var cell in cells)
        {
            _csv.WriteField(cell ?? string.Empty);
        }

        _csv.NextRecord();
    }

    public Task FlushAsync() => _csv.FlushAsync();

    public async ValueTask DisposeAsync()
    {
        await _csv.FlushAsync().ConfigureAwait(false);
        await _csv.DisposeAsync().ConfigureAwait(false);
        await _text.DisposeAsync().ConfigureAwait(false);
    }
}
