using PaymentGateway.Core.Storage;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>Named leases on SQLite: one upsert in the writer decides who holds a lease.</summary>
public sealed class SqliteLeaseStore(SqliteDatabase database) : ILeaseStore
{
    public Task<bool> TryAcquireLeaseAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken) =>
        database.WriteAsync(ctx =>
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var c = ctx.Command("""
                INSERT INTO leases (name, holder, expires_at) VALUES ($n, $h, $e)
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE leases.holder = excluded.holder OR leases.expires_at < $now;
                """);
            c.Parameters.AddWithValue("$n", name);
            c.Parameters.AddWithValue("$h", holder);
            c.Parameters.AddWithValue("$e", now + (long)duration.TotalMilliseconds);
            c.Parameters.AddWithValue("$now", now);
            return c.ExecuteNonQuery() == 1;
        }, cancellationToken);
}
