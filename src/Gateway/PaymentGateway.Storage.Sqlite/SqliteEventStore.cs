using PaymentGateway.Core.Events;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.StorageRows;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>The event log on SQLite (events are written by the commits that cause them).</summary>
public sealed class SqliteEventStore(SqliteDatabase database) : IEventStore
{
    public Task<GatewayEvent?> GetEventAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync($"SELECT {EventColumns} FROM events WHERE id = $id AND merchant_id = $m AND livemode = $l;",
            c => { c.Parameters.AddWithValue("$id", id); c.Parameters.AddWithValue("$m", merchantId); c.Parameters.AddWithValue("$l", livemode ? 1 : 0); },
            ReadEvent, cancellationToken);

    public Task<IReadOnlyList<GatewayEvent>> ListEventsAsync(string merchantId, bool livemode, EventListQuery query, CancellationToken cancellationToken)
    {
        var filters = new List<string> { "merchant_id = $m", "livemode = $l" };
        if (query.Type is not null)
        {
            filters.Add("type = $t");
        }

        if (query.ObjectId is not null)
        {
            filters.Add("object_id = $o");
        }

        return database.ListAsync("events", EventColumns, filters, query, Core.Ids.Event, c =>
        {
            c.Parameters.AddWithValue("$m", merchantId);
            c.Parameters.AddWithValue("$l", livemode ? 1 : 0);
            if (query.Type is not null)
            {
                c.Parameters.AddWithValue("$t", query.Type);
            }

            if (query.ObjectId is not null)
            {
                c.Parameters.AddWithValue("$o", query.ObjectId);
            }
        }, ReadEvent, cancellationToken);
    }
}
