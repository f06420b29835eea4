using System.Text;
using PaymentGateway.Core.Reports;

namespace PaymentGateway.Core.UnitTests.Reports;

public sealed class CsvExportWriterTests
{
    private static async Task<string> WriteAsync(params string?[][] rows)
    {
        using var stream = new MemoryStream();
        await using (var csv = new CsvExportWriter(stream))
        {
            foreach (var row in rows)
            {
                csv.WriteRow(row);
            }
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public async Task Fields_are_quoted_as_rfc_4180_says_with_crlf_line_ends()
    {
        var text = await WriteAsync(["plain", "with,comma", "with \"quote\"", "two\nlines", null]);
        Assert.Equal("plain,\"with,comma\",\"with \"\"quote\"\"\",\"two\nlines\",\r\n", text);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")")]
    [InlineData("+1+2")]
    [InlineData("-2+3")]
    [InlineData("@SUM(A1)")]
    [InlineData("\tTAB")]
    [InlineData("\rCR")]
    public async Task Cells_a_spreadsheet_would_run_as_a_formula_get_a_leading_apostrophe(string cell)
    {
        var text = await WriteAsync(["id", cell]);
        using var reader = new CsvHelper.CsvReader(new StringReader(text), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(reader.Read());
        Assert.Equal("'" + cell, reader.GetField(1));
    }

    [Fact]
    public void The_v1_column_sets_are_the_documented_ones()
    {
        Assert.Equal(23, ExportColumns.Payments.Count);
        Assert.Equal(["id", "created", "updated", "livemode", "payment", "status", "amount", "currency", "reason", "failure_reason", "provider_reference"], ExportColumns.Refunds);
        Assert.Equal(["id", "created", "livemode", "type", "object_id", "data"], ExportColumns.Events);
        Assert.Equal(18, ExportColumns.Settlements.Count);
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "reporting.md"));
        foreach (var column in ExportColumns.Payments.Concat(ExportColumns.Refunds).Concat(ExportColumns.Events).Concat(ExportColumns.Settlements))
        {
            Assert.Contains($"`{column}`", docs, StringComparison.Ordinal);
        }
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PaymentGateway.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }
}
