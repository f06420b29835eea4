using System.Globalization;
using System.Text.Json;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Settlements;

namespace PaymentGateway.Core.Reports;

/// <summary>
/// The documented column sets of the CSV exports, version <c>v1</c> (docs/reporting.md). A published version never
/// changes: a new or changed column is a new version beside it. Amounts are integer minor units with the currency in
/// its own column; timestamps are UTC ISO 8601 with milliseconds.
/// </summary>
public static class ExportColumns
{
    public const string V1 = "v1";

    public static IReadOnlyList<string> Types { get; } = ["payments", "refunds", "events", "settlements"];

    public static IReadOnlyList<string> Payments { get; } =
    [
        "id", "created", "updated", "livemode", "status", "amount", "currency", "amount_capturable", "amount_received", "amount_refunded",
        "capture_method", "payment_method_type", "payment_method", "provider", "provider_account", "provider_reference", "customer", "description",
        "failure_code", "decline_code", "country", "canceled_at", "cancellation_reason",
    ];

    public static IReadOnlyList<string> Refunds { get; } =
        ["id", "created", "updated", "livemode", "payment", "status", "amount", "currency", "reason", "failure_reason", "provider_reference"];

    public static IReadOnlyList<string> Events { get; } = ["id", "created", "livemode", "type", "object_id", "data"];

    public static IReadOnlyList<string> Settlements { get; } =
    [
        "id", "created", "livemode", "provider_account", "provider", "payout_id", "payout_date", "type", "provider_type", "status", "payment", "refund",
        "provider_reference", "currency", "gross", "fee", "net", "fees",
    ];

    public static IReadOnlyList<string> For(string type) => type switch
    {
        "payments" => Payments,
        "refunds" => Refunds,
        "events" => Events,
        _ => Settlements,
    };

    public static string?[] Row(Payment p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var attempt = p.Attempts.LastOrDefault(a => a.Status != AttemptStatus.Failed) ?? p.CurrentAttempt;
        return
        [
            p.Id, Time(p.Created), Time(p.Updated), Bool(p.Livemode), p.Status.ToWire(), Num(p.Amount), p.Currency, Num(p.AmountCapturable),
            Num(p.AmountReceived), Num(p.AmountRefunded), p.CaptureMethod.ToWire(), p.PaymentMethodType ?? PaymentMethodTypes.Card, p.PaymentMethodId,
            attempt?.Provider ?? p.Provider, attempt?.ProviderAccountId, p.ProviderReference, p.Customer, p.Description, p.LastPaymentError?.Code,
            p.LastPaymentError?.DeclineCode, ReportFacts.CountryOf(p.Metadata.GetValueOrDefault("country")) is { Length: > 0 } c ? c : null,
            p.CanceledAt is { } at ? Time(at) : null, p.CancellationReason,
        ];
    }

    public static string?[] Row(Refund r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return [r.Id, Time(r.Created), Time(r.Updated), Bool(r.Livemode), r.PaymentId, r.Status.ToWire(), Num(r.Amount), r.Currency, r.Reason, r.FailureReason, r.ProviderReference];
    }

    public static string?[] Row(GatewayEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return [e.Id, Time(e.Created), Bool(e.Livemode), e.Type, e.ObjectId, e.DataJson];
    }

    public static string?[] Row(SettlementLine l)
    {
        ArgumentNullException.ThrowIfNull(l);
        return
        [
            l.Id, Time(l.Created), Bool(l.Livemode), l.ProviderAccountId, l.Provider, l.PayoutId, l.PayoutDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            l.Type.ToWire(), l.ProviderType, l.Status.ToWire(), l.PaymentId, l.RefundId, l.ProviderReference, l.Currency, Num(l.Gross), Num(l.Fee), Num(l.Net),
            l.Fees.Count == 0 ? null : FeesJson(l.Fees),
        ];
    }

    /// <summary>
    /// The fees as a JSON object with its keys in ordinal order: PostgreSQL's jsonb keeps object keys in its own order
    /// (shorter first), SQLite keeps them as written, so the order the line was stored in would make the same line's
    /// cell differ between engines.
    /// </summary>
    private static string FeesJson(Dictionary<string, long> fees)
    {
        var sorted = new Dictionary<string, long>(fees.Count, StringComparer.Ordinal);
        foreach (var key in fees.Keys.Order(StringComparer.Ordinal))
        {
            sorted[key] = fees[key];
        }

        return JsonSerializer.Serialize(sorted, ReportExportJson.Default.DictionaryStringInt64);
    }

    /// <summary>
    /// <c>yyyy-MM-dd'T'HH:mm:ss.fff'Z'</c> of the UTC time (milliseconds truncated, as that format does), written digit by
    /// digit: an export formats two or three of these per row.
    /// </summary>
    internal static string Time(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return string.Create(24, utc, static (chars, t) =>
        {
            Digits(chars[..4], t.Year);
            chars[4] = '-';
            Digits(chars.Slice(5, 2), t.Month);
            chars[7] = '-';
            Digits(chars.Slice(8, 2), t.Day);
            chars[10] = 'T';
            Digits(chars.Slice(11, 2), t.Hour);
            chars[13] = ':';
            Digits(chars.Slice(14, 2), t.Minute);
            chars[16] = ':';
            Digits(chars.Slice(17, 2), t.Second);
            chars[19] = '.';
            Digits(chars.Slice(20, 3), t.Millisecond);
            chars[23] = 'Z';
        });
    }

    private static void Digits(Span<char> into, int value)
    {
        for (var i = into.Length - 1; i >= 0; i--)
        {
            into[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }

    internal static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Bool(bool value) => value ? "true" : "false";
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, long>))]
internal sealed partial class ReportExportJson : System.Text.Json.Serialization.JsonSerializerContext;
