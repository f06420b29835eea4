using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Checkout;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Idempotency;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Routing;
using PaymentGateway.Core.Webhooks;

namespace PaymentGateway.Core.Storage;

/// <summary>
/// Reads the rows both engines store in the same layout: an object's JSON in <c>data</c> with the columns queries need
/// beside it, timestamps as Unix milliseconds, flags as booleans (SQLite's 0/1 integers read as booleans too). Each
/// reader names the columns it expects, in order; <c>offset</c> is where they start in the row.
/// </summary>
public static class StorageRows
{
    /// <summary>Columns of an event: id, merchant_id, livemode, type, object_id, created_at, data.</summary>
    public const string EventColumns = "id, merchant_id, livemode, type, object_id, created_at, data";

    /// <summary>Columns of a webhook endpoint: data, version, failure_streak, failing_since.</summary>
    public const string EndpointColumns = "data, version, failure_streak, failing_since";

    /// <summary>Columns of a webhook delivery, in <see cref="ReadDelivery"/>'s order.</summary>
    public const string DeliveryColumns =
        "id, event_id, endpoint_id, merchant_id, livemode, event_type, status, attempt_count, retry_count, next_attempt_at, " +
        "last_attempt_at, last_response_status, last_error, created_at, updated_at";

    /// <summary>Columns of a webhook attempt, in <see cref="ReadAttempt"/>'s order.</summary>
    public const string AttemptColumns =
        "id, delivery_id, event_id, endpoint_id, merchant_id, livemode, number, started_at, duration_ms, response_status, error, response_snippet, succeeded";

    /// <summary>Columns of an idempotency key, in <see cref="ReadIdempotencyKey"/>'s order.</summary>
    public const string IdempotencyKeyColumns = "request_hash, recovery_seed, state, locked_until, response_status, response_body";

    /// <summary>Columns of an event waiting for fan-out: id, merchant_id, livemode, type, created_at.</summary>
    public const string PendingEventColumns = "id, merchant_id, livemode, type, created_at";

    /// <summary>data, version.</summary>
    public static Payment ReadPayment(DbDataReader r) => Versioned(r, StorageJsonContext.Default.Payment, "payment", static (o, v) => o.Version = v);

    /// <summary>data, version.</summary>
    public static Refund ReadRefund(DbDataReader r) => Versioned(r, StorageJsonContext.Default.Refund, "refund", static (o, v) => o.Version = v);

    /// <summary>data, encrypted_number.</summary>
    public static StoredPaymentMethod ReadPaymentMethod(DbDataReader r)
    {
        var method = JsonSerializer.Deserialize(r.GetString(0), StorageJsonContext.Default.StoredPaymentMethod)
                     ?? throw new InvalidDataException("Empty payment method row.");
        method.EncryptedNumber = r.IsDBNull(1) ? null : r.GetString(1);
        return method;
    }

    /// <summary>data.</summary>
    public static Merchant ReadMerchant(DbDataReader r) =>
        JsonSerializer.Deserialize(r.GetString(0), StorageJsonContext.Default.Merchant) ?? throw new InvalidDataException("Empty merchant row.");

    /// <summary>The columns <see cref="ReadApiKey"/> reads.</summary>
    public const string ApiKeyColumns = "data, last_used_at, version";

    /// <summary><see cref="ApiKeyColumns"/> of <c>api_keys</c>: data, last_used_at (Unix milliseconds or null), version.</summary>
    public static ApiKeyRecord ReadApiKey(DbDataReader r) => ReadKey(r, StorageJsonContext.Default.ApiKeyRecord);

    /// <summary><see cref="ApiKeyColumns"/> of <c>admin_keys</c>.</summary>
    public static AdminKeyRecord ReadAdminKey(DbDataReader r) => ReadKey(r, StorageJsonContext.Default.AdminKeyRecord);

    private static T ReadKey<T>(DbDataReader r, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : KeyRecord
    {
        var key = JsonSerializer.Deserialize(r.GetString(0), type) ?? throw new InvalidDataException("Empty key row.");
        key.LastUsedAt = r.IsDBNull(1) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1));
        key.Version = r.GetInt64(2);
        return key;
    }

    /// <summary><see cref="EventColumns"/>.</summary>
    public static GatewayEvent ReadEvent(DbDataReader r) => ReadEvent(r, 0);

    /// <summary><see cref="EventColumns"/> from <paramref name="offset"/>.</summary>
    public static GatewayEvent ReadEvent(DbDataReader r, int offset) => new()
    {
        Id = r.GetString(offset),
        MerchantId = r.GetString(offset + 1),
        Livemode = r.GetBoolean(offset + 2),
        Type = r.GetString(offset + 3),
        ObjectId = r.GetString(offset + 4),
        Created = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(offset + 5)),
        DataJson = r.GetString(offset + 6),
    };

    /// <summary><see cref="ReportSql.RollupScanColumns"/>: the event's id, and the event when it is one reports count.</summary>
    public static (string Id, GatewayEvent? Event) ReadRollupScanRow(DbDataReader r) => (r.GetString(0), r.IsDBNull(6) ? null : ReadEvent(r));

    /// <summary><see cref="PendingEventColumns"/>.</summary>
    public static PendingWebhookEvent ReadPendingEvent(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetBoolean(2), r.GetString(3), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)));

    /// <summary><see cref="IdempotencyKeyColumns"/>.</summary>
    public static StoredIdempotencyKey ReadIdempotencyKey(DbDataReader r) => new()
    {
        RequestHash = r.GetString(0),
        RecoverySeed = r.GetString(1),
        State = StoredIdempotencyKey.ParseState(r.GetString(2)),
        LockedUntil = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3)),
        ResponseStatus = r.IsDBNull(4) ? 0 : r.GetInt32(4),
        ResponseBody = r.IsDBNull(5) ? null : r.GetString(5),
    };

    /// <summary><see cref="EndpointColumns"/>.</summary>
    public static WebhookEndpoint ReadEndpoint(DbDataReader r) => ReadEndpoint(r, 0);

    /// <summary><see cref="EndpointColumns"/> from <paramref name="offset"/>.</summary>
    public static WebhookEndpoint ReadEndpoint(DbDataReader r, int offset)
    {
        var endpoint = JsonSerializer.Deserialize(r.GetString(offset), WebhookStorageJsonContext.Default.WebhookEndpoint)
                       ?? throw new InvalidDataException("Empty webhook endpoint row.");
        endpoint.Version = r.GetInt64(offset + 1);
        endpoint.FailureStreak = r.GetInt32(offset + 2);
        endpoint.FailingSince = r.IsDBNull(offset + 3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(offset + 3));
        return endpoint;
    }

    /// <summary><see cref="DeliveryColumns"/>.</summary>
    public static WebhookDelivery ReadDelivery(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        EventId = r.GetString(1),
        EndpointId = r.GetString(2),
        MerchantId = r.GetString(3),
        Livemode = r.GetBoolean(4),
        EventType = r.GetString(5),
        Status = WebhookWire.ParseDeliveryStatus(r.GetString(6)) ?? throw new InvalidDataException("Unknown delivery status."),
        AttemptCount = r.GetInt32(7),
        RetryCount = r.GetInt32(8),
        NextAttemptAt = r.IsDBNull(9) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(9)),
        LastAttemptAt = r.IsDBNull(10) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(10)),
        LastResponseStatus = r.IsDBNull(11) ? null : r.GetInt32(11),
        LastError = r.IsDBNull(12) ? null : r.GetString(12),
        Created = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(13)),
        Updated = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(14)),
    };

    /// <summary><see cref="AttemptColumns"/>.</summary>
    public static WebhookDeliveryAttempt ReadAttempt(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        DeliveryId = r.GetString(1),
        EventId = r.GetString(2),
        EndpointId = r.GetString(3),
        MerchantId = r.GetString(4),
        Livemode = r.GetBoolean(5),
        Number = r.GetInt32(6),
        StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(7)),
        DurationMs = r.GetInt32(8),
        ResponseStatus = r.IsDBNull(9) ? null : r.GetInt32(9),
        Error = r.IsDBNull(10) ? null : r.GetString(10),
        ResponseSnippet = r.IsDBNull(11) ? null : r.GetString(11),
        Succeeded = r.GetBoolean(12),
    };

    /// <summary><see cref="BankStatementSql.Columns"/>.</summary>
    public static BankStatement ReadStatement(DbDataReader r)
    {
        var statement = JsonSerializer.Deserialize(r.GetString(0), BankTransferStorageJsonContext.Default.BankStatement)
                        ?? throw new InvalidDataException("Empty bank statement row.");
        statement.MatchedCount = checked((int)r.GetInt64(1));
        statement.UnmatchedCount = checked((int)r.GetInt64(2));
        return statement;
    }

    /// <summary>data, version.</summary>
    public static BankStatementEntry ReadEntry(DbDataReader r) => Versioned(r, BankTransferStorageJsonContext.Default.BankStatementEntry, "bank statement entry", static (o, v) => o.Version = v);

    /// <summary>data, version.</summary>
    public static Mandate ReadMandate(DbDataReader r) => Versioned(r, BankTransferStorageJsonContext.Default.Mandate, "mandate", static (o, v) => o.Version = v);

    /// <summary>data (without the file).</summary>
    public static DirectDebitBatch ReadBatch(DbDataReader r) =>
        JsonSerializer.Deserialize(r.GetString(0), BankTransferStorageJsonContext.Default.DirectDebitBatch) ?? throw new InvalidDataException("Empty direct debit batch row.");

    /// <summary>data, file.</summary>
    public static DirectDebitBatch ReadBatchWithFile(DbDataReader r)
    {
        var batch = ReadBatch(r);
        batch.EncryptedFile = r.GetString(1);
        return batch;
    }

    /// <summary>data, version.</summary>
    public static ProviderAccountRecord ReadProviderAccount(DbDataReader r) => Versioned(r, RoutingStorageJsonContext.Default.ProviderAccountRecord, "provider account", static (o, v) => o.Version = v);

    /// <summary>data, version.</summary>
    public static RoutingRule ReadRoutingRule(DbDataReader r) => Versioned(r, RoutingStorageJsonContext.Default.RoutingRule, "routing rule", static (o, v) => o.Version = v);

    /// <summary>data, version.</summary>
    public static CheckoutSession ReadCheckoutSession(DbDataReader r) => Versioned(r, CheckoutStorageJsonContext.Default.CheckoutSession, "checkout session", static (o, v) => o.Version = v);

    /// <summary>An object's JSON in column 0 and its version in column 1.</summary>
    private static T Versioned<T>(DbDataReader r, JsonTypeInfo<T> type, string what, Action<T, long> setVersion)
    {
        var value = JsonSerializer.Deserialize(r.GetString(0), type) ?? throw new InvalidDataException($"Empty {what} row.");
        setVersion(value, r.GetInt64(1));
        return value;
    }
}
