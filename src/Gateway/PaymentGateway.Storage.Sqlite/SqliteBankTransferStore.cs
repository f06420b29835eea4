using System.Text.Json;
using Microsoft.Data.Sqlite;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.StorageRows;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>Bank transfers on SQLite: creditor references, imported statements and their entries; one writer unit per change set.</summary>
public sealed class SqliteBankTransferStore(SqliteDatabase database) : IBankTransferStore
{
    public async Task CommitBankTransfersAsync(BankTransferChanges changes, CancellationToken cancellationToken)
    {
        var newPayments = changes.NewPayments.Select(p => (p, SqliteRows.Json(p))).ToList();
        var updatedPayments = changes.UpdatedPayments.Select(p => (p, SqliteRows.Json(p))).ToList();
        var statements = changes.NewStatements.Select(s => (s, JsonSerializer.Serialize(s, BankTransferStorageJsonContext.Default.BankStatement))).ToList();
        var newEntries = changes.NewEntries.Select(e => (e, JsonSerializer.Serialize(e, BankTransferStorageJsonContext.Default.BankStatementEntry))).ToList();
        var updatedEntries = changes.UpdatedEntries.Select(e => (e, JsonSerializer.Serialize(e, BankTransferStorageJsonContext.Default.BankStatementEntry))).ToList();
        // A statement, entry or reference another import wrote first: nothing of this change set was written.
        await database.CommitChangesAsync(changes, ctx =>
        {
            foreach (var (p, json) in newPayments)
            {
                SqliteRows.InsertPayment(ctx, p, json);
            }

            foreach (var (p, json) in updatedPayments)
            {
                SqliteRows.UpdatePayment(ctx, p, json);
            }

            foreach (var r in changes.NewReferences)
            {
                var c = ctx.Command("INSERT INTO bank_transfer_references (reference, merchant_id, livemode, payment_id, expires_at) VALUES ($r, $m, $l, $p, $e);");
                c.Parameters.AddWithValue("$r", r.Reference);
                c.Parameters.AddWithValue("$m", r.MerchantId);
                c.Parameters.AddWithValue("$l", r.Livemode ? 1 : 0);
                c.Parameters.AddWithValue("$p", r.PaymentId);
                c.Parameters.AddWithValue("$e", r.ExpiresAt.ToUnixTimeMilliseconds());
                c.ExecuteNonQuery();
            }

            foreach (var reference in changes.ClosedReferences)
            {
                var c = ctx.Command("UPDATE bank_transfer_references SET closed = 1 WHERE reference = $r;");
                c.Parameters.AddWithValue("$r", reference);
                c.ExecuteNonQuery();
            }

            foreach (var (s, json) in statements)
            {
                var c = ctx.Command("INSERT INTO bank_statements (id, merchant_id, livemode, statement_key, created_at, data) VALUES ($id, $m, $l, $k, $c, $d);");
                c.Parameters.AddWithValue("$id", s.Id);
                c.Parameters.AddWithValue("$m", s.MerchantId);
                c.Parameters.AddWithValue("$l", s.Livemode ? 1 : 0);
                c.Parameters.AddWithValue("$k", s.StatementKey);
                c.Parameters.AddWithValue("$c", s.Created.ToUnixTimeMilliseconds());
                c.Parameters.AddWithValue("$d", json);
                c.ExecuteNonQuery();
            }

            foreach (var (e, json) in newEntries)
            {
                var c = ctx.Command("""
                    INSERT INTO bank_statement_entries (id, merchant_id, livemode, statement_id, entry_key, status, payment_id, created_at, version, data)
                    VALUES ($id, $m, $l, $s, $k, $st, $p, $c, $v, $d);
                    """);
                BindEntry(c, e, json);
                c.ExecuteNonQuery();
            }

            foreach (var (e, json) in updatedEntries)
            {
                var c = ctx.Command("UPDATE bank_statement_entries SET status = $st, payment_id = $p, version = $v + 1, data = $d WHERE id = $id AND version = $v;");
                BindEntry(c, e, json);
                SqliteRows.ExecuteVersioned(c, e.Id);
            }

            foreach (var e in changes.Events)
            {
                SqliteRows.InsertEvent(ctx, e);
            }

            // Last: the audit entries recording this commit (a console user's manual match), once every change above was written.
            if (changes.AuditRecords.Count > 0)
            {
                SqliteAuditLog.Append(ctx, changes.AuditRecords);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<string?> FindPaymentIdByBankReferenceAsync(string merchantId, bool livemode, string reference, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT payment_id FROM bank_transfer_references WHERE reference = $r AND merchant_id = $m AND livemode = $l;",
            c => { c.Parameters.AddWithValue("$r", reference); c.Parameters.AddWithValue("$m", merchantId); c.Parameters.AddWithValue("$l", livemode ? 1 : 0); },
            r => r.GetString(0), cancellationToken);

    public Task<BankStatement?> GetBankStatementAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync($"SELECT {BankStatementSql.Columns} FROM bank_statements WHERE id = $id AND merchant_id = $m AND livemode = $l;",
            c => { c.Parameters.AddWithValue("$id", id); c.Parameters.AddWithValue("$m", merchantId); c.Parameters.AddWithValue("$l", livemode ? 1 : 0); },
            ReadStatement, cancellationToken);

    public Task<BankStatement?> FindBankStatementByKeyAsync(string merchantId, bool livemode, string statementKey, CancellationToken cancellationToken) =>
        database.QuerySingleAsync($"SELECT {BankStatementSql.Columns} FROM bank_statements WHERE statement_key = $k AND merchant_id = $m AND livemode = $l;",
            c => { c.Parameters.AddWithValue("$k", statementKey); c.Parameters.AddWithValue("$m", merchantId); c.Parameters.AddWithValue("$l", livemode ? 1 : 0); },
            ReadStatement, cancellationToken);

    public Task<IReadOnlyList<BankStatement>> ListBankStatementsAsync(string merchantId, bool livemode, ListQuery query, CancellationToken cancellationToken) =>
        database.ListAsync("bank_statements", BankStatementSql.Columns, ["merchant_id = $m", "livemode = $l"], query, c =>
        {
            c.Parameters.AddWithValue("$m", merchantId);
            c.Parameters.AddWithValue("$l", livemode ? 1 : 0);
        }, ReadStatement, cancellationToken);

    public Task<BankStatementEntry?> GetBankStatementEntryAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, version FROM bank_statement_entries WHERE id = $id AND merchant_id = $m AND livemode = $l;",
            c => { c.Parameters.AddWithValue("$id", id); c.Parameters.AddWithValue("$m", merchantId); c.Parameters.AddWithValue("$l", livemode ? 1 : 0); },
            ReadEntry, cancellationToken);

    public Task<IReadOnlyList<BankStatementEntry>> ListBankStatementEntriesAsync(string merchantId, bool livemode, BankStatementEntryListQuery query, CancellationToken cancellationToken)
    {
        var filters = new List<string> { "merchant_id = $m", "livemode = $l" };
        if (query.Status is not null)
        {
            filters.Add("status = $st");
        }

        if (query.StatementId is not null)
        {
            filters.Add("statement_id = $s");
        }

        return database.ListAsync("bank_statement_entries", "data, version", filters, query, c =>
        {
            c.Parameters.AddWithValue("$m", merchantId);
            c.Parameters.AddWithValue("$l", livemode ? 1 : 0);
            if (query.Status is { } status)
            {
                c.Parameters.AddWithValue("$st", status.ToWire());
            }

            if (query.StatementId is not null)
            {
                c.Parameters.AddWithValue("$s", query.StatementId);
            }
        }, ReadEntry, cancellationToken);
    }

    public async Task<IReadOnlySet<string>> FindExistingBankEntryKeysAsync(string merchantId, bool livemode, IReadOnlyCollection<string> entryKeys, CancellationToken cancellationToken)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var chunk in entryKeys.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            await using var command = connection.CreateCommand();
            var names = new List<string>();
            for (var i = 0; i < chunk.Length; i++)
            {
                names.Add("$k" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                command.Parameters.AddWithValue(names[^1], chunk[i]);
            }

            command.CommandText = $"SELECT entry_key FROM bank_statement_entries WHERE merchant_id = $m AND livemode = $l AND entry_key IN ({string.Join(", ", names)});";
            command.Parameters.AddWithValue("$m", merchantId);
            command.Parameters.AddWithValue("$l", livemode ? 1 : 0);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                found.Add(reader.GetString(0));
            }
        }

        return found;
    }

    public Task<IReadOnlyList<Payment>> ListExpiredBankTransfersAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        database.QueryListAsync("""
            SELECT p.data, p.version FROM bank_transfer_references r JOIN payments p ON p.id = r.payment_id
            WHERE r.closed = 0 AND r.expires_at < $now ORDER BY r.expires_at LIMIT $n;
            """,
            c => { c.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds()); c.Parameters.AddWithValue("$n", limit); },
            ReadPayment, cancellationToken);

    private static void BindEntry(SqliteCommand c, BankStatementEntry e, string json)
    {
        c.Parameters.AddWithValue("$id", e.Id);
        c.Parameters.AddWithValue("$m", e.MerchantId);
        c.Parameters.AddWithValue("$l", e.Livemode ? 1 : 0);
        c.Parameters.AddWithValue("$s", e.StatementId);
        c.Parameters.AddWithValue("$k", e.EntryKey);
        c.Parameters.AddWithValue("$st", e.Status.ToWire());
        c.Parameters.AddWithValue("$p", (object?)e.PaymentId ?? DBNull.Value);
        c.Parameters.AddWithValue("$c", e.Created.ToUnixTimeMilliseconds());
        c.Parameters.AddWithValue("$v", e.Version);
        c.Parameters.AddWithValue("$d", json);
    }
}
