using System.Text.Json;
using Microsoft.Data.Sqlite;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>The SQLite writes several stores share: payment rows (version-checked updates, with their metadata value rows) and event rows.</summary>
internal static class SqliteRows
{
    /// <summary>SQLITE_CONSTRAINT: a unique key another writer used first.</summary>
    public const int ConstraintError = 19;

    /// <summary>Runs a version-checked update of <paramref name="id"/>: a row that is not at the version read is a conflict.</summary>
    public static void ExecuteVersioned(SqliteCommand command, string id)
    {
        if (command.ExecuteNonQuery() != 1)
        {
            throw new ConcurrencyConflictException(id);
        }
    }

    public static string Json(Payment p) => JsonSerializer.Serialize(p, StorageJsonContext.Default.Payment);

    public static void InsertPayment(WriterContext ctx, Payment p, string json)
    {
        var c = ctx.Command("INSERT INTO payments (id, merchant_id, livemode, status, created_at, updated_at, version, data) VALUES ($id, $m, $l, $s, $c, $u, $v, $d);");
        BindPayment(c, p, json);
        c.ExecuteNonQuery();
        InsertMetadataValues(ctx, p.Id, PaymentMetadataValues.Of(p));
    }

    /// <summary>The version-checked update of a payment row; another writer's change first is a conflict.</summary>
    public static void UpdatePayment(WriterContext ctx, Payment p, string json)
    {
        var c = ctx.Command("UPDATE payments SET status = $s, updated_at = $u, version = $v + 1, data = $d WHERE id = $id AND version = $v;");
        BindPayment(c, p, json);
        ExecuteVersioned(c, p.Id);
        if (PaymentMetadataValues.ChangedOf(p) is { } values)
        {
            var delete = ctx.Command("DELETE FROM payment_metadata_values WHERE payment_id = $id;");
            delete.Parameters.AddWithValue("$id", p.Id);
            delete.ExecuteNonQuery();
            InsertMetadataValues(ctx, p.Id, values);
        }
    }

    /// <summary>The payment's metadata value rows (<see cref="PaymentMetadataValues"/>), one prepared insert each.</summary>
    private static void InsertMetadataValues(WriterContext ctx, string paymentId, string[] values)
    {
        foreach (var value in values)
        {
            var c = ctx.Command("INSERT INTO payment_metadata_values (payment_id, value) VALUES ($id, $v);");
            c.Parameters.AddWithValue("$id", paymentId);
            c.Parameters.AddWithValue("$v", value);
            c.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// An event, waiting for webhook fan-out only when its merchant and mode had an endpoint that existed when it
    /// happened (<see cref="Core.Webhooks.WebhookFanOut.Receives"/> would give none a delivery otherwise).
    /// </summary>
    public static void InsertEvent(WriterContext ctx, GatewayEvent e)
    {
        var c = ctx.Command("""
            INSERT INTO events (id, merchant_id, livemode, type, object_id, created_at, data, webhook_pending)
            VALUES ($id, $m, $l, $t, $o, $c, $d,
                    EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.merchant_id = $m AND w.livemode = $l AND w.created_at <= $c));
            """);
        c.Parameters.AddWithValue("$id", e.Id);
        c.Parameters.AddWithValue("$m", e.MerchantId);
        c.Parameters.AddWithValue("$l", e.Livemode ? 1 : 0);
        c.Parameters.AddWithValue("$t", e.Type);
        c.Parameters.AddWithValue("$o", e.ObjectId);
        c.Parameters.AddWithValue("$c", e.Created.ToUnixTimeMilliseconds());
        c.Parameters.AddWithValue("$d", e.DataJson);
        c.ExecuteNonQuery();
    }

    private static void BindPayment(SqliteCommand c, Payment p, string json)
    {
        c.Parameters.AddWithValue("$id", p.Id);
        c.Parameters.AddWithValue("$m", p.MerchantId);
        c.Parameters.AddWithValue("$l", p.Livemode ? 1 : 0);
        c.Parameters.AddWithValue("$s", p.Status.ToWire());
        c.Parameters.AddWithValue("$c", p.Created.ToUnixTimeMilliseconds());
        c.Parameters.AddWithValue("$u", p.Updated.ToUnixTimeMilliseconds());
        c.Parameters.AddWithValue("$v", p.Version);
        c.Parameters.AddWithValue("$d", json);
    }
}
