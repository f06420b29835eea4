using PaymentGateway.Core.Routing;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.UnitTests;

public sealed class ProviderEventIdentityTests
{
    private static readonly ProviderNotification Refund = new()
    {
        Kind = ProviderNotificationKind.Refund,
        Outcome = ProviderOutcome.Succeeded,
        ProviderReference = "RFND000000000001",
        MerchantReference = "re_123",
        Amount = Money.Of(400, "EUR"),
        RawEventType = "REFUND",
    };

    [Fact]
    public void The_providers_event_id_decides_when_present()
    {
        var first = Refund with { EventId = "evt_1" };

        // The same event id is the same event even if a later delivery's body differs (Stripe resends the event object).
        Assert.Equal(ProviderWebhookService.EventIdentity(first), ProviderWebhookService.EventIdentity(first with { Amount = Money.Of(300, "EUR") }));

        // Two events with identical fields but different ids are two events (e.g. two refunds of the same amount).
        Assert.NotEqual(ProviderWebhookService.EventIdentity(first), ProviderWebhookService.EventIdentity(first with { EventId = "evt_2" }));
        Assert.NotEqual(ProviderWebhookService.EventIdentity(first), ProviderWebhookService.EventIdentity(Refund));
        Assert.Equal(64, ProviderWebhookService.EventIdentity(first with { EventId = new string('x', 500) }).Length);
    }

    [Fact]
    public void Without_an_event_id_the_normalized_fields_decide()
    {
        Assert.Equal(ProviderWebhookService.EventIdentity(Refund), ProviderWebhookService.EventIdentity(Refund with { }));
        Assert.Equal(ProviderWebhookService.EventIdentity(Refund), ProviderWebhookService.EventIdentity(Refund with { EventId = "" }));
        Assert.NotEqual(ProviderWebhookService.EventIdentity(Refund), ProviderWebhookService.EventIdentity(Refund with { Outcome = ProviderOutcome.Declined }));
    }
}

public sealed class ReconcileBackoffTests
{
    [Fact]
    public void Doubles_from_MinAge_up_to_the_cap_with_at_most_a_quarter_of_jitter()
    {
        var settings = new ReconcilerOptions { MinAge = TimeSpan.FromSeconds(10), BackoffCap = TimeSpan.FromMinutes(15) };
        for (var checks = 1; checks <= 40; checks++)
        {
            var expected = Math.Min(10 * Math.Pow(2, Math.Min(checks - 1, 30)), 900);
            var delay = Payments.ReconcileSchedule.Backoff(checks, settings).TotalSeconds;
            Assert.InRange(delay, expected, expected * 1.25);
        }

        // Jitter spreads payments that got stuck together.
        var delays = Enumerable.Range(0, 50).Select(_ => Payments.ReconcileSchedule.Backoff(3, settings)).Distinct().Count();
        Assert.True(delays > 1);
    }
}
