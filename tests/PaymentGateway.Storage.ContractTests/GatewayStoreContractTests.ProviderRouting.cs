using PaymentGateway.Core;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Routing;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Storage.ContractTests.TestData;

namespace PaymentGateway.Storage.ContractTests;

public abstract partial class GatewayStoreContractTests
{
    // ---------------------------------------------------------------- provider accounts, routing rules, provider webhooks

    private static ProviderAccountRecord Account(string merchantId, string provider = "stripe", bool livemode = true) => new()
    {
        Id = Ids.New("pa"),
        MerchantId = merchantId,
        Livemode = livemode,
        ProviderId = provider,
        Description = "main",
        EncryptedCredentials = new() { ["api_key"] = "v1:k1:WRAPPED:CIPHERTEXT" },
        CredentialHints = new() { ["api_key"] = "••••abcd" },
        Settings = new() { ["base_url"] = "http://127.0.0.1:1" },
        Created = T0,
        Updated = T0,
    };

    private static RoutingRule Rule(string merchantId, int priority, bool livemode = true, params string[] accounts) => new()
    {
        Id = Ids.New("rr"),
        MerchantId = merchantId,
        Livemode = livemode,
        Priority = priority,
        Conditions = new RoutingConditions { Currencies = ["EUR", "USD"], AmountGte = 100, AmountLte = 5000, CardBrands = ["visa"], Countries = ["NL"] },
        Targets = [.. accounts.Select((a, i) => new RoutingTarget { ProviderAccount = a, Weight = i + 1 })],
        Created = T0,
        Updated = T0,
    };

    [StoreFact]
    public async Task Provider_account_round_trips_is_merchant_scoped_and_version_checked()
    {
        var merchant = NewMerchantId();
        var account = Account(merchant);
        await Store.Routing.CreateProviderAccountAsync(account, null, Ct);
        await Store.Routing.CreateProviderAccountAsync(Account(NewMerchantId(), "adyen"), null, Ct);

        var stored = await Store.Routing.GetProviderAccountAsync(account.Id, Ct);
        Assert.NotNull(stored);
        Assert.Equal(merchant, stored.MerchantId);
        Assert.Equal("stripe", stored.ProviderId);
        Assert.True(stored.Livemode);
        Assert.Equal("v1:k1:WRAPPED:CIPHERTEXT", stored.EncryptedCredentials["api_key"]);
        Assert.Equal("••••abcd", stored.CredentialHints["api_key"]);
        Assert.Equal("http://127.0.0.1:1", stored.Settings["base_url"]);
        Assert.Equal("enabled", stored.Status);
        Assert.Equal(T0, stored.Created);
        Assert.Equal([account.Id], (await Store.Routing.ListProviderAccountsAsync(merchant, Ct)).Select(a => a.Id));

        stored.Status = "disabled";
        await Store.Routing.UpdateProviderAccountAsync(stored, null, Ct);
        var stale = account; // still at version 0
        stale.Description = "stale";
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.Routing.UpdateProviderAccountAsync(stale, null, Ct));
        var reread = await Store.Routing.GetProviderAccountAsync(account.Id, Ct);
        Assert.Equal("disabled", reread!.Status);
        Assert.Equal("main", reread.Description);
        Assert.Equal(1, reread.Version);

        Assert.False(await Store.Routing.DeleteProviderAccountAsync(NewMerchantId(), account.Id, null, Ct));
        Assert.True(await Store.Routing.DeleteProviderAccountAsync(merchant, account.Id, null, Ct));
        Assert.Null(await Store.Routing.GetProviderAccountAsync(account.Id, Ct));
        Assert.False(await Store.Routing.DeleteProviderAccountAsync(merchant, account.Id, null, Ct));
    }

    [StoreFact]
    public async Task Routing_rules_list_by_priority_per_mode_and_round_trip_conditions()
    {
        var merchant = NewMerchantId();
        var low = Rule(merchant, 10, true, "pa_a", "pa_b");
        var high = Rule(merchant, 1, true, "pa_c");
        var test = Rule(merchant, 0, false, "pa_t");
        foreach (var r in new[] { low, high, test, Rule(NewMerchantId(), 0, true, "pa_x") })
        {
            await Store.Routing.CreateRoutingRuleAsync(r, null, Ct);
        }

        Assert.Equal([high.Id, low.Id], (await Store.Routing.ListRoutingRulesAsync(merchant, true, Ct)).Select(r => r.Id));
        Assert.Equal([test.Id], (await Store.Routing.ListRoutingRulesAsync(merchant, false, Ct)).Select(r => r.Id));
        var stored = await Store.Routing.GetRoutingRuleAsync(merchant, low.Id, Ct);
        Assert.NotNull(stored);
        Assert.Equal(low.Conditions.Currencies, stored.Conditions.Currencies);
        Assert.Equal(100, stored.Conditions.AmountGte);
        Assert.Equal(5000, stored.Conditions.AmountLte);
        Assert.Equal(["visa"], stored.Conditions.CardBrands!);
        Assert.Equal(["NL"], stored.Conditions.Countries!);
        Assert.Null(stored.Conditions.PaymentMethodTypes);
        Assert.Equal([("pa_a", 1), ("pa_b", 2)], stored.Targets.Select(t => (t.ProviderAccount, t.Weight)));
        Assert.Null(await Store.Routing.GetRoutingRuleAsync(NewMerchantId(), low.Id, Ct));

        stored.Priority = 0;
        await Store.Routing.UpdateRoutingRuleAsync(stored, null, Ct);
        Assert.Equal([low.Id, high.Id], (await Store.Routing.ListRoutingRulesAsync(merchant, true, Ct)).Select(r => r.Id));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.Routing.UpdateRoutingRuleAsync(low, null, Ct));

        Assert.True(await Store.Routing.DeleteRoutingRuleAsync(merchant, high.Id, null, Ct));
        Assert.False(await Store.Routing.DeleteRoutingRuleAsync(merchant, high.Id, null, Ct));
        Assert.Equal([low.Id], (await Store.Routing.ListRoutingRulesAsync(merchant, true, Ct)).Select(r => r.Id));
    }

    [StoreFact]
    public async Task Routing_rules_list_shows_every_write_once_it_returned_and_hands_out_objects_of_the_callers_own()
    {
        var merchant = NewMerchantId();
        var rule = Rule(merchant, 5, true, "pa_a");
        Assert.Empty(await Store.Routing.ListRoutingRulesAsync(merchant, true, Ct)); // an empty list read (and kept, where an engine keeps lists)
        await Store.Routing.CreateRoutingRuleAsync(rule, null, Ct);

        // A caller changing what it got changes nothing for the next caller.
        var listed = Assert.Single(await Store.Routing.ListRoutingRulesAsync(merchant, true, Ct));
        listed.Priority = 99;
        listed.Targets = [];
        var again = Assert.Single(await Store.Routing.ListRoutingRulesAsync(merchant, true, Ct));
        Assert.Equal(5, again.Priority);
        Assert.Equal("pa_a", Assert.Single(again.Targets).ProviderAccount);

        // Writes racing with reads: once a write returned, every list started after it shows it.
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await Store.Routing.ListRoutingRulesAsync(merchant, true, Ct);
            }
        })).ToList();
        try
        {
            for (var priority = 6; priority < 26; priority++)
            {
                again.Priority = priority;
                await Store.Routing.UpdateRoutingRuleAsync(again, null, Ct);
                Assert.Equal(priority, Assert.Single(await Store.Routing.ListRoutingRulesAsync(merchant, true, Ct)).Priority);
                Assert.Equal(again.Version, Assert.Single(await Store.Routing.ListRoutingRulesAsync(merchant, true, Ct)).Version);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(readers);
        }

        Assert.True(await Store.Routing.DeleteRoutingRuleAsync(merchant, rule.Id, null, Ct));
        Assert.Empty(await Store.Routing.ListRoutingRulesAsync(merchant, true, Ct));
    }

    [StoreFact]
    public async Task Provider_webhook_event_is_recorded_once_per_account_even_concurrently()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Store.Routing.RecordProviderWebhookEventAsync("pa_1", "evt_1", T0, Ct)));
        Assert.Equal(1, results.Count(r => r));
        Assert.False(await Store.Routing.RecordProviderWebhookEventAsync("pa_1", "evt_1", T0, Ct));
        Assert.True(await Store.Routing.RecordProviderWebhookEventAsync("pa_2", "evt_1", T0, Ct));
        Assert.True(await Store.Routing.RecordProviderWebhookEventAsync("pa_1", "evt_2", T0, Ct));
        await ReopenAsync();
        Assert.False(await Store.Routing.RecordProviderWebhookEventAsync("pa_1", "evt_1", T0, Ct));
    }

    [StoreFact]
    public async Task Payment_routing_decision_and_attempt_account_round_trip()
    {
        var payment = Payment(NewMerchantId(), livemode: true);
        payment.Routing = new RoutingDecision { RuleId = "rr_1", ProviderAccount = "pa_b", Candidates = ["pa_b", "pa_a"] };
        payment.Attempts.Add(new PaymentAttempt
        {
            Id = Ids.New(Ids.Attempt),
            Provider = "stripe",
            ProviderAccountId = "pa_b",
            IdempotencyKey = "k",
            PaymentMethodId = "pm_1",
            Status = AttemptStatus.Failed,
            Created = T0,
            Updated = T0,
        });
        await CommitAsync(c => c.NewPayments.Add(payment));

        var stored = await Store.Payments.GetPaymentByIdAsync(payment.Id, Ct);
        Assert.Equal("rr_1", stored!.Routing!.RuleId);
        Assert.Equal("pa_b", stored.Routing.ProviderAccount);
        Assert.Equal(["pa_b", "pa_a"], stored.Routing.Candidates);
        Assert.Equal("pa_b", stored.Attempts[0].ProviderAccountId);
    }
}
