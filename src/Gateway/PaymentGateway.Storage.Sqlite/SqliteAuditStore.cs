using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>The audit trail on SQLite: appends through the engine's single writer, reads on their own connections.</summary>
public sealed class SqliteAuditStore(SqliteDatabase engine) : IAuditStore
{
    public Task AppendAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken) =>
        records.Count == 0 ? Task.CompletedTask : engine.Writer.WriteAsync(ctx =>
        {
            SqliteAuditLog.Append(ctx, records);
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> ListAsync(AuditQuery query, CancellationToken cancellationToken) =>
        SqliteAuditLog.ListAsync(engine.ConnectionString, query, cancellationToken);

    public Task<AuditEntry?> GetAsync(string id, CancellationToken cancellationToken) => SqliteAuditLog.GetAsync(engine.ConnectionString, id, cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> ReadChainAsync(long afterSequence, int limit, CancellationToken cancellationToken) =>
        SqliteAuditLog.ReadChainAsync(engine.ConnectionString, afterSequence, limit, cancellationToken);
}
