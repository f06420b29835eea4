using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Api.EndToEndTests.Console;

/// <summary>
/// The console's Reports page over HTTP for a user with reports on several merchants: "All my merchants" shows the
/// figures of <c>GET /v1/admin/reports/payments?group_by=merchant</c> for those merchants exactly, and nothing of a
/// merchant the user has no grant on (the service limits the query, not the page).
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class ConsoleReportsAcrossMerchantsTests(ConsoleFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    private static string Day(int days) => DateOnly.FromDateTime(DateTime.UtcNow).AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static IEnumerable<JsonElement> Rows(JsonElement report, string merchant) =>
        report.GetProperty("data").EnumerateArray().Where(r => r.GetProperty("group").GetProperty("merchant").GetString() == merchant);

    [Fact]
    public async Task AllMyMerchants_ShowsTheAdminApisFiguresPerMerchant_AndOnlyTheUsersMerchants()
    {
        var (a, b, stranger) = (await Server.CreateMerchantAsync("Reports A"), await Server.CreateMerchantAsync("Reports B"), await Server.CreateMerchantAsync("Reports C"));
        (await Server.Client(a.SecretKey).PostAsync("/v1/reports/settings", new { time_zone = "Pacific/Auckland" })).EnsureStatus(200);
        (await Flows.PayAsync(Server, a, 1500, "EUR")).EnsureStatus(200);
        (await Flows.PayAsync(Server, a, 700, "USD")).EnsureStatus(200);
        (await Flows.PayAsync(Server, b, 2500, "EUR")).EnsureStatus(200);
        (await Flows.PayAsync(Server, stranger, 9900, "EUR")).EnsureStatus(200);
        var range = $"from={Day(-1)}&to={Day(2)}";
        var admin = Server.Client(Server.AdminKey);

        // The rollup job is a few seconds behind the event log: wait until the API counts all four payments.
        var everyone = $"/v1/admin/reports/payments?{range}&merchant={a.Id},{b.Id},{stranger.Id}&group_by=merchant";
        JsonElement all = default;
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(250))
        {
            all = (await admin.GetAsync(everyone)).EnsureStatus(200).Json;
            if (all.GetProperty("data").EnumerateArray().Sum(r => r.GetProperty("captured").GetInt64()) == 4)
            {
                break;
            }
        }

        Assert.Single(Rows(all, stranger.Id));
        var api = (await admin.GetAsync($"/v1/admin/reports/payments?{range}&merchant={a.Id},{b.Id}&group_by=merchant")).EnsureStatus(200).Json;
        var finance = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Finance, a.Id, moreGrants: [new ConsoleGrant { MerchantId = b.Id, Role = ConsoleRole.Finance }]);
        using var client = await ConsoleUsers.SignedInAsync(Server, finance);

        var page = await client.GetAsync($"/console/reports?merchant=all&mode=test&{range}&interval=day&time_zone=&metric=captured");

        Assert.Equal(200, page.Status);
        Assert.Contains("<option value=\"all\" selected=\"selected\">All my merchants, by merchant</option>", page.Body, StringComparison.Ordinal);
        Assert.Contains("All your merchants, a row per merchant: Per day in UTC", page.Body, StringComparison.Ordinal);
        var rows = RowPattern().Matches(page.Body).Select(m => (Period: m.Groups[1].Value, Merchant: m.Groups[2].Value, Html: m.Groups[3].Value)).ToList();
        Assert.DoesNotContain(rows, r => r.Merchant == stranger.Id);
        Assert.Equal(api.GetProperty("data").GetArrayLength(), rows.Count);
        foreach (var merchant in new[] { a.Id, b.Id })
        {
            var expected = Rows(api, merchant).ToList();
            var shown = rows.Where(r => r.Merchant == merchant).ToList();
            Assert.NotEmpty(expected);
            Assert.Equal(expected.Select(r => r.GetProperty("period").GetString()), shown.Select(r => r.Period));
            foreach (var (json, html) in expected.Zip(shown, (j, h) => (j, h.Html)))
            {
                foreach (var field in new[] { "attempted", "authorized", "captured", "refunds" })
                {
                    Assert.Equal(json.GetProperty(field).GetInt64().ToString(CultureInfo.InvariantCulture), Field(html, field));
                }

                foreach (var amount in json.GetProperty("amounts").EnumerateArray())
                {
                    var currency = amount.GetProperty("currency").GetString() ?? "?";
                    Assert.Contains($"data-currency=\"{currency}\">captured <span data-field=\"captured_amount\">{ConsolePaymentService.Display(amount.GetProperty("captured").GetInt64(), currency)}</span>",
                        html, StringComparison.Ordinal);
                }
            }
        }

        Assert.Equal((2200L, 0L), (Captured(api, a.Id, "EUR") + Captured(api, a.Id, "USD"), Captured(api, b.Id, "USD")));
        Assert.Contains(WebUtility.HtmlEncode($"Reports A ({a.Id})"), page.Body, StringComparison.Ordinal);

        // A finance user of one merchant is not offered the view; asking for it anyway gives that merchant only.
        var single = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Finance, b.Id);
        using var singleClient = await ConsoleUsers.SignedInAsync(Server, single);
        Assert.DoesNotContain("All my merchants", (await singleClient.GetAsync($"/console/reports?merchant={b.Id}&{range}")).Body, StringComparison.Ordinal);
        var only = await singleClient.GetAsync($"/console/reports?merchant=all&{range}");
        Assert.Equal(200, only.Status);
        Assert.All(RowPattern().Matches(only.Body), m => Assert.Equal(b.Id, m.Groups[2].Value));
        Assert.NotEmpty(RowPattern().Matches(only.Body));
    }

    private static long Captured(JsonElement report, string merchant, string currency) =>
        Rows(report, merchant).SelectMany(r => r.GetProperty("amounts").EnumerateArray()).Where(x => x.GetProperty("currency").GetString() == currency).Sum(x => x.GetProperty("captured").GetInt64());

    private static string? Field(string html, string field) =>
        Regex.Match(html, $"data-field=\"{field}\">([^<]*)<", RegexOptions.CultureInvariant) is { Success: true } m ? m.Groups[1].Value.Trim() : null;

    [GeneratedRegex("<tr data-period=\"([^\"]+)\" data-merchant=\"([^\"]+)\">(.*?)</tr>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex RowPattern();
}
