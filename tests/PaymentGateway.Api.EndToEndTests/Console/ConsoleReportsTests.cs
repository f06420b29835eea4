using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Api.EndToEndTests.Console;

/// <summary>
/// The Reports section's Exports and Reconciliation pages over HTTP: an export started from the page's form (once for a
/// double submit, a bad filter refused beside its field) shows its rows and downloads the same bytes as the API, a
/// pending one is canceled from the page, each audited; the reconciliation page's payouts, a payout's lines, the
/// unmatched lines and the unsettled payments equal the API's JSON for a known Adyen settlement file.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class ConsoleReportsTests(ConsoleFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    private static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<IReadOnlyList<Core.Audit.AuditEntry>> AuditOf(string actorId) =>
        await Server.Services.GetRequiredService<IAuditStore>().ListAsync(new AuditQuery { ActorId = actorId, Limit = 100 }, default);

    /// <summary>The HTML of the table row whose id is <paramref name="rowId"/>.</summary>
    private static string Row(string body, string rowId)
    {
        var start = body.IndexOf($"id=\"{rowId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no row {rowId} on the page");
        return body[start..body.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    /// <summary>The text of the element marked <c>data-field="<paramref name="field"/>"</c> in <paramref name="html"/>.</summary>
    private static string Field(string html, string field) =>
        Regex.Match(html, $"data-field=\"{field}\"[^>]*>([^<]*)<") is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value).Trim() : throw new InvalidOperationException($"no {field}");

    private static string Money(JsonElement o, string field) => ConsolePaymentService.Display(o.GetProperty(field).GetInt64(), o.GetProperty("currency").GetString() ?? "");

    [Fact]
    public async Task Finance_StartsAnExportFromThePage_OnceForADoubleSubmit_SeesItsRows_AndDownloadsTheApisBytes()
    {
        var merchant = await Server.CreateMerchantAsync("Export Roasters");
        var api = Server.Client(merchant.SecretKey);
        for (var i = 0; i < 3; i++)
        {
            await Steps.SucceededPaymentAsync(Server, merchant, 1000 + i);
        }

        Problem.Assert(await Steps.PayAsync(Server, merchant, TestCards.GenericDecline, 500), 402, "card_declined");
        var finance = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Finance, merchant.Id);
        using var client = await ConsoleUsers.SignedInAsync(Server, finance);
        var reports = await client.GetAsync($"/console/reports?merchant={merchant.Id}");
        Assert.Contains("<a href=\"/console/reports/exports\">Exports</a>", reports.Body, StringComparison.Ordinal); // the Reports section's own links, on a report without data
        var path = $"/console/reports/exports?merchant={merchant.Id}&mode=test";
        var page = await client.GetAsync(path);
        Assert.Equal(200, page.Status);
        Assert.Contains("id=\"no-exports\"", page.Body, StringComparison.Ordinal);
        var form = new Dictionary<string, string?>
        {
            ["Input.Type"] = "events",
            ["Input.From"] = Today,
            ["Input.To"] = Today,
            ["Input.Currency"] = "EUR",
            ["Input.FormToken"] = ConsolePaymentsTests.FormToken(page.Body),
            ["Input.Issued"] = IssuedPattern().Match(page.Body).Groups[1].Value,
        };
        var create = $"/console/reports/exports?handler=Create&merchant={merchant.Id}&mode=test";

        // An events export does not filter by currency: refused beside the field, nothing created.
        var refused = await client.PostFormAsync(create, form, formPage: path);
        Assert.Equal(400, refused.Status);
        Assert.Contains("An export of events filters by type only", refused.Body, StringComparison.Ordinal);
        Assert.Contains("id=\"Input_Currency-error\"", refused.Body, StringComparison.Ordinal);
        Assert.Empty(Steps.Ids((await api.GetAsync("/v1/exports")).EnsureStatus(200)));

        form["Input.Type"] = "payments";
        form["Input.Currency"] = null;
        form["Input.Status"] = "succeeded";
        var created = await client.PostFormAsync(create, form, formPage: path);
        var again = await client.PostFormAsync(create, form, formPage: path);
        Assert.Equal((302, 302), (created.Status, again.Status));
        var id = Regex.Match(created.Location ?? "", "export=(rpt_[0-9a-z]+)").Groups[1].Value;
        Assert.Contains($"export={id}", again.Location, StringComparison.Ordinal);
        var listed = (await api.GetAsync("/v1/exports")).EnsureStatus(200).Json.GetProperty("data");
        var export = Assert.Single(listed.EnumerateArray());
        Assert.Equal((id, "payments", "succeeded"), (export.GetProperty("id").GetString(), export.GetProperty("type").GetString(),
            export.GetProperty("filters").GetProperty("status").GetString()));
        Assert.Equal(DateTimeOffset.Parse(Today + "T00:00:00Z", CultureInfo.InvariantCulture), export.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(DateTimeOffset.Parse(Today + "T00:00:00Z", CultureInfo.InvariantCulture).AddDays(1), export.GetProperty("to").GetDateTimeOffset());

        // The page shows the job's progress until the worker finished it, then its rows and a download link.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string row;
        while (true)
        {
            page = await client.GetAsync(path);
            row = Row(page.Body, $"export-{id}");
            if (Field(row, "status") is "succeeded" or "failed" || DateTime.UtcNow > deadline)
            {
                break;
            }

            Assert.Contains("data-refresh=\"2000\"", page.Body, StringComparison.Ordinal); // pending or running: the list keeps itself up to date
            await Task.Delay(200);
        }

        var done = (await api.GetAsync($"/v1/exports/{id}")).EnsureStatus(200);
        Assert.Equal(("succeeded", "succeeded", 3L), (Field(row, "status"), done.Str("status"), done.Long("rows")));
        Assert.Equal((done.Long("rows").ToString(CultureInfo.InvariantCulture), done.Long("progress_percent").ToString(CultureInfo.InvariantCulture)),
            (Field(row, "rows"), Field(row, "progress_percent")));
        Assert.Contains("data-refresh=\"0\"", page.Body, StringComparison.Ordinal); // nothing runs: the list stops reading itself again

        var fromConsole = await client.GetAsync($"/console/reports/exports/{id}/download?merchant={merchant.Id}&mode=test");
        Assert.Equal(200, fromConsole.Status);
        Assert.Equal("text/csv", fromConsole.Response.Content.Headers.ContentType?.MediaType);
        var request = new HttpRequestMessage(HttpMethod.Get, done.Str("download_url"));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", merchant.SecretKey);
        var fromApi = await api.Http.SendAsync(request);
        Assert.Equal(await fromApi.Content.ReadAsByteArrayAsync(), await fromConsole.Response.Content.ReadAsByteArrayAsync());
        Assert.Equal(4, fromConsole.Body.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length); // the header and the three succeeded payments

        // A merchant the user has no role on is refused; an export the merchant does not have is not found.
        Assert.Equal(403, (await client.GetAsync($"/console/reports/exports/{id}/download?merchant={fixture.MerchantId}&mode=test")).Status);
        Assert.Equal(404, (await client.GetAsync($"/console/reports/exports/rpt_nope/download?merchant={merchant.Id}&mode=test")).Status);

        var audit = await AuditOf(finance.Id);
        Assert.Single(audit, a => a.Record.Action == ConsoleExportService.CreatedAction && a.Record.TargetId == id && a.Record.After?["filters"] == "status=succeeded");
        Assert.Single(audit, a => a.Record.Action == ConsoleExportService.DownloadedAction && a.Record.TargetId == id && a.Record.After?["rows"] == "3");
    }

    [Fact]
    public async Task Finance_CancelsAPendingExportFromThePage_AFinishedOneIsRefused_BothAudited()
    {
        var merchant = await Server.CreateMerchantAsync("Cancel Roasters");
        var api = Server.Client(merchant.SecretKey);
        // A daily report of today stays pending until midnight UTC: the page offers to cancel it.
        var pending = (await api.PostAsync("/v1/exports", new { type = "refunds", schedule = "daily" })).EnsureStatus(202).Str("id");
        var finance = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Finance, merchant.Id);
        using var client = await ConsoleUsers.SignedInAsync(Server, finance);
        var path = $"/console/reports/exports?merchant={merchant.Id}&mode=test";
        var page = await client.GetAsync(path);
        var row = Row(page.Body, $"export-{pending}");
        Assert.Equal(("pending", "0", "0"), (Field(row, "status"), Field(row, "progress_percent"), Field(row, "rows")));
        Assert.Contains($"id=\"cancel-{pending}\"", row, StringComparison.Ordinal);

        var canceled = await client.PostFormAsync($"/console/reports/exports?handler=Cancel&id={pending}&merchant={merchant.Id}&mode=test", new Dictionary<string, string?>(), formPage: path);
        Assert.Equal(302, canceled.Status);
        Assert.Equal("canceled", (await api.GetAsync($"/v1/exports/{pending}")).Str("status"));
        Assert.Contains($"Export {pending} was canceled.", (await client.GetAsync(canceled.Location ?? path)).Body, StringComparison.Ordinal);

        var finished = (await api.PostAsync("/v1/exports", new { type = "payments", from = DateTimeOffset.UtcNow.AddHours(-1), to = DateTimeOffset.UtcNow })).EnsureStatus(202).Str("id");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await api.GetAsync($"/v1/exports/{finished}")).Str("status") is "pending" or "running" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        var late = await client.PostFormAsync($"/console/reports/exports?handler=Cancel&id={finished}&merchant={merchant.Id}&mode=test", new Dictionary<string, string?>(), formPage: path);
        Assert.Equal(409, late.Status);
        Assert.Contains("only a pending export can be canceled", late.Body, StringComparison.Ordinal);
        Assert.Equal("succeeded", (await api.GetAsync($"/v1/exports/{finished}")).Str("status"));
        Assert.Single(await AuditOf(finance.Id), a => a.Record.Action == ConsoleExportService.CanceledAction && a.Record.TargetId == pending);
    }

    [Fact]
    public async Task Finance_SeesTheApisPayoutsLinesUnmatchedLinesAndUnsettledPayments_ForAKnownAdyenFile()
    {
        var merchant = await Server.CreateMerchantAsync("Settled Roasters");
        var api = Server.Client(merchant.SecretKey);
        var account = await SettlementSteps.AdyenAccountAsync(Server, merchant);
        var settled = await Steps.SucceededPaymentAsync(Server, merchant, 500);
        var refundId = (await api.PostAsync("/v1/refunds", new { payment = settled, amount = 200 })).EnsureStatus(200).Str("id") ?? "";
        var notSettled = await Steps.SucceededPaymentAsync(Server, merchant, 700);
        (await api.PostRawAsync($"/v1/settlements?provider_account={account}&payout_date=2026-03-05", SettlementSteps.AdyenFile(settled, refundId), contentType: "text/csv")).EnsureStatus(200);
        // Payout 8 has a sale whose reference names no payment of the merchant: unmatched, so the payout stays open.
        var unknown = string.Join("\r\n", SettlementSteps.AdyenHeader,
            "TestCompany,TestMerchant,8816000000000009,order-4711,mc,2026-03-06 10:00:00,CET,Settled,8816000000000010,EUR,,12.50,1,EUR,,12.20,,0.30,,,mc,,8") + "\r\n";
        (await api.PostRawAsync($"/v1/settlements?provider_account={account}", unknown, contentType: "text/csv")).EnsureStatus(200);

        var finance = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Finance, merchant.Id);
        using var client = await ConsoleUsers.SignedInAsync(Server, finance);
        var page = await client.GetAsync($"/console/reports/reconciliation?merchant={merchant.Id}&mode=test&payout=7&days=0");
        Assert.Equal(200, page.Status);

        var payouts = (await api.GetAsync("/v1/settlements/payouts?limit=100")).EnsureStatus(200).Json.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(2, payouts.Count);
        Assert.Equal(2, Regex.Matches(page.Body, "<tr id=\"payout-(?!lines-)").Count);
        foreach (var p in payouts)
        {
            var row = Row(page.Body, $"payout-{p.GetProperty("id").GetString()}");
            Assert.Equal((Money(p, "gross"), Money(p, "fee"), Money(p, "net")), (Field(row, "gross"), Field(row, "fee"), Field(row, "net")));
            Assert.Equal(p.GetProperty("paid_out").ValueKind == JsonValueKind.Null ? "—" : Money(p, "paid_out"), Field(row, "paid_out"));
            Assert.Equal((p.GetProperty("status").GetString(), p.GetProperty("line_count").GetInt32().ToString(CultureInfo.InvariantCulture),
                p.GetProperty("unmatched_count").GetInt32().ToString(CultureInfo.InvariantCulture)), (Field(row, "status"), Field(row, "line_count"), Field(row, "unmatched_count")));
            Assert.Equal(p.GetProperty("payout_date").ValueKind == JsonValueKind.Null ? "—" : p.GetProperty("payout_date").GetString(), Field(row, "payout_date"));
        }

        // The known figures: payout 7 reconciled, 1.84 EUR paid out on 2026-03-05; payout 8 open with its one unmatched line.
        string PayoutRow(string payoutId) => Row(page.Body, $"payout-{payouts.Single(p => p.GetProperty("payout_id").GetString() == payoutId).GetProperty("id").GetString()}");
        Assert.Equal(("reconciled", "1.84 EUR", "2026-03-05"), (Field(PayoutRow("7"), "status"), Field(PayoutRow("7"), "paid_out"), Field(PayoutRow("7"), "payout_date")));
        Assert.Equal(("open", "1", "—"), (Field(PayoutRow("8"), "status"), Field(PayoutRow("8"), "unmatched_count"), Field(PayoutRow("8"), "paid_out")));

        void SameLines(string table, IReadOnlyList<JsonElement> lines)
        {
            Assert.Equal(lines.Count, Regex.Matches(page.Body, $"<tr id=\"{table}-").Count);
            foreach (var l in lines)
            {
                var row = Row(page.Body, $"{table}-{l.GetProperty("id").GetString()}");
                Assert.Equal((Money(l, "gross"), Money(l, "fee"), Money(l, "net"), l.GetProperty("status").GetString()?.Replace('_', ' ')),
                    (Field(row, "gross"), Field(row, "fee"), Field(row, "net"), Field(row, "status")));
                var fees = l.GetProperty("fees").EnumerateObject().OrderBy(f => f.Name, StringComparer.Ordinal)
                    .Select(f => $"{f.Name.Replace('_', ' ')} {ConsolePaymentService.Display(f.Value.GetInt64(), "EUR")}").ToList();
                Assert.Equal(fees.Count == 0 ? "—" : string.Join(", ", fees), Field(row, "fees"));
                if (l.GetProperty("payment").GetString() is { } payment)
                {
                    Assert.Contains($"href=\"/console/payments/{payment}\"", row, StringComparison.Ordinal);
                }
            }
        }

        var payoutLines = (await api.GetAsync("/v1/settlements?payout=7&limit=100")).EnsureStatus(200).Json.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(4, payoutLines.Count);
        SameLines("payout-lines", payoutLines);
        Assert.Contains("interchange 0.07 EUR",
            Field(Row(page.Body, $"payout-lines-{payoutLines.Single(l => l.GetProperty("type").GetString() == "payment").GetProperty("id").GetString()}"), "fees"), StringComparison.Ordinal);
        var unmatched = (await api.GetAsync("/v1/settlements?status=unmatched&limit=100")).EnsureStatus(200).Json.GetProperty("data").EnumerateArray().ToList();
        Assert.Single(unmatched);
        SameLines("unmatched-lines", unmatched);

        var unsettled = Steps.Ids((await api.GetAsync("/v1/settlements/unsettled?days=0&limit=50")).EnsureStatus(200)).ToList();
        Assert.Equal(unsettled, Regex.Matches(page.Body, "<tr data-payment=\"(pay_[0-9a-z]+)\"").Select(m => m.Groups[1].Value));
        Assert.Contains(notSettled, unsettled);
        Assert.DoesNotContain(settled, unsettled);

        // N is the API's default (7 days) unless given; a bad N is refused beside its field.
        Assert.Contains("value=\"7\"", (await client.GetAsync($"/console/reports/reconciliation?merchant={merchant.Id}")).Body, StringComparison.Ordinal);
        var bad = await client.GetAsync($"/console/reports/reconciliation?merchant={merchant.Id}&days=366");
        Assert.Equal(400, bad.Status);
        Assert.Contains("Enter a whole number of days from 0 to 365.", bad.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"payouts\"", bad.Body, StringComparison.Ordinal);
    }

    [GeneratedRegex("name=\"Input.Issued\" value=\"([0-9]+)\"")]
    private static partial Regex IssuedPattern();
}
