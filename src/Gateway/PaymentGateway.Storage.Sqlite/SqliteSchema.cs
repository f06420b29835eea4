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
        (2, """
            -- Webhooks out. New events are pending fan-out by default (the commit path is unchanged); events written
            -- before this migration are not sent.
            ALTER TABLE events ADD COLUMN webhook_pending INTEGER NOT NULL DEFAULT 1;
            UPDATE events SET webhook_pending = 0;
            CREATE INDEX ix_events_webhook_pending ON events (id) WHERE webhook_pending = 1;
            CREATE TABLE webhook_endpoints (
                id TEXT PRIMARY KEY,
                merchant_id TEXT NOT NULL,
                livemode INTEGER NOT NULL,
                status TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                version INTEGER NOT NULL,
                failure_streak INTEGER NOT NULL DEFAULT 0,
                failing_since INTEGER,
                data TEXT NOT NULL
            );
            CREATE INDEX ix_webhook_endpoints_merchant ON webhook_endpoints (merchant_id, livemode, id);
            CREATE TABLE webhook_deliveries (
                id TEXT PRIMARY KEY,
                event_id TEXT NOT NULL,
                endpoint_id TEXT NOT NULL,
                merchant_id TEXT NOT NULL,
                livemode INTEGER NOT NULL,
                event_type TEXT NOT NULL,
                status TEXT NOT NULL,
                attempt_count INTEGER NOT NULL,
                retry_count INTEGER NOT NULL,
                next_attempt_at INTEGER,
                locked_until INTEGER NOT NULL DEFAULT 0,
                lease_holder TEXT,
                last_attempt_at INTEGER,
                last_response_status INTEGER,
                last_error TEXT,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                UNIQUE (event_id, endpoint_id)
            );
            CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
            CREATE INDEX ix_webhook_deliveries_merchant ON webhook_deliveries (merchant_id, livemode, id);
            CREATE INDEX ix_webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);
            CREATE TABLE webhook_attempts (
                id TEXT PRIMARY KEY,
                delivery_id TEXT NOT NULL,
                event_id TEXT NOT NULL,
                endpoint_id TEXT NOT NULL,
                merchant_id TEXT NOT NULL,
                livemode INTEGER NOT NULL,
                number INTEGER NOT NULL,
                started_at INTEGER NOT NULL,
                duration_ms INTEGER NOT NULL,
                response_status INTEGER,
                error TEXT,
                response_snippet TEXT,
                succeeded INTEGER NOT NULL
            );
            CREATE INDEX ix_webhook_attempts_delivery ON webhook_attempts (delivery_id, id);
            """),
        (3, """
            -- Hosted checkout sessions (issue 5). The client secret is stored only as a hash, inside data.
            CREATE TABLE checkout_sessions (
                id TEXT PRIMARY KEY,
                merchant_id TEXT NOT NULL,
                livemode INTEGER NOT NULL,
                status TEXT NOT NULL,
                payment_id TEXT,
                expires_at INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                version INTEGER NOT NULL,
                data TEXT NOT NULL
            );
            CREATE INDEX ix_checkout_sessions_merchant ON checkout_sessions (merchant_id, livemode, id);
            """),
        (4, """
            -- Provider accounts (credentials are vault ciphertexts inside data), routing rules, and the ids of inbound
            -- provider webhook events already handled.
            CREATE TABLE provider_accounts (
                id TEXT PRIMARY KEY,
                merchant_id TEXT NOT NULL,
                livemode INTEGER NOT NULL,
                provider TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                version INTEGER NOT NULL,
                data TEXT NOT NULL
            );
            CREATE INDEX ix_provider_accounts_merchant ON provider_accounts (merchant_id, id);
            CREATE TABLE routing_rules (
                id TEXT PRIMARY KEY,
                merchant_id TEXT NOT NULL,
                livemode INTEGER NOT NULL,
                priority INTEGER NOT NULL,
                version INTEGER NOT NULL,
                data TEXT NOT NULL
            );
            CREATE INDEX ix_routing_rules_merchant ON routing_rules (merchant_id, livemode, priority, id);
            CREATE TABLE provider_webhook_events (
                provider_account_id TEXT NOT NULL,
                event_id TEXT NOT NULL,
                received_at INTEGER NOT NULL,
                PRIMARY KEY (provider_account_id, event_id)
            );
            """),
        (5, """
            -- Bank transfers (issue 7): creditor reference -> payment, imported camt.053 statements and their entries.
            CREATE TABLE bank_transfer_references (
                reference TEXT PRIMARY KEY,
                merchant_id TEXT NOT NULL,
                livemode INTEGER NOT NULL,
                payment_id TEXT NOT NULL,
                expires_at INTEGER NOT NULL,
                closed INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX ix_bank_transfer_references_open ON bank_transfer_references (expires_at) WHERE closed = 0;
            CREATE TABLE bank_statements (
                id TEXT PRIMARY KEY,
                merchant_id TEXT NOT NULL,
                livemode INTEGER NOT NULL,
                statement_key TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                data TEXT NOT NULL,
                UNIQUE (merchant_id, livemode, statement_key)
            );
            CREATE INDEX ix_bank_statements_merchant ON bank_statements (merchant_id, livemode, id);
            CREATE TABLE bank_statement_entries (
                id TEXT PRIMARY KEY,
                merchant_id TEXT NOT NULL,
                livemode INTEGER NOT NULL,
                statement_id TEXT NOT NULL,
                entry_key TEXT NOT NULL,
                status TEXT NOT NULL,
                payment_id TEXT,
                created_at INTEGER NOT NULL,
                version INTEGER NOT NULL,
                data TEXT NOT NULL,
                UNIQUE (merchant_id, livemode, entry_key)
            );
            CREATE INDEX ix_bank_statement_entries_merchant ON bank_statement_entries (merchant_id, livemode, id);
            CREATE INDEX ix_bank_statement_entries_statement ON bank_statement_entries (statement_id, id);
            """),
        (6, """
            -- SEPA Direct Debit (issue 7): mandates; the reference is unique per merchant and mode, ignoring case.
            CREATE TABLE mandates (
                id TEXT PRIMARY KEY,
                merchant_id TEXT NOT NULL,
                livemode INTEGER NOT NULL,
                reference_key TEXT NOT NULL,
                payment_method_id TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                data TEXT NOT NULL,
                UNIQUE (merchant_id, livemode, reference_key)
            );
            """),
        (7, """
            -- SEPA Direct Debit settlement, sequence types and stored collection files (issue 7). The file column holds
            -- the vault-encrypted pain.008 (it carries debtor IBANs), never clear text.
            ALTER TABLE mandates ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
            CREATE INDEX ix_mandates_merchant ON mandates (merchant_id, livemode, id);
            CREATE TABLE direct_debit_batches (
                id TEXT PRIMARY KEY,
                merchant_id TEXT NOT NULL,
                livemode INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                data TEXT NOT NULL,
                file TEXT NOT NULL
            );
            CREATE INDEX ix_direct_debit_batches_merchant ON direct_debit_batches (merchant_id, livemode, id);
            CREATE INDEX ix_payments_direct_debit_collection ON payments (json_extract(data, '$.direct_debit.collection_date'))
                WHERE status = 'processing' AND json_extract(data, '$.payment_method_type') = 'sepa_debit';
            """),
        (8, """
            -- The console (issue 16): users, their single-use links (stored as token hashes), the shared data-protection
            -- key ring, and the append-only audit trail with its hash chain (seq is the chain position).
            CREATE TABLE console_users (
                id TEXT PRIMARY KEY,
                email_key TEXT NOT NULL UNIQUE,
                external_key TEXT UNIQUE,
                status TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                version INTEGER NOT NULL,
                data TEXT NOT NULL
            );
            CREATE TABLE console_links (
                id TEXT PRIMARY KEY,
                token_hash TEXT NOT NULL UNIQUE,
                purpose TEXT NOT NULL,
                open INTEGER NOT NULL,
                expires_at INTEGER NOT NULL,
                version INTEGER NOT NULL,
                data TEXT NOT NULL
            );
            CREATE INDEX ix_console_links_open ON console_links (purpose, id) WHERE open = 1;
            CREATE TABLE data_protection_keys (
                name TEXT PRIMARY KEY,
                value TEXT NOT NULL,
                created_at INTEGER NOT NULL
            );
            CREATE TABLE audit_entries (
                seq INTEGER PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                created_at INTEGER NOT NULL,
                action TEXT NOT NULL,
                actor_id TEXT,
                merchant_id TEXT,
                target_id TEXT,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL,
                data TEXT NOT NULL
            );
            CREATE INDEX ix_audit_entries_actor ON audit_entries (actor_id, seq);
            CREATE INDEX ix_audit_entries_action ON audit_entries (action, seq);
            CREATE INDEX ix_audit_entries_target ON audit_entries (target_id, seq);
            CREATE INDEX ix_audit_entries_merchant ON audit_entries (merchant_id, seq);
            CREATE INDEX ix_audit_entries_created ON audit_entries (created_at, seq);
            CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
            BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
            CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
            BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
            """),
        (9, """
            -- Reports (issue 23). Rollups built from the event log by the leased job report_rollup: 15-minute UTC buckets per
            -- merchant, mode and dimensions (absent dimensions are ''), measures as in ReportMeasures. report_marks holds
            -- the ids of events already counted (kept for the sweep window), report_states what is counted per payment.
            CREATE TABLE report_rollups (
                merchant_id TEXT NOT NULL, livemode INTEGER NOT NULL, bucket INTEGER NOT NULL, currency TEXT NOT NULL,
                provider TEXT NOT NULL, provider_account TEXT NOT NULL, payment_method_type TEXT NOT NULL, card_brand TEXT NOT NULL,
                country TEXT NOT NULL,
                attempted INTEGER NOT NULL DEFAULT 0, authorized INTEGER NOT NULL DEFAULT 0, authorized_amount INTEGER NOT NULL DEFAULT 0, declined INTEGER NOT NULL DEFAULT 0, attempted_unique INTEGER NOT NULL DEFAULT 0, authorized_unique INTEGER NOT NULL DEFAULT 0,
                captured INTEGER NOT NULL DEFAULT 0, captured_amount INTEGER NOT NULL DEFAULT 0, refunds INTEGER NOT NULL DEFAULT 0, refunded_amount INTEGER NOT NULL DEFAULT 0, disputes INTEGER NOT NULL DEFAULT 0, disputed_amount INTEGER NOT NULL DEFAULT 0,
                threeds_challenged INTEGER NOT NULL DEFAULT 0, threeds_succeeded INTEGER NOT NULL DEFAULT 0, canceled INTEGER NOT NULL DEFAULT 0, latency_count INTEGER NOT NULL DEFAULT 0, latency_sum_ms INTEGER NOT NULL DEFAULT 0, lat_00 INTEGER NOT NULL DEFAULT 0,
                lat_01 INTEGER NOT NULL DEFAULT 0, lat_02 INTEGER NOT NULL DEFAULT 0, lat_03 INTEGER NOT NULL DEFAULT 0, lat_04 INTEGER NOT NULL DEFAULT 0, lat_05 INTEGER NOT NULL DEFAULT 0, lat_06 INTEGER NOT NULL DEFAULT 0,
                lat_07 INTEGER NOT NULL DEFAULT 0, lat_08 INTEGER NOT NULL DEFAULT 0, lat_09 INTEGER NOT NULL DEFAULT 0, lat_10 INTEGER NOT NULL DEFAULT 0, lat_11 INTEGER NOT NULL DEFAULT 0, lat_12 INTEGER NOT NULL DEFAULT 0,
                lat_13 INTEGER NOT NULL DEFAULT 0, lat_14 INTEGER NOT NULL DEFAULT 0, lat_15 INTEGER NOT NULL DEFAULT 0, lat_16 INTEGER NOT NULL DEFAULT 0, lat_17 INTEGER NOT NULL DEFAULT 0, lat_18 INTEGER NOT NULL DEFAULT 0,
                lat_19 INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (merchant_id, livemode, bucket, currency, provider, provider_account, payment_method_type, card_brand, country)
            ) WITHOUT ROWID;
            CREATE TABLE report_declines (
                merchant_id TEXT NOT NULL, livemode INTEGER NOT NULL, bucket INTEGER NOT NULL, currency TEXT NOT NULL,
                provider TEXT NOT NULL, provider_account TEXT NOT NULL, payment_method_type TEXT NOT NULL, card_brand TEXT NOT NULL,
                country TEXT NOT NULL, code TEXT NOT NULL, count INTEGER NOT NULL,
                PRIMARY KEY (merchant_id, livemode, bucket, currency, provider, provider_account, payment_method_type, card_brand, country, code)
            ) WITHOUT ROWID;
            CREATE TABLE report_states (key TEXT PRIMARY KEY, flags INTEGER NOT NULL, dimensions TEXT) WITHOUT ROWID;
            CREATE TABLE report_marks (event_id TEXT PRIMARY KEY) WITHOUT ROWID;
            CREATE TABLE report_cursors (name TEXT PRIMARY KEY, position TEXT NOT NULL);
            CREATE TABLE report_settings (merchant_id TEXT PRIMARY KEY, time_zone TEXT NOT NULL);
            -- Exports: CSV jobs (rpt_), leased per row like webhook deliveries; the file lives in the export directory.
            CREATE TABLE exports (
                id TEXT PRIMARY KEY,
                merchant_id TEXT NOT NULL,
                livemode INTEGER NOT NULL,
                status TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                expires_at INTEGER,
                locked_until INTEGER NOT NULL DEFAULT 0,
                lease_holder TEXT,
                data TEXT NOT NULL
            );
            CREATE INDEX ix_exports_merchant ON exports (merchant_id, livemode, id);
            CREATE INDEX ix_exports_open ON exports (created_at) WHERE status IN ('pending', 'running');
            -- Settlement reconciliation: provider settlement lines (stl_), unique per provider account and line key, and payouts.
            CREATE TABLE settlement_lines (
                id TEXT PRIMARY KEY,
                merchant_id TEXT NOT NULL,
                livemode INTEGER NOT NULL,
                provider_account_id TEXT NOT NULL,
                line_key TEXT NOT NULL,
                status TEXT NOT NULL,
                payment_id TEXT,
                refund_id TEXT,
                payout_id TEXT,
                created_at INTEGER NOT NULL,
                data TEXT NOT NULL,
                UNIQUE (provider_account_id, line_key)
            );
            CREATE INDEX ix_settlement_lines_merchant ON settlement_lines (merchant_id, livemode, id);
            CREATE INDEX ix_settlement_lines_payment ON settlement_lines (payment_id) WHERE payment_id IS NOT NULL;
            CREATE INDEX ix_settlement_lines_payout ON settlement_lines (provider_account_id, payout_id);
            CREATE TABLE settlement_payouts (
                id TEXT PRIMARY KEY,
                merchant_id TEXT NOT NULL,
                livemode INTEGER NOT NULL,
                provider_account_id TEXT NOT NULL,
                payout_id TEXT NOT NULL,
                status TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                version INTEGER NOT NULL,
                data TEXT NOT NULL,
                UNIQUE (provider_account_id, payout_id)
            );
            CREATE INDEX ix_settlement_payouts_merchant ON settlement_payouts (merchant_id, livemode, id);
            """),
        (10, """
            -- Customers and saved cards (issue 18). A deleted customer stays as a tombstone (deleted = 1, personal data
            -- cleared). A saved payment method is the tokenized row plus its customer, a version, its card's expiry (for
            -- payment_method.expiring) and the vault-encrypted stored credentials; detaching sets encrypted_number and
            -- credentials to NULL (the card is erased).
            CREATE TABLE customers (
                id TEXT PRIMARY KEY,
                merchant_id TEXT NOT NULL,
                livemode INTEGER NOT NULL,
                email_key TEXT,
                deleted INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER NOT NULL,
                version INTEGER NOT NULL,
                data TEXT NOT NULL
            );
            CREATE INDEX ix_customers_merchant ON customers (merchant_id, livemode, id) WHERE deleted = 0;
            CREATE INDEX ix_customers_email ON customers (merchant_id, livemode, email_key, id) WHERE deleted = 0;
            ALTER TABLE payment_methods ADD COLUMN customer_id TEXT;
            ALTER TABLE payment_methods ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE payment_methods ADD COLUMN expires_at INTEGER;
            ALTER TABLE payment_methods ADD COLUMN expiring_notified INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE payment_methods ADD COLUMN credentials TEXT;
            CREATE INDEX ix_payment_methods_customer ON payment_methods (customer_id, id) WHERE customer_id IS NOT NULL;
            CREATE INDEX ix_payment_methods_expiring ON payment_methods (expires_at) WHERE customer_id IS NOT NULL AND expiring_notified = 0;
            """),
        (11, """
            -- Disputes (issue 19): one row per provider dispute (unique per provider), the dispute as JSON; evidence files
            -- hold the vault ciphertext of their bytes, never clear content; the simulated provider's scheduled notices;
            -- and the payment lookup by provider reference that dispute notifications need.
            CREATE TABLE disputes (
                id TEXT PRIMARY KEY,
                merchant_id TEXT NOT NULL,
                livemode INTEGER NOT NULL,
                payment_id TEXT NOT NULL,
                provider TEXT NOT NULL,
                provider_dispute_id TEXT NOT NULL,
                status TEXT NOT NULL,
                evidence_due_by INTEGER,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                version INTEGER NOT NULL,
                data TEXT NOT NULL,
                UNIQUE (provider, provider_dispute_id)
            );
            CREATE INDEX ix_disputes_merchant ON disputes (merchant_id, livemode, id);
            CREATE INDEX ix_disputes_payment ON disputes (payment_id, id);
            CREATE INDEX ix_disputes_due ON disputes (evidence_due_by)
                WHERE status IN ('warning_needs_response', 'needs_response', 'prearbitration_needs_response');
            CREATE INDEX ix_disputes_open ON disputes (provider, updated_at)
                WHERE status IN ('warning_needs_response', 'warning_under_review', 'needs_response', 'under_review', 'prearbitration_needs_response', 'prearbitration_under_review');
            CREATE TABLE dispute_files (
                id TEXT PRIMARY KEY,
                dispute_id TEXT NOT NULL,
                merchant_id TEXT NOT NULL,
                livemode INTEGER NOT NULL,
                content TEXT NOT NULL,
                created_at INTEGER NOT NULL
            );
            CREATE INDEX ix_dispute_files_dispute ON dispute_files (dispute_id);
            CREATE TABLE simulator_dispute_notices (
                id TEXT PRIMARY KEY,
                due_at INTEGER NOT NULL,
                data TEXT NOT NULL
            );
            CREATE INDEX ix_simulator_dispute_notices_due ON simulator_dispute_notices (due_at, id);
            CREATE INDEX ix_payments_provider_reference ON payments (merchant_id, livemode, json_extract(data, '$.provider_reference'))
                WHERE json_extract(data, '$.provider_reference') IS NOT NULL;
            """),

        // ---- issue 21 (o21b): API key lifecycle ----
        (12, """
            -- API key lifecycle (issue 21): the last use in its own column (written at most once a minute per key and
            -- node, without rewriting the key's JSON), a version for the version-checked roll and revoke, and the list
            -- of a merchant's keys.
            ALTER TABLE api_keys ADD COLUMN last_used_at INTEGER;
            ALTER TABLE api_keys ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
            CREATE INDEX ix_api_keys_merchant ON api_keys (merchant_id, id);
            """),

        // ---- issue 21 (o21c): named admin keys ----
        (13, """
            -- Named admin keys (issue 21): hashed like merchant keys, with their last use and a version for the
            -- version-checked roll and revoke. They belong to no merchant.
            CREATE TABLE admin_keys (
                id TEXT PRIMARY KEY,
                key_hash TEXT NOT NULL UNIQUE,
                last_used_at INTEGER,
                version INTEGER NOT NULL DEFAULT 0,
                data TEXT NOT NULL
            );
            """),

        // ---- r23: dispute outcomes in the report rollups ----
        (14, """
            -- Dispute outcomes in the rollups (issue 19 in reports, r23): won / lost / accepted counts and amounts per
            -- bucket. The rollups are emptied so the report job counts the whole event log again on its next pass
            -- (the backfill it does on a first start): disputes decided before this migration get their outcomes too.
            ALTER TABLE report_rollups ADD COLUMN disputes_won INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE report_rollups ADD COLUMN disputes_won_amount INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE report_rollups ADD COLUMN disputes_lost INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE report_rollups ADD COLUMN disputes_lost_amount INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE report_rollups ADD COLUMN disputes_accepted INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE report_rollups ADD COLUMN disputes_accepted_amount INTEGER NOT NULL DEFAULT 0;
            DELETE FROM report_rollups; DELETE FROM report_declines; DELETE FROM report_states; DELETE FROM report_marks; DELETE FROM report_cursors;
            """),

        // ---- issue 17 (c17a): the console's direct-debit batch page ----
        (15, """
            -- The debits of one collection file (the console's batch page): by the batch id in the payment's JSON.
            CREATE INDEX ix_payments_direct_debit_batch ON payments (json_extract(data, '$.direct_debit.batch_id'), id)
                WHERE json_extract(data, '$.direct_debit.batch_id') IS NOT NULL;
            """),

        // ---- issue 17 (c17b): the console's list pages on 1,000,000 payments (bench/console-lists.sh) ----
        (16, """
            -- Payments by customer and by payment method, newest first, without reading the merchant's other payments.
            CREATE INDEX ix_payments_customer ON payments (merchant_id, livemode, json_extract(data, '$.customer'), id);
            -- The payment method as a (virtual, generated) column: SQLite uses an index on it for IN (…), which it does
            -- not for an expression index; the card last 4 filter goes through it.
            ALTER TABLE payments ADD COLUMN payment_method_id TEXT GENERATED ALWAYS AS (json_extract(data, '$.payment_method_id')) VIRTUAL;
            CREATE INDEX ix_payments_payment_method ON payments (merchant_id, livemode, payment_method_id, id);
            -- A day (or any creation range) of a merchant's payments; an amount range within a currency.
            CREATE INDEX ix_payments_created ON payments (merchant_id, livemode, created_at);
            CREATE INDEX ix_payments_currency_amount ON payments (merchant_id, livemode, json_extract(data, '$.currency'), json_extract(data, '$.amount'));
            -- Payment methods by card last 4 (the card filter starts from the few methods with those digits).
            CREATE INDEX ix_payment_methods_last4 ON payment_methods (merchant_id, livemode, json_extract(data, '$.card.last4'));
            -- Events of one type, newest first (rare types would otherwise read every event of the merchant).
            CREATE INDEX ix_events_type ON events (merchant_id, livemode, type, id);
            CREATE INDEX ix_events_created ON events (merchant_id, livemode, created_at);
            -- Metadata values, kept by triggers: "any metadata key with this value" (an order id) is one index lookup.
            CREATE TABLE payment_metadata_values (
                payment_id TEXT NOT NULL,
                value TEXT NOT NULL
            );
            CREATE INDEX ix_payment_metadata_values_value ON payment_metadata_values (value, payment_id);
            CREATE INDEX ix_payment_metadata_values_payment ON payment_metadata_values (payment_id);
            CREATE TRIGGER payments_metadata_insert AFTER INSERT ON payments
            BEGIN
                INSERT INTO payment_metadata_values (payment_id, value)
                    SELECT DISTINCT NEW.id, m.value FROM json_each(NEW.data, '$.metadata') m WHERE m.type = 'text';
            END;
            CREATE TRIGGER payments_metadata_update AFTER UPDATE OF data ON payments
                WHEN json_extract(OLD.data, '$.metadata') IS NOT json_extract(NEW.data, '$.metadata')
            BEGIN
                DELETE FROM payment_metadata_values WHERE payment_id = OLD.id;
                INSERT INTO payment_metadata_values (payment_id, value)
                    SELECT DISTINCT NEW.id, m.value FROM json_each(NEW.data, '$.metadata') m WHERE m.type = 'text';
            END;
            INSERT INTO payment_metadata_values (payment_id, value)
                SELECT DISTINCT p.id, m.value FROM payments p, json_each(p.data, '$.metadata') m WHERE m.type = 'text';
            """),

        // ---- issue 20 (p20): the payment write path, cheaper ----
        (17, """
            -- The stores write a payment's metadata value rows in the payment's own commit (PaymentMetadataValues): the
            -- triggers parsed the payment's JSON on every insert and update, nearly tripling SQLite's CPU for an insert
            -- (bench/RESULTS.md). The rows they wrote stay as they are.
            DROP TRIGGER payments_metadata_insert;
            DROP TRIGGER payments_metadata_update;
            """),
    ];
}
