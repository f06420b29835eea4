using System.Reflection;
using System.Text.Json;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Vault;

namespace PaymentGateway.Core.Webhooks;

/// <summary>
/// Webhook endpoints: create (the secret is returned once and stored encrypted by the vault), list, update, disable,
/// delete, rotate the secret with an overlap; the delivery log and manual redelivery.
/// </summary>
public sealed class WebhookEndpointService(IEventStore eventStore, IWebhookStore webhookStore, CardVault vault, WebhookUrlGuard guard, TimeProvider time)
{
    public const int MaxEnabledEvents = 100;
    public const int MaxDescriptionLength = 500;
    public static readonly TimeSpan DefaultRotationOverlap = TimeSpan.FromHours(24);
    public static readonly TimeSpan MaxRotationOverlap = TimeSpan.FromDays(7);

    /// <summary>Every event type the gateway emits (the constants of <see cref="EventTypes"/>).</summary>
    public static IReadOnlyList<string> EventCatalogue { get; } = typeof(EventTypes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => f.GetRawConstantValue())
        .OfType<string>()
        .Order(StringComparer.Ordinal)
        .ToList();

    public async Task<WebhookEndpointResource> CreateAsync(CallerContext caller, AuditSource by, CreateWebhookEndpointRequest request, string? reservedId, CancellationToken ct)
    {
        var id = reservedId is null ? Ids.New(Ids.WebhookEndpoint) : $"{Ids.WebhookEndpoint}_{reservedId}";
        var now = time.GetUtcNow();
        if (reservedId is not null && await webhookStore.GetWebhookEndpointAsync(caller.MerchantId, caller.Livemode, id, ct).ConfigureAwait(false) is { } existing)
        {
            // A retry after a crash with the same idempotency key: the caller never saw the secret, so show it again.
            var current = existing.Secrets[0];
            return existing.ToResource(now, vault.Decrypt(WebhookSecret.VaultRecordId(existing.Id, current.Id), current.Encrypted));
        }

        var url = await guard.ValidateAsync(request.Url, ct).ConfigureAwait(false);
        var events = ValidateEvents(request.EnabledEvents ?? throw GatewayException.Missing("enabled_events"));
        var (secret, record) = NewSecret(id, now);
        var endpoint = new WebhookEndpoint
        {
            Id = id,
            MerchantId = caller.MerchantId,
            Livemode = caller.Livemode,
            Url = url.AbsoluteUri,
            Description = ValidateDescription(request.Description),
            EnabledEvents = events,
            Secrets = [record],
            Created = now,
            Updated = now,
        };
        var audit = AdminAudit.Record(by, now, AdminAudit.WebhookEndpointCreated, caller.MerchantId, "webhook_endpoint", id, null, AdminAudit.Summary(endpoint));
        await webhookStore.CreateWebhookEndpointAsync(endpoint, audit, ct).ConfigureAwait(false);
        return endpoint.ToResource(now, secret);
    }

    public async Task<WebhookEndpointResource> GetAsync(CallerContext caller, string id, CancellationToken ct) =>
        (await LoadAsync(caller, id, ct).ConfigureAwait(false)).ToResource(time.GetUtcNow());

    public async Task<ListResource<WebhookEndpointResource>> ListAsync(CallerContext caller, ListQuery query, CancellationToken ct)
    {
        var page = await webhookStore.ListWebhookEndpointsAsync(caller.MerchantId, caller.Livemode, query with { Limit = query.Limit + 1 }, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var backwards = query.EndingBefore is not null && query.StartingAfter is null;
        var items = backwards ? page.Skip(Math.Max(0, page.Count - query.Limit)) : page.Take(query.Limit);
        return new ListResource<WebhookEndpointResource> { Data = items.Select(e => e.ToResource(now)).ToList(), HasMore = page.Count > query.Limit };
    }

    public async Task<WebhookEndpointResource> UpdateAsync(CallerContext caller, AuditSource by, string id, UpdateWebhookEndpointRequest request, CancellationToken ct)
    {
        var endpoint = await LoadAsync(caller, id, ct).ConfigureAwait(false);
        var before = AdminAudit.Summary(endpoint);
        var now = time.GetUtcNow();
        if (request.Url is not null)
        {
            endpoint.Url = (await guard.ValidateAsync(request.Url, ct).ConfigureAwait(false)).AbsoluteUri;
        }

        if (request.EnabledEvents is not null)
        {
            endpoint.EnabledEvents = ValidateEvents(request.EnabledEvents);
        }

        if (request.Description is not null)
        {
            endpoint.Description = ValidateDescription(request.Description);
        }

        endpoint.Updated = now;
        GatewayEvent? disabledEvent = null;
        if (request.Disabled == true && endpoint.Status == WebhookEndpointStatus.Enabled)
        {
            endpoint.Status = WebhookEndpointStatus.Disabled;
            endpoint.DisabledReason = "Disabled by the merchant.";
            endpoint.DisabledAt = now;
            disabledEvent = DisabledEvent(endpoint, now);
        }
        else if (request.Disabled == false && endpoint.Status == WebhookEndpointStatus.Disabled)
        {
            endpoint.Status = WebhookEndpointStatus.Enabled;
            endpoint.DisabledReason = null;
            endpoint.DisabledAt = null;
        }

        await SaveAsync(endpoint, disabledEvent, AdminAudit.Record(by, now, AdminAudit.WebhookEndpointUpdated, caller.MerchantId, "webhook_endpoint", id, before,
            AdminAudit.Summary(endpoint)), ct).ConfigureAwait(false);
        return endpoint.ToResource(now);
    }

    public async Task<DeletedResource> DeleteAsync(CallerContext caller, AuditSource by, string id, CancellationToken ct)
    {
        var endpoint = await LoadAsync(caller, id, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var audit = AdminAudit.Record(by, now, AdminAudit.WebhookEndpointDeleted, caller.MerchantId, "webhook_endpoint", id, AdminAudit.Summary(endpoint), null);
        return await webhookStore.DeleteWebhookEndpointAsync(caller.MerchantId, caller.Livemode, id, now, audit, ct).ConfigureAwait(false)
            ? new DeletedResource { Id = id, Object = "webhook_endpoint" }
            : throw GatewayException.NotFound("webhook endpoint", id);
    }

    /// <summary>A new current secret; the previous one keeps signing (a second signature) for the overlap.</summary>
    public async Task<WebhookEndpointResource> RotateSecretAsync(CallerContext caller, AuditSource by, string id, RotateWebhookSecretRequest request, CancellationToken ct)
    {
        var overlap = request.OverlapSeconds is { } seconds
            ? seconds >= 0 && seconds <= MaxRotationOverlap.TotalSeconds
                ? TimeSpan.FromSeconds(seconds)
                : throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"overlap_seconds must be from 0 to {(long)MaxRotationOverlap.TotalSeconds}.", "overlap_seconds")
            : DefaultRotationOverlap;
        var endpoint = await LoadAsync(caller, id, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var until = now + overlap;
        var kept = endpoint.ActiveSecrets(now).ToList();
        foreach (var old in kept)
        {
            old.ExpiresAt = old.ExpiresAt is { } at && at < until ? at : until;
        }

        var (secret, record) = NewSecret(endpoint.Id, now);
        endpoint.Secrets = [record, .. kept.Where(s => s.ExpiresAt > now).Take(4)];
        endpoint.Updated = now;
        var after = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["secret"] = "rotated",
            ["previous_secrets_expire"] = until.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        };
        await SaveAsync(endpoint, null, AdminAudit.Record(by, now, AdminAudit.WebhookSecretRotated, caller.MerchantId, "webhook_endpoint", id, null, after), ct).ConfigureAwait(false);
        return endpoint.ToResource(now, secret);
    }

    public async Task<ListResource<WebhookDeliveryResource>> ListDeliveriesAsync(CallerContext caller, WebhookDeliveryListQuery query, CancellationToken ct)
    {
        if (query.EndpointId is { } endpointId)
        {
            _ = await LoadAsync(caller, endpointId, ct).ConfigureAwait(false);
        }

        if (query.EventId is { } eventId)
        {
            _ = await eventStore.GetEventAsync(caller.MerchantId, caller.Livemode, eventId, ct).ConfigureAwait(false) ?? throw GatewayException.NotFound("event", eventId);
        }

        var page = await webhookStore.ListWebhookDeliveriesAsync(caller.MerchantId, caller.Livemode, query with { Limit = query.Limit + 1 }, ct).ConfigureAwait(false);
        var backwards = query.EndingBefore is not null && query.StartingAfter is null;
        var items = (backwards ? page.Skip(Math.Max(0, page.Count - query.Limit)) : page.Take(query.Limit)).ToList();
        var data = new List<WebhookDeliveryResource>(items.Count);
        foreach (var delivery in items)
        {
            var attempts = await webhookStore.ListWebhookAttemptsAsync(caller.MerchantId, caller.Livemode, delivery.Id, ct).ConfigureAwait(false);
            data.Add(delivery.ToResource(attempts));
        }

        return new ListResource<WebhookDeliveryResource> { Data = data, HasMore = page.Count > query.Limit };
    }

    /// <summary>Queues an event again (same <c>webhook-id</c>) for one endpoint or all that receive it.</summary>
    public async Task<ListResource<WebhookDeliveryResource>> RedeliverAsync(CallerContext caller, string eventId, RedeliverEventRequest request, CancellationToken ct)
    {
        _ = await eventStore.GetEventAsync(caller.MerchantId, caller.Livemode, eventId, ct).ConfigureAwait(false) ?? throw GatewayException.NotFound("event", eventId);
        if (request.WebhookEndpoint is { } endpointId)
        {
            var endpoint = await webhookStore.GetWebhookEndpointAsync(caller.MerchantId, caller.Livemode, endpointId, ct).ConfigureAwait(false)
                           ?? throw new GatewayException(ErrorKind.NotFound, ErrorCodes.ResourceMissing, $"No such webhook endpoint: '{Truncate(endpointId)}'.", "webhook_endpoint");
            if (endpoint.Status != WebhookEndpointStatus.Enabled)
            {
                throw new GatewayException(ErrorKind.Conflict, ErrorCodes.WebhookEndpointDisabled, "The webhook endpoint is disabled; enable it first.", "webhook_endpoint");
            }
        }

        var queued = await webhookStore.RedeliverWebhookEventAsync(new WebhookRedeliveryRequest
        {
            MerchantId = caller.MerchantId,
            Livemode = caller.Livemode,
            EventId = eventId,
            EndpointId = request.WebhookEndpoint,
            Now = time.GetUtcNow(),
        }, ct).ConfigureAwait(false);
        return new ListResource<WebhookDeliveryResource> { Data = queued.Select(d => d.ToResource()).ToList(), HasMore = false };
    }

    /// <summary>The <c>webhook_endpoint.disabled</c> event, carrying the endpoint (never its secrets).</summary>
    public static GatewayEvent DisabledEvent(WebhookEndpoint endpoint, DateTimeOffset at) => new()
    {
        Id = Ids.New(Ids.Event),
        MerchantId = endpoint.MerchantId,
        Livemode = endpoint.Livemode,
        Type = EventTypes.WebhookEndpointDisabled,
        ObjectId = endpoint.Id,
        Created = at,
        DataJson = JsonSerializer.Serialize(endpoint.ToResource(at), ApiJson.Context.WebhookEndpointResource),
    };

    private async Task<WebhookEndpoint> LoadAsync(CallerContext caller, string id, CancellationToken ct) =>
        await webhookStore.GetWebhookEndpointAsync(caller.MerchantId, caller.Livemode, id, ct).ConfigureAwait(false)
        ?? throw GatewayException.NotFound("webhook endpoint", id);

    private async Task SaveAsync(WebhookEndpoint endpoint, GatewayEvent? @event, AuditRecord audit, CancellationToken ct)
    {
        try
        {
            await webhookStore.UpdateWebhookEndpointAsync(endpoint, @event, audit, ct).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException)
        {
            throw new GatewayException(ErrorKind.Conflict, ErrorCodes.ConcurrentUpdate, "The webhook endpoint was changed by another request; retry.");
        }
    }

    private (string Secret, WebhookSecret Record) NewSecret(string endpointId, DateTimeOffset now)
    {
        var secret = StandardWebhookSigner.NewSecret();
        var secretId = Ids.New(WebhookIds.Secret);
        return (secret, new WebhookSecret
        {
            Id = secretId,
            Encrypted = vault.Encrypt(WebhookSecret.VaultRecordId(endpointId, secretId), secret),
            Created = now,
        });
    }

    private static List<string> ValidateEvents(List<string> requested)
    {
        if (requested.Count == 0)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "enabled_events must list at least one event type, or \"*\".", "enabled_events");
        }

        if (requested.Count > MaxEnabledEvents)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"enabled_events may list at most {MaxEnabledEvents} types.", "enabled_events");
        }

        foreach (var type in requested)
        {
            if (type != WebhookEndpoint.AllEvents)
            {
                RequireKnownEventType(type, "enabled_events");
            }
        }

        return requested.Contains(WebhookEndpoint.AllEvents, StringComparer.Ordinal) ? [WebhookEndpoint.AllEvents] : requested.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Refuses a type outside <see cref="EventCatalogue"/>: 400 <c>event_type_unknown</c> on <paramref name="parameter"/>.</summary>
    public static void RequireKnownEventType(string? type, string parameter)
    {
        if (type is null || !EventCatalogue.Contains(type, StringComparer.Ordinal))
        {
            throw GatewayException.Invalid(ErrorCodes.EventTypeUnknown, $"Unknown event type '{Truncate(type ?? "null")}'.", parameter);
        }
    }

    private static string? ValidateDescription(string? description) =>
        description is { Length: > MaxDescriptionLength }
            ? throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"description must be at most {MaxDescriptionLength} characters.", "description")
            : description;

    private static string Truncate(string value) => value.Length > 64 ? value[..64] + "…" : value;
}
