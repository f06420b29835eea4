using System.Buffers;
using System.Text;
using System.Text.Json;
using PaymentGateway.Core.Payments;

namespace PaymentGateway.Core.Reports;

/// <summary>
/// The v1 CSV row of a payment (<see cref="ExportColumns.Payments"/>) read straight from its stored JSON document with a
/// forward-only <see cref="Utf8JsonReader"/>: only the 23 columns' properties are read, everything else is skipped, so
/// nothing is built that the row does not need (deserializing the whole <see cref="Payment"/> — attempts, routing,
/// next action — cost about three quarters of an export's time). The cells are exactly what
/// <see cref="ExportColumns.Row(Payment)"/> makes of the same document; the golden-file contract tests hold both to the
/// same bytes.
/// </summary>
public static class PaymentExportRow
{
    /// <summary>
    /// The row of the payment stored as <paramref name="json"/> (the <c>data</c> column); cell 0 is its id. A document the
    /// fast reader does not expect (an escaped property name, an enum value or number written differently, a missing
    /// required property) is deserialized whole and goes through <see cref="ExportColumns.Row(Payment)"/>, so the row, or
    /// the error, is always the one the full model gives.
    /// </summary>
    public static string?[] FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(json, rented);
            return TryFast(rented.AsSpan(0, length)) ?? Slow(json);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The row of the payment stored as the UTF-8 JSON <paramref name="utf8"/> (the <c>data</c> column read as bytes, which
    /// spares the string the driver would decode and this reader encode again); the same fallback as <see cref="FromJson"/>.
    /// </summary>
    public static string?[] FromUtf8(ReadOnlySpan<byte> utf8) => TryFast(utf8) ?? Slow(Encoding.UTF8.GetString(utf8));

    private static string?[] Slow(string json) =>
        ExportColumns.Row(JsonSerializer.Deserialize(json, Storage.StorageJsonContext.Default.Payment) ?? throw new InvalidDataException("Empty payment row."));

    private static string?[]? TryFast(ReadOnlySpan<byte> utf8)
    {
        try
        {
            return Fast(utf8);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The fast reader alone (tests compare it with the full model); throws on a document it does not expect.</summary>
    internal static string?[] Fast(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 64 });
        string? id = null, status = null, currency = null, captureMethod = null, methodType = null, method = null, provider = null, reference = null;
        string? customer = null, description = null, errorCode = null, declineCode = null, country = null, cancellationReason = null;
        long amount = 0, capturable = 0, received = 0, refunded = 0;
        bool livemode = false;
        DateTimeOffset created = default, updated = default;
        DateTimeOffset? canceledAt = null;
        Attempt last = default, lastNotFailed = default;

        Read(ref reader);
        Expect(reader.TokenType == JsonTokenType.StartObject);
        while (Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            // The serializer writes plain snake_case names; an escaped one goes the exact, slow way (Fallback).
            Expect(!reader.ValueIsEscaped);
            var name = reader.ValueSpan;
            Read(ref reader);
            switch (name)
            {
                case var n when n.SequenceEqual("id"u8): id = reader.GetString(); break;
                case var n when n.SequenceEqual("status"u8): status = StatusWire(ref reader); break;
                case var n when n.SequenceEqual("amount"u8): amount = reader.GetInt64(); break;
                case var n when n.SequenceEqual("currency"u8): currency = reader.GetString(); break;
                case var n when n.SequenceEqual("livemode"u8): livemode = reader.GetBoolean(); break;
                case var n when n.SequenceEqual("created"u8): created = reader.GetDateTimeOffset(); break;
                case var n when n.SequenceEqual("updated"u8): updated = reader.GetDateTimeOffset(); break;
                case var n when n.SequenceEqual("capture_method"u8): captureMethod = CaptureWire(ref reader); break;
                case var n when n.SequenceEqual("amount_capturable"u8): capturable = reader.GetInt64(); break;
                case var n when n.SequenceEqual("amount_received"u8): received = reader.GetInt64(); break;
                case var n when n.SequenceEqual("amount_refunded"u8): refunded = reader.GetInt64(); break;
                case var n when n.SequenceEqual("payment_method_type"u8): methodType = reader.GetString(); break;
                case var n when n.SequenceEqual("payment_method_id"u8): method = reader.GetString(); break;
                case var n when n.SequenceEqual("provider"u8): provider = reader.GetString(); break;
                case var n when n.SequenceEqual("provider_reference"u8): reference = reader.GetString(); break;
                case var n when n.SequenceEqual("customer"u8): customer = reader.GetString(); break;
                case var n when n.SequenceEqual("description"u8): description = reader.GetString(); break;
                case var n when n.SequenceEqual("canceled_at"u8): canceledAt = reader.TokenType == JsonTokenType.Null ? null : reader.GetDateTimeOffset(); break;
                case var n when n.SequenceEqual("cancellation_reason"u8): cancellationReason = reader.GetString(); break;
                case var n when n.SequenceEqual("metadata"u8): country = Country(ref reader); break;
                case var n when n.SequenceEqual("last_payment_error"u8): (errorCode, declineCode) = Error(ref reader); break;
                case var n when n.SequenceEqual("attempts"u8): (last, lastNotFailed) = Attempts(ref reader); break;
                default: reader.Skip(); break;
            }
        }

        Expect(reader.TokenType == JsonTokenType.EndObject && id is not null && currency is not null && reader.IsFinalBlock);
        var attempt = lastNotFailed.Present ? lastNotFailed : last;
        var countryCell = ReportFacts.CountryOf(country) is { Length: > 0 } c ? c : null;
        return
        [
            id, Time(created), Time(updated), livemode ? "true" : "false", status ?? PaymentStatus.RequiresPaymentMethod.ToWire(), Num(amount), currency, Num(capturable),
            Num(received), Num(refunded), captureMethod ?? CaptureMethod.Automatic.ToWire(), methodType ?? PaymentMethodTypes.Card, method,
            attempt.Present ? attempt.Provider : provider, attempt.Present ? attempt.Account : null, reference, customer, description, errorCode,
            declineCode, countryCell, canceledAt is { } at ? Time(at) : null, cancellationReason,
        ];
    }

    private readonly record struct Attempt(bool Present, string? Provider, string? Account);

    private static (Attempt Last, Attempt LastNotFailed) Attempts(ref Utf8JsonReader reader)
    {
        Attempt last = default, lastNotFailed = default;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return (last, lastNotFailed);
        }

        Expect(reader.TokenType == JsonTokenType.StartArray);
        while (Read(ref reader) && reader.TokenType != JsonTokenType.EndArray)
        {
            Expect(reader.TokenType == JsonTokenType.StartObject);
            string? provider = null, account = null;
            var failed = false;
            while (Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
            {
                Expect(!reader.ValueIsEscaped);
                var name = reader.ValueSpan;
                Read(ref reader);
                if (name.SequenceEqual("provider"u8))
                {
                    provider = reader.GetString();
                }
                else if (name.SequenceEqual("provider_account_id"u8))
                {
                    account = reader.GetString();
                }
                else if (name.SequenceEqual("status"u8))
                {
                    failed = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("failed"u8);
                }
                else
                {
                    reader.Skip();
                }
            }

            Expect(provider is not null); // required: the serializer refuses an attempt without one
            last = new Attempt(true, provider, account);
            if (!failed)
            {
                lastNotFailed = last;
            }
        }

        return (last, lastNotFailed);
    }

    private static string? Country(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(reader.TokenType == JsonTokenType.StartObject);
        string? country = null;
        while (Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isCountry = reader.ValueTextEquals("country"u8); // unescapes, like the dictionary's keys
            Read(ref reader);
            if (isCountry)
            {
                country = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }

        return country;
    }

    private static (string? Code, string? DeclineCode) Error(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return (null, null);
        }

        Expect(reader.TokenType == JsonTokenType.StartObject);
        string? code = null, declineCode = null;
        while (Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isCode = reader.ValueTextEquals("code"u8);
            var isDecline = !isCode && reader.ValueTextEquals("decline_code"u8);
            Read(ref reader);
            if (isCode)
            {
                code = reader.GetString();
            }
            else if (isDecline)
            {
                declineCode = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }

        return (code, declineCode);
    }

    /// <summary>The status as stored is its wire name; any other spelling goes the slow way.</summary>
    private static string StatusWire(ref Utf8JsonReader reader) => reader.GetString() switch
    {
        "requires_payment_method" => PaymentStatus.RequiresPaymentMethod.ToWire(),
        "requires_confirmation" => PaymentStatus.RequiresConfirmation.ToWire(),
        "requires_action" => PaymentStatus.RequiresAction.ToWire(),
        "processing" => PaymentStatus.Processing.ToWire(),
        "requires_capture" => PaymentStatus.RequiresCapture.ToWire(),
        "succeeded" => PaymentStatus.Succeeded.ToWire(),
        "canceled" => PaymentStatus.Canceled.ToWire(),
        "failed" => PaymentStatus.Failed.ToWire(),
        _ => throw new JsonException("A payment status the fast reader does not know."),
    };

    private static string CaptureWire(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("manual"u8) ? CaptureMethod.Manual.ToWire()
        : reader.ValueTextEquals("automatic"u8) ? CaptureMethod.Automatic.ToWire()
        : throw new JsonException("Unknown capture method.");

    private static bool Read(ref Utf8JsonReader reader) => reader.Read() ? true : throw new JsonException("Truncated payment document.");

    private static void Expect(bool condition)
    {
        if (!condition)
        {
            throw new JsonException("Not a payment document.");
        }
    }

    private static string Time(DateTimeOffset at) => ExportColumns.Time(at);

    private static string Num(long value) => ExportColumns.Num(value);
}
