using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Storage.Postgres.PostgresSql;

namespace PaymentGateway.Storage.Postgres;

/// <summary>The PostgreSQL writes several stores share: payment rows (version-checked updates, with their metadata value rows) and event rows.</summary>
internal static class PostgresRows
{
    /// <summary>
    /// Inserts <paramref name="inserted"/> and version-checks the updates of <paramref name="updated"/> in
    /// <paramref name="batch"/>, each with its metadata value rows: all of an insert's, an update's only when they changed
    /// (<see cref="PaymentMetadataValues"/>).
    /// </summary>
    public static void AddPayments(CheckedBatch batch, IEnumerable<Payment> inserted, IEnumerable<Payment> updated)
    {
        foreach (var p in inserted)
        {
            batch.Add(InsertPayment(p));
            AddMetadataValues(batch, p.Id, PaymentMetadataValues.Of(p));
        }

        foreach (var p in updated)
        {
            batch.AddVersionChecked(UpdatePayment(p), p.Id);
            if (PaymentMetadataValues.ChangedOf(p) is { } values)
            {
                batch.Add(Cmd("DELETE FROM payment_metadata_values WHERE payment_id = $1;", P(p.Id)));
                AddMetadataValues(batch, p.Id, values);
            }
        }
    }

    private static NpgsqlBatchCommand InsertPayment(Payment p) =>
        Cmd("INSERT INTO payments (id, merchant_id, livemode, status, created_at, updated_at, version, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8);",
            P(p.Id), P(p.MerchantId), P(p.Livemode), P(p.Status.ToWire()), P(p.Created.ToUnixTimeMilliseconds()), P(p.Updated.ToUnixTimeMilliseconds()),
            P(p.Version), Jsonb(JsonSerializer.Serialize(p, StorageJsonContext.Default.Payment)));

    /// <summary>The version-checked update of a payment row: added with <see cref="CheckedBatch.AddVersionChecked"/>.</summary>
    private static NpgsqlBatchCommand UpdatePayment(Payment p) =>
        Cmd("UPDATE payments SET status = $2, updated_at = $3, version = $4 + 1, data = $5 WHERE id = $1 AND version = $4;",
            P(p.Id), P(p.Status.ToWire()), P(p.Updated.ToUnixTimeMilliseconds()), P(p.Version), Jsonb(JsonSerializer.Serialize(p, StorageJsonContext.Default.Payment)));

    /// <summary>The payment's metadata value rows, all in one statement (the values as one array parameter).</summary>
    private static void AddMetadataValues(CheckedBatch batch, string paymentId, string[] values)
    {
        if (values.Length > 0)
        {
            batch.Add(Cmd("INSERT INTO payment_metadata_values (payment_id, value) SELECT $1, unnest($2::text[]);",
                P(paymentId), new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = values }));
        }
    }

    /// <summary>
    /// An event, waiting for webhook fan-out only when its merchant and mode had an endpoint that existed when it
    /// happened (<see cref="Core.Webhooks.WebhookFanOut.Receives"/> would give none a delivery otherwise): most events of a
    /// merchant without endpoints are never updated again (docs/decisions.md, "Events wait for fan-out only when …").
    /// </summary>
    public static NpgsqlBatchCommand InsertEvent(GatewayEvent e) =>
        Cmd("""
            INSERT INTO events (id, merchant_id, livemode, type, object_id, created_at, data, webhook_pending)
            VALUES ($1, $2, $3, $4, $5, $6, $7,
                    EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.merchant_id = $2 AND w.livemode = $3 AND w.created_at <= $6));
            """,
            P(e.Id), P(e.MerchantId), P(e.Livemode), P(e.Type), P(e.ObjectId), P(e.Created.ToUnixTimeMilliseconds()), Json(e.DataJson));
}
