using Npgsql;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Storage.Postgres;

/// <summary>The audit trail on PostgreSQL: each standalone append is its own short transaction under the chain lock.</summary>
public sealed class PostgresAuditStore(NpgsqlDataSource dataSource) : IAuditStore
{
    public async Task AppendAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await PostgresAuditLog.AppendAsync(connection, transaction, records, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<AuditEntry>> ListAsync(AuditQuery query, CancellationToken cancellationToken) => PostgresAuditLog.ListAsync(dataSource, query, cancellationToken);

    public Task<AuditEntry?> GetAsync(string id, CancellationToken cancellationToken) => PostgresAuditLog.GetAsync(dataSource, id, cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> ReadChainAsync(long afterSequence, int limit, CancellationToken cancellationToken) =>
        PostgresAuditLog.ReadChainAsync(dataSource, afterSequence, limit, cancellationToken);
}
