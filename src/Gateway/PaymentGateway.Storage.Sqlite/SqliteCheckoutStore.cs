using System.Text.Json;
using Microsoft.Data.Sqlite;
using PaymentGateway.Core.Checkout;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.StorageRows;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>Hosted checkout sessions on SQLite: one row each, the session as JSON plus the columns queries need.</summary>
public sealed class SqliteCheckoutStore(SqliteDatabase database) : ICheckoutStore
{
    public Task CreateCheckoutSessionAsync(CheckoutSession session, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(session, CheckoutStorageJsonContext.Default.CheckoutSession);
        return database.WriteAsync(ctx =>
        {
            var c = ctx.Command("""
                INSERT INTO checkout_sessions (id, merchant_id, livemode, status, payment_id, expires_at, created_at, updated_at, version, data)
                VALUES ($id, $m, $l, $s, $p, $e, $c, $u, $v, $d);
                """);
            BindCheckoutSession(c, session, json);
            return c.ExecuteNonQuery();
        }, cancellationToken);
    }

    public Task<CheckoutSession?> GetCheckoutSessionAsync(string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, version FROM checkout_sessions WHERE id = $id;", c => c.Parameters.AddWithValue("$id", id),
            ReadCheckoutSession, cancellationToken);

    public async Task UpdateCheckoutSessionAsync(CheckoutSession session, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(session, CheckoutStorageJsonContext.Default.CheckoutSession);
        await database.WriteAsync(ctx =>
        {
            var c = ctx.Command("""
                UPDATE checkout_sessions SET status = $s, payment_id = $p, updated_at = $u, version = $v + 1, data = $d
                WHERE id = $id AND version = $v;
                """);
            BindCheckoutSession(c, session, json);
            return c.ExecuteNonQuery() == 1 ? true : throw new ConcurrencyConflictException(session.Id);
        }, cancellationToken).ConfigureAwait(false);
        session.Version++;
    }

    private static void BindCheckoutSession(SqliteCommand c, CheckoutSession session, string json)
    {
        c.Parameters.AddWithValue("$id", session.Id);
        c.Parameters.AddWithValue("$m", session.MerchantId);
        c.Parameters.AddWithValue("$l", session.Livemode ? 1 : 0);
        c.Parameters.AddWithValue("$s", session.Status.ToWire());
        c.Parameters.AddWithValue("$p", (object?)session.PaymentId ?? DBNull.Value);
        c.Parameters.AddWithValue("$e", session.ExpiresAt.ToUnixTimeMilliseconds());
        c.Parameters.AddWithValue("$c", session.Created.ToUnixTimeMilliseconds());
        c.Parameters.AddWithValue("$u", session.Updated.ToUnixTimeMilliseconds());
        c.Parameters.AddWithValue("$v", session.Version);
        c.Parameters.AddWithValue("$d", json);
    }
}
