using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using PaymentGateway.Core.Disputes.Mapping;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Routing;
using PaymentGateway.Core.Storage;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.Disputes;

/// <summary>
/// Applies what providers say about disputes — verified webhooks (<see cref="ProviderWebhookService"/>), the
/// provider's disputes API (<see cref="DisputeSync"/>) and the simulator — to the gateway's disputes. A notification
/// becomes facts (<see cref="ToFacts"/>: one for the move, one per money movement, each with a stable identity), the
/// disputed payment is found (by the gateway id the provider echoes, else by the provider's payment reference within
/// the account's merchant), and <see cref="DisputeWriter"/> adds the facts. Only a payment of the account's merchant
/// and mode whose latest attempt went to that account is touched (the simulator: a test payment it processed).
/// Idempotent and order-independent: a fact already known changes nothing, and the state is a function of the set.
/// </summary>
public sealed partial class DisputeNotifications(IDisputeStore store, IPaymentStore payments, DisputeWriter writer, ILogger<DisputeNotifications> logger)
{
    /// <summary>Where a notification came from: the provider and, for a real provider, the account it was verified for.</summary>
    public sealed record Origin(string Provider, string? AccountId, string? MerchantId, bool Livemode)
    {
        public static Origin Of(ProviderAccountRecord account)
        {
            ArgumentNullException.ThrowIfNull(account);
            return new Origin(account.ProviderId, account.Id, account.MerchantId, account.Livemode);
        }

        /// <summary>The built-in simulator: test mode, no account.</summary>
        public static Origin Simulator { get; } = new(ProviderRegistry.SimulatorId, null, null, false);
    }

    /// <summary>Applies a notification verified for <paramref name="account"/> (a webhook); true when a dispute changed.</summary>
    public Task<bool> ApplyAsync(ProviderAccountRecord account, DisputeNotification notification, CancellationToken ct) =>
        ApplyAsync(Origin.Of(account), notification, "provider", ct);

    /// <summary>Applies a notification from <paramref name="origin"/>; <paramref name="source"/> is <c>provider</c> (a webhook) or <c>sync</c> (read from its API).</summary>
    public async Task<bool> ApplyAsync(Origin origin, DisputeNotification notification, string source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(notification);
        if (ProviderDisputeMapping.Move(origin.Provider, notification) is not { } move)
        {
            LogIgnored(logger, origin.Provider, notification.EventCode);
            return false;
        }

        return await DisputeWriter.RetryAsync(async token =>
        {
            var existing = await store.FindDisputeByProviderIdAsync(origin.Provider, notification.ProviderDisputeId, token).ConfigureAwait(false);
            var payment = existing is not null
                ? await payments.GetPaymentByIdAsync(existing.PaymentId, token).ConfigureAwait(false)
                : await FindPaymentAsync(origin, notification, token).ConfigureAwait(false);
            if (payment is null || !Belongs(origin, payment) || (existing is not null && existing.MerchantId != payment.MerchantId))
            {
                LogNoPayment(logger, origin.Provider, notification.ProviderDisputeId);
                return false;
            }

            var dispute = existing ?? DisputeWriter.New(payment, origin.Provider, origin.AccountId, notification.ProviderDisputeId, writer.Time.GetUtcNow());
            dispute.ProviderPaymentReference ??= notification.ProviderPaymentReference;
            var changes = new DisputeChanges();
            if (!writer.Project(dispute, payment, ToFacts(origin.Provider, notification, move, source, dispute.Amount, dispute.Currency), existing is null, changes))
            {
                return false;
            }

            await writer.CommitAsync(changes, token).ConfigureAwait(false);
            return true;
        }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The facts a notification states: one for its move (with the amount, reason and deadline it gives) and one per
    /// money movement, the adapter's own (by their reference) or the one its event code documents. Identities do not
    /// depend on arrival: the provider's event id when it has one, else a hash of what was said.
    /// </summary>
    public static IReadOnlyList<DisputeFact> ToFacts(string provider, DisputeNotification n, DisputeMove move, string source, long fallbackAmount, string fallbackCurrency)
    {
        ArgumentNullException.ThrowIfNull(n);
        ArgumentNullException.ThrowIfNull(move);
        var facts = new List<DisputeFact>
        {
            new()
            {
                Id = "state:" + Hash(n.EventId is { Length: > 0 } eventId
                    ? $"event|{eventId}"
                    : string.Join('|', n.ProviderDisputeId, n.EventCode, n.ProviderStatus, n.Amount?.MinorUnits.ToString(CultureInfo.InvariantCulture),
                        n.Amount?.Currency.Code, n.EvidenceDueBy?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), n.ReasonCode)),
                Stage = move.Stage,
                Trigger = move.Trigger,
                Amount = n.Amount?.MinorUnits,
                Currency = n.Amount?.Currency.Code,
                Reason = n.ReasonCode is null ? null : ProviderDisputeMapping.Reason(provider, n.ReasonCode, n.ReasonScheme),
                ReasonCode = n.ReasonCode,
                EvidenceDueBy = n.EvidenceDueBy,
                OccurredAt = n.OccurredAt,
                Source = source,
                EventCode = n.EventCode,
            },
        };
        var movements = n.FundsMovements.Count > 0 || move.DerivedFunds is not { } derived
            ? n.FundsMovements
            : [new DisputeFundsMovement
            {
                Direction = derived == DisputeFundsKind.Withdrawn ? DisputeFundsDirection.Withdrawn : DisputeFundsDirection.Reinstated,
                Amount = n.Amount ?? Money.Of(fallbackAmount, fallbackCurrency),
                Reference = (n.FundsEventId ?? n.EventId) is { Length: > 0 } id ? "event|" + id : string.Join('|', n.ProviderDisputeId, n.EventCode),
                At = n.OccurredAt,
            }];
        foreach (var movement in movements.Where(m => m.Amount.MinorUnits > 0))
        {
            var kind = movement.Direction == DisputeFundsDirection.Withdrawn ? DisputeFundsKind.Withdrawn : DisputeFundsKind.Reinstated;
            facts.Add(new DisputeFact
            {
                Id = $"funds:{(kind == DisputeFundsKind.Withdrawn ? "w" : "r")}:" + Hash(movement.Reference),
                Stage = move.Stage,
                Funds = kind,
                FundsAmount = movement.Amount.MinorUnits,
                Currency = movement.Amount.Currency.Code,
                OccurredAt = movement.At ?? n.OccurredAt,
                Source = source,
                EventCode = n.EventCode,
            });
        }

        return facts;
    }

    private async Task<Payment?> FindPaymentAsync(Origin origin, DisputeNotification n, CancellationToken ct)
    {
        if (n.PaymentReference is { } reference && Ids.IsValid(reference, Ids.Payment)
            && await payments.GetPaymentByIdAsync(reference, ct).ConfigureAwait(false) is { } byId)
        {
            return byId;
        }

        if (origin.MerchantId is { } merchant && n.ProviderPaymentReference is { Length: > 0 } providerReference
            && await store.FindPaymentIdByProviderReferenceAsync(merchant, origin.Livemode, providerReference, ct).ConfigureAwait(false) is { } id)
        {
            return await payments.GetPaymentByIdAsync(id, ct).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>The payment is the origin's: same merchant and mode, its latest attempt went to the origin's account (the simulator: a test payment it processed without one).</summary>
    private static bool Belongs(Origin origin, Payment payment) =>
        payment.Livemode == origin.Livemode
        && (origin.MerchantId is null || payment.MerchantId == origin.MerchantId)
        && payment.Provider == origin.Provider
        && payment.CurrentAttempt?.ProviderAccountId == origin.AccountId;

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];

    [LoggerMessage(Level = LogLevel.Information, Message = "Dispute notification from {Provider} ignored: event {EventCode} is not a dispute event the gateway tracks")]
    private static partial void LogIgnored(ILogger logger, string provider, string eventCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dispute {ProviderDisputeId} from {Provider} names no payment of this account; ignored")]
    private static partial void LogNoPayment(ILogger logger, string provider, string providerDisputeId);
}
