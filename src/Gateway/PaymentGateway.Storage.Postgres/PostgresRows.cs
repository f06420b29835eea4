using System.Text.Json;
using Npgsql;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Storage.Postgres.PostgresSql;

namespace PaymentGateway.Storage.Postgres;

/// <summary>The PostgreSQL writes several stores share: payment rows (version-checked updates) and event rows.</summary>
internal static class PostgresRows
{
    /// <summary>Inserts <paramref name="inserted"/> and version-checks the updates of <paramref name="updated"/> in <paramref name="batch"/>.</summary>
    public static void AddPayments(CheckedBatch batch, IEnumerable<Payment> inserted, IEnumerable<Payment> updated)
    {
        foreach (var p in inserted)
        {
            batch.Add(InsertPayment(p));
        }

        foreach (var p in updated)
        {
            batch.AddVersionChecked(UpdatePayment(p), p.Id);
        }
    }

    private static NpgsqlBatchCommand InsertPayment(Payment p) =>
        Cmd("INSERT INTO payments (id, merchant_id, livemode, status, created_at, updated_at, version, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8);",
            P(p.Id), P(p.MerchantId), P(p.Livemode), P(p.Status.ToWire()), P(p.Created.ToUnixTimeMilliseconds()), P(p.Updated.ToUnixTimeMilliseconds()),
            P(p.Version), Jsonb(JsonSerializer.Serialize(p, StorageJsonContext.Default.Payment)));

    /// <summary>The version-checked update of a payment row: add it with <see cref="CheckedBatch.AddVersionChecked"/>.</summary>
    public static NpgsqlBatchCommand UpdatePayment(Payment p) =>
        Cmd("UPDATE payments SET status = $2, updated_at = $3, version = $4 + 1, data = $5 WHERE id = $1 AND version = $4;",
            P(p.Id), P(p.Status.ToWire()), P(p.Updated.ToUnixTimeMilliseconds()), P(p.Version), Jsonb(JsonSerializer.Serialize(p, StorageJsonContext.Default.Payment)));

    public static NpgsqlBatchCommand InsertEvent(GatewayEvent e) =>
        Cmd("INSERT INTO events (id, merchant_id, livemode, type, object_id, created_at, data) VALUES ($1, $2, $3, $4, $5, $6, $7);",
            P(e.Id), P(e.MerchantId), P(e.Livemode), P(e.Type), P(e.ObjectId), P(e.Created.ToUnixTimeMilliseconds()), Json(e.DataJson));
}
