namespace PaymentGateway.Storage.Postgres;

/// <summary>
/// Ordered migrations, the same tables and query columns as the SQLite engine. Objects live as JSON in <c>data</c>
/// (<c>jsonb</c>; events keep their exact text in <c>json</c> because webhooks send it verbatim). Timestamps are Unix
/// milliseconds in <c>bigint</c>, as in SQLite. Id columns use the "C" collation so they sort by code point, which is
/// what makes time-sortable ids list newest first whatever the cluster's locale.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>Key of the transaction-scoped advisory lock that serializes migrations across nodes.</summary>
    public const long MigrationLockKey = 0x5061_7947_6174_6531; // "PayGate1"

    public static readonly (int Version, string Sql)[] Migrations =
    [
        (1, """
            CREATE TABLE merchants (
                id text COLLATE "C" PRIMARY KEY,
                created_at bigint NOT NULL,
                data jsonb NOT NULL
            );
            CREATE TABLE api_keys (
                id text COLLATE "C" PRIMARY KEY,
                merchant_id text COLLATE "C" NOT NULL,
                key_hash text COLLATE "C" NOT NULL UNIQUE,
                data jsonb NOT NULL
            );
            CREATE TABLE payments (
                id text COLLATE "C" PRIMARY KEY,
                merchant_id text COLLATE "C" NOT NULL,
                livemode boolean NOT NULL,
                status text NOT NULL,
                created_at bigint NOT NULL,
                updated_at bigint NOT NULL,
                version bigint NOT NULL,
                data jsonb NOT NULL
            );
            CREATE INDEX ix_payments_merchant ON payments (merchant_id, livemode, id);
            CREATE INDEX ix_payments_processing ON payments (updated_at) WHERE status = 'processing';
            CREATE TABLE refunds (
                id text COLLATE "C" PRIMARY KEY,
                merchant_id text COLLATE "C" NOT NULL,
                livemode boolean NOT NULL,
                payment_id text COLLATE "C" NOT NULL,
                status text NOT NULL,
                created_at bigint NOT NULL,
                updated_at bigint NOT NULL,
                version bigint NOT NULL,
                data jsonb NOT NULL
            );
            CREATE INDEX ix_refunds_merchant ON refunds (merchant_id, livemode, id);
            CREATE INDEX ix_refunds_payment ON refunds (payment_id, id);
            CREATE INDEX ix_refunds_pending ON refunds (updated_at) WHERE status = 'pending';
            CREATE TABLE payment_methods (
                id text COLLATE "C" PRIMARY KEY,
                merchant_id text COLLATE "C" NOT NULL,
                livemode boolean NOT NULL,
                encrypted_number text,
                data jsonb NOT NULL
            );
            CREATE TABLE events (
                id text COLLATE "C" PRIMARY KEY,
                merchant_id text COLLATE "C" NOT NULL,
                livemode boolean NOT NULL,
                type text NOT NULL,
                object_id text COLLATE "C" NOT NULL,
                created_at bigint NOT NULL,
                data json NOT NULL
            );
            CREATE INDEX ix_events_merchant ON events (merchant_id, livemode, id);
            CREATE INDEX ix_events_object ON events (object_id, id);
            CREATE TABLE idempotency_keys (
                merchant_id text COLLATE "C" NOT NULL,
                key text COLLATE "C" NOT NULL,
                request_hash text NOT NULL,
                recovery_seed text NOT NULL,
                state text NOT NULL,
                locked_until bigint NOT NULL,
                response_status integer,
                response_body text,
                created_at bigint NOT NULL,
                PRIMARY KEY (merchant_id, key)
            );
            CREATE INDEX ix_idempotency_created ON idempotency_keys (created_at);
            CREATE TABLE leases (
                name text COLLATE "C" PRIMARY KEY,
                holder text NOT NULL,
                expires_at bigint NOT NULL
            );
            CREATE TABLE settings (
                name text COLLATE "C" PRIMARY KEY,
                value text NOT NULL
            );
            """),
        (2, """
            -- Webhooks out. New events are pending fan-out by default (the commit path is unchanged); events written
            -- before this migration are not sent.
            ALTER TABLE events ADD COLUMN webhook_pending boolean NOT NULL DEFAULT true;
            UPDATE events SET webhook_pending = false;
            CREATE INDEX ix_events_webhook_pending ON events (id) WHERE webhook_pending;
            CREATE TABLE webhook_endpoints (
                id text COLLATE "C" PRIMARY KEY,
                merchant_id text COLLATE "C" NOT NULL,
                livemode boolean NOT NULL,
                status text NOT NULL,
                created_at bigint NOT NULL,
                updated_at bigint NOT NULL,
                version bigint NOT NULL,
                failure_streak integer NOT NULL DEFAULT 0,
                failing_since bigint,
                data jsonb NOT NULL
            );
            CREATE INDEX ix_webhook_endpoints_merchant ON webhook_endpoints (merchant_id, livemode, id);
            CREATE TABLE webhook_deliveries (
                id text COLLATE "C" PRIMARY KEY,
                event_id text COLLATE "C" NOT NULL,
                endpoint_id text COLLATE "C" NOT NULL,
                merchant_id text COLLATE "C" NOT NULL,
                livemode boolean NOT NULL,
                event_type text NOT NULL,
                status text NOT NULL,
                attempt_count integer NOT NULL,
                retry_count integer NOT NULL,
                next_attempt_at bigint,
                locked_until bigint NOT NULL DEFAULT 0,
                lease_holder text,
                last_attempt_at bigint,
                last_response_status integer,
                last_error text,
                created_at bigint NOT NULL,
                updated_at bigint NOT NULL,
                UNIQUE (event_id, endpoint_id)
            );
            CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
            CREATE INDEX ix_webhook_deliveries_merchant ON webhook_deliveries (merchant_id, livemode, id);
            CREATE INDEX ix_webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);
            CREATE TABLE webhook_attempts (
                id text COLLATE "C" PRIMARY KEY,
                delivery_id text COLLATE "C" NOT NULL,
                event_id text COLLATE "C" NOT NULL,
                endpoint_id text COLLATE "C" NOT NULL,
                merchant_id text COLLATE "C" NOT NULL,
                livemode boolean NOT NULL,
                number integer NOT NULL,
                started_at bigint NOT NULL,
                duration_ms integer NOT NULL,
                response_status integer,
                error text,
                response_snippet text,
                succeeded boolean NOT NULL
            );
            CREATE INDEX ix_webhook_attempts_delivery ON webhook_attempts (delivery_id, id);
            """),
        (3, """
            -- Hosted checkout sessions (issue 5). The client secret is stored only as a hash, inside data.
            CREATE TABLE checkout_sessions (
                id text COLLATE "C" PRIMARY KEY,
                merchant_id text COLLATE "C" NOT NULL,
                livemode boolean NOT NULL,
                status text NOT NULL,
                payment_id text COLLATE "C",
                expires_at bigint NOT NULL,
                created_at bigint NOT NULL,
                updated_at bigint NOT NULL,
                version bigint NOT NULL,
                data jsonb NOT NULL
            );
            CREATE INDEX ix_checkout_sessions_merchant ON checkout_sessions (merchant_id, livemode, id);
            """),
        (4, """
            -- Provider accounts (credentials are vault ciphertexts inside data), routing rules, and the ids of inbound
            -- provider webhook events already handled.
            CREATE TABLE provider_accounts (
                id text COLLATE "C" PRIMARY KEY,
                merchant_id text COLLATE "C" NOT NULL,
                livemode boolean NOT NULL,
                provider text NOT NULL,
                created_at bigint NOT NULL,
                version bigint NOT NULL,
                data jsonb NOT NULL
            );
            CREATE INDEX ix_provider_accounts_merchant ON provider_accounts (merchant_id, id);
            CREATE TABLE routing_rules (
                id text COLLATE "C" PRIMARY KEY,
                merchant_id text COLLATE "C" NOT NULL,
                livemode boolean NOT NULL,
                priority bigint NOT NULL,
                version bigint NOT NULL,
                data jsonb NOT NULL
            );
            CREATE INDEX ix_routing_rules_merchant ON routing_rules (merchant_id, livemode, priority, id);
            CREATE TABLE provider_webhook_events (
                provider_account_id text COLLATE "C" NOT NULL,
                event_id text COLLATE "C" NOT NULL,
                received_at bigint NOT NULL,
                PRIMARY KEY (provider_account_id, event_id)
            );
            """),
        (5, """
            -- Bank transfers (issue 7): creditor reference -> payment, imported camt.053 statements and their entries.
            CREATE TABLE bank_transfer_references (
                reference text COLLATE "C" PRIMARY KEY,
                merchant_id text NOT NULL,
                livemode boolean NOT NULL,
                payment_id text NOT NULL,
                expires_at bigint NOT NULL,
                closed boolean NOT NULL DEFAULT false
            );
            CREATE INDEX ix_bank_transfer_references_open ON bank_transfer_references (expires_at) WHERE NOT closed;
            CREATE TABLE bank_statements (
                id text COLLATE "C" PRIMARY KEY,
                merchant_id text NOT NULL,
                livemode boolean NOT NULL,
                statement_key text NOT NULL,
                created_at bigint NOT NULL,
                data jsonb NOT NULL,
                UNIQUE (merchant_id, livemode, statement_key)
            );
            CREATE INDEX ix_bank_statements_merchant ON bank_statements (merchant_id, livemode, id);
            CREATE TABLE bank_statement_entries (
                id text COLLATE "C" PRIMARY KEY,
                merchant_id text NOT NULL,
                livemode boolean NOT NULL,
                statement_id text NOT NULL,
                entry_key text NOT NULL,
                status text NOT NULL,
                payment_id text,
                created_at bigint NOT NULL,
                version bigint NOT NULL,
                data jsonb NOT NULL,
                UNIQUE (merchant_id, livemode, entry_key)
            );
            CREATE INDEX ix_bank_statement_entries_merchant ON bank_statement_entries (merchant_id, livemode, id);
            CREATE INDEX ix_bank_statement_entries_statement ON bank_statement_entries (statement_id, id);
            """),
        (6, """
            -- SEPA Direct Debit (issue 7): mandates; the reference is unique per merchant and mode, ignoring case.
            CREATE TABLE mandates (
                id text COLLATE "C" PRIMARY KEY,
                merchant_id text NOT NULL,
                livemode boolean NOT NULL,
                reference_key text COLLATE "C" NOT NULL,
                payment_method_id text NOT NULL,
                created_at bigint NOT NULL,
                data jsonb NOT NULL,
                UNIQUE (merchant_id, livemode, reference_key)
            );
            """),
        (7, """
            -- SEPA Direct Debit settlement, sequence types and stored collection files (issue 7). The file column holds
            -- the vault-encrypted pain.008 (it carries debtor IBANs), never clear text.
            ALTER TABLE mandates ADD COLUMN version bigint NOT NULL DEFAULT 0;
            CREATE INDEX ix_mandates_merchant ON mandates (merchant_id, livemode, id);
            CREATE TABLE direct_debit_batches (
                id text COLLATE "C" PRIMARY KEY,
                merchant_id text NOT NULL,
                livemode boolean NOT NULL,
                created_at bigint NOT NULL,
                data jsonb NOT NULL,
                file text NOT NULL
            );
            CREATE INDEX ix_direct_debit_batches_merchant ON direct_debit_batches (merchant_id, livemode, id);
            CREATE INDEX ix_payments_direct_debit_collection ON payments (((data->'direct_debit'->>'collection_date') COLLATE "C"))
                WHERE status = 'processing' AND data->>'payment_method_type' = 'sepa_debit';
            """),
        (8, """
            -- The console (issue 16): users, their single-use links (stored as token hashes), the shared data-protection
            -- key ring, and the append-only audit trail with its hash chain (seq is the chain position; data is the exact
            -- canonical text the hash covers, so text rather than jsonb). A trigger refuses UPDATE, DELETE and TRUNCATE
            -- of audit rows for every role; deployments that run migrations as the table owner can also grant the
            -- application role only INSERT and SELECT on audit_entries (docs/console.md).
            CREATE TABLE console_users (
                id text COLLATE "C" PRIMARY KEY,
                email_key text COLLATE "C" NOT NULL UNIQUE,
                external_key text COLLATE "C" UNIQUE,
                status text NOT NULL,
                created_at bigint NOT NULL,
                version bigint NOT NULL,
                data jsonb NOT NULL
            );
            CREATE TABLE console_links (
                id text COLLATE "C" PRIMARY KEY,
                token_hash text COLLATE "C" NOT NULL UNIQUE,
                purpose text NOT NULL,
                open boolean NOT NULL,
                expires_at bigint NOT NULL,
                version bigint NOT NULL,
                data jsonb NOT NULL
            );
            CREATE INDEX ix_console_links_open ON console_links (purpose, id) WHERE open;
            CREATE TABLE data_protection_keys (
                name text COLLATE "C" PRIMARY KEY,
                value text NOT NULL,
                created_at bigint NOT NULL
            );
            CREATE TABLE audit_entries (
                seq bigint PRIMARY KEY,
                id text COLLATE "C" NOT NULL UNIQUE,
                created_at bigint NOT NULL,
                action text COLLATE "C" NOT NULL,
                actor_id text COLLATE "C",
                merchant_id text COLLATE "C",
                target_id text COLLATE "C",
                prev_hash text NOT NULL,
                hash text NOT NULL,
                data text NOT NULL
            );
            CREATE INDEX ix_audit_entries_actor ON audit_entries (actor_id, seq);
            CREATE INDEX ix_audit_entries_action ON audit_entries (action, seq);
            CREATE INDEX ix_audit_entries_target ON audit_entries (target_id, seq);
            CREATE INDEX ix_audit_entries_merchant ON audit_entries (merchant_id, seq);
            CREATE INDEX ix_audit_entries_created ON audit_entries (created_at, seq);
            CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit entries are append-only' USING ERRCODE = 'insufficient_privilege';
            END;
            $$;
            CREATE TRIGGER audit_entries_no_change BEFORE UPDATE OR DELETE ON audit_entries
                FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only();
            CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
                FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only();
            REVOKE UPDATE, DELETE, TRUNCATE ON audit_entries FROM PUBLIC;
            """),
        (9, PostgresFeatureSchema.Reports),
        (10, PostgresFeatureSchema.Customers),
        (11, PostgresFeatureSchema.Disputes),

        // ---- issue 21 (o21b): API key lifecycle ----
        (12, """
            ALTER TABLE api_keys ADD COLUMN last_used_at bigint;
            ALTER TABLE api_keys ADD COLUMN version bigint NOT NULL DEFAULT 0;
            CREATE INDEX ix_api_keys_merchant ON api_keys (merchant_id, id);
            """),

        // ---- issue 21 (o21c): named admin keys ----
        (13, """
            CREATE TABLE admin_keys (
                id text COLLATE "C" PRIMARY KEY,
                key_hash text COLLATE "C" NOT NULL UNIQUE,
                last_used_at bigint,
                version bigint NOT NULL DEFAULT 0,
                data jsonb NOT NULL
            );
            """),

        // ---- r23: dispute outcomes in the report rollups ----
        (14, PostgresFeatureSchema.ReportDisputeOutcomes),
        // ---- issue 17 (c17a): the console's direct-debit batch page ----
        (15, """
            CREATE INDEX ix_payments_direct_debit_batch ON payments ((data->'direct_debit'->>'batch_id'), id)
                WHERE data->'direct_debit'->>'batch_id' IS NOT NULL;
            """),

        // ---- issue 17 (c17b): the console's list pages on 1,000,000 payments (bench/console-lists.sh) ----
        (16, """
            -- Payments by customer and by payment method, newest first, without reading the merchant's other payments.
            CREATE INDEX ix_payments_customer ON payments (merchant_id, livemode, (data->>'customer'), id);
            CREATE INDEX ix_payments_payment_method ON payments (merchant_id, livemode, (data->>'payment_method_id'), id);
            -- A day (or any creation range) of a merchant's payments; an amount range within a currency.
            CREATE INDEX ix_payments_created ON payments (merchant_id, livemode, created_at);
            CREATE INDEX ix_payments_currency_amount ON payments (merchant_id, livemode, (data->>'currency'), ((data->>'amount')::bigint));
            -- Payment methods by card last 4 (the card filter starts from the few methods with those digits).
            CREATE INDEX ix_payment_methods_last4 ON payment_methods (merchant_id, livemode, (data->'card'->>'last4'));
            -- Events of one type, newest first (rare types would otherwise read every event of the merchant).
            CREATE INDEX ix_events_type ON events (merchant_id, livemode, type, id);
            CREATE INDEX ix_events_created ON events (merchant_id, livemode, created_at);
            -- Metadata values, kept by triggers: "any metadata key with this value" (an order id) is one index lookup.
            CREATE TABLE payment_metadata_values (
                payment_id text COLLATE "C" NOT NULL,
                value text NOT NULL
            );
            CREATE INDEX ix_payment_metadata_values_value ON payment_metadata_values (value, payment_id);
            CREATE INDEX ix_payment_metadata_values_payment ON payment_metadata_values (payment_id);
            CREATE FUNCTION payments_metadata_values() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'UPDATE' THEN
                    DELETE FROM payment_metadata_values WHERE payment_id = OLD.id;
                END IF;
                IF jsonb_typeof(NEW.data->'metadata') = 'object' THEN
                    INSERT INTO payment_metadata_values (payment_id, value)
                        SELECT DISTINCT NEW.id, m.value FROM jsonb_each_text(NEW.data->'metadata') m WHERE m.value IS NOT NULL;
                END IF;
                RETURN NULL;
            END;
            $$;
            CREATE TRIGGER payments_metadata_insert AFTER INSERT ON payments
                FOR EACH ROW EXECUTE FUNCTION payments_metadata_values();
            CREATE TRIGGER payments_metadata_update AFTER UPDATE ON payments
                FOR EACH ROW WHEN (OLD.data->'metadata' IS DISTINCT FROM NEW.data->'metadata') EXECUTE FUNCTION payments_metadata_values();
            INSERT INTO payment_metadata_values (payment_id, value)
                SELECT DISTINCT p.id, m.value FROM payments p, jsonb_each_text(p.data->'metadata') m
                WHERE jsonb_typeof(p.data->'metadata') = 'object' AND m.value IS NOT NULL;
            """),

        // ---- issue 20 (p20): the payment write path, cheaper ----
        (17, """
            -- The stores write a payment's metadata value rows in the payment's own commit (PaymentMetadataValues): the
            -- trigger was 91 of an insert's 214 µs in the server (bench/RESULTS.md). The rows it wrote stay as they are.
            DROP TRIGGER payments_metadata_insert ON payments;
            DROP TRIGGER payments_metadata_update ON payments;
            DROP FUNCTION payments_metadata_values();
            """),
    ];
}
