using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Core;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using PaymentGateway.Host.Background;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>A clock the test moves; only the settlement job reads it (the gateway itself keeps real time).</summary>
public sealed class MovableClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

// SEPA Direct Debit: settlement, sequence types (FRST/RCUR) and stored collection files, on both engines.
public abstract partial class BankTransferScenarios
{
    private static readonly XNamespace Pain008 = "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02";

    protected async Task<string> MandateAsync(string pm, string? reference = null) =>
        (await Sk.PostAsync("/v1/mandates", new { payment_method = pm, reference, signature_date = "2026-01-15" })).EnsureStatus(200).Str("id")!;

    protected async Task<string> DebitAsync(string mandate, long amount) =>
        (await Sk.PostAsync("/v1/payments", new { amount, currency = "EUR", payment_method_type = "sepa_debit", mandate })).EnsureStatus(200).Str("id")!;

    protected async Task<ApiResponse> ExportAsync() => (await Sk.PostAsync("/v1/direct_debit_batches", new { })).EnsureStatus(200);

    protected async Task<List<string>> EventTypesAsync(string objectId) =>
        (await Sk.GetAsync($"/v1/events?object_id={objectId}&limit=100")).EnsureStatus(200).Json.GetProperty("data")
            .EnumerateArray().Select(e => e.GetProperty("type").GetString()!).ToList();

    private static DateOnly CollectionDate(ApiResponse payment) =>
        DateOnly.ParseExact(payment.Json.GetProperty("direct_debit").GetProperty("collection_date").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private DirectDebitSettlementService SettlementJob(TimeProvider clock) => new(
        Server.Services.GetRequiredService<ILeaseStore>(),
        Server.Services.GetRequiredService<IDirectDebitStore>(),
        Server.Services.GetRequiredService<DirectDebitPayments>(),
        Server.Services.GetRequiredService<IOptions<GatewayOptions>>(),
        clock,
        NullLogger<DirectDebitSettlementService>.Instance);

    protected async Task DirectDebitSettlement_SucceedsAfterFiveBusinessDays_UnlessReturned()
    {
        // One mandate per debit, so each is its mandate's first collection and all go into one file.
        var settles = await DebitAsync(await MandateAsync(await SepaMethodAsync()), 4990);
        var returned = await DebitAsync(await MandateAsync(await SepaMethodAsync()), 1500);
        await ExportAsync();
        var notExported = await DebitAsync(await MandateAsync(await SepaMethodAsync()), 700);

        var debit = await PaymentAsync(settles);
        var collection = CollectionDate(debit);
        Assert.True(Target2Calendar.IsBusinessDay(collection));
        var settlementDay = Target2Calendar.SettlementDate(collection, 5);
        Assert.Equal(settlementDay, Target2Calendar.AddBusinessDays(collection, 5));

        // The day before the settlement date (and the collection day itself): nothing is due.
        var clock = new MovableClock(new DateTimeOffset(collection.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero));
        var job = SettlementJob(clock);
        Assert.Equal(0, await job.RunOnceAsync(CancellationToken.None));
        clock.Now = new DateTimeOffset(settlementDay.AddDays(-1).ToDateTime(new TimeOnly(23, 59, 59)), TimeSpan.Zero);
        Assert.Equal(0, await job.RunOnceAsync(CancellationToken.None));
        Assert.Equal("processing", (await PaymentAsync(settles)).Str("status"));

        // A return before the settlement date fails the debit; the job never settles it afterwards.
        (await ImportAsync(ReturnStatement("STMT-DD-SETTLE-1", returned.Replace('_', '-'), "AC04", "15.00"))).EnsureStatus(200);
        Assert.Equal("failed", (await PaymentAsync(returned)).Str("status"));

        clock.Now = new DateTimeOffset(settlementDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        Assert.Equal(1, await job.RunOnceAsync(CancellationToken.None));
        var settled = await PaymentAsync(settles);
        Assert.Equal("succeeded", settled.Str("status"));
        Assert.Equal(4990, settled.Long("amount_received"));
        Assert.Single(await EventTypesAsync(settles), t => t == "payment.succeeded");
        Assert.Equal("failed", (await PaymentAsync(returned)).Str("status"));
        Assert.DoesNotContain("payment.succeeded", await EventTypesAsync(returned));
        Assert.Equal("processing", (await PaymentAsync(notExported)).Str("status"));

        // The bank collected it, not a provider: the gateway cannot refund it (nothing reserved, nothing written).
        Problem.Assert(await Sk.PostAsync("/v1/refunds", new { payment = settles, amount = 100 }), 422, "refund_not_supported");
        Assert.Equal(0, (await PaymentAsync(settles)).Long("amount_refunded"));

        // Another pass changes nothing.
        var events = await CountAsync("/v1/events?limit=100");
        Assert.Equal(0, await job.RunOnceAsync(CancellationToken.None));
        Assert.Equal(events, await CountAsync("/v1/events?limit=100"));

        // A return after settlement does not vanish: the payment stays succeeded, is flagged, and an event says so.
        var late = (await ImportAsync(ReturnStatement("STMT-DD-SETTLE-2", settles.Replace('_', '-'), "MD06", "49.90"))).EnsureStatus(200);
        var entry = late.Json.GetProperty("entries").EnumerateArray().Single();
        Assert.Equal("returned", entry.GetProperty("status").GetString());
        Assert.Equal(settles, entry.GetProperty("payment").GetString());
        var flagged = await PaymentAsync(settles);
        Assert.Equal("succeeded", flagged.Str("status"));
        var flag = flagged.Json.GetProperty("direct_debit").GetProperty("returned_after_settlement");
        Assert.Equal("MD06", flag.GetProperty("reason").GetString());
        Assert.Equal(4990, flag.GetProperty("amount").GetInt64());
        Assert.Equal(entry.GetProperty("id").GetString(), flag.GetProperty("bank_statement_entry").GetString());
        Assert.Single(await EventTypesAsync(settles), t => t == "payment.direct_debit_returned_after_settlement");

        // The same statement again, or a second return of it, adds no flag or event.
        Assert.True((await ImportAsync(ReturnStatement("STMT-DD-SETTLE-2", settles.Replace('_', '-'), "MD06", "49.90"))).EnsureStatus(200).Json.GetProperty("duplicate").GetBoolean());
        (await ImportAsync(ReturnStatement("STMT-DD-SETTLE-3", settles.Replace('_', '-'), "AC04", "49.90"))).EnsureStatus(200);
        Assert.Single(await EventTypesAsync(settles), t => t == "payment.direct_debit_returned_after_settlement");
        Assert.Equal("MD06", (await PaymentAsync(settles)).Json.GetProperty("direct_debit").GetProperty("returned_after_settlement").GetProperty("reason").GetString());
    }

    protected async Task DirectDebitSettlement_AndAConcurrentReturn_NeverBothApply()
    {
        var id = await DebitAsync(await MandateAsync(await SepaMethodAsync()), 2500);
        await ExportAsync();
        var store = Server.Services.GetRequiredService<IPaymentStore>();
        var payments = Server.Services.GetRequiredService<DirectDebitPayments>();
        var livemode = (await PaymentAsync(id)).Json.GetProperty("livemode").GetBoolean();

        // The job read the debit; a return is imported before it writes: the return wins, the settlement is refused whole.
        var stale = (await store.GetPaymentAsync(Merchant.Id, livemode, id, CancellationToken.None))!;
        (await ImportAsync(ReturnStatement("STMT-DD-RACE-1", id.Replace('_', '-'), "MS02", "25.00"))).EnsureStatus(200);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => payments.SettleAsync(stale, CancellationToken.None));
        var after = await PaymentAsync(id);
        Assert.Equal("failed", after.Str("status"));
        var types = await EventTypesAsync(id);
        Assert.Single(types, t => t == "payment.failed");
        Assert.DoesNotContain("payment.succeeded", types);

        // The other order: settled first, then the return is recorded as a return after settlement (never a second status).
        var other = await DebitAsync(await MandateAsync(await SepaMethodAsync()), 3000);
        await ExportAsync();
        var fresh = (await store.GetPaymentAsync(Merchant.Id, livemode, other, CancellationToken.None))!;
        Assert.True(await payments.SettleAsync(fresh, CancellationToken.None));
        Assert.False(await payments.SettleAsync(fresh, CancellationToken.None));
        (await ImportAsync(ReturnStatement("STMT-DD-RACE-2", other.Replace('_', '-'), "MS02", "30.00"))).EnsureStatus(200);
        var settled = await PaymentAsync(other);
        Assert.Equal("succeeded", settled.Str("status"));
        Assert.Equal("MS02", settled.Json.GetProperty("direct_debit").GetProperty("returned_after_settlement").GetProperty("reason").GetString());
        Assert.DoesNotContain("payment.failed", await EventTypesAsync(other));
    }

    protected async Task DirectDebitSequenceTypes_FrstThenRcur_AndFrstAgainAfterAReturn()
    {
        var m1 = await MandateAsync(await SepaMethodAsync("GB82 WEST 1234 5698 7654 32"), "SEQ-M-1");
        var m2 = await MandateAsync(await SepaMethodAsync(), "SEQ-M-2");
        var a1 = await DebitAsync(m1, 1000);
        var a2 = await DebitAsync(m1, 1100);
        var c1 = await DebitAsync(m2, 1200);

        // First file: each new mandate's first debit as FRST; a2 (same new mandate) waits for the next file.
        var one = await ExportAsync();
        var doc1 = XDocument.Parse(one.Body);
        Assert.Equal(["FRST"], doc1.Descendants(Pain008 + "SeqTp").Select(e => e.Value));
        Assert.Equal(new[] { a1, c1 }.Order(StringComparer.Ordinal), EndToEndIds(doc1).Order(StringComparer.Ordinal));
        Assert.Equal("processing", (await PaymentAsync(a2)).Str("status"));
        Assert.Equal(JsonValueKindNull, (await PaymentAsync(a2)).Json.GetProperty("direct_debit").GetProperty("batch").ValueKind);

        // Second file holds both sequence types: a2 and e1 RCUR (their mandates' FRST went out), f1 FRST (new mandate).
        var e1 = await DebitAsync(m2, 1300);
        var f1 = await DebitAsync(await MandateAsync(await SepaMethodAsync(), "SEQ-M-3"), 1400);
        var two = await ExportAsync();
        Assert.Equal("3", two.Header("Direct-Debit-Count"));
        var doc2 = XDocument.Parse(two.Body);
        var header = doc2.Descendants(Pain008 + "GrpHdr").Single();
        Assert.Equal("3", header.Element(Pain008 + "NbOfTxs")!.Value);
        Assert.Equal("38.00", header.Element(Pain008 + "CtrlSum")!.Value);
        var blocks = doc2.Descendants(Pain008 + "PmtInf").ToDictionary(b => b.Descendants(Pain008 + "SeqTp").Single().Value);
        Assert.Equal(["FRST", "RCUR"], blocks.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("1", blocks["FRST"].Element(Pain008 + "NbOfTxs")!.Value);
        Assert.Equal("14.00", blocks["FRST"].Element(Pain008 + "CtrlSum")!.Value);
        Assert.Equal([f1], EndToEndIds(blocks["FRST"]));
        Assert.Equal("2", blocks["RCUR"].Element(Pain008 + "NbOfTxs")!.Value);
        Assert.Equal("24.00", blocks["RCUR"].Element(Pain008 + "CtrlSum")!.Value);
        Assert.Equal(new[] { a2, e1 }.Order(StringComparer.Ordinal), EndToEndIds(blocks["RCUR"]).Order(StringComparer.Ordinal));
        var collection = blocks["FRST"].Element(Pain008 + "ReqdColltnDt")!.Value;
        Assert.Equal(collection, blocks["RCUR"].Element(Pain008 + "ReqdColltnDt")!.Value);
        Assert.True(Target2Calendar.IsBusinessDay(DateOnly.ParseExact(collection, "yyyy-MM-dd", CultureInfo.InvariantCulture)));

        // The payments say how and when they were exported.
        var a1View = (await PaymentAsync(a1)).Json.GetProperty("direct_debit");
        Assert.Equal("FRST", a1View.GetProperty("sequence_type").GetString());
        Assert.Equal(m1, a1View.GetProperty("mandate").GetString());
        Assert.Equal("SEQ-M-1", a1View.GetProperty("mandate_reference").GetString());
        Assert.Equal(one.Header("Direct-Debit-Batch"), a1View.GetProperty("batch").GetString());
        var a2View = (await PaymentAsync(a2)).Json.GetProperty("direct_debit");
        Assert.Equal("RCUR", a2View.GetProperty("sequence_type").GetString());
        Assert.Equal(two.Header("Direct-Debit-Batch"), a2View.GetProperty("batch").GetString());
        Assert.Equal(collection, a2View.GetProperty("collection_date").GetString());

        // The FRST of m1 is returned before it settled: m1's next debit is FRST again (SEPA rulebook); m2's stays RCUR.
        (await ImportAsync(ReturnStatement("STMT-DD-SEQ-1", a1.Replace('_', '-'), "AC01", "10.00"))).EnsureStatus(200);
        var a3 = await DebitAsync(m1, 1500);
        var c2 = await DebitAsync(m2, 1600);
        var three = XDocument.Parse((await ExportAsync()).Body);
        var sequence = three.Descendants(Pain008 + "DrctDbtTxInf").ToDictionary(
            t => EndToEndId.ToPaymentId(t.Descendants(Pain008 + "EndToEndId").Single().Value)!,
            t => t.Parent!.Descendants(Pain008 + "SeqTp").Single().Value);
        Assert.Equal("FRST", sequence[a3]);
        Assert.Equal("RCUR", sequence[c2]);
    }

    private static List<string> EndToEndIds(XContainer element) =>
        element.Descendants(Pain008 + "EndToEndId").Select(e => EndToEndId.ToPaymentId(e.Value)!).ToList();

    protected async Task DirectDebitBatches_AreStoredListedAndDownloadableAgain()
    {
        var m1 = await MandateAsync(await SepaMethodAsync("GB82 WEST 1234 5698 7654 32"));
        await DebitAsync(m1, 4990);
        await DebitAsync(await MandateAsync(await SepaMethodAsync()), 1001);
        var first = await ExportAsync();
        await DebitAsync(m1, 700);
        var second = await ExportAsync();
        var firstId = first.Header("Direct-Debit-Batch")!;
        var secondId = second.Header("Direct-Debit-Batch")!;

        var list = (await Sk.GetAsync("/v1/direct_debit_batches")).EnsureStatus(200);
        Assert.Equal([secondId, firstId], list.Json.GetProperty("data").EnumerateArray().Select(b => b.GetProperty("id").GetString()));
        var page = (await Sk.GetAsync("/v1/direct_debit_batches?limit=1")).EnsureStatus(200);
        Assert.True(page.Json.GetProperty("has_more").GetBoolean());
        var next = (await Sk.GetAsync($"/v1/direct_debit_batches?limit=1&starting_after={secondId}")).EnsureStatus(200);
        Assert.Equal(firstId, next.Json.GetProperty("data")[0].GetProperty("id").GetString());

        var meta = (await Sk.GetAsync("/v1/direct_debit_batches/" + firstId)).EnsureStatus(200);
        Assert.Equal("direct_debit_batch", meta.Str("object"));
        Assert.Equal(2, meta.Json.GetProperty("count").GetInt32());
        Assert.Equal(5991, meta.Long("control_sum"));
        Assert.Equal("EUR", meta.Str("currency"));
        Assert.Equal(2, meta.Json.GetProperty("first_count").GetInt32());
        Assert.Equal(0, meta.Json.GetProperty("recurring_count").GetInt32());
        Assert.Equal(firstId.Replace('_', '-'), meta.Str("message_id"));
        var doc = XDocument.Parse(first.Body);
        Assert.Equal(doc.Descendants(Pain008 + "ReqdColltnDt").First().Value, meta.Str("collection_date"));
        Assert.DoesNotContain("GB82WEST", meta.Body, StringComparison.Ordinal);
        Assert.Equal(1, (await Sk.GetAsync("/v1/direct_debit_batches/" + secondId)).EnsureStatus(200).Json.GetProperty("recurring_count").GetInt32());

        // The file again, byte for byte.
        var again = (await Sk.GetAsync($"/v1/direct_debit_batches/{firstId}/file")).EnsureStatus(200);
        Assert.Equal("application/xml", again.ContentType);
        Assert.Equal(first.Body, again.Body);
        Assert.Equal(second.Body, (await Sk.GetAsync($"/v1/direct_debit_batches/{secondId}/file")).EnsureStatus(200).Body);

        // Asking for JSON gets the batch instead of the file (what the SDK does); nothing waiting is still 204.
        await DebitAsync(m1, 800);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/direct_debit_batches") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Merchant.SecretKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var json = await Sk.Http.SendAsync(request);
        Assert.Equal(200, (int)json.StatusCode);
        Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);
        var body = System.Text.Json.JsonDocument.Parse(await json.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(1, body.GetProperty("count").GetInt32());
        Assert.Equal(800, body.GetProperty("control_sum").GetInt64());
        Assert.Contains("RCUR", (await Sk.GetAsync($"/v1/direct_debit_batches/{body.GetProperty("id").GetString()}/file")).EnsureStatus(200).Body, StringComparison.Ordinal);
        Assert.Equal(204, (await Sk.PostAsync("/v1/direct_debit_batches", new { })).Status);

        // Scoped to the merchant; secret key only; unknown ids are 404 problems.
        var other = Server.Client((await Server.CreateMerchantAsync("Other batch merchant")).SecretKey);
        Assert.Equal("resource_missing", (await other.GetAsync("/v1/direct_debit_batches/" + firstId)).EnsureStatus(404).Code);
        Assert.Equal("resource_missing", (await other.GetAsync($"/v1/direct_debit_batches/{firstId}/file")).EnsureStatus(404).Code);
        Assert.Equal(0, (await other.GetAsync("/v1/direct_debit_batches")).EnsureStatus(200).Json.GetProperty("data").GetArrayLength());
        Assert.Equal("resource_missing", (await Sk.GetAsync("/v1/direct_debit_batches/ddb_nope/file")).EnsureStatus(404).Code);
        Assert.Equal("secret_key_required", (await Server.Client(Merchant.PublishableKey).GetAsync("/v1/direct_debit_batches")).Code);
        Assert.Equal("secret_key_required", (await Server.Client(Merchant.PublishableKey).GetAsync($"/v1/direct_debit_batches/{firstId}/file")).Code);

        // The OpenAPI document says what the routes answer.
        var paths = (await Server.Client(null).GetAsync("/openapi/v1.json")).EnsureStatus(200).Json.GetProperty("paths");
        Assert.True(paths.GetProperty("/v1/direct_debit_batches/{id}/file").GetProperty("get").GetProperty("responses").GetProperty("200")
            .GetProperty("content").TryGetProperty("application/xml", out _));
        var exportResponses = paths.EnumerateObject().First(p => p.Name.TrimEnd('/') == "/v1/direct_debit_batches").Value.GetProperty("post").GetProperty("responses");
        Assert.Equal("#/components/schemas/DirectDebitBatchResource",
            exportResponses.GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.True(exportResponses.GetProperty("200").GetProperty("content").TryGetProperty("application/xml", out _));
        Assert.True(exportResponses.TryGetProperty("204", out _));

        // Mandates are listed too, newest first.
        var mandates = (await Sk.GetAsync("/v1/mandates?limit=100")).EnsureStatus(200).Json.GetProperty("data");
        Assert.Equal(2, mandates.GetArrayLength());
        Assert.Equal(m1, mandates[1].GetProperty("id").GetString());
        Assert.Equal(0, (await other.GetAsync("/v1/mandates")).EnsureStatus(200).Json.GetProperty("data").GetArrayLength());
    }
}

public sealed partial class BankTransferSqliteTests
{
    [Fact]
    public Task DirectDebitSettlement_SucceedsAfterFiveBusinessDays_UnlessReturned_Sqlite() => DirectDebitSettlement_SucceedsAfterFiveBusinessDays_UnlessReturned();

    [Fact]
    public Task DirectDebitSettlement_AndAConcurrentReturn_NeverBothApply_Sqlite() => DirectDebitSettlement_AndAConcurrentReturn_NeverBothApply();

    [Fact]
    public Task DirectDebitSequenceTypes_FrstThenRcur_AndFrstAgainAfterAReturn_Sqlite() => DirectDebitSequenceTypes_FrstThenRcur_AndFrstAgainAfterAReturn();

    [Fact]
    public Task DirectDebitBatches_AreStoredListedAndDownloadableAgain_Sqlite() => DirectDebitBatches_AreStoredListedAndDownloadableAgain();

    [Fact]
    public async Task DirectDebitBatchFile_IsEncryptedInTheDatabase()
    {
        var pm = await SepaMethodAsync("GB82 WEST 1234 5698 7654 32");
        await DebitAsync(await MandateAsync(pm), 4990);
        // With an Idempotency-Key the response is kept for replays: encrypted, like the stored file.
        var export = (await Sk.PostAsync("/v1/direct_debit_batches", new { }, "export-key-1")).EnsureStatus(200);
        Assert.Contains("GB82WEST12345698765432", export.Body, StringComparison.Ordinal);
        var replay = (await Sk.PostAsync("/v1/direct_debit_batches", new { }, "export-key-1")).EnsureStatus(200);
        Assert.Equal(export.Body, replay.Body);
        Assert.Equal("true", replay.Header("Idempotent-Replayed"));
        Assert.Contains("GB82WEST12345698765432", (await Sk.GetAsync($"/v1/direct_debit_batches/{export.Header("Direct-Debit-Batch")}/file")).EnsureStatus(200).Body, StringComparison.Ordinal);

        // The bank file is in the database (and its write-ahead log) only vault-encrypted: no IBAN, no XML in clear.
        var bytes = await File.ReadAllBytesAsync(Path.Combine(Server.DataDirectory, "gateway.db"));
        var wal = Path.Combine(Server.DataDirectory, "gateway.db-wal");
        var all = Encoding.UTF8.GetString(bytes) + (File.Exists(wal) ? Encoding.UTF8.GetString(await File.ReadAllBytesAsync(wal)) : string.Empty);
        Assert.DoesNotContain("GB82WEST12345698765432", all, StringComparison.Ordinal);
        Assert.DoesNotContain("CstmrDrctDbtInitn", all, StringComparison.Ordinal);
        Assert.DoesNotContain("GB82WEST12345698765432", await File.ReadAllTextAsync(Server.LogFile), StringComparison.Ordinal);
    }
}

public sealed partial class BankTransferPostgresTests
{
    [MultiNodePostgresFact]
    public Task DirectDebitSettlement_SucceedsAfterFiveBusinessDays_UnlessReturned_Postgres() => DirectDebitSettlement_SucceedsAfterFiveBusinessDays_UnlessReturned();

    [MultiNodePostgresFact]
    public Task DirectDebitSettlement_AndAConcurrentReturn_NeverBothApply_Postgres() => DirectDebitSettlement_AndAConcurrentReturn_NeverBothApply();

    [MultiNodePostgresFact]
    public Task DirectDebitSequenceTypes_FrstThenRcur_AndFrstAgainAfterAReturn_Postgres() => DirectDebitSequenceTypes_FrstThenRcur_AndFrstAgainAfterAReturn();

    [MultiNodePostgresFact]
    public Task DirectDebitBatches_AreStoredListedAndDownloadableAgain_Postgres() => DirectDebitBatches_AreStoredListedAndDownloadableAgain();
}

/// <summary>The hosted settlement job itself, on its timer: a debit collected long ago settles without anyone calling it.</summary>
public sealed class DirectDebitSettlementJobTests : BankTransferScenarios
{
    protected override Dictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["PaymentGateway:BankTransfers:SettlementEnabled"] = "true";
        settings["PaymentGateway:BankTransfers:SettlementInterval"] = "00:00:00.200";
        settings["PaymentGateway:BankTransfers:CollectionLeadTime"] = "-30.00:00:00"; // exported with a collection date 30 days ago
        return settings;
    }

    [Fact]
    public async Task ExportedDebitCollectedLongAgo_IsSettledByTheBackgroundJob()
    {
        var alsoExported = await DebitAsync(await MandateAsync(await SepaMethodAsync()), 900);
        var id = await DebitAsync(await MandateAsync(await SepaMethodAsync()), 4990);
        await ExportAsync();
        var later = await DebitAsync(await MandateAsync(await SepaMethodAsync()), 100);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        ApiResponse payment;
        do
        {
            await Task.Delay(200);
            payment = await PaymentAsync(id);
        }
        while (payment.Str("status") != "succeeded" && DateTime.UtcNow < deadline);

        Assert.Equal("succeeded", payment.Str("status"));
        Assert.Equal("succeeded", (await PaymentAsync(alsoExported)).Str("status"));
        Assert.Single(await EventTypesAsync(id), t => t == "payment.succeeded");
        // Not exported, so never collected: it waits in processing.
        Assert.Equal("processing", (await PaymentAsync(later)).Str("status"));
    }
}

/// <summary>Settlement settings that would break the job are refused when the gateway starts (options validation).</summary>
public sealed class DirectDebitSettingsTests
{
    [Theory]
    [InlineData("SettlementInterval", "00:00:00")]
    [InlineData("SettlementInterval", "-00:00:01")]
    [InlineData("SettlementBusinessDays", "-1")]
    [InlineData("SettlementBusinessDays", "61")]
    public void BadSettlementSettings_AreRefused(string name, string value)
    {
        var options = Options(name, value);
        var error = Assert.Throws<OptionsValidationException>(() => options.Value);
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_AreFiveBusinessDaysEveryFiveMinutes()
    {
        var settings = Options("SettlementEnabled", "true").Value.BankTransfers;
        Assert.Equal(5, settings.SettlementBusinessDays);
        Assert.Equal(TimeSpan.FromMinutes(5), settings.SettlementInterval);
    }

    private static IOptions<GatewayOptions> Options(string name, string value)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [$"{GatewayOptions.SectionName}:BankTransfers:{name}"] = value })
            .Build();
        var services = new ServiceCollection();
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.SectionName));
        Host.GatewayServiceCollectionExtensions.AddPaymentGatewayBankTransfers(services);
        return services.BuildServiceProvider().GetRequiredService<IOptions<GatewayOptions>>();
    }
}
