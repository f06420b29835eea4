using Microsoft.Extensions.Options;
using PaymentGateway.Core;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Reports;
using PaymentGateway.Core.Settlements;
using PaymentGateway.Core.Storage;
using PaymentGateway.Providers;
using static PaymentGateway.Storage.ContractTests.TestData;

namespace PaymentGateway.Storage.ContractTests;

public abstract partial class GatewayStoreContractTests
{
    // ---------------------------------------------------------------- exports: the bytes of a fixed data set

    /// <summary>
    /// The merchant of the golden data set: fixed, like every id and time in it, so the CSV is the same bytes on every run
    /// and engine. The golden files (tests/PaymentGateway.Storage.ContractTests/Golden/) were written by the export code
    /// before its fast path (commit cf92576: each payment deserialized whole, then CsvHelper field by field); rewrite them
    /// only for a deliberate change of the v1 format, with PAYMENTGATEWAY_WRITE_EXPORT_GOLDEN=1.
    /// </summary>
    private const string GoldenMerchant = "mer_golden_export_v1";

    [StoreFact]
    public Task A_payments_export_of_a_fixed_data_set_is_the_golden_files_bytes() => ExportMatchesGoldenAsync("payments");

    [StoreFact]
    public Task A_refunds_export_of_a_fixed_data_set_is_the_golden_files_bytes() => ExportMatchesGoldenAsync("refunds");

    [StoreFact]
    public Task An_events_export_of_a_fixed_data_set_is_the_golden_files_bytes() => ExportMatchesGoldenAsync("events");

    /// <summary>The settlement export's code was not changed by the fast path; its golden file was written at the same time, by the same code as the others.</summary>
    [StoreFact]
    public Task A_settlements_export_of_a_fixed_data_set_is_the_golden_files_bytes() => ExportMatchesGoldenAsync("settlements");

    private async Task ExportMatchesGoldenAsync(string type)
    {
        await CommitAsync(c =>
        {
            c.NewPayments.AddRange(GoldenPayments());
            c.NewRefunds.AddRange(GoldenRefunds());
            c.Events.AddRange(GoldenEvents());
        });
        var settlement = new SettlementImportChanges();
        settlement.NewLines.AddRange(GoldenSettlementLines());
        settlement.NewPayouts.Add(new SettlementPayout
        {
            Id = GoldenId(Ids.SettlementPayout, 0),
            MerchantId = GoldenMerchant,
            Livemode = false,
            ProviderAccountId = "pa_adyen_eu",
            Provider = "adyen",
            PayoutId = "7",
            Created = T0,
        });
        await Store.Settlements.CommitSettlementImportAsync(settlement, Ct);
        var job = ExportService.Validate(new CallerContext(GoldenMerchant, false, Core.Merchants.ApiKeyKind.Secret),
            new CreateExportRequest { Type = type, From = T0.AddDays(-1), To = T0.AddDays(1) }, null, null, T0);
        await Store.Exports.CreateExportAsync(job, Ct);
        var dataDirectory = Path.Combine(Path.GetTempPath(), "export-golden-" + Guid.NewGuid().ToString("N"));
        try
        {
            var runner = new ExportRunner(Store.Exports, Store.Payments, Options.Create(new ReportOptions()), Options.Create(new GatewayOptions { DataDirectory = dataDirectory }),
                TimeProvider.System);
            Assert.True(await runner.RunOnceAsync(Ct));
            var done = await Store.Exports.GetExportAsync(GoldenMerchant, false, job.Id, Ct) ?? throw new InvalidOperationException();
            Assert.Equal(ExportStatus.Succeeded, done.Status);
            var bytes = await File.ReadAllBytesAsync(Path.Combine(dataDirectory, "exports", done.FileName ?? string.Empty));
            var golden = Path.Combine(RepositoryRoot(), "tests", "PaymentGateway.Storage.ContractTests", "Golden", $"export-{type}-v1.csv");
            if (Environment.GetEnvironmentVariable("PAYMENTGATEWAY_WRITE_EXPORT_GOLDEN") == "1")
            {
                Directory.CreateDirectory(Path.GetDirectoryName(golden)!);
                await File.WriteAllBytesAsync(golden, bytes);
            }

            var expected = await File.ReadAllBytesAsync(golden);
            Assert.True(expected.AsSpan().SequenceEqual(bytes),
                $"The {type} export differs from {golden}:\n--- expected\n{System.Text.Encoding.UTF8.GetString(expected)}\n--- actual\n{System.Text.Encoding.UTF8.GetString(bytes)}");
            Assert.Equal(type switch
            {
                "events" => GoldenEvents().Count,
                "refunds" => GoldenRefunds().Count,
                "settlements" => GoldenSettlementLines().Count,
                _ => GoldenPayments().Count(p => p.MerchantId == GoldenMerchant && p.Created < T0.AddDays(1)),
            }, done.Rows);
        }
        finally
        {
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    private static string GoldenId(string prefix, int n) => Ids.Derived(prefix, T0.AddMinutes(n), "golden-" + prefix + n);

    /// <summary>Every column's cases: attempts (failed then captured on an account; all failed; none), errors, metadata country (valid, lower case, padded, invalid), cancellations, every text cell's quoting and formula cases, sub-millisecond and non-UTC times, extreme amounts.</summary>
    private static List<Payment> GoldenPayments()
    {
        string[] texts =
        [
            "plain order", "with,comma", "with \"quote\"", "two\nlines", "cr\rinside", "crlf\r\nend", "=HYPERLINK(\"http://x\")", "+1+2", "-2+3", "@SUM(A1)",
            "\ttab first", "\rcr first", "=a,b", "\"=quoted\"", "ünïcødé ✓ 🎉", " leading space", "trailing space ", "'apostrophe", "a;b|c", "",
        ];
        var list = new List<Payment>();
        for (var i = 0; i < texts.Length; i++)
        {
            var at = T0.AddMinutes(i);
            var pm = GoldenId(Ids.PaymentMethod, i);
            var attempts = (i % 4) switch
            {
                0 => new List<PaymentAttempt>(),
                1 =>
                [
                    new PaymentAttempt { Id = GoldenId(Ids.Attempt, 100 + i), Provider = "adyen", ProviderAccountId = "pa_adyen_eu", IdempotencyKey = "k" + i, PaymentMethodId = pm, Status = AttemptStatus.Failed, Created = at, Updated = at },
                    new PaymentAttempt { Id = GoldenId(Ids.Attempt, 200 + i), Provider = "stripe", ProviderAccountId = "pa_stripe_us", IdempotencyKey = "l" + i, PaymentMethodId = pm, Status = AttemptStatus.Captured, ProviderReference = "pi_" + i, Created = at, Updated = at, LatencyMs = 120 },
                ],
                2 =>
                [
                    new PaymentAttempt { Id = GoldenId(Ids.Attempt, 300 + i), Provider = "adyen", ProviderAccountId = "pa_adyen_eu", IdempotencyKey = "m" + i, PaymentMethodId = pm, Status = AttemptStatus.Failed, Created = at, Updated = at },
                    new PaymentAttempt { Id = GoldenId(Ids.Attempt, 400 + i), Provider = "checkout", IdempotencyKey = "n" + i, PaymentMethodId = pm, Status = AttemptStatus.Failed, Created = at, Updated = at },
                ],
                _ =>
                [
                    new PaymentAttempt { Id = GoldenId(Ids.Attempt, 500 + i), Provider = "simulator", IdempotencyKey = "o" + i, PaymentMethodId = pm, Status = AttemptStatus.Declined, DeclineCode = "do_not_honor", Created = at, Updated = at },
                ],
            };
            list.Add(new Payment
            {
                Id = GoldenId(Ids.Payment, i),
                MerchantId = GoldenMerchant,
                Livemode = false,
                Status = (PaymentStatus)(i % 8),
                Amount = i switch { 0 => 0, 1 => long.MaxValue, _ => 1000 + (i * 37) },
                Currency = i % 3 == 0 ? "EUR" : i % 3 == 1 ? "USD" : "JPY",
                CaptureMethod = i % 2 == 0 ? CaptureMethod.Automatic : CaptureMethod.Manual,
                AmountCapturable = i * 3,
                AmountReceived = i * 5,
                AmountRefunded = i * 2,
                PaymentMethodId = i % 5 == 4 ? null : pm,
                PaymentMethodType = i % 6 == 5 ? "bank_transfer" : i % 6 == 4 ? "sepa_debit" : null,
                Customer = i % 2 == 0 ? texts[(i + 7) % texts.Length] : null,
                Description = texts[i],
                Metadata = (i % 5) switch
                {
                    0 => [],
                    1 => new Dictionary<string, string> { ["country"] = "nl", ["order"] = texts[i] },
                    2 => new Dictionary<string, string> { ["country"] = " DE " },
                    3 => new Dictionary<string, string> { ["country"] = "Netherlands" },
                    _ => new Dictionary<string, string> { ["Country"] = "FR", ["note"] = "\"x\"" },
                },
                Provider = i % 4 == 0 ? (i % 8 == 0 ? null : "simulator") : "legacy",
                ProviderReference = i % 3 == 0 ? null : texts[(i + 3) % texts.Length],
                LastPaymentError = i % 3 == 2 ? new PaymentError { Code = "card_declined", DeclineCode = i % 2 == 0 ? "insufficient_funds" : null, Message = "Declined, \"really\"." } : null,
                Attempts = attempts,
                Created = at,
                Updated = i % 2 == 0 ? at.AddTicks(1234567) : new DateTimeOffset(at.UtcDateTime.AddSeconds(1), TimeSpan.Zero).ToOffset(TimeSpan.FromHours(2)),
                CanceledAt = i % 7 == 6 ? at.AddHours(2).AddTicks(9999) : null,
                CancellationReason = i % 7 == 6 ? texts[(i + 1) % texts.Length] : null,
            });
        }

        // Outside the export: another merchant, and after the range.
        list.Add(Payment("mer_golden_other", created: T0, id: GoldenId(Ids.Payment, 90)));
        list.Add(Payment(GoldenMerchant, created: T0.AddDays(2), id: GoldenId(Ids.Payment, 91)));
        return list;
    }

    private static List<Refund> GoldenRefunds() =>
    [
        .. Enumerable.Range(0, 6).Select(i => new Refund
        {
            Id = GoldenId(Ids.Refund, i),
            MerchantId = GoldenMerchant,
            Livemode = false,
            PaymentId = GoldenId(Ids.Payment, i),
            Amount = 100 + i,
            Currency = "EUR",
            Status = (RefundStatus)(i % 3),
            Reason = i % 2 == 0 ? "requested_by_customer" : "=1+1",
            FailureReason = i % 3 == 2 ? "expired, \"card\"" : null,
            ProviderReference = i % 2 == 1 ? null : "re\n" + i,
            IdempotencyKey = "golden-refund-" + i,
            Created = T0.AddMinutes(i).AddTicks(4321),
            Updated = T0.AddMinutes(i + 1),
        }),
    ];

    private static List<GatewayEvent> GoldenEvents() =>
    [
        .. Enumerable.Range(0, 4).Select(i => new GatewayEvent
        {
            Id = GoldenId(Ids.Event, i),
            MerchantId = GoldenMerchant,
            Livemode = false,
            Type = i % 2 == 0 ? EventTypes.PaymentSucceeded : EventTypes.RefundCreated,
            ObjectId = GoldenId(Ids.Payment, i),
            Created = T0.AddMinutes(i),
            DataJson = i == 3 ? """{"description":"-minus first, \"quoted\"","amount":1}""" : $$"""{"id":"{{GoldenId(Ids.Payment, i)}}","amount":{{i}}}""",
        }),
    ];

    /// <summary>A sale with fees by type, a refund (negative amounts: formula-looking cells), a fee line, an unmatched chargeback without payout date.</summary>
    private static List<SettlementLine> GoldenSettlementLines() =>
    [
        .. Enumerable.Range(0, 4).Select(i => new SettlementLine
        {
            Id = GoldenId(Ids.SettlementLine, i),
            MerchantId = GoldenMerchant,
            Livemode = false,
            ProviderAccountId = "pa_adyen_eu",
            Provider = "adyen",
            LineKey = "7|golden|" + i,
            Type = (SettlementLineType)(i % 3),
            ProviderType = i switch { 0 => "Settled", 1 => "Refunded", 2 => "Fee, monthly", _ => "Chargeback" },
            Status = i == 3 ? SettlementLineStatus.Unmatched : i == 2 ? SettlementLineStatus.NotApplicable : SettlementLineStatus.Matched,
            PaymentId = i < 2 ? GoldenId(Ids.Payment, i) : null,
            RefundId = i == 1 ? GoldenId(Ids.Refund, 1) : null,
            ProviderReference = i == 2 ? null : "8816" + i,
            Currency = "EUR",
            Gross = i == 1 ? -200 : 500 * (i + 1),
            Fee = i == 2 ? 99 : 12,
            Net = i == 1 ? -212 : (500 * (i + 1)) - 12,
            Fees = i == 0 ? new Dictionary<string, long> { ["interchange"] = 7, ["markup"] = 5 } : [],
            PayoutId = i == 3 ? null : "7",
            PayoutDate = i == 3 ? null : new DateOnly(2025, 3, 20),
            Created = T0.AddMinutes(i).AddTicks(777),
        }),
    ];

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
