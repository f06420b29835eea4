using System.Globalization;
using System.Text;
using System.Text.Json;
using PaymentGateway.Core;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Reports;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.UnitTests.Reports;

/// <summary>The export's fast payment reader gives exactly the cells of the full model, and falls back to it for any document it does not expect.</summary>
public sealed class PaymentExportRowTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 14, 9, 26, 53, 589, TimeSpan.Zero);

    public static TheoryData<int> Cases() => [.. Enumerable.Range(0, 48)];

    private static Payment Sample(int i)
    {
        var at = T0.AddMinutes(i * 97).AddTicks(i * 12345);
        string[] texts = ["plain", "with,comma", "q\"uote", "=1+1", "ünï ✓", "line\nbreak", "\\back\\slash", "\u0001ctl"];
        var attempts = new List<PaymentAttempt>();
        for (var a = 0; a < i % 4; a++)
        {
            attempts.Add(new PaymentAttempt
            {
                Id = Ids.New(Ids.Attempt, at),
                Provider = a % 2 == 0 ? "adyen" : "stripe",
                ProviderAccountId = (i + a) % 3 == 0 ? null : "pa_" + a,
                IdempotencyKey = "k" + a,
                PaymentMethodId = "pm_x",
                Status = (AttemptStatus)((i + a) % 7),
                DeclineCode = a == 1 ? "do_not_honor" : null,
                Created = at,
                Updated = at,
                LatencyMs = a * 10,
                NextSyncAt = a == 2 ? at : null,
            });
        }

        return new Payment
        {
            Id = Ids.New(Ids.Payment, at),
            MerchantId = "mer_x",
            Livemode = i % 2 == 1,
            Status = (PaymentStatus)(i % 8),
            Amount = i == 5 ? long.MaxValue : i * 1001,
            Currency = i % 2 == 0 ? "EUR" : "JPY",
            CaptureMethod = (CaptureMethod)(i % 2),
            AmountCapturable = i,
            AmountReceived = i * 2,
            AmountRefunded = i * 3,
            AmountDisputed = i % 5,
            PaymentMethodId = i % 3 == 0 ? null : "pm_" + i,
            PaymentMethodType = i % 5 == 0 ? "bank_transfer" : null,
            Customer = i % 4 == 1 ? "cus_" + i : null,
            Description = texts[i % texts.Length],
            Metadata = i % 3 == 0 ? [] : new Dictionary<string, string> { ["country"] = i % 2 == 0 ? "de" : "XYZ", ["k"] = texts[(i + 1) % texts.Length] },
            Provider = i % 6 == 0 ? null : "legacy",
            ProviderReference = i % 2 == 0 ? "ref_" + i : null,
            NextAction = i % 7 == 3 ? new NextAction { Type = "redirect_to_url", RedirectToUrl = new RedirectToUrl { Url = "https://acs.example/x" } } : null,
            LastPaymentError = i % 3 == 1 ? new PaymentError { Code = "card_declined", DeclineCode = i % 2 == 0 ? "fraud" : null, Message = "m" } : null,
            Attempts = attempts,
            Created = at,
            Updated = at.AddSeconds(i).ToOffset(TimeSpan.FromHours(i % 3 - 1)),
            CanceledAt = i % 4 == 2 ? at.AddDays(1).AddTicks(9999) : null,
            CancellationReason = i % 4 == 2 ? "abandoned" : null,
            Disputes = i % 9 == 4 ? ["dp_1"] : null,
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_fast_reader_gives_the_full_models_cells(int i)
    {
        var payment = Sample(i);
        var json = JsonSerializer.Serialize(payment, StorageJsonContext.Default.Payment);
        var expected = ExportColumns.Row(payment);
        Assert.Equal(expected, PaymentExportRow.Fast(Encoding.UTF8.GetBytes(json))); // no fallback taken
        Assert.Equal(expected, PaymentExportRow.FromJson(json));
        Assert.Equal(expected, PaymentExportRow.FromUtf8(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(ExportColumns.Payments.Count, expected.Length);
    }

    [Fact]
    public void A_document_the_fast_reader_does_not_expect_goes_through_the_full_model()
    {
        var payment = Sample(13);
        var json = JsonSerializer.Serialize(payment, StorageJsonContext.Default.Payment);
        // An escaped property name: the serializer reads it, the fast reader refuses it.
        var escaped = json.Replace("\"description\":", "\"descr\\u0069ption\":", StringComparison.Ordinal);
        Assert.NotEqual(json, escaped);
        Assert.ThrowsAny<JsonException>(() => PaymentExportRow.Fast(Encoding.UTF8.GetBytes(escaped)));
        Assert.Equal(ExportColumns.Row(payment), PaymentExportRow.FromJson(escaped));
        Assert.Equal(ExportColumns.Row(payment), PaymentExportRow.FromUtf8(Encoding.UTF8.GetBytes(escaped)));

        // The status as its number (the enum converter reads that too).
        var wire = payment.Status.ToWire();
        var number = json.Replace($"\"status\":\"{wire}\"", $"\"status\":{(int)payment.Status}", StringComparison.Ordinal);
        Assert.NotEqual(json, number);
        Assert.ThrowsAny<InvalidOperationException>(() => PaymentExportRow.Fast(Encoding.UTF8.GetBytes(number)));
        Assert.Equal(ExportColumns.Row(payment), PaymentExportRow.FromJson(number));
    }

    [Fact]
    public void A_document_neither_reader_accepts_is_an_error_not_a_row()
    {
        Assert.ThrowsAny<JsonException>(() => PaymentExportRow.FromJson("""{"id":"pay_1","amount":"x"}"""));
        Assert.ThrowsAny<JsonException>(() => PaymentExportRow.FromJson("""{"id":"pay_1","""));
    }

    [Fact]
    public void Times_are_the_utc_milliseconds_format_truncated()
    {
        var random = new Random(23);
        DateTimeOffset[] edges = [DateTimeOffset.MinValue, DateTimeOffset.MaxValue, DateTimeOffset.UnixEpoch, new DateTimeOffset(2024, 2, 29, 23, 59, 59, 999, TimeSpan.FromHours(-5)).AddTicks(9999)];
        foreach (var at in edges.Concat(Enumerable.Range(0, 2000).Select(_ =>
                     new DateTimeOffset(random.NextInt64(DateTime.MinValue.Ticks + TimeSpan.TicksPerDay, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay), TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60 + 1))))))
        {
            Assert.Equal(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), ExportColumns.Time(at));
        }
    }
}
