using PaymentGateway.Core.Storage;
using static PaymentGateway.Storage.Postgres.PostgresSql;

namespace PaymentGateway.Storage.Postgres;

/// <summary>Named leases on PostgreSQL, timed by the database's clock.</summary>
public sealed class PostgresLeaseStore(PostgresDatabase database) : ILeaseStore
{
    /// <summary>
    /// One upsert decides: a free or expired lease (by the database's clock) goes to the caller, a lease held by the
    /// caller is renewed, and a lease held by someone else is left alone (no row returned).
    /// </summary>
    public async Task<bool> TryAcquireLeaseAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand($"""
            INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, {DbNowMs} + $3)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE leases.holder = excluded.holder OR leases.expires_at < {DbNowMs}
            RETURNING holder;
            """);
        command.Parameters.Add(P(name));
        command.Parameters.Add(P(holder));
        command.Parameters.Add(P((long)duration.TotalMilliseconds));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string;
    }
}
