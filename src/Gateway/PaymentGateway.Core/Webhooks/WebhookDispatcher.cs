using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Diagnostics;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Vault;

namespace PaymentGateway.Core.Webhooks;

/// <summary>Sends one signed webhook request. The host's implementation is HTTP with SSRF checks at connect time.</summary>
public interface IWebhookSender
{
    /// <summary>
    /// Sends <paramref name="request"/> and reports what happened. Network failures and timeouts are results, not
    /// exceptions; only cancellation of <paramref name="cancellationToken"/> (shutdown) throws.
    /// </summary>
    Task<WebhookSendResult> SendAsync(WebhookRequest request, CancellationToken cancellationToken);
}

public sealed record WebhookRequest
{
    public required Uri Url { get; init; }
    public required string WebhookId { get; init; }
    public required long Timestamp { get; init; }
    public required string Signature { get; init; }
    public required byte[] Body { get; init; }
    public required TimeSpan Timeout { get; init; }
}

public sealed record WebhookSendResult
{
    /// <summary>The HTTP status, or null when no response came (timeout, refused, reset).</summary>
    public int? StatusCode { get; init; }

    /// <summary>What went wrong without a response (<c>timeout</c>, <c>connection_failed: …</c>, <c>address_not_allowed</c>).</summary>
    public string? Error { get; init; }

    public string? ResponseSnippet { get; init; }

    public TimeSpan? RetryAfter { get; init; }
}

/// <summary>
/// The dispatcher: fans new events out to endpoints, claims due deliveries under a lease, signs and sends each, and
/// records the attempt with the delivery's next state. Any number of nodes can run it; a crash mid-delivery leaves
/// the lease to expire and the delivery is sent again with the same <c>webhook-id</c>.
/// </summary>
public sealed partial class WebhookDispatcher
{
    private readonly IWebhookStore _store;
    private readonly CardVault _vault;
    private readonly IWebhookSender _sender;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookDispatcher> _logger;
    private readonly WebhookRetrySchedule _schedule;
    private readonly string _holder = Environment.MachineName + ":" + Environment.ProcessId + ":" + Guid.NewGuid().ToString("N")[..8];

    public WebhookDispatcher(IWebhookStore store, CardVault vault, IWebhookSender sender, IOptions<WebhookOptions> options, TimeProvider time,
        ILogger<WebhookDispatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _vault = vault;
        _sender = sender;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _schedule = new WebhookRetrySchedule(_options.RetrySchedule, _options.RetryJitter);
    }

    public WebhookRetrySchedule Schedule => _schedule;

    /// <summary>One round: fan out, claim, deliver. Returns the number of deliveries attempted.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        while (await _store.FanOutWebhookEventsAsync(_time.GetUtcNow(), 500, ct).ConfigureAwait(false) == 500)
        {
        }

        var claimed = await _store.ClaimWebhookDeliveriesAsync(new WebhookClaimRequest
        {
            Holder = _holder,
            Now = _time.GetUtcNow(),
            LeaseDuration = _options.LeaseDuration,
            Limit = _options.BatchSize,
        }, ct).ConfigureAwait(false);
        var claimedAt = _time.GetUtcNow();
        WebhookTelemetry.RecordRound(claimed.Count,
            claimed.Count == 0 ? TimeSpan.Zero : claimed.Max(c => c.Delivery.NextAttemptAt is { } due ? claimedAt - due : TimeSpan.Zero));
        if (claimed.Count == 0)
        {
            return 0;
        }

        await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelDeliveries, CancellationToken = ct },
            async (delivery, token) => await DeliverAsync(delivery, token).ConfigureAwait(false)).ConfigureAwait(false);
        return claimed.Count;
    }

    private async Task DeliverAsync(ClaimedWebhookDelivery claimed, CancellationToken ct)
    {
        var (delivery, evt, endpoint) = (claimed.Delivery, claimed.Event, claimed.Endpoint);
        using var activity = WebhookTelemetry.StartDelivery(delivery.Id, evt.Id, delivery.EventType, endpoint.Id, delivery.AttemptCount + 1);
        var startedAt = _time.GetUtcNow();
        var body = JsonSerializer.SerializeToUtf8Bytes(evt.ToResource(), ApiJson.Context.EventResource);
        var secrets = endpoint.ActiveSecrets(startedAt)
            .Select(s => _vault.Decrypt(WebhookSecret.VaultRecordId(endpoint.Id, s.Id), s.Encrypted))
            .ToList();
        var timestamp = startedAt.ToUnixTimeSeconds();
        var request = new WebhookRequest
        {
            Url = new Uri(endpoint.Url),
            WebhookId = evt.Id,
            Timestamp = timestamp,
            Signature = StandardWebhookSigner.SignatureHeaderValue(secrets, evt.Id, timestamp, body),
            Body = body,
            Timeout = _options.AttemptTimeout,
        };

        var clock = _time.GetTimestamp();
        var result = await _sender.SendAsync(request, ct).ConfigureAwait(false);
        var elapsed = _time.GetElapsedTime(clock);
        var now = _time.GetUtcNow();

        var succeeded = result.StatusCode is >= 200 and < 300;
        var gone = result.StatusCode == 410;
        WebhookDeliveryStatus status;
        DateTimeOffset? next = null;
        if (succeeded)
        {
            status = WebhookDeliveryStatus.Succeeded;
        }
        else if (gone)
        {
            status = WebhookDeliveryStatus.Failed;
        }
        else if (_schedule.NextDelay(delivery.RetryCount + 1, Random.Shared.NextDouble(), result.RetryAfter) is { } delay)
        {
            status = WebhookDeliveryStatus.Pending;
            next = now + delay;
        }
        else
        {
            status = WebhookDeliveryStatus.Failed;
        }

        WebhookTelemetry.RecordAttempt(activity, status switch
        {
            WebhookDeliveryStatus.Succeeded => "succeeded",
            WebhookDeliveryStatus.Pending => "retrying",
            _ => "failed",
        }, result.StatusCode, elapsed);
        var outcome = await _store.CompleteWebhookAttemptAsync(new WebhookAttemptCompletion
        {
            Holder = _holder,
            Status = status,
            NextAttemptAt = next,
            Attempt = new WebhookDeliveryAttempt
            {
                Id = Ids.New(WebhookIds.Attempt),
                DeliveryId = delivery.Id,
                EventId = evt.Id,
                EndpointId = endpoint.Id,
                MerchantId = endpoint.MerchantId,
                Livemode = endpoint.Livemode,
                Number = delivery.AttemptCount + 1,
                StartedAt = startedAt,
                DurationMs = (int)Math.Min(int.MaxValue, elapsed.TotalMilliseconds),
                ResponseStatus = result.StatusCode,
                Error = result.Error,
                ResponseSnippet = result.ResponseSnippet,
                Succeeded = succeeded,
            },
        }, CancellationToken.None).ConfigureAwait(false);

        if (succeeded)
        {
            LogDelivered(_logger, evt.Id, endpoint.Id, result.StatusCode ?? 0, (long)elapsed.TotalMilliseconds);
            return;
        }

        LogFailed(_logger, evt.Id, endpoint.Id, result.StatusCode, result.Error, next);
        if (gone)
        {
            await DisableAsync(endpoint, "The endpoint answered 410 Gone.", now, ct).ConfigureAwait(false);
        }
        else if (outcome.FailureStreak >= _options.DisableAfterFailures && outcome.FailingSince is { } since && now - since >= _options.DisableAfterFailingFor)
        {
            await DisableAsync(endpoint,
                $"{outcome.FailureStreak} consecutive failed deliveries since {since.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}.", now, ct).ConfigureAwait(false);
        }
    }

    private async Task DisableAsync(WebhookEndpoint claimedEndpoint, string reason, DateTimeOffset now, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var endpoint = await _store.GetWebhookEndpointAsync(claimedEndpoint.MerchantId, claimedEndpoint.Livemode, claimedEndpoint.Id, ct).ConfigureAwait(false);
            if (endpoint is null || endpoint.Status == WebhookEndpointStatus.Disabled)
            {
                return;
            }

            endpoint.Status = WebhookEndpointStatus.Disabled;
            endpoint.DisabledReason = reason;
            endpoint.DisabledAt = now;
            endpoint.Updated = now;
            try
            {
                await _store.UpdateWebhookEndpointAsync(endpoint, WebhookEndpointService.DisabledEvent(endpoint, now), null, ct).ConfigureAwait(false);
                LogDisabled(_logger, endpoint.Id, reason);
                return;
            }
            catch (ConcurrencyConflictException)
            {
                // Changed meanwhile (an API update); read it again.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {EventId} delivered to {EndpointId}: HTTP {StatusCode} in {ElapsedMs} ms")]
    private static partial void LogDelivered(ILogger logger, string eventId, string endpointId, int statusCode, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {EventId} to {EndpointId} failed: HTTP {StatusCode} {Error}; next attempt {NextAttemptAt}")]
    private static partial void LogFailed(ILogger logger, string eventId, string endpointId, int? statusCode, string? error, DateTimeOffset? nextAttemptAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook endpoint {EndpointId} disabled: {Reason}")]
    private static partial void LogDisabled(ILogger logger, string endpointId, string reason);
}
