using System.Text.Json;
using Npgsql;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.StorageRows;
using static PaymentGateway.Storage.Postgres.PostgresSql;

namespace PaymentGateway.Storage.Postgres;

/// <summary>Bank transfers on PostgreSQL: creditor references, imported statements and their entries; one transaction per change set.</summary>
public sealed class PostgresBankTransferStore(PostgresDatabase database) : IBankTransferStore
{
    public async Task CommitBankTransfersAsync(BankTransferChanges changes, CancellationToken cancellationToken)
    {
        var batch = new CheckedBatch();

        PostgresRows.AddPayments(batch, changes.NewPayments, changes.UpdatedPayments);

        foreach (var r in changes.NewReferences)
        {
            batch.Add(Cmd("INSERT INTO bank_transfer_references (reference, merchant_id, livemode, payment_id, expires_at) VALUES ($1, $2, $3, $4, $5);",
                P(r.Reference), P(r.MerchantId), P(r.Livemode), P(r.PaymentId), P(r.ExpiresAt.ToUnixTimeMilliseconds())));
        }

        foreach (var reference in changes.ClosedReferences)
        {
            batch.Add(Cmd("UPDATE bank_transfer_references SET closed = true WHERE reference = $1;", P(reference)));
        }

        foreach (var s in changes.NewStatements)
        {
            batch.Add(Cmd("INSERT INTO bank_statements (id, merchant_id, livemode, statement_key, created_at, data) VALUES ($1, $2, $3, $4, $5, $6);",
                P(s.Id), P(s.MerchantId), P(s.Livemode), P(s.StatementKey), P(s.Created.ToUnixTimeMilliseconds()),
                Jsonb(JsonSerializer.Serialize(s, BankTransferStorageJsonContext.Default.BankStatement))));
        }

        foreach (var e in changes.NewEntries)
        {
            batch.Add(Cmd("""
                INSERT INTO bank_statement_entries (id, merchant_id, livemode, statement_id, entry_key, status, payment_id, created_at, version, data)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10);
                """,
                P(e.Id), P(e.MerchantId), P(e.Livemode), P(e.StatementId), P(e.EntryKey), P(e.Status.ToWire()), Text(e.PaymentId),
                P(e.Created.ToUnixTimeMilliseconds()), P(e.Version), Jsonb(JsonSerializer.Serialize(e, BankTransferStorageJsonContext.Default.BankStatementEntry))));
        }

        foreach (var e in changes.UpdatedEntries)
        {
            batch.AddVersionChecked(Cmd("UPDATE bank_statement_entries SET status = $2, payment_id = $3, version = $4 + 1, data = $5 WHERE id = $1 AND version = $4;",
                P(e.Id), P(e.Status.ToWire()), Text(e.PaymentId), P(e.Version), Jsonb(JsonSerializer.Serialize(e, BankTransferStorageJsonContext.Default.BankStatementEntry))), e.Id);
        }

        foreach (var e in changes.Events)
        {
            batch.Add(PostgresRows.InsertEvent(e));
        }

        batch.Audit.AddRange(changes.AuditRecords);

        // Another import wrote the same statement, entry or reference first (or a deadlock chose this one): the
        // transaction is rolled back whole, as when a version check fails.
        await database.ExecuteAsync(batch, e => e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure
            ? changes.ConflictObjectId : null, cancellationToken).ConfigureAwait(false);

        changes.MarkCommitted();
    }

    public Task<string?> FindPaymentIdByBankReferenceAsync(string merchantId, bool livemode, string reference, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT payment_id FROM bank_transfer_references WHERE reference = $1 AND merchant_id = $2 AND livemode = $3;",
            [P(reference), P(merchantId), P(livemode)], r => r.GetString(0), cancellationToken);

    public Task<BankStatement?> GetBankStatementAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync($"SELECT {BankStatementSql.Columns} FROM bank_statements WHERE id = $1 AND merchant_id = $2 AND livemode = $3;",
            [P(id), P(merchantId), P(livemode)], ReadStatement, cancellationToken);

    public Task<BankStatement?> FindBankStatementByKeyAsync(string merchantId, bool livemode, string statementKey, CancellationToken cancellationToken) =>
        database.QuerySingleAsync($"SELECT {BankStatementSql.Columns} FROM bank_statements WHERE statement_key = $1 AND merchant_id = $2 AND livemode = $3;",
            [P(statementKey), P(merchantId), P(livemode)], ReadStatement, cancellationToken);

    public Task<IReadOnlyList<BankStatement>> ListBankStatementsAsync(string merchantId, bool livemode, ListQuery query, CancellationToken cancellationToken)
    {
        var sql = SqlFilter.Scope(merchantId, livemode);
        return database.ListAsync("bank_statements", BankStatementSql.Columns, sql, query, ReadStatement, cancellationToken);
    }

    public Task<BankStatementEntry?> GetBankStatementEntryAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, version FROM bank_statement_entries WHERE id = $1 AND merchant_id = $2 AND livemode = $3;",
            [P(id), P(merchantId), P(livemode)], ReadEntry, cancellationToken);

    public Task<IReadOnlyList<BankStatementEntry>> ListBankStatementEntriesAsync(string merchantId, bool livemode, BankStatementEntryListQuery query, CancellationToken cancellationToken)
    {
        var sql = SqlFilter.Scope(merchantId, livemode);
        if (query.Status is { } status)
        {
            sql.Add("status = {0}", P(status.ToWire()));
        }

        if (query.StatementId is not null)
        {
            sql.Add("statement_id = {0}", P(query.StatementId));
        }

        return database.ListAsync("bank_statement_entries", "data, version", sql, query, ReadEntry, cancellationToken);
    }

    public async Task<IReadOnlySet<string>> FindExistingBankEntryKeysAsync(string merchantId, bool livemode, IReadOnlyCollection<string> entryKeys, CancellationToken cancellationToken)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        if (entryKeys.Count == 0)
        {
            return found;
        }

        var rows = await database.QueryListAsync("SELECT entry_key FROM bank_statement_entries WHERE merchant_id = $1 AND livemode = $2 AND entry_key = ANY($3);",
            [P(merchantId), P(livemode), P(entryKeys.Distinct(StringComparer.Ordinal).ToArray())], r => r.GetString(0), cancellationToken).ConfigureAwait(false);
        found.UnionWith(rows);
        return found;
    }

    public Task<IReadOnlyList<Payment>> ListExpiredBankTransfersAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        database.QueryListAsync("""
            SELECT p.data, p.version FROM bank_transfer_references r JOIN payments p ON p.id = r.payment_id
            WHERE NOT r.closed AND r.expires_at < $1 ORDER BY r.expires_at LIMIT $2;
            """,
            [P(now.ToUnixTimeMilliseconds()), P(limit)], ReadPayment, cancellationToken);
}
