using System.Text.Json;
using Microsoft.Data.Sqlite;
using PaymentGateway.Core;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Webhooks;
using static PaymentGateway.Core.Storage.StorageRows;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>
/// Webhooks out on SQLite: endpoints, fan-out from the events table, lease-based claiming of deliveries and the attempt
/// log. Which endpoints get an event is <see cref="WebhookFanOut"/>'s decision; this class reads the rows it needs and
/// writes the deliveries it returns, in one writer unit.
/// </summary>
public sealed class SqliteWebhookStore(SqliteDatabase database) : IWebhookStore
{
    public Task CreateWebhookEndpointAsync(WebhookEndpoint endpoint, AuditRecord? audit, CancellationToken cancellationToken)
    {
        var json = EndpointJson(endpoint);
        return database.WriteAsync(ctx =>
        {
            var c = ctx.Command("INSERT INTO webhook_endpoints (id, merchant_id, livemode, status, created_at, updated_at, version, data) VALUES ($id, $m, $l, $s, $c, $u, $v, $d);");
            BindEndpoint(c, endpoint, json);
            c.ExecuteNonQuery();
            AppendAudit(ctx, audit);
            return true;
        }, cancellationToken);
    }

    public async Task UpdateWebhookEndpointAsync(WebhookEndpoint endpoint, GatewayEvent? @event, AuditRecord? audit, CancellationToken cancellationToken)
    {
        var json = EndpointJson(endpoint);
        await database.WriteAsync(ctx =>
        {
            var c = ctx.Command("""
                UPDATE webhook_endpoints SET status = $s, updated_at = $u, version = $v + 1, data = $d,
                    failure_streak = CASE WHEN $s = 'enabled' AND status <> 'enabled' THEN 0 ELSE failure_streak END,
                    failing_since = CASE WHEN $s = 'enabled' AND status <> 'enabled' THEN NULL ELSE failing_since END
                WHERE id = $id AND version = $v;
                """);
            BindEndpoint(c, endpoint, json);
            SqliteRows.ExecuteVersioned(c, endpoint.Id);

            if (@event is not null)
            {
                SqliteRows.InsertEvent(ctx, @event);
            }

            AppendAudit(ctx, audit);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        endpoint.Version++;
    }

    public Task<bool> DeleteWebhookEndpointAsync(string merchantId, bool livemode, string id, DateTimeOffset now, AuditRecord? audit, CancellationToken cancellationToken) =>
        database.WriteAsync(ctx =>
        {
            var delete = ctx.Command("DELETE FROM webhook_endpoints WHERE id = $id AND merchant_id = $m AND livemode = $l;");
            delete.Parameters.AddWithValue("$id", id);
            delete.Parameters.AddWithValue("$m", merchantId);
            delete.Parameters.AddWithValue("$l", livemode ? 1 : 0);
            if (delete.ExecuteNonQuery() != 1)
            {
                return false;
            }

            var cancel = ctx.Command("UPDATE webhook_deliveries SET status = 'canceled', updated_at = $u WHERE endpoint_id = $id AND status = 'pending';");
            cancel.Parameters.AddWithValue("$id", id);
            cancel.Parameters.AddWithValue("$u", now.ToUnixTimeMilliseconds());
            cancel.ExecuteNonQuery();
            AppendAudit(ctx, audit);
            return true;
        }, cancellationToken);

    public Task<WebhookEndpoint?> GetWebhookEndpointAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync($"SELECT {EndpointColumns} FROM webhook_endpoints WHERE id = $id AND merchant_id = $m AND livemode = $l;",
            c => { c.Parameters.AddWithValue("$id", id); c.Parameters.AddWithValue("$m", merchantId); c.Parameters.AddWithValue("$l", livemode ? 1 : 0); },
            ReadEndpoint, cancellationToken);

    public Task<IReadOnlyList<WebhookEndpoint>> ListWebhookEndpointsAsync(string merchantId, bool livemode, ListQuery query, CancellationToken cancellationToken) =>
        database.ListAsync("webhook_endpoints", EndpointColumns, ["merchant_id = $m", "livemode = $l"], query, c =>
        {
            c.Parameters.AddWithValue("$m", merchantId);
            c.Parameters.AddWithValue("$l", livemode ? 1 : 0);
        }, ReadEndpoint, cancellationToken);

    public async Task<int> FanOutWebhookEventsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        // A cheap read first, so an idle dispatcher never takes the write lock.
        if (await database.QuerySingleAsync("SELECT id FROM events WHERE webhook_pending = 1 LIMIT 1;", _ => { }, r => r.GetString(0), cancellationToken).ConfigureAwait(false) is null)
        {
            return 0;
        }

        return await database.WriteAsync(ctx =>
        {
            var pending = new List<PendingWebhookEvent>();
            var select = ctx.Command($"SELECT {PendingEventColumns} FROM events WHERE webhook_pending = 1 ORDER BY id LIMIT $n;");
            select.Parameters.AddWithValue("$n", Math.Max(1, limit));
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    pending.Add(ReadPendingEvent(reader));
                }
            }

            var endpoints = WebhookFanOut.Scopes(pending).SelectMany(scope => ReadEndpoints(ctx, scope.MerchantId, scope.Livemode)).ToList();
            foreach (var (e, endpoint) in WebhookFanOut.Deliveries(pending, endpoints))
            {
                InsertDelivery(ctx, e.Id, endpoint.Id, e.MerchantId, e.Livemode, e.Type, now, upsert: false);
            }

            foreach (var e in pending)
            {
                var done = ctx.Command("UPDATE events SET webhook_pending = 0 WHERE id = $id;");
                done.Parameters.AddWithValue("$id", e.Id);
                done.ExecuteNonQuery();
            }

            return pending.Count;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ClaimedWebhookDelivery>> ClaimWebhookDeliveriesAsync(WebhookClaimRequest request, CancellationToken cancellationToken)
    {
        if (await database.QuerySingleAsync("SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= $now AND locked_until <= $now LIMIT 1;",
                c => c.Parameters.AddWithValue("$now", request.Now.ToUnixTimeMilliseconds()), r => r.GetString(0), cancellationToken).ConfigureAwait(false) is null)
        {
            return [];
        }

        return await database.WriteAsync<IReadOnlyList<ClaimedWebhookDelivery>>(ctx =>
        {
            var now = request.Now.ToUnixTimeMilliseconds();
            var due = new List<WebhookDelivery>();
            var select = ctx.Command($"""
                SELECT {DeliveryColumns} FROM webhook_deliveries
                WHERE status = 'pending' AND next_attempt_at <= $now AND locked_until <= $now
                ORDER BY next_attempt_at LIMIT $n;
                """);
            select.Parameters.AddWithValue("$now", now);
            select.Parameters.AddWithValue("$n", Math.Max(1, request.Limit));
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    due.Add(ReadDelivery(reader));
                }
            }

            var claimed = new List<ClaimedWebhookDelivery>();
            foreach (var delivery in due)
            {
                // Conditional on the lease still being free: on an engine with concurrent writers this is what makes
                // a claim exclusive.
                var claim = ctx.Command("""
                    UPDATE webhook_deliveries SET locked_until = $lu, lease_holder = $h
                    WHERE id = $id AND status = 'pending' AND locked_until <= $now;
                    """);
                claim.Parameters.AddWithValue("$lu", now + (long)request.LeaseDuration.TotalMilliseconds);
                claim.Parameters.AddWithValue("$h", request.Holder);
                claim.Parameters.AddWithValue("$id", delivery.Id);
                claim.Parameters.AddWithValue("$now", now);
                if (claim.ExecuteNonQuery() != 1)
                {
                    continue;
                }

                var endpoint = ReadEndpointById(ctx, delivery.EndpointId);
                var evt = ReadEventById(ctx, delivery.EventId);
                if (!WebhookFanOut.StillReceives(endpoint, evt))
                {
                    var cancel = ctx.Command("UPDATE webhook_deliveries SET status = 'canceled', locked_until = 0, lease_holder = NULL, updated_at = $u WHERE id = $id;");
                    cancel.Parameters.AddWithValue("$u", now);
                    cancel.Parameters.AddWithValue("$id", delivery.Id);
                    cancel.ExecuteNonQuery();
                    continue;
                }

                claimed.Add(new ClaimedWebhookDelivery { Delivery = delivery, Event = evt, Endpoint = endpoint });
            }

            return claimed;
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<WebhookAttemptOutcome> CompleteWebhookAttemptAsync(WebhookAttemptCompletion completion, CancellationToken cancellationToken) =>
        database.WriteAsync(ctx =>
        {
            var a = completion.Attempt;
            var finishedAt = a.StartedAt.AddMilliseconds(a.DurationMs).ToUnixTimeMilliseconds();
            var insert = ctx.Command($"INSERT INTO webhook_attempts ({AttemptColumns}) VALUES ($id, $dl, $ev, $ep, $m, $l, $n, $st, $du, $rs, $er, $sn, $ok);");
            insert.Parameters.AddWithValue("$id", a.Id);
            insert.Parameters.AddWithValue("$dl", a.DeliveryId);
            insert.Parameters.AddWithValue("$ev", a.EventId);
            insert.Parameters.AddWithValue("$ep", a.EndpointId);
            insert.Parameters.AddWithValue("$m", a.MerchantId);
            insert.Parameters.AddWithValue("$l", a.Livemode ? 1 : 0);
            insert.Parameters.AddWithValue("$n", a.Number);
            insert.Parameters.AddWithValue("$st", a.StartedAt.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$du", a.DurationMs);
            insert.Parameters.AddWithValue("$rs", (object?)a.ResponseStatus ?? DBNull.Value);
            insert.Parameters.AddWithValue("$er", (object?)a.Error ?? DBNull.Value);
            insert.Parameters.AddWithValue("$sn", (object?)a.ResponseSnippet ?? DBNull.Value);
            insert.Parameters.AddWithValue("$ok", a.Succeeded ? 1 : 0);
            insert.ExecuteNonQuery();

            var update = ctx.Command("""
                UPDATE webhook_deliveries SET status = $s, attempt_count = attempt_count + 1,
                    retry_count = CASE WHEN $ok = 1 THEN retry_count ELSE retry_count + 1 END,
                    next_attempt_at = $next, last_attempt_at = $la, last_response_status = $rs, last_error = $er,
                    locked_until = 0, lease_holder = NULL, updated_at = $la
                WHERE id = $id AND lease_holder = $h AND status = 'pending';
                """);
            update.Parameters.AddWithValue("$s", completion.Status.ToWire());
            update.Parameters.AddWithValue("$ok", a.Succeeded ? 1 : 0);
            update.Parameters.AddWithValue("$next", completion.Status == WebhookDeliveryStatus.Pending && completion.NextAttemptAt is { } next
                ? next.ToUnixTimeMilliseconds() : DBNull.Value);
            update.Parameters.AddWithValue("$la", finishedAt);
            update.Parameters.AddWithValue("$rs", (object?)a.ResponseStatus ?? DBNull.Value);
            update.Parameters.AddWithValue("$er", (object?)a.Error ?? DBNull.Value);
            update.Parameters.AddWithValue("$id", a.DeliveryId);
            update.Parameters.AddWithValue("$h", completion.Holder);
            var leaseHeld = update.ExecuteNonQuery() == 1;

            var streak = ctx.Command(a.Succeeded
                ? "UPDATE webhook_endpoints SET failure_streak = 0, failing_since = NULL WHERE id = $id;"
                : "UPDATE webhook_endpoints SET failure_streak = failure_streak + 1, failing_since = COALESCE(failing_since, $now) WHERE id = $id;");
            streak.Parameters.AddWithValue("$id", a.EndpointId);
            if (!a.Succeeded)
            {
                streak.Parameters.AddWithValue("$now", a.StartedAt.ToUnixTimeMilliseconds());
            }

            streak.ExecuteNonQuery();

            var read = ctx.Command("SELECT failure_streak, failing_since FROM webhook_endpoints WHERE id = $id;");
            read.Parameters.AddWithValue("$id", a.EndpointId);
            using var reader = read.ExecuteReader();
            return reader.Read()
                ? new WebhookAttemptOutcome
                {
                    LeaseHeld = leaseHeld,
                    FailureStreak = reader.GetInt32(0),
                    FailingSince = reader.IsDBNull(1) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                }
                : new WebhookAttemptOutcome { LeaseHeld = leaseHeld, FailureStreak = 0 };
        }, cancellationToken);

    public Task<WebhookDelivery?> GetWebhookDeliveryAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync($"SELECT {DeliveryColumns} FROM webhook_deliveries WHERE id = $id AND merchant_id = $m AND livemode = $l;",
            c => { c.Parameters.AddWithValue("$id", id); c.Parameters.AddWithValue("$m", merchantId); c.Parameters.AddWithValue("$l", livemode ? 1 : 0); },
            ReadDelivery, cancellationToken);

    public Task<IReadOnlyList<WebhookDelivery>> ListWebhookDeliveriesAsync(string merchantId, bool livemode, WebhookDeliveryListQuery query, CancellationToken cancellationToken)
    {
        var filters = new List<string> { "merchant_id = $m", "livemode = $l" };
        if (query.EventId is not null)
        {
            filters.Add("event_id = $e");
        }

        if (query.EndpointId is not null)
        {
            filters.Add("endpoint_id = $ep");
        }

        if (query.Status is not null)
        {
            filters.Add("status = $s");
        }

        return database.ListAsync("webhook_deliveries", DeliveryColumns, filters, query, c =>
        {
            c.Parameters.AddWithValue("$m", merchantId);
            c.Parameters.AddWithValue("$l", livemode ? 1 : 0);
            if (query.EventId is not null)
            {
                c.Parameters.AddWithValue("$e", query.EventId);
            }

            if (query.EndpointId is not null)
            {
                c.Parameters.AddWithValue("$ep", query.EndpointId);
            }

            if (query.Status is { } status)
            {
                c.Parameters.AddWithValue("$s", status.ToWire());
            }
        }, ReadDelivery, cancellationToken);
    }

    public Task<IReadOnlyList<WebhookDeliveryAttempt>> ListWebhookAttemptsAsync(string merchantId, bool livemode, string deliveryId, CancellationToken cancellationToken) =>
        database.QueryListAsync($"SELECT {AttemptColumns} FROM webhook_attempts WHERE delivery_id = $d AND merchant_id = $m AND livemode = $l ORDER BY number, id;",
            c => { c.Parameters.AddWithValue("$d", deliveryId); c.Parameters.AddWithValue("$m", merchantId); c.Parameters.AddWithValue("$l", livemode ? 1 : 0); },
            ReadAttempt, cancellationToken);

    public Task<IReadOnlyList<WebhookDelivery>> RedeliverWebhookEventAsync(WebhookRedeliveryRequest request, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<WebhookDelivery>>(ctx =>
        {
            var read = ctx.Command($"SELECT {EventColumns} FROM events WHERE id = $id AND merchant_id = $m AND livemode = $l;");
            read.Parameters.AddWithValue("$id", request.EventId);
            read.Parameters.AddWithValue("$m", request.MerchantId);
            read.Parameters.AddWithValue("$l", request.Livemode ? 1 : 0);
            GatewayEvent? evt;
            using (var reader = read.ExecuteReader())
            {
                evt = reader.Read() ? ReadEvent(reader) : null;
            }

            if (evt is null)
            {
                return [];
            }

            var queued = new List<WebhookDelivery>();
            foreach (var endpoint in WebhookFanOut.RedeliveryTargets(evt, request.EndpointId, ReadEndpoints(ctx, evt.MerchantId, evt.Livemode)))
            {
                InsertDelivery(ctx, evt.Id, endpoint.Id, evt.MerchantId, evt.Livemode, evt.Type, request.Now, upsert: true);
                var select = ctx.Command($"SELECT {DeliveryColumns} FROM webhook_deliveries WHERE event_id = $e AND endpoint_id = $ep;");
                select.Parameters.AddWithValue("$e", evt.Id);
                select.Parameters.AddWithValue("$ep", endpoint.Id);
                using var reader = select.ExecuteReader();
                if (reader.Read())
                {
                    queued.Add(ReadDelivery(reader));
                }
            }

            return queued;
        }, cancellationToken);

    private static void InsertDelivery(WriterContext ctx, string eventId, string endpointId, string merchantId, bool livemode, string type, DateTimeOffset now, bool upsert)
    {
        var c = ctx.Command(upsert
            ? """
              INSERT INTO webhook_deliveries (id, event_id, endpoint_id, merchant_id, livemode, event_type, status, attempt_count, retry_count, next_attempt_at, created_at, updated_at)
              VALUES ($id, $e, $ep, $m, $l, $t, 'pending', 0, 0, $now, $now, $now)
              ON CONFLICT (event_id, endpoint_id) DO UPDATE SET status = 'pending', retry_count = 0, next_attempt_at = excluded.next_attempt_at, updated_at = excluded.updated_at;
              """
            : """
              INSERT INTO webhook_deliveries (id, event_id, endpoint_id, merchant_id, livemode, event_type, status, attempt_count, retry_count, next_attempt_at, created_at, updated_at)
              VALUES ($id, $e, $ep, $m, $l, $t, 'pending', 0, 0, $now, $now, $now)
              ON CONFLICT (event_id, endpoint_id) DO NOTHING;
              """);
        c.Parameters.AddWithValue("$id", Ids.New(WebhookIds.Delivery));
        c.Parameters.AddWithValue("$e", eventId);
        c.Parameters.AddWithValue("$ep", endpointId);
        c.Parameters.AddWithValue("$m", merchantId);
        c.Parameters.AddWithValue("$l", livemode ? 1 : 0);
        c.Parameters.AddWithValue("$t", type);
        c.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        c.ExecuteNonQuery();
    }

    /// <summary>Every endpoint of a merchant and mode, enabled or not (<see cref="WebhookFanOut"/> decides which receive).</summary>
    private static List<WebhookEndpoint> ReadEndpoints(WriterContext ctx, string merchantId, bool livemode)
    {
        var c = ctx.Command($"SELECT {EndpointColumns} FROM webhook_endpoints WHERE merchant_id = $m AND livemode = $l ORDER BY id;");
        c.Parameters.AddWithValue("$m", merchantId);
        c.Parameters.AddWithValue("$l", livemode ? 1 : 0);
        var list = new List<WebhookEndpoint>();
        using var reader = c.ExecuteReader();
        while (reader.Read())
        {
            list.Add(ReadEndpoint(reader));
        }

        return list;
    }

    private static WebhookEndpoint? ReadEndpointById(WriterContext ctx, string id)
    {
        var c = ctx.Command($"SELECT {EndpointColumns} FROM webhook_endpoints WHERE id = $id;");
        c.Parameters.AddWithValue("$id", id);
        using var reader = c.ExecuteReader();
        return reader.Read() ? ReadEndpoint(reader) : null;
    }

    private static GatewayEvent? ReadEventById(WriterContext ctx, string id)
    {
        var c = ctx.Command($"SELECT {EventColumns} FROM events WHERE id = $id;");
        c.Parameters.AddWithValue("$id", id);
        using var reader = c.ExecuteReader();
        return reader.Read() ? ReadEvent(reader) : null;
    }

    private static string EndpointJson(WebhookEndpoint endpoint) => JsonSerializer.Serialize(endpoint, WebhookStorageJsonContext.Default.WebhookEndpoint);

    private static void BindEndpoint(SqliteCommand c, WebhookEndpoint e, string json)
    {
        c.Parameters.AddWithValue("$id", e.Id);
        c.Parameters.AddWithValue("$m", e.MerchantId);
        c.Parameters.AddWithValue("$l", e.Livemode ? 1 : 0);
        c.Parameters.AddWithValue("$s", e.Status.ToWire());
        c.Parameters.AddWithValue("$c", e.Created.ToUnixTimeMilliseconds());
        c.Parameters.AddWithValue("$u", e.Updated.ToUnixTimeMilliseconds());
        c.Parameters.AddWithValue("$v", e.Version);
        c.Parameters.AddWithValue("$d", json);
    }

    private static void AppendAudit(WriterContext ctx, AuditRecord? audit)
    {
        if (audit is not null)
        {
            SqliteAuditLog.Append(ctx, [audit]);
        }
    }
}
