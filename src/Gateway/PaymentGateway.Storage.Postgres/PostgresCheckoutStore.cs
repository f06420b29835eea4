using System.Text.Json;
using PaymentGateway.Core.Checkout;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.StorageRows;
using static PaymentGateway.Storage.Postgres.PostgresSql;

namespace PaymentGateway.Storage.Postgres;

/// <summary>Hosted checkout sessions on PostgreSQL: one row each, the session as jsonb plus the columns queries need.</summary>
public sealed class PostgresCheckoutStore(PostgresDatabase database) : ICheckoutStore
{
    public Task CreateCheckoutSessionAsync(CheckoutSession session, CancellationToken cancellationToken) =>
        database.ExecuteAsync("""
            INSERT INTO checkout_sessions (id, merchant_id, livemode, status, payment_id, expires_at, created_at, updated_at, version, data)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10);
            """, cancellationToken, P(session.Id), P(session.MerchantId), P(session.Livemode), P(session.Status.ToWire()),
            P((object?)session.PaymentId ?? DBNull.Value), P(session.ExpiresAt.ToUnixTimeMilliseconds()), P(session.Created.ToUnixTimeMilliseconds()),
            P(session.Updated.ToUnixTimeMilliseconds()), P(session.Version), Jsonb(CheckoutSessionJson(session)));

    public Task<CheckoutSession?> GetCheckoutSessionAsync(string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, version FROM checkout_sessions WHERE id = $1;", [P(id)], ReadCheckoutSession, cancellationToken);

    public async Task UpdateCheckoutSessionAsync(CheckoutSession session, CancellationToken cancellationToken)
    {
        var updated = await database.ExecuteAsync("""
            UPDATE checkout_sessions SET status = $2, payment_id = $3, updated_at = $4, version = $5 + 1, data = $6
            WHERE id = $1 AND version = $5;
            """, cancellationToken, P(session.Id), P(session.Status.ToWire()), P((object?)session.PaymentId ?? DBNull.Value),
            P(session.Updated.ToUnixTimeMilliseconds()), P(session.Version), Jsonb(CheckoutSessionJson(session))).ConfigureAwait(false);
        if (updated != 1)
        {
            throw new ConcurrencyConflictException(session.Id);
        }

        session.Version++;
    }

    private static string CheckoutSessionJson(CheckoutSession session) =>
        JsonSerializer.Serialize(session, CheckoutStorageJsonContext.Default.CheckoutSession);
}
