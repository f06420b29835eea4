namespace PaymentGateway.Storage.Postgres;

/// <summary>
/// The migrations of the features added after the payments engine (listed in order in <see cref="PostgresSchema.Migrations"/>),
/// one constant per feature so the schema class stays a list.
/// </summary>
internal static class PostgresFeatureSchema
{
    /// <summary>Migration 9: Reports (issue 23): rollups, exports, settlements.</summary>
    public const string Reports = """
            -- Reports (issue 23). Rollups built from the event log by the leased job report_rollup: 15-minute UTC buckets per
            -- merchant, mode and dimensions (absent dimensions are ''), measures as in ReportMeasures. report_marks holds
            -- the ids of events already counted (kept for the sweep window), report_states what is counted per payment.
            CREATE TABLE report_rollups (
                merchant_id text COLLATE "C" NOT NULL, livemode boolean NOT NULL, bucket bigint NOT NULL, currency text COLLATE "C" NOT NULL,
                provider text COLLATE "C" NOT NULL, provider_account text COLLATE "C" NOT NULL, payment_method_type text COLLATE "C" NOT NULL,
                card_brand text COLLATE "C" NOT NULL, country text COLLATE "C" NOT NULL,
                attempted bigint NOT NULL DEFAULT 0, authorized bigint NOT NULL DEFAULT 0, authorized_amount bigint NOT NULL DEFAULT 0, declined bigint NOT NULL DEFAULT 0, attempted_unique bigint NOT NULL DEFAULT 0, authorized_unique bigint NOT NULL DEFAULT 0,
                captured bigint NOT NULL DEFAULT 0, captured_amount bigint NOT NULL DEFAULT 0, refunds bigint NOT NULL DEFAULT 0, refunded_amount bigint NOT NULL DEFAULT 0, disputes bigint NOT NULL DEFAULT 0, disputed_amount bigint NOT NULL DEFAULT 0,
                threeds_challenged bigint NOT NULL DEFAULT 0, threeds_succeeded bigint NOT NULL DEFAULT 0, canceled bigint NOT NULL DEFAULT 0, latency_count bigint NOT NULL DEFAULT 0, latency_sum_ms bigint NOT NULL DEFAULT 0, lat_00 bigint NOT NULL DEFAULT 0,
                lat_01 bigint NOT NULL DEFAULT 0, lat_02 bigint NOT NULL DEFAULT 0, lat_03 bigint NOT NULL DEFAULT 0, lat_04 bigint NOT NULL DEFAULT 0, lat_05 bigint NOT NULL DEFAULT 0, lat_06 bigint NOT NULL DEFAULT 0,
                lat_07 bigint NOT NULL DEFAULT 0, lat_08 bigint NOT NULL DEFAULT 0, lat_09 bigint NOT NULL DEFAULT 0, lat_10 bigint NOT NULL DEFAULT 0, lat_11 bigint NOT NULL DEFAULT 0, lat_12 bigint NOT NULL DEFAULT 0,
                lat_13 bigint NOT NULL DEFAULT 0, lat_14 bigint NOT NULL DEFAULT 0, lat_15 bigint NOT NULL DEFAULT 0, lat_16 bigint NOT NULL DEFAULT 0, lat_17 bigint NOT NULL DEFAULT 0, lat_18 bigint NOT NULL DEFAULT 0,
                lat_19 bigint NOT NULL DEFAULT 0,
                PRIMARY KEY (merchant_id, livemode, bucket, currency, provider, provider_account, payment_method_type, card_brand, country)
            );
            CREATE TABLE report_declines (
                merchant_id text COLLATE "C" NOT NULL, livemode boolean NOT NULL, bucket bigint NOT NULL, currency text COLLATE "C" NOT NULL,
                provider text COLLATE "C" NOT NULL, provider_account text COLLATE "C" NOT NULL, payment_method_type text COLLATE "C" NOT NULL,
                card_brand text COLLATE "C" NOT NULL, country text COLLATE "C" NOT NULL, code text COLLATE "C" NOT NULL, count bigint NOT NULL,
                PRIMARY KEY (merchant_id, livemode, bucket, currency, provider, provider_account, payment_method_type, card_brand, country, code)
            );
            CREATE TABLE report_states (key text COLLATE "C" PRIMARY KEY, flags integer NOT NULL, dimensions text);
            CREATE TABLE report_marks (event_id text COLLATE "C" PRIMARY KEY);
            CREATE TABLE report_cursors (name text PRIMARY KEY, position text COLLATE "C" NOT NULL);
            CREATE TABLE report_settings (merchant_id text COLLATE "C" PRIMARY KEY, time_zone text NOT NULL);
            -- Exports: CSV jobs (rpt_), leased per row like webhook deliveries; the file lives in the export directory.
            CREATE TABLE exports (
                id text COLLATE "C" PRIMARY KEY,
                merchant_id text COLLATE "C" NOT NULL,
                livemode boolean NOT NULL,
                status text NOT NULL,
                created_at bigint NOT NULL,
                updated_at bigint NOT NULL,
                expires_at bigint,
                locked_until bigint NOT NULL DEFAULT 0,
                lease_holder text,
                data jsonb NOT NULL
            );
            CREATE INDEX ix_exports_merchant ON exports (merchant_id, livemode, id);
            CREATE INDEX ix_exports_open ON exports (created_at) WHERE status IN ('pending', 'running');
            -- Settlement reconciliation: provider settlement lines (stl_), unique per provider account and line key, and payouts.
            CREATE TABLE settlement_lines (
                id text COLLATE "C" PRIMARY KEY,
                merchant_id text COLLATE "C" NOT NULL,
                livemode boolean NOT NULL,
                provider_account_id text COLLATE "C" NOT NULL,
                line_key text COLLATE "C" NOT NULL,
                status text NOT NULL,
                payment_id text COLLATE "C",
                refund_id text COLLATE "C",
                payout_id text COLLATE "C",
                created_at bigint NOT NULL,
                data jsonb NOT NULL,
                UNIQUE (provider_account_id, line_key)
            );
            CREATE INDEX ix_settlement_lines_merchant ON settlement_lines (merchant_id, livemode, id);
            CREATE INDEX ix_settlement_lines_payment ON settlement_lines (payment_id) WHERE payment_id IS NOT NULL;
            CREATE INDEX ix_settlement_lines_payout ON settlement_lines (provider_account_id, payout_id);
            CREATE TABLE settlement_payouts (
                id text COLLATE "C" PRIMARY KEY,
                merchant_id text COLLATE "C" NOT NULL,
                livemode boolean NOT NULL,
                provider_account_id text COLLATE "C" NOT NULL,
                payout_id text COLLATE "C" NOT NULL,
                status text NOT NULL,
                created_at bigint NOT NULL,
                version bigint NOT NULL,
                data jsonb NOT NULL,
                UNIQUE (provider_account_id, payout_id)
            );
            CREATE INDEX ix_settlement_payouts_merchant ON settlement_payouts (merchant_id, livemode, id);

            -- The reporting schema for BI tools (docs/reporting.md): read-only views, versioned by the schema's name; a
            -- column never changes meaning within reporting_v1. The role paymentgateway_reporting may read these views
            -- and nothing else; give it to a login role for Metabase, Superset or Power BI.
            CREATE SCHEMA reporting_v1;
            CREATE VIEW reporting_v1.payments AS
                SELECT p.id, p.merchant_id, p.livemode, p.status,
                       (p.data->>'amount')::bigint AS amount, p.data->>'currency' AS currency,
                       COALESCE((p.data->>'amount_capturable')::bigint, 0) AS amount_capturable,
                       COALESCE((p.data->>'amount_received')::bigint, 0) AS amount_received,
                       COALESCE((p.data->>'amount_refunded')::bigint, 0) AS amount_refunded,
                       p.data->>'capture_method' AS capture_method,
                       COALESCE(p.data->>'payment_method_type', 'card') AS payment_method_type,
                       p.data->>'provider' AS provider,
                       p.data->'attempts'->-1->>'provider_account_id' AS provider_account,
                       pm.data->'card'->>'brand' AS card_brand,
                       upper(p.data->'metadata'->>'country') AS country,
                       p.data->>'customer' AS customer,
                       p.data->>'description' AS description,
                       p.data->'last_payment_error'->>'code' AS failure_code,
                       p.data->'last_payment_error'->>'decline_code' AS decline_code,
                       p.data->'metadata' AS metadata,
                       to_timestamp(p.created_at / 1000.0) AS created_at,
                       to_timestamp(p.updated_at / 1000.0) AS updated_at
                FROM public.payments p LEFT JOIN public.payment_methods pm ON pm.id = p.data->>'payment_method_id';
            CREATE VIEW reporting_v1.refunds AS
                SELECT r.id, r.merchant_id, r.livemode, r.payment_id, r.status,
                       (r.data->>'amount')::bigint AS amount, r.data->>'currency' AS currency,
                       r.data->>'reason' AS reason, r.data->>'failure_reason' AS failure_reason,
                       to_timestamp(r.created_at / 1000.0) AS created_at, to_timestamp(r.updated_at / 1000.0) AS updated_at
                FROM public.refunds r;
            CREATE VIEW reporting_v1.attempts AS
                SELECT a.value->>'id' AS id, p.id AS payment_id, p.merchant_id, p.livemode, a.ordinality::integer AS sequence,
                       a.value->>'provider' AS provider, a.value->>'provider_account_id' AS provider_account,
                       a.value->>'status' AS status, a.value->>'decline_code' AS decline_code,
                       a.value->>'provider_reference' AS provider_reference,
                       (a.value->>'latency_ms')::integer AS latency_ms,
                       (a.value->>'created')::timestamptz AS created_at, (a.value->>'updated')::timestamptz AS updated_at
                FROM public.payments p CROSS JOIN LATERAL jsonb_array_elements(COALESCE(p.data->'attempts', '[]'::jsonb)) WITH ORDINALITY AS a(value, ordinality);
            CREATE VIEW reporting_v1.events AS
                SELECT e.id, e.merchant_id, e.livemode, e.type, e.object_id, to_timestamp(e.created_at / 1000.0) AS created_at, e.data
                FROM public.events e;
            CREATE VIEW reporting_v1.settlement_lines AS
                SELECT s.id, s.merchant_id, s.livemode, s.provider_account_id AS provider_account, s.data->>'provider' AS provider,
                       s.status, s.data->>'type' AS type, s.payment_id, s.refund_id, s.payout_id,
                       (s.data->>'payout_date')::date AS payout_date, s.data->>'currency' AS currency,
                       (s.data->>'gross')::bigint AS gross, (s.data->>'fee')::bigint AS fee, (s.data->>'net')::bigint AS net,
                       s.data->'fees' AS fees, s.data->>'provider_reference' AS provider_reference,
                       to_timestamp(s.created_at / 1000.0) AS imported_at
                FROM public.settlement_lines s;
            CREATE VIEW reporting_v1.settlement_payouts AS
                SELECT o.id, o.merchant_id, o.livemode, o.provider_account_id AS provider_account, o.payout_id, o.status,
                       (o.data->>'payout_date')::date AS payout_date, o.data->>'currency' AS currency,
                       (o.data->>'gross')::bigint AS gross, (o.data->>'fee')::bigint AS fee, (o.data->>'net')::bigint AS net,
                       (o.data->>'line_count')::integer AS line_count, (o.data->>'unmatched_count')::integer AS unmatched_count,
                       (o.data->>'reconciled_at')::timestamptz AS reconciled_at
                FROM public.settlement_payouts o;
            CREATE VIEW reporting_v1.daily_rollups AS
                SELECT r.merchant_id, r.livemode,
                       (to_timestamp(r.bucket / 1000.0) AT TIME ZONE COALESCE(s.time_zone, 'UTC'))::date AS day,
                       COALESCE(s.time_zone, 'UTC') AS time_zone,
                       r.currency, NULLIF(r.provider, '') AS provider, NULLIF(r.provider_account, '') AS provider_account,
                       r.payment_method_type, NULLIF(r.card_brand, '') AS card_brand, NULLIF(r.country, '') AS country,
                       SUM(r.attempted) AS attempted, SUM(r.authorized) AS authorized, SUM(r.authorized_amount) AS authorized_amount,
                       SUM(r.declined) AS declined, SUM(r.attempted_unique) AS attempted_unique, SUM(r.authorized_unique) AS authorized_unique,
                       SUM(r.captured) AS captured, SUM(r.captured_amount) AS captured_amount, SUM(r.refunds) AS refunds,
                       SUM(r.refunded_amount) AS refunded_amount, SUM(r.disputes) AS disputes, SUM(r.disputed_amount) AS disputed_amount,
                       SUM(r.threeds_challenged) AS threeds_challenged, SUM(r.threeds_succeeded) AS threeds_succeeded,
                       SUM(r.canceled) AS canceled, SUM(r.latency_count) AS latency_count, SUM(r.latency_sum_ms) AS latency_sum_ms
                FROM public.report_rollups r LEFT JOIN public.report_settings s ON s.merchant_id = r.merchant_id
                GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
            DO $$
            BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'paymentgateway_reporting') THEN
                    CREATE ROLE paymentgateway_reporting NOLOGIN;
                END IF;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL; -- another database on this server created it at the same moment (roles are per server)
            END
            $$;
            GRANT USAGE ON SCHEMA reporting_v1 TO paymentgateway_reporting;
            GRANT SELECT ON ALL TABLES IN SCHEMA reporting_v1 TO paymentgateway_reporting;
        """;

    /// <summary>
    /// Migration 14 (r23): dispute outcomes in the rollups, added at the end of <c>reporting_v1.daily_rollups</c> (new
    /// columns at the end keep every existing column's meaning; the view keeps its grants).
    /// </summary>
    public const string ReportDisputeOutcomes = """
            -- Dispute outcomes in the rollups (issue 19 in reports, r23): won / lost / accepted counts and amounts per
            -- bucket. The rollups are emptied so the report job counts the whole event log again on its next pass
            -- (the backfill it does on a first start): disputes decided before this migration get their outcomes too.
            ALTER TABLE report_rollups ADD COLUMN disputes_won bigint NOT NULL DEFAULT 0;
            ALTER TABLE report_rollups ADD COLUMN disputes_won_amount bigint NOT NULL DEFAULT 0;
            ALTER TABLE report_rollups ADD COLUMN disputes_lost bigint NOT NULL DEFAULT 0;
            ALTER TABLE report_rollups ADD COLUMN disputes_lost_amount bigint NOT NULL DEFAULT 0;
            ALTER TABLE report_rollups ADD COLUMN disputes_accepted bigint NOT NULL DEFAULT 0;
            ALTER TABLE report_rollups ADD COLUMN disputes_accepted_amount bigint NOT NULL DEFAULT 0;
            DELETE FROM report_rollups; DELETE FROM report_declines; DELETE FROM report_states; DELETE FROM report_marks; DELETE FROM report_cursors;
            CREATE OR REPLACE VIEW reporting_v1.daily_rollups AS
                SELECT r.merchant_id, r.livemode,
                       (to_timestamp(r.bucket / 1000.0) AT TIME ZONE COALESCE(s.time_zone, 'UTC'))::date AS day,
                       COALESCE(s.time_zone, 'UTC') AS time_zone,
                       r.currency, NULLIF(r.provider, '') AS provider, NULLIF(r.provider_account, '') AS provider_account,
                       r.payment_method_type, NULLIF(r.card_brand, '') AS card_brand, NULLIF(r.country, '') AS country,
                       SUM(r.attempted) AS attempted, SUM(r.authorized) AS authorized, SUM(r.authorized_amount) AS authorized_amount,
                       SUM(r.declined) AS declined, SUM(r.attempted_unique) AS attempted_unique, SUM(r.authorized_unique) AS authorized_unique,
                       SUM(r.captured) AS captured, SUM(r.captured_amount) AS captured_amount, SUM(r.refunds) AS refunds,
                       SUM(r.refunded_amount) AS refunded_amount, SUM(r.disputes) AS disputes, SUM(r.disputed_amount) AS disputed_amount,
                       SUM(r.threeds_challenged) AS threeds_challenged, SUM(r.threeds_succeeded) AS threeds_succeeded,
                       SUM(r.canceled) AS canceled, SUM(r.latency_count) AS latency_count, SUM(r.latency_sum_ms) AS latency_sum_ms,
                       SUM(r.disputes_won) AS disputes_won, SUM(r.disputes_won_amount) AS disputes_won_amount,
                       SUM(r.disputes_lost) AS disputes_lost, SUM(r.disputes_lost_amount) AS disputes_lost_amount,
                       SUM(r.disputes_accepted) AS disputes_accepted, SUM(r.disputes_accepted_amount) AS disputes_accepted_amount
                FROM public.report_rollups r LEFT JOIN public.report_settings s ON s.merchant_id = r.merchant_id
                GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
            GRANT SELECT ON reporting_v1.daily_rollups TO paymentgateway_reporting;
        """;

    /// <summary>Migration 10: Customers and saved cards (issue 18).</summary>
    public const string Customers = """
            -- Customers and saved cards (issue 18). A deleted customer stays as a tombstone (deleted, personal data
            -- cleared). A saved payment method is the tokenized row plus its customer, a version, its card's expiry (for
            -- payment_method.expiring) and the vault-encrypted stored credentials; detaching sets encrypted_number and
            -- credentials to NULL (the card is erased).
            CREATE TABLE customers (
                id text COLLATE "C" PRIMARY KEY,
                merchant_id text COLLATE "C" NOT NULL,
                livemode boolean NOT NULL,
                email_key text COLLATE "C",
                deleted boolean NOT NULL DEFAULT false,
                created_at bigint NOT NULL,
                version bigint NOT NULL,
                data jsonb NOT NULL
            );
            CREATE INDEX ix_customers_merchant ON customers (merchant_id, livemode, id) WHERE NOT deleted;
            CREATE INDEX ix_customers_email ON customers (merchant_id, livemode, email_key, id) WHERE NOT deleted;
            ALTER TABLE payment_methods ADD COLUMN customer_id text COLLATE "C";
            ALTER TABLE payment_methods ADD COLUMN version bigint NOT NULL DEFAULT 0;
            ALTER TABLE payment_methods ADD COLUMN expires_at bigint;
            ALTER TABLE payment_methods ADD COLUMN expiring_notified boolean NOT NULL DEFAULT false;
            ALTER TABLE payment_methods ADD COLUMN credentials text;
            CREATE INDEX ix_payment_methods_customer ON payment_methods (customer_id, id) WHERE customer_id IS NOT NULL;
            CREATE INDEX ix_payment_methods_expiring ON payment_methods (expires_at) WHERE customer_id IS NOT NULL AND NOT expiring_notified;
        """;

    /// <summary>Migration 11: Disputes (issue 19).</summary>
    public const string Disputes = """
            -- Disputes (issue 19): one row per provider dispute (unique per provider), the dispute as jsonb; evidence files
            -- hold the vault ciphertext of their bytes, never clear content; the simulated provider's scheduled notices;
            -- and the payment lookup by provider reference that dispute notifications need.
            CREATE TABLE disputes (
                id text COLLATE "C" PRIMARY KEY,
                merchant_id text NOT NULL,
                livemode boolean NOT NULL,
                payment_id text NOT NULL,
                provider text NOT NULL,
                provider_dispute_id text COLLATE "C" NOT NULL,
                status text NOT NULL,
                evidence_due_by bigint,
                created_at bigint NOT NULL,
                updated_at bigint NOT NULL,
                version bigint NOT NULL,
                data jsonb NOT NULL,
                UNIQUE (provider, provider_dispute_id)
            );
            CREATE INDEX ix_disputes_merchant ON disputes (merchant_id, livemode, id);
            CREATE INDEX ix_disputes_payment ON disputes (payment_id, id);
            CREATE INDEX ix_disputes_due ON disputes (evidence_due_by)
                WHERE status IN ('warning_needs_response', 'needs_response', 'prearbitration_needs_response');
            CREATE INDEX ix_disputes_open ON disputes (provider, updated_at)
                WHERE status IN ('warning_needs_response', 'warning_under_review', 'needs_response', 'under_review', 'prearbitration_needs_response', 'prearbitration_under_review');
            CREATE TABLE dispute_files (
                id text COLLATE "C" PRIMARY KEY,
                dispute_id text NOT NULL,
                merchant_id text NOT NULL,
                livemode boolean NOT NULL,
                content text NOT NULL,
                created_at bigint NOT NULL
            );
            CREATE INDEX ix_dispute_files_dispute ON dispute_files (dispute_id);
            CREATE TABLE simulator_dispute_notices (
                id text COLLATE "C" PRIMARY KEY,
                due_at bigint NOT NULL,
                data jsonb NOT NULL
            );
            CREATE INDEX ix_simulator_dispute_notices_due ON simulator_dispute_notices (due_at, id);
            CREATE INDEX ix_payments_provider_reference ON payments (merchant_id, livemode, ((data->>'provider_reference') COLLATE "C"))
                WHERE data->>'provider_reference' IS NOT NULL;
        """;
}
