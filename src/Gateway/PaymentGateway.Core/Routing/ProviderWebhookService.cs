using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.Routing;

/// <summary>The answer to a provider's webhook request.</summary>
public sealed record ProviderWebhookAnswer(int StatusCode, string? Body, int Applied, int Duplicates);

/// <summary>
/// Inbound provider webhooks (<c>POST /v1/provider_webhooks/{provider_account_id}</c>): verified with the provider's own
/// scheme by the account's adapter (<see cref="IWebhookFlow"/>, with the account's decrypted webhook secret; Mollie's
/// adapter confirms its thin webhooks by fetching the payment), deduplicated by a provider event identity persisted per
/// account, and applied through <see cref="ProviderNotifications"/> (the state machine, with events), for refund
/// notifications <see cref="RefundService"/>, and for dispute notifications <see cref="Disputes.DisputeNotifications"/>.
/// </summary>
public sealed class ProviderWebhookService(IRoutingStore store, ProviderRegistry providers, ProviderRouting routing, ProviderNotifications notifications, RefundService refunds,
    Disputes.DisputeNotifications disputes, TimeProvider time)
{
    public async Task<ProviderWebhookAnswer> HandleAsync(string accountId, IReadOnlyDictionary<string, string> headers, byte[] body, CancellationToken ct)
    {
        var record = await store.GetProviderAccountAsync(accountId, ct).ConfigureAwait(false)
            ?? throw GatewayException.NotFound("provider_account", accountId);
        if (providers.Get(record.ProviderId) is not IWebhookFlow flow)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"Provider '{record.ProviderId}' sends no webhooks.");
        }

        ProviderWebhookResult result;
        try
        {
            result = await flow.HandleWebhookAsync(new ProviderWebhookRequest { Account = routing.Open(record), Headers = headers, Body = body }, ct).ConfigureAwait(false);
        }
        catch (ProviderWebhookRejectedException)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "The webhook failed the provider's signature verification; nothing was changed.");
        }
        catch (InvalidOperationException)
        {
            // The account lacks the credential the scheme needs (no webhook secret): nothing can be verified.
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "This provider account has no webhook secret configured; nothing was changed.");
        }
        catch (Exception e) when (e is ProviderOutcomeUnknownException or ProviderUnavailableException)
        {
            // A thin webhook whose confirmation fetch failed: the provider retries, we change nothing now.
            throw new GatewayException(ErrorKind.ProviderUnavailable, ErrorCodes.ProviderUnavailable, "Could not confirm the notification with the provider; retry later.");
        }

        int applied = 0, duplicates = 0;
        foreach (var notification in result.Notifications)
        {
            // Apply first, record the event id after: applying is idempotent (it acts only on a refund or payment
            // still waiting on the provider, under its version check), so a replay changes nothing, while a delivery
            // whose apply failed (a crash, a database error) is not recorded and the provider's retry applies it. An
            // Adyen modification has no status endpoint: its notification is the only way it settles.
            var changed = notification.Kind == ProviderNotificationKind.Refund
                ? await refunds.ApplyProviderNotificationAsync(record, notification, ct).ConfigureAwait(false)
                : await notifications.ApplyAsync(record, notification, ct).ConfigureAwait(false);
            var first = await store.RecordProviderWebhookEventAsync(record.Id, EventIdentity(notification), time.GetUtcNow(), ct).ConfigureAwait(false);
            if (!first)
            {
                duplicates++;
            }
            else if (changed)
            {
                applied++;
            }
        }

        foreach (var dispute in result.Disputes)
        {
            // The same rule for disputes (docs/disputes.md): apply (idempotent: a known fact changes nothing), then record.
            var changed = await disputes.ApplyAsync(record, dispute, ct).ConfigureAwait(false);
            if (!await store.RecordProviderWebhookEventAsync(record.Id, EventIdentity(dispute), time.GetUtcNow(), ct).ConfigureAwait(false))
            {
                duplicates++;
            }
            else if (changed)
            {
                applied++;
            }
        }

        return new ProviderWebhookAnswer(result.StatusCode, result.ResponseBody, applied, duplicates);
    }

    /// <summary>The identity of a dispute event: the provider's event id when stated, else a hash of what it says (never equal to a payment event's).</summary>
    internal static string EventIdentity(DisputeNotification n)
    {
        var text = !string.IsNullOrEmpty(n.EventId)
            ? "dispute_event_id|" + n.EventId
            : string.Join('|', "dispute", n.ProviderDisputeId, n.EventCode, n.ProviderStatus, n.Amount?.MinorUnits.ToString(CultureInfo.InvariantCulture),
                n.EvidenceDueBy?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), n.ReasonCode);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>
    /// The identity of a provider event: the provider's own event id when the adapter states one
    /// (<see cref="ProviderNotification.EventId"/>), else a hash of its type, the provider's object reference, the outcome and amount. A provider
    /// resending the same event (Stripe retries, Adyen's pspReference + eventCode + success) maps to the same identity.
    /// </summary>
    internal static string EventIdentity(ProviderNotification n)
    {
        if (!string.IsNullOrEmpty(n.EventId))
        {
            // Prefixed so a provider id can never collide with a field hash; hashed so the stored key has one length.
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("event_id|" + n.EventId)));
        }

        var text = string.Join('|', n.RawEventType, n.Kind, n.ProviderReference, n.MerchantReference, n.Outcome,
            n.Amount?.MinorUnits.ToString(CultureInfo.InvariantCulture), n.DeclineCode);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
