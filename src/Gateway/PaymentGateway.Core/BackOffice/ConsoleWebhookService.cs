using System.Globalization;
using System.Text;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Idempotency;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Webhooks;

namespace PaymentGateway.Core.BackOffice;

/// <summary>An event as the console's event page shows it, with its deliveries to each endpoint (and their attempts).</summary>
public sealed record ConsoleEventView(GatewayEvent Event, IReadOnlyList<WebhookDeliveryResource> Deliveries);

/// <summary>What a resend did: how many deliveries were queued again, and whether this submission was a replay of one already done.</summary>
public sealed record ConsoleResendResult(int Count, bool Replayed);

/// <summary>The failed deliveries of an endpoint in a date range, as a resend's confirmation states them.</summary>
public sealed record ConsoleResendRange(DateTimeOffset From, DateTimeOffset To, int Count)
{
    /// <summary>The range's last day (inclusive), as the form shows it.</summary>
    public DateOnly LastDay => DateOnly.FromDateTime(To.UtcDateTime.AddDays(-1));

    public DateOnly FirstDay => DateOnly.FromDateTime(From.UtcDateTime);
}

/// <summary>
/// The console's webhooks and events: a merchant's endpoints (create — the signing secret shown once —, disable, enable,
/// rotate the secret), their deliveries with attempts, resending one delivery or every failed one in a date range, and
/// the events browser. Endpoint changes go through <see cref="WebhookEndpointService"/> (the API's service, which writes
/// the audit entry in the change's own transaction) with the console user as the actor. Roles are checked here:
/// reading needs <see cref="ConsolePermission.ViewEvents"/>, endpoint changes <see cref="ConsolePermission.ManageWebhooks"/>
/// (owners, developers), resends <see cref="ConsolePermission.ResendWebhooks"/> (owners, developers, support); a refused
/// change is audited with outcome <c>refused</c>.
/// </summary>
public sealed class ConsoleWebhookService(
    WebhookEndpointService endpoints,
    IWebhookStore webhooks,
    IEventStore events,
    IMerchantStore merchants,
    IConsoleStore consoleStore,
    IdempotencyService idempotency,
    TimeProvider time)
{
    public const string ResentAction = "console.webhook_delivery.resent";
    public const string ResentFailedAction = "console.webhook_deliveries.resent_failed";
    public const string EndpointTarget = "webhook_endpoint";
    public const string DeliveryTarget = "webhook_delivery";

    /// <summary>The most deliveries one "resend all failed" queues; a larger range is refused (narrow it).</summary>
    public const int MaxResend = 1000;

    /// <summary>How many endpoints the page lists (a merchant has a handful).</summary>
    public const int MaxEndpoints = 100;

    /// <summary>The event types an endpoint may receive, for the form's hint and the events filter.</summary>
    public static IReadOnlyList<string> EventTypes => WebhookEndpointService.EventCatalogue;

    /// <summary>The merchants on which the caller's role allows <paramref name="permission"/>, by name.</summary>
    public Task<IReadOnlyList<Merchant>> MerchantsAsync(ConsoleCaller caller, ConsolePermission permission, CancellationToken ct) =>
        ConsoleMerchants.AllowingAsync(merchants, caller, permission, ct);

    // ------------------------------------------------------------------------------------------------ endpoints

    public async Task<IReadOnlyList<WebhookEndpointResource>> ListEndpointsAsync(ConsoleCaller caller, string merchantId, bool livemode, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.Demand(ConsolePermission.ViewEvents, merchantId);
        return (await endpoints.ListAsync(Api(merchantId, livemode), new ListQuery { Limit = MaxEndpoints }, ct).ConfigureAwait(false)).Data;
    }

    /// <summary>One endpoint (never its secret); 404 when the merchant has no such endpoint in that mode.</summary>
    public Task<WebhookEndpointResource> GetEndpointAsync(ConsoleCaller caller, string merchantId, bool livemode, string id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.Demand(ConsolePermission.ViewEvents, merchantId);
        return endpoints.GetAsync(Api(merchantId, livemode), id, ct);
    }

    /// <summary>
    /// Creates an endpoint for <paramref name="url"/> receiving <paramref name="eventsText"/> (<c>*</c>, or types separated
    /// by commas or spaces). The result carries the signing secret: show it once.
    /// </summary>
    public async Task<WebhookEndpointResource> CreateEndpointAsync(ConsoleCaller caller, string merchantId, bool livemode, string? url, string? eventsText,
        string? description, CancellationToken ct)
    {
        var role = await DemandChangeAsync(caller, merchantId, AdminAudit.WebhookEndpointCreated, null, ct).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new ConsoleValidationException("Url", "Enter the URL the gateway should send events to, like https://shop.example/hooks.");
        }

        var types = (eventsText ?? string.Empty).Split([',', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        if (types.Count == 0)
        {
            throw new ConsoleValidationException("Events", "Enter * for every event, or the event types separated by commas.");
        }

        return await AsFieldErrors(endpoints.CreateAsync(Api(merchantId, livemode), Source(caller, role),
            new CreateWebhookEndpointRequest { Url = url.Trim(), EnabledEvents = types, Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim() },
            reservedId: null, ct)).ConfigureAwait(false);
    }

    /// <summary>Disables (its waiting deliveries are canceled, <c>webhook_endpoint.disabled</c> is sent) or enables an endpoint.</summary>
    public async Task<WebhookEndpointResource> SetDisabledAsync(ConsoleCaller caller, string merchantId, bool livemode, string id, bool disabled, CancellationToken ct)
    {
        var role = await DemandChangeAsync(caller, merchantId, AdminAudit.WebhookEndpointUpdated, id, ct).ConfigureAwait(false);
        return await endpoints.UpdateAsync(Api(merchantId, livemode), Source(caller, role), id, new UpdateWebhookEndpointRequest { Disabled = disabled }, ct)
            .ConfigureAwait(false);
    }

    /// <summary>A new signing secret (returned once); the previous one keeps signing beside it for <paramref name="overlapSeconds"/>.</summary>
    public async Task<WebhookEndpointResource> RotateSecretAsync(ConsoleCaller caller, string merchantId, bool livemode, string id, long overlapSeconds, CancellationToken ct)
    {
        var role = await DemandChangeAsync(caller, merchantId, AdminAudit.WebhookSecretRotated, id, ct).ConfigureAwait(false);
        return await AsFieldErrors(endpoints.RotateSecretAsync(Api(merchantId, livemode), Source(caller, role), id,
            new RotateWebhookSecretRequest { OverlapSeconds = overlapSeconds }, ct)).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------------------------------------ deliveries

    /// <summary>One page of deliveries (of an endpoint or an event), newest first, each with its attempts.</summary>
    public Task<ListResource<WebhookDeliveryResource>> ListDeliveriesAsync(ConsoleCaller caller, string merchantId, bool livemode, WebhookDeliveryListQuery query,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.Demand(ConsolePermission.ViewEvents, merchantId);
        return endpoints.ListDeliveriesAsync(Api(merchantId, livemode), query, ct);
    }

    /// <summary>
    /// Sends one delivery again (the same event, same <c>webhook-id</c>, to the same endpoint), due now. One resend per
    /// form token: a double click or a resubmitted form queues it once.
    /// </summary>
    public async Task<ConsoleResendResult> ResendAsync(ConsoleCaller caller, string merchantId, bool livemode, string deliveryId, string? formToken, CancellationToken ct)
    {
        var role = await DemandResendAsync(caller, merchantId, ResentAction, DeliveryTarget, deliveryId, ct).ConfigureAwait(false);
        var delivery = await webhooks.GetWebhookDeliveryAsync(merchantId, livemode, deliveryId, ct).ConfigureAwait(false);
        if (delivery is null)
        {
            await AuditAsync(Record(caller, null, ResentAction, merchantId, DeliveryTarget, deliveryId, AuditOutcomes.Refused,
                new Dictionary<string, string?> { ["reason"] = "not_found_or_other_merchant" }), ct).ConfigureAwait(false);
            throw GatewayException.NotFound("webhook delivery", deliveryId);
        }

        return await OnceAsync(caller, merchantId, formToken, "Resend", "console.webhook_resend", deliveryId, async () =>
        {
            try
            {
                await endpoints.RedeliverAsync(Api(merchantId, livemode), delivery.EventId, new RedeliverEventRequest { WebhookEndpoint = delivery.EndpointId }, ct)
                    .ConfigureAwait(false);
            }
            catch (GatewayException refused) when (refused.Kind is ErrorKind.Conflict or ErrorKind.NotFound)
            {
                await AuditAsync(Record(caller, role, ResentAction, merchantId, DeliveryTarget, deliveryId, AuditOutcomes.Refused,
                    new Dictionary<string, string?> { ["reason"] = refused.Code }), ct).ConfigureAwait(false);
                throw new ConsoleValidationException("Resend", refused.Message);
            }

            await AuditAsync(Record(caller, role, ResentAction, merchantId, DeliveryTarget, deliveryId, AuditOutcomes.Succeeded,
                new Dictionary<string, string?> { ["event"] = delivery.EventId, ["webhook_endpoint"] = delivery.EndpointId }), ct).ConfigureAwait(false);
            return 1;
        }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads a resend range from the form (<c>YYYY-MM-DD</c>, both days included, UTC) and counts the endpoint's failed
    /// deliveries created in it: what the confirmation states. More than <see cref="MaxResend"/> is refused.
    /// </summary>
    public async Task<ConsoleResendRange> FailedInRangeAsync(ConsoleCaller caller, string merchantId, bool livemode, string endpointId, string? fromText, string? toText,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.Demand(ConsolePermission.ResendWebhooks, merchantId);
        var (from, to) = ParseRange(fromText, toText);
        var failed = await FailedAsync(merchantId, livemode, endpointId, from, to, ct).ConfigureAwait(false);
        return new ConsoleResendRange(from, to, failed.Count);
    }

    /// <summary>
    /// Queues again every failed delivery of the endpoint created in the range (at most <see cref="MaxResend"/>). One run
    /// per form token: a resubmitted confirmation queues nothing more. Audited with the range and the count.
    /// </summary>
    public async Task<ConsoleResendResult> ResendFailedAsync(ConsoleCaller caller, string merchantId, bool livemode, string endpointId, string? fromText, string? toText,
        string? formToken, CancellationToken ct)
    {
        var role = await DemandResendAsync(caller, merchantId, ResentFailedAction, EndpointTarget, endpointId, ct).ConfigureAwait(false);
        var (from, to) = ParseRange(fromText, toText);
        var endpoint = await endpoints.GetAsync(Api(merchantId, livemode), endpointId, ct).ConfigureAwait(false);
        if (endpoint.Status != WebhookEndpointStatus.Enabled.ToWire())
        {
            throw new ConsoleValidationException("From", "The endpoint is disabled; enable it first.");
        }

        return await OnceAsync(caller, merchantId, formToken, "From", "console.webhook_resend_failed",
            $"{endpointId}\n{from.ToUnixTimeMilliseconds()}\n{to.ToUnixTimeMilliseconds()}", async () =>
            {
                var failed = await FailedAsync(merchantId, livemode, endpointId, from, to, ct).ConfigureAwait(false);
                var now = time.GetUtcNow();
                foreach (var delivery in failed)
                {
                    await webhooks.RedeliverWebhookEventAsync(new WebhookRedeliveryRequest
                    {
                        MerchantId = merchantId,
                        Livemode = livemode,
                        EventId = delivery.EventId,
                        EndpointId = endpointId,
                        Now = now,
                    }, ct).ConfigureAwait(false);
                }

                await AuditAsync(Record(caller, role, ResentFailedAction, merchantId, EndpointTarget, endpointId, AuditOutcomes.Succeeded, new Dictionary<string, string?>
                {
                    ["from"] = from.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["to"] = to.UtcDateTime.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["count"] = failed.Count.ToString(CultureInfo.InvariantCulture),
                }), ct).ConfigureAwait(false);
                return failed.Count;
            }, ct).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------------------------------------ events

    /// <summary>One page of a merchant's events, newest first (type and date filters, cursors), for the events browser.</summary>
    public Task<IReadOnlyList<GatewayEvent>> ListEventsAsync(ConsoleCaller caller, string merchantId, bool livemode, EventListQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.Demand(ConsolePermission.ViewEvents, merchantId);
        return events.ListEventsAsync(merchantId, livemode, query, ct);
    }

    /// <summary>An event with its deliveries; 404 when the merchant has no such event in that mode.</summary>
    public async Task<ConsoleEventView> GetEventAsync(ConsoleCaller caller, string merchantId, bool livemode, string id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.Demand(ConsolePermission.ViewEvents, merchantId);
        var found = await events.GetEventAsync(merchantId, livemode, id, ct).ConfigureAwait(false) ?? throw GatewayException.NotFound("event", id);
        var deliveries = await endpoints.ListDeliveriesAsync(Api(merchantId, livemode), new WebhookDeliveryListQuery { EventId = found.Id, Limit = 100 }, ct)
            .ConfigureAwait(false);
        return new ConsoleEventView(found, deliveries.Data);
    }

    // ------------------------------------------------------------------------------------------------ shared

    /// <summary>Reads <c>YYYY-MM-DD</c> to <c>YYYY-MM-DD</c> (both included) as [from, to+1 day); a bad field is refused beside it.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) ParseRange(string? fromText, string? toText)
    {
        static DateTimeOffset Day(string? text, string field, string label)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new ConsoleValidationException(field, $"Enter the {label} day as YYYY-MM-DD.");
            }

            return DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
                : throw new ConsoleValidationException(field, $"Enter the {label} day as YYYY-MM-DD, like 2026-03-01.");
        }

        var from = Day(fromText, "From", "first");
        var to = Day(toText, "To", "last");
        if (to < from)
        {
            throw new ConsoleValidationException("To", "The last day must be on or after the first day.");
        }

        if (to - from > TimeSpan.FromDays(366))
        {
            throw new ConsoleValidationException("To", "Choose a range of at most a year.");
        }

        return (from, to.AddDays(1));
    }

    private async Task<List<WebhookDelivery>> FailedAsync(string merchantId, bool livemode, string endpointId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var failed = new List<WebhookDelivery>();
        var query = new WebhookDeliveryListQuery
        {
            EndpointId = endpointId,
            Status = WebhookDeliveryStatus.Failed,
            CreatedGte = from,
            CreatedLt = to,
            Limit = 500,
        };
        while (failed.Count <= MaxResend)
        {
            var page = await webhooks.ListWebhookDeliveriesAsync(merchantId, livemode, query, ct).ConfigureAwait(false);
            failed.AddRange(page);
            if (page.Count < query.Limit)
            {
                break;
            }

            query = query with { StartingAfter = page[^1].Id };
        }

        return failed.Count > MaxResend
            ? throw new ConsoleValidationException("From", $"More than {MaxResend} failed deliveries are in this range; choose a shorter one.")
            : failed;
    }

    /// <summary>
    /// Runs <paramref name="work"/> once per (user, form token): the token becomes an idempotency key claimed before
    /// anything is queued, so a second submission of the same form finds it claimed and does nothing.
    /// </summary>
    private async Task<ConsoleResendResult> OnceAsync(ConsoleCaller caller, string merchantId, string? formToken, string field, string operation, string subject,
        Func<Task<int>> work, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(formToken) || formToken.Length is < 16 or > 100 || formToken.Any(ch => !char.IsAsciiLetterOrDigit(ch) && ch is not ('-' or '_')))
        {
            throw new ConsoleValidationException(field, "This form has expired; open the page again.");
        }

        var key = $"console:{caller.UserId}:{formToken}";
        var fingerprint = IdempotencyService.Fingerprint(operation, Encoding.UTF8.GetBytes(subject));
        IdempotencyClaim claim;
        try
        {
            claim = await idempotency.ClaimAsync(merchantId, key, fingerprint, sensitive: false, "form", ct).ConfigureAwait(false);
        }
        catch (GatewayException e) when (e.Code is ErrorCodes.IdempotencyKeyInUse or ErrorCodes.IdempotencyKeyReused)
        {
            return new ConsoleResendResult(0, Replayed: true);
        }

        if (claim.IsReplay || claim.Scope is not { } scope)
        {
            return new ConsoleResendResult(int.TryParse(claim.ResponseBody, CultureInfo.InvariantCulture, out var done) ? done : 0, Replayed: true);
        }

        int count;
        try
        {
            count = await work().ConfigureAwait(false);
        }
        catch
        {
            // Nothing was queued (or the refusal was recorded): the key is let go so a corrected form can run.
            await idempotency.FinishAsync(scope, 500, string.Empty, sensitive: false).ConfigureAwait(false);
            throw;
        }

        await idempotency.FinishAsync(scope, 200, count.ToString(CultureInfo.InvariantCulture), sensitive: false).ConfigureAwait(false);
        return new ConsoleResendResult(count, Replayed: false);
    }

    /// <summary>The role allowing endpoint changes on the merchant; a refusal is audited (outcome <c>refused</c>) and thrown (403).</summary>
    private async Task<ConsoleRole> DemandChangeAsync(ConsoleCaller caller, string merchantId, string action, string? endpointId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return await caller.DemandAuditedAsync(ConsolePermission.ManageWebhooks, merchantId, () => AuditAsync(Record(caller, null, action, merchantId, EndpointTarget,
            endpointId, AuditOutcomes.Refused, new Dictionary<string, string?> { ["reason"] = "role" }), ct)).ConfigureAwait(false);
    }

    private async Task<ConsoleRole> DemandResendAsync(ConsoleCaller caller, string merchantId, string action, string targetType, string targetId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return await caller.DemandAuditedAsync(ConsolePermission.ResendWebhooks, merchantId, () => AuditAsync(Record(caller, null, action, merchantId, targetType,
            targetId, AuditOutcomes.Refused, new Dictionary<string, string?> { ["reason"] = "role" }), ct)).ConfigureAwait(false);
    }

    private Task AuditAsync(AuditRecord record, CancellationToken ct)
    {
        var changes = new ConsoleChanges();
        changes.AuditRecords.Add(record);
        return consoleStore.CommitAsync(changes, record.Outcome == AuditOutcomes.Refused ? CancellationToken.None : ct);
    }

    private AuditRecord Record(ConsoleCaller caller, ConsoleRole? role, string action, string merchantId, string targetType, string? targetId, string outcome,
        IReadOnlyDictionary<string, string?>? after) => new()
        {
            Created = time.GetUtcNow(),
            Action = action,
            Outcome = outcome,
            Actor = caller.Actor(role),
            MerchantId = merchantId,
            TargetType = targetType,
            TargetId = targetId,
            After = after,
            Context = caller.Context,
        };

    private static CallerContext Api(string merchantId, bool livemode) => new(merchantId, livemode, ApiKeyKind.Secret);

    private static AuditSource Source(ConsoleCaller caller, ConsoleRole role) => new(caller.Actor(role), caller.Context);

    /// <summary>A refused field of the API's request is shown beside the console form's field.</summary>
    private static async Task<T> AsFieldErrors<T>(Task<T> work)
    {
        try
        {
            return await work.ConfigureAwait(false);
        }
        catch (GatewayException e) when (e.Kind == ErrorKind.InvalidRequest && e.Param is { } param)
        {
            throw new ConsoleValidationException(param switch
            {
                "url" => "Url",
                "enabled_events" => "Events",
                "description" => "Description",
                "overlap_seconds" => "Overlap",
                _ => param,
            }, e.Message);
        }
    }
}
