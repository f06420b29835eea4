using PaymentGateway.Core.Events;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.StorageRows;
using static PaymentGateway.Storage.Postgres.PostgresSql;

namespace PaymentGateway.Storage.Postgres;

/// <summary>The event log on PostgreSQL (events are written by the commits that cause them).</summary>
public sealed class PostgresEventStore(PostgresDatabase database) : IEventStore
{
    public Task<GatewayEvent?> GetEventAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync($"SELECT {EventColumns} FROM events WHERE id = $1 AND merchant_id = $2 AND livemode = $3;",
            [P(id), P(merchantId), P(livemode)], ReadEvent, cancellationToken);

    public Task<IReadOnlyList<GatewayEvent>> ListEventsAsync(string merchantId, bool livemode, EventListQuery query, CancellationToken cancellationToken)
    {
        var sql = SqlFilter.Scope(merchantId, livemode);
        if (query.Type is not null)
        {
            sql.Add("type = {0}", P(query.Type));
        }

        if (query.ObjectId is not null)
        {
            sql.Add("object_id = {0}", P(query.ObjectId));
        }

        return database.ListAsync("events", EventColumns, sql, query, Core.Ids.Event, ReadEvent, cancellationToken);
    }
}
