namespace PaymentGateway.Storage.Sqlite;

/// <summary>Ordered migrations. Each runs once, in its own transaction, recorded in schema_migrations.</summary>
internal static class SqliteSchema
{
    public static readonly (int Version, string Sql)[] Migrations =
    [
        (1, """
            CREATE TABLE merchants (
                id TEXT PRIMARY KEY,
                created_at INTEGER NOT NULL,
                data TEXT NOT NULL
            );
            CREATE TABLE api_keys (
                id TEXT PRIMARY KEY,
                merchant_id TEXT NOT NULL,
                key_hash TEXT NOT NULL UNIQUE,
                data TEXT NOT NULL
            );
            CREATE TABLE payments (
                id TEXT PRIMARY KEY,
                merchant_id TEXT NOT NULL,
                livemode INTEGER NOT NULL,
                status TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                version INTEGER NOT NULL,
                data TEXT NOT NULL
            );
            CREATE INDEX ix_payments_merchant ON payments (merchant_id, livemode, id);
            CREATE INDEX ix_payments_processing ON payments (updated_at) WHERE status = 'processing';
            CREATE TABLE refunds (
                id TEXT PRIMARY KEY,
                merchant_id TEXT NOT NULL,
                livemode INTEGER NOT NULL,
                payment_id TEXT NOT NULL,
                status TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                version INTEGER NOT NULL,
                data TEXT NOT NULL
            );
            CREATE INDEX ix_refunds_merchant ON refunds (merchant_id, livemode, id);
            CREATE INDEX ix_refunds_payment ON refunds (payment_id, id);
            CREATE INDEX ix_refunds_pending ON refunds (updated_at) WHERE status = 'pending';
            CREATE TABLE payment_methods (
                id TEXT PRIMARY KEY,
                merchant_id TEXT NOT NULL,
                livemode INTEGER NOT NULL,
                encrypted_number TEXT,
                data TEXT NOT NULL
            );
            CREATE TABLE events (
                id TEXT PRIMARY KEY,
                merchant_id TEXT NOT NULL,
                livemode INTEGER NOT NULL,
                type TEXT NOT NULL,
                object_id TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                data TEXT NOT NULL
            );
            CREATE INDEX ix_events_merchant ON events (merchant_id, livemode, id);
            CREATE INDEX ix_events_object ON events (object_id, id);
            CREATE TABLE idempotency_keys (
                merchant_id TEXT NOT NULL,
                key TEXT NOT NULL,
                request_hash TEXT NOT NULL,
                recovery_seed TEXT NOT NULL,
                state TEXT NOT NULL,
                locked_until INTEGER NOT NULL,
                response_status INTEGER,
                response_body TEXT,
                created_at INTEGER NOT NULL,
                PRIMARY KEY (merchant_id, key)
            );
            CREATE INDEX ix_idempotency_created ON idempotency_keys (created_at);
            CREATE TABLE leases (
                name TEXT PRIMARY KEY,
                holder TEXT NOT NULL,
                expires_at INTEGER NOT NULL
            );
            CREATE TABLE settings (
                name TEXT PRIMARY KEY,
                value TEXT NOT NULL
            );
            """),
    ];
}
