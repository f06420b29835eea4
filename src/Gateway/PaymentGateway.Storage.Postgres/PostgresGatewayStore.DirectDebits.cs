using System.Globalization;
using System.Text.Json;
using Npgsql;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Storage.Postgres;

// SEPA Direct Debit collection files, mandate sequence and settlement.
public sealed partial class PostgresGatewayStore
{
    public async Task CommitDirectDebitExportAsync(DirectDebitExportChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var batchRecord = changes.NewBatch;
        if (batchRecord is not null && batchRecord.EncryptedFile is null)
        {
            throw new ArgumentException("The batch's file must be encrypted before it is stored.", nameof(changes));
        }

        var versionChecks = new List<(NpgsqlBatchCommand Command, string Id)>();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction);

        foreach (var p in changes.UpdatedPayments)
        {
            var command = UpdatePaymentCommand(p);
            batch.BatchCommands.Add(command);
            versionChecks.Add((command, p.Id));
        }

        foreach (var m in changes.UpdatedMandates)
        {
            var command = Cmd("UPDATE mandates SET data = $3, version = $2 + 1 WHERE id = $1 AND version = $2;",
                P(m.Id), P(m.Version), Jsonb(JsonSerializer.Serialize(m, BankTransferStorageJsonContext.Default.Mandate)));
            batch.BatchCommands.Add(command);
            versionChecks.Add((command, m.Id));
        }

        if (batchRecord is not null)
        {
            batch.BatchCommands.Add(Cmd("INSERT INTO direct_debit_batches (id, merchant_id, livemode, created_at, data, file) VALUES ($1, $2, $3, $4, $5, $6);",
                P(batchRecord.Id), P(batchRecord.MerchantId), P(batchRecord.Livemode), P(batchRecord.Created.ToUnixTimeMilliseconds()),
                Jsonb(JsonSerializer.Serialize(batchRecord, BankTransferStorageJsonContext.Default.DirectDebitBatch)), Text(batchRecord.EncryptedFile)));
        }

        if (batch.BatchCommands.Count == 0)
        {
            return;
        }

        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
        {
            throw new ConcurrencyConflictException(batchRecord?.Id ?? "direct_debit_batch");
        }

        foreach (var (command, id) in versionChecks)
        {
            if (command.RecordsAffected != 1)
            {
                throw new ConcurrencyConflictException(id);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        foreach (var p in changes.UpdatedPayments)
        {
            p.Version++;
        }

        foreach (var m in changes.UpdatedMandates)
        {
            m.Version++;
        }
    }

    public Task<DirectDebitBatch?> GetDirectDebitBatchAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        QuerySingleAsync("SELECT data FROM direct_debit_batches WHERE id = $1 AND merchant_id = $2 AND livemode = $3;",
            [P(id), P(merchantId), P(livemode)], r => ReadBatch(r, withFile: false), cancellationToken);

    public Task<DirectDebitBatch?> GetDirectDebitBatchWithFileAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        QuerySingleAsync("SELECT data, file FROM direct_debit_batches WHERE id = $1 AND merchant_id = $2 AND livemode = $3;",
            [P(id), P(merchantId), P(livemode)], r => ReadBatch(r, withFile: true), cancellationToken);

    public Task<IReadOnlyList<DirectDebitBatch>> ListDirectDebitBatchesAsync(string merchantId, bool livemode, ListQuery query, CancellationToken cancellationToken)
    {
        var sql = new SqlFilter();
        sql.Add("merchant_id = {0}", P(merchantId));
        sql.Add("livemode = {0}", P(livemode));
        return ListAsync("direct_debit_batches", "data", sql, query, r => ReadBatch(r, withFile: false), cancellationToken);
    }

    public Task<IReadOnlyList<Mandate>> ListMandatesAsync(string merchantId, bool livemode, ListQuery query, CancellationToken cancellationToken)
    {
        var sql = new SqlFilter();
        sql.Add("merchant_id = {0}", P(merchantId));
        sql.Add("livemode = {0}", P(livemode));
        return ListAsync("mandates", "data, version", sql, query, ReadMandate, cancellationToken);
    }

    public Task<IReadOnlyList<Core.Payments.Payment>> ListDirectDebitsCollectedByAsync(DateOnly collectedOnOrBefore, int limit, CancellationToken cancellationToken) =>
        QueryListAsync("""
            SELECT data, version FROM payments WHERE status = 'processing' AND data->>'payment_method_type' = 'sepa_debit'
            AND (data->'direct_debit'->>'collection_date') COLLATE "C" <= $1
            ORDER BY (data->'direct_debit'->>'collection_date') COLLATE "C", id LIMIT $2;
            """,
            [P(collectedOnOrBefore.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), P(Math.Max(0, limit))], ReadPayment, cancellationToken);

    private static Mandate ReadMandate(NpgsqlDataReader r)
    {
        var mandate = JsonSerializer.Deserialize(r.GetString(0), BankTransferStorageJsonContext.Default.Mandate) ?? throw new InvalidDataException("Empty mandate row.");
        mandate.Version = r.GetInt64(1);
        return mandate;
    }

    private static DirectDebitBatch ReadBatch(NpgsqlDataReader r, bool withFile)
    {
        var batch = JsonSerializer.Deserialize(r.GetString(0), BankTransferStorageJsonContext.Default.DirectDebitBatch) ?? throw new InvalidDataException("Empty direct debit batch row.");
        if (withFile)
        {
            batch.EncryptedFile = r.GetString(1);
        }

        return batch;
    }
}
