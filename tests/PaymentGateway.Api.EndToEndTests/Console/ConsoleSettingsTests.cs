using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Routing;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Api.EndToEndTests.Console;

/// <summary>
/// Settings → Provider accounts, Settings → Routing and the routing tester, over HTTP against a real gateway: credentials
/// are write-only (never in a page — before, after a save, or on a refused form — nor in an audit entry; a blank field
/// keeps the stored value), bad input is refused beside its field and writes nothing, only owners change anything (a
/// refusal is audited), rules list in priority order, and the tester answers with the router's own decision — a rule
/// change moves the answer, and a real payment goes where the tester said.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleSettingsTests(ConsoleFixture fixture)
{
    private const string ApiKey = "sk_test_51SettingsSecretValueNeverShownQ7x9";
    private const string WebhookSecret = "whsec_settingsWebhookSecretNeverShownZ3k8";
    private const string NewApiKey = "rk_test_51RotatedSecretValueNeverShownM2v5";

    private GatewayServer Server => fixture.Server;

    [Fact]
    public async Task ProviderAccount_CredentialsAreWriteOnly_NeverInAPageOrTheAudit_BlankKeepsTheStoredValue()
    {
        var merchant = await Server.CreateMerchantAsync("Settings credentials shop");
        var owner = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Owner, merchant.Id);
        using var client = await ConsoleUsers.SignedInAsync(Server, owner);
        var newPath = $"/console/settings/provider-accounts/new?merchant={merchant.Id}&provider=stripe&mode=test";
        var form = await client.GetAsync(newPath);
        Assert.Equal(200, form.Status);
        Assert.Contains("Input_Credentials_api_key_", form.Body, StringComparison.Ordinal);

        // A refused form: the message is beside the field, the secrets typed are not echoed, nothing is written.
        var refused = await client.PostFormAsync(newPath + "&handler=Save", new Dictionary<string, string?>
        {
            ["Input.Description"] = "main stripe",
            ["Input.Credentials[api_key]"] = "pk_test_" + ApiKey[8..],
            ["Input.Credentials[webhook_secret]"] = WebhookSecret,
        }, formPage: newPath);
        Assert.Equal(400, refused.Status);
        Assert.Contains("must start with sk_ or rk_", refused.Body, StringComparison.Ordinal);
        Assert.Contains("id=\"Input_Credentials_api_key_-error\">", refused.Body, StringComparison.Ordinal);
        AssertNoSecret(refused.Body, ApiKey[8..], WebhookSecret);
        Assert.Empty((await Server.Client(Server.AdminKey).GetAsync($"/v1/merchants/{merchant.Id}/provider_accounts")).EnsureStatus(200).Json.GetProperty("data").EnumerateArray());

        var created = await client.PostFormAsync(newPath + "&handler=Save", new Dictionary<string, string?>
        {
            ["Input.Description"] = "main stripe",
            ["Input.Credentials[api_key]"] = ApiKey,
            ["Input.Credentials[webhook_secret]"] = WebhookSecret,
            ["Input.Settings[return_url]"] = "https://shop.example/return",
            ["Input.Settings[raw_card_data_enabled]"] = "false",
        }, formPage: newPath);
        Assert.Equal(302, created.Status);
        var id = QueryValue(created.Location, "id");
        var list = await client.GetAsync(created.Location!);
        Assert.Contains($"The provider account {id} was added.", WebUtility.HtmlDecode(list.Body), StringComparison.Ordinal);
        Assert.Contains("api_key: set ••••" + ApiKey[^4..], WebUtility.HtmlDecode(list.Body), StringComparison.Ordinal);
        AssertNoSecret(list.Body, ApiKey, WebhookSecret);

        // Edit with the credentials left blank: the stored values stay; the settings and description change.
        var editPath = $"/console/settings/provider-accounts/{id}?merchant={merchant.Id}";
        var edit = await client.GetAsync(editPath);
        Assert.Equal(200, edit.Status);
        Assert.Contains("https://shop.example/return", edit.Body, StringComparison.Ordinal);
        AssertNoSecret(edit.Body, ApiKey, WebhookSecret);
        var saved = await client.PostFormAsync(editPath + "&handler=Save", new Dictionary<string, string?>
        {
            ["Input.Description"] = "main stripe, renamed",
            ["Input.Credentials[api_key]"] = string.Empty,
            ["Input.Credentials[webhook_secret]"] = string.Empty,
            ["Input.Settings[return_url]"] = string.Empty,
            ["Input.Settings[raw_card_data_enabled]"] = "false",
        }, formPage: editPath);
        Assert.Equal(302, saved.Status);
        var opened = await OpenAsync(id);
        Assert.Equal(ApiKey, opened.Credentials["api_key"].Reveal());
        Assert.Equal(WebhookSecret, opened.Credentials["webhook_secret"].Reveal());
        Assert.False(opened.Settings.ContainsKey("return_url"));

        // A new value replaces the stored one and is not shown either.
        saved = await client.PostFormAsync(editPath + "&handler=Save", new Dictionary<string, string?>
        {
            ["Input.Description"] = "main stripe, rotated",
            ["Input.Credentials[api_key]"] = NewApiKey,
            ["Input.Settings[raw_card_data_enabled]"] = "false",
        }, formPage: editPath);
        Assert.Equal(302, saved.Status);
        Assert.Equal(NewApiKey, (await OpenAsync(id)).Credentials["api_key"].Reveal());
        Assert.Equal(WebhookSecret, (await OpenAsync(id)).Credentials["webhook_secret"].Reveal());
        edit = await client.GetAsync(editPath);
        Assert.Contains("Set (••••" + NewApiKey[^4..] + ")", WebUtility.HtmlDecode(edit.Body), StringComparison.Ordinal);
        AssertNoSecret(edit.Body, NewApiKey, ApiKey, WebhookSecret);
        AssertNoSecret((await client.GetAsync($"/console/settings/provider-accounts?merchant={merchant.Id}")).Body, NewApiKey, ApiKey, WebhookSecret);

        var audit = await Server.Services.GetRequiredService<IAuditStore>().ListAsync(new AuditQuery { ActorId = owner.Id, Limit = 100 }, default);
        Assert.Contains(audit, a => a.Record.Action == "provider_account.created" && a.Record.Outcome == "succeeded" && a.Record.Actor.Role == "owner" && a.Record.TargetId == id);
        Assert.Contains(audit, a => a.Record.Action == "provider_account.updated" && a.Record.After?.GetValueOrDefault("credentials_replaced") == "api_key");
        Assert.Contains(audit, a => a.Record.Action == "provider_account.created" && a.Record.Outcome == "refused"
            && a.Record.After?.GetValueOrDefault("field") == "Credentials[api_key]");
        foreach (var entry in audit)
        {
            AssertNoSecret(string.Join(" ", (entry.Record.Before?.Values ?? []).Concat(entry.Record.After?.Values ?? [])), ApiKey, WebhookSecret, NewApiKey, ApiKey[^12..]);
        }
    }

    [Fact]
    public async Task ProviderAccount_DisableEnableDelete_AndOnlyAnOwnerMayChangeIt_RefusalsAudited()
    {
        var merchant = await Server.CreateMerchantAsync("Settings lifecycle shop");
        var owner = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Owner, merchant.Id);
        var developer = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Developer, merchant.Id);
        var account = await SimulatorAccountAsync(merchant.Id, "lifecycle");
        using var client = await ConsoleUsers.SignedInAsync(Server, owner);
        var list = $"/console/settings/provider-accounts?merchant={merchant.Id}";

        var confirm = await client.PostFormAsync(list + $"&handler=Disable&id={account}", new Dictionary<string, string?>(), formPage: list);
        Assert.Equal(200, confirm.Status);
        Assert.Contains($"Disable the simulator account {account}?", confirm.Body, StringComparison.Ordinal);
        Assert.Equal("enabled", await StatusAsync(merchant.Id, account)); // asking changes nothing
        Assert.Equal(302, (await client.PostFormAsync(list + $"&handler=DisableConfirmed&id={account}", new Dictionary<string, string?>(), formPage: list)).Status);
        Assert.Equal("disabled", await StatusAsync(merchant.Id, account));
        Assert.Equal(302, (await client.PostFormAsync(list + $"&handler=Enable&id={account}", new Dictionary<string, string?>(), formPage: list)).Status);
        Assert.Equal("enabled", await StatusAsync(merchant.Id, account));

        // A developer reads nothing here and changes nothing; the attempt is audited as refused.
        using (var dev = await ConsoleUsers.SignedInAsync(Server, developer))
        {
            Assert.Equal(403, (await dev.GetAsync(list)).Status);
            Assert.Equal(403, (await dev.PostFormAsync(list + $"&handler=DisableConfirmed&id={account}", new Dictionary<string, string?>(), formPage: "/console/account")).Status);
            Assert.Equal(403, (await dev.PostFormAsync(list + $"&handler=DeleteConfirmed&id={account}", new Dictionary<string, string?>(), formPage: "/console/account")).Status);
            Assert.DoesNotContain("href=\"/console/settings/provider-accounts\"", (await dev.GetAsync("/console")).Body, StringComparison.Ordinal); // no menu entry
            Assert.DoesNotContain($"href=\"/console/settings/provider-accounts/{account}\"", (await dev.GetAsync($"/console?merchant={merchant.Id}")).Body, StringComparison.Ordinal);
        }

        // The home page's circuit list links each account to its settings page for those who may open it.
        var home = (await client.GetAsync($"/console?merchant={merchant.Id}")).Body;
        Assert.Contains($"<a href=\"/console/settings/provider-accounts/{account}\">{account}</a>", home, StringComparison.Ordinal);

        Assert.Equal("enabled", await StatusAsync(merchant.Id, account));
        var refusals = await Server.Services.GetRequiredService<IAuditStore>().ListAsync(new AuditQuery { ActorId = developer.Id, Limit = 20 }, default);
        Assert.Contains(refusals, a => a.Record.Action == "provider_account.updated" && a.Record.Outcome == "refused" && a.Record.After?["reason"] == "role" && a.Record.TargetId == account);
        Assert.Contains(refusals, a => a.Record.Action == "provider_account.deleted" && a.Record.Outcome == "refused");

        // A rule still uses it: the delete is refused with the rule named, and the account stays.
        var rule = (await Server.Client(Server.AdminKey).PostAsync($"/v1/merchants/{merchant.Id}/routing_rules",
            new { livemode = false, priority = 1, targets = new[] { new { provider_account = account } } })).EnsureStatus(200).Str("id");
        var blocked = await client.PostFormAsync(list + $"&handler=DeleteConfirmed&id={account}", new Dictionary<string, string?>(), formPage: list);
        Assert.Equal(400, blocked.Status);
        Assert.Contains($"Routing rule {rule} still sends traffic to this account", blocked.Body, StringComparison.Ordinal);
        Assert.Equal("enabled", await StatusAsync(merchant.Id, account));
        (await Server.Client(Server.AdminKey).SendAsync(HttpMethod.Delete, $"/v1/merchants/{merchant.Id}/routing_rules/{rule}", null, null)).EnsureStatus(200);
        Assert.Equal(302, (await client.PostFormAsync(list + $"&handler=DeleteConfirmed&id={account}", new Dictionary<string, string?>(), formPage: list)).Status);
        Assert.Equal(404, (await Server.Client(Server.AdminKey).GetAsync($"/v1/merchants/{merchant.Id}/provider_accounts/{account}")).Status);
        var owned = await Server.Services.GetRequiredService<IAuditStore>().ListAsync(new AuditQuery { ActorId = owner.Id, Limit = 20 }, default);
        Assert.Contains(owned, a => a.Record.Action == "provider_account.deleted" && a.Record.Outcome == "succeeded");
        Assert.Contains(owned, a => a.Record.Action == "provider_account.deleted" && a.Record.Outcome == "refused" && a.Record.After?["field"] == "Delete");

        // Another merchant's account is not found, whatever the role on this one.
        var foreign = await SimulatorAccountAsync(fixture.OtherMerchantId, "foreign");
        Assert.Equal(404, (await client.GetAsync($"/console/settings/provider-accounts/{foreign}?merchant={merchant.Id}")).Status);
        Assert.Equal(404, (await client.PostFormAsync(list + $"&handler=DisableConfirmed&id={foreign}", new Dictionary<string, string?>(), formPage: list)).Status);
        Assert.Equal("enabled", await StatusAsync(fixture.OtherMerchantId, foreign));
    }

    [Fact]
    public async Task RoutingRules_Editor_RefusesBadInputBesideTheField_SavesAndListsInPriorityOrder()
    {
        var merchant = await Server.CreateMerchantAsync("Settings rules shop");
        var owner = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Owner, merchant.Id);
        var a = await SimulatorAccountAsync(merchant.Id, "account a");
        var b = await SimulatorAccountAsync(merchant.Id, "account b");
        using var client = await ConsoleUsers.SignedInAsync(Server, owner);
        var newPath = $"/console/settings/routing/new?merchant={merchant.Id}&mode=test";

        var bad = await client.PostFormAsync(newPath + "&handler=Save", new Dictionary<string, string?> { ["Input.Priority"] = "first", ["Input.Targets[0].Account"] = a }, formPage: newPath);
        Assert.Equal(400, bad.Status);
        Assert.Contains("id=\"Input_Priority-error\">Enter the priority", bad.Body, StringComparison.Ordinal);
        bad = await client.PostFormAsync(newPath + "&handler=Save", new Dictionary<string, string?>
        {
            ["Input.Priority"] = "10",
            ["Input.Currencies"] = "EURO",
            ["Input.Targets[0].Account"] = a,
        }, formPage: newPath);
        Assert.Equal(400, bad.Status);
        Assert.Contains("id=\"Input_Currencies-error\">conditions.currencies must contain upper-case ISO 4217 codes", bad.Body, StringComparison.Ordinal);
        bad = await client.PostFormAsync(newPath + "&handler=Save", new Dictionary<string, string?>
        {
            ["Input.Priority"] = "10",
            ["Input.Targets[0].Account"] = a,
            ["Input.Targets[1].Account"] = a,
        }, formPage: newPath);
        Assert.Equal(400, bad.Status);
        Assert.Contains("id=\"Input_Targets_1__Account-error\">targets[1].provider_account is listed twice.", bad.Body, StringComparison.Ordinal);
        bad = await client.PostFormAsync(newPath + "&handler=Save", new Dictionary<string, string?>
        {
            ["Input.Priority"] = "10",
            ["Input.Targets[0].Account"] = a,
            ["Input.Targets[0].Weight"] = "5000",
        }, formPage: newPath);
        Assert.Equal(400, bad.Status);
        Assert.Contains("id=\"Input_Targets_0__Weight-error\">targets[0].weight must be between 1 and 1000.", bad.Body, StringComparison.Ordinal);
        Assert.Empty(await RulesAsync(merchant.Id));

        var made = await client.PostFormAsync(newPath + "&handler=Save", new Dictionary<string, string?>
        {
            ["Input.Priority"] = "10",
            ["Input.Description"] = "default",
            ["Input.Targets[0].Account"] = a,
            ["Input.Targets[0].Weight"] = "3",
            ["Input.Targets[1].Account"] = b,
        }, formPage: newPath);
        Assert.Equal(302, made.Status);
        var later = QueryValue(made.Location, "id");
        made = await client.PostFormAsync(newPath + "&handler=Save", new Dictionary<string, string?>
        {
            ["Input.Priority"] = "5",
            ["Input.Description"] = "euro visa",
            ["Input.Currencies"] = "eur, gbp",
            ["Input.CardBrands"] = "Visa",
            ["Input.Targets[0].Account"] = b,
        }, formPage: newPath);
        Assert.Equal(302, made.Status);
        var sooner = QueryValue(made.Location, "id");
        var stored = await RulesAsync(merchant.Id);
        Assert.Equal([sooner, later], stored.Select(r => r.Id));
        Assert.Equal(["EUR", "GBP"], stored[0].Conditions.Currencies!);
        Assert.Equal(["visa"], stored[0].Conditions.CardBrands!);
        Assert.Equal([3, 1], stored[1].Targets.Select(t => t.EffectiveWeight));

        var listing = WebUtility.HtmlDecode((await client.GetAsync($"/console/settings/routing?merchant={merchant.Id}")).Body);
        Assert.True(listing.IndexOf("rule-" + sooner, StringComparison.Ordinal) < listing.IndexOf("rule-" + later, StringComparison.Ordinal), "rules are not listed in priority order");
        Assert.Contains($"{a} (weight 3, 75%)", listing, StringComparison.Ordinal);
        Assert.Contains("currency EUR or GBP; card brand visa", listing, StringComparison.Ordinal);

        // Edit: the form shows the rule; a change is saved; a refused change leaves it as it was.
        var editPath = $"/console/settings/routing/{later}?merchant={merchant.Id}";
        var edit = await client.GetAsync(editPath);
        Assert.Contains("value=\"10\"", edit.Body, StringComparison.Ordinal);
        Assert.Equal(400, (await client.PostFormAsync(editPath + "&handler=Save", new Dictionary<string, string?> { ["Input.Priority"] = "10", ["Input.AmountGte"] = "500", ["Input.AmountLte"] = "100", ["Input.Targets[0].Account"] = a }, formPage: editPath)).Status);
        Assert.Null((await RulesAsync(merchant.Id))[1].Conditions.AmountGte);
        Assert.Equal(302, (await client.PostFormAsync(editPath + "&handler=Save", new Dictionary<string, string?> { ["Input.Priority"] = "1", ["Input.Targets[0].Account"] = b }, formPage: editPath)).Status);
        stored = await RulesAsync(merchant.Id);
        Assert.Equal([later, sooner], stored.Select(r => r.Id));
        Assert.Equal([b], stored[0].Targets.Select(t => t.ProviderAccount));

        // Delete behind a confirmation.
        var list = $"/console/settings/routing?merchant={merchant.Id}";
        var confirm = await client.PostFormAsync(list + $"&handler=Delete&id={sooner}", new Dictionary<string, string?>(), formPage: list);
        Assert.Contains($"Delete the routing rule {sooner}", confirm.Body, StringComparison.Ordinal);
        Assert.Equal(2, (await RulesAsync(merchant.Id)).Count);
        Assert.Equal(302, (await client.PostFormAsync(list + $"&handler=DeleteConfirmed&id={sooner}", new Dictionary<string, string?>(), formPage: list)).Status);
        Assert.Equal([later], (await RulesAsync(merchant.Id)).Select(r => r.Id));

        var audit = await Server.Services.GetRequiredService<IAuditStore>().ListAsync(new AuditQuery { ActorId = owner.Id, Limit = 50 }, default);
        Assert.Equal(2, audit.Count(e => e.Record.Action == "routing_rule.created" && e.Record.Outcome == "succeeded"));
        Assert.Contains(audit, e => e.Record.Action == "routing_rule.updated" && e.Record.Outcome == "succeeded" && e.Record.Before?["priority"] == "10" && e.Record.After?["priority"] == "1");
        Assert.Contains(audit, e => e.Record.Action == "routing_rule.deleted" && e.Record.Outcome == "succeeded" && e.Record.TargetId == sooner);
        Assert.Contains(audit, e => e.Record.Action == "routing_rule.created" && e.Record.Outcome == "refused" && e.Record.After?["field"] == "Currencies");
        Assert.Contains(audit, e => e.Record.Action == "routing_rule.updated" && e.Record.Outcome == "refused");
    }

    [Fact]
    public async Task Tester_AnswersWithTheRoutersDecision_ARuleChangeMovesIt_AndARealPaymentGoesThere()
    {
        var merchant = await Server.CreateMerchantAsync("Settings tester shop");
        var owner = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Owner, merchant.Id);
        var a = await SimulatorAccountAsync(merchant.Id, "account a");
        var b = await SimulatorAccountAsync(merchant.Id, "account b");
        var admin = Server.Client(Server.AdminKey);
        var fallback = (await admin.PostAsync($"/v1/merchants/{merchant.Id}/routing_rules",
            new { livemode = false, priority = 10, targets = new[] { new { provider_account = a } } })).EnsureStatus(200).Str("id");
        using var client = await ConsoleUsers.SignedInAsync(Server, owner);
        var auditBefore = (await Server.Services.GetRequiredService<IAuditStore>().ListAsync(new AuditQuery { MerchantId = merchant.Id, Limit = 100 }, default)).Count;
        string Tester(string currency, string brand = "visa") =>
            $"/console/settings/routing/tester?merchant={merchant.Id}&mode=test&run=1&Input.Amount=25.00&Input.Currency={currency}&Input.MethodType=card&Input.CardBrand={brand}";

        var blank = await client.GetAsync($"/console/settings/routing/tester?merchant={merchant.Id}");
        Assert.Equal(200, blank.Status);
        Assert.DoesNotContain("id=\"answer\"", blank.Body, StringComparison.Ordinal);

        var answer = await client.GetAsync(Tester("EUR"));
        Assert.Equal(200, answer.Status);
        Assert.Contains($"id=\"answer-account\">{a}<", answer.Body, StringComparison.Ordinal);
        Assert.Contains($">{fallback}</a>", answer.Body, StringComparison.Ordinal);

        // A rule for EUR visa, sooner, to b: the answer moves to b; the old rule still adds a as the next candidate.
        var rulePath = $"/console/settings/routing/new?merchant={merchant.Id}&mode=test";
        var made = await client.PostFormAsync(rulePath + "&handler=Save", new Dictionary<string, string?>
        {
            ["Input.Priority"] = "5",
            ["Input.Currencies"] = "EUR",
            ["Input.CardBrands"] = "visa",
            ["Input.Targets[0].Account"] = b,
        }, formPage: rulePath);
        Assert.Equal(302, made.Status);
        var euro = QueryValue(made.Location, "id");
        auditBefore++;
        answer = await client.GetAsync(Tester("EUR"));
        Assert.Contains($"id=\"answer-account\">{b}<", answer.Body, StringComparison.Ordinal);
        Assert.Matches($"(?s)id=\"candidates\">.*{b}.*{a}.*</ol>", answer.Body);
        Assert.Contains("matched: decides", answer.Body, StringComparison.Ordinal);

        // The same router decides a real payment: it goes where the tester said.
        var paid = (await Steps.PayAsync(Server, merchant, TestCards.Visa, 2500)).EnsureStatus(200);
        Assert.Equal(b, paid.Json.GetProperty("routing").GetProperty("provider_account").GetString());
        Assert.Equal(euro, paid.Json.GetProperty("routing").GetProperty("rule_id").GetString());

        // Conditions not met are named: another currency, another brand.
        answer = await client.GetAsync(Tester("GBP"));
        Assert.Contains($"id=\"answer-account\">{a}<", answer.Body, StringComparison.Ordinal);
        Assert.Contains("the currency is not one of the rule&#x27;s", answer.Body, StringComparison.Ordinal);
        answer = await client.GetAsync(Tester("EUR", "mastercard"));
        Assert.Contains($"id=\"answer-account\">{a}<", answer.Body, StringComparison.Ordinal);
        Assert.Contains("the card brand is not one of the rule&#x27;s", answer.Body, StringComparison.Ordinal);

        // Disabling b moves the answer back to a, and says why b was skipped.
        (await admin.PostAsync($"/v1/merchants/{merchant.Id}/provider_accounts/{b}", new { disabled = true })).EnsureStatus(200);
        answer = await client.GetAsync(Tester("EUR"));
        Assert.Contains($"id=\"answer-account\">{a}<", answer.Body, StringComparison.Ordinal);
        Assert.Contains("skipped: the account is disabled", answer.Body, StringComparison.Ordinal);
        Assert.Contains("matched, no usable account", answer.Body, StringComparison.Ordinal);

        // Disabling a too: the router refuses, and the tester says so.
        (await admin.PostAsync($"/v1/merchants/{merchant.Id}/provider_accounts/{a}", new { disabled = true })).EnsureStatus(200);
        answer = await client.GetAsync(Tester("EUR"));
        Assert.Contains("provider_not_configured", answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"answer-account\"", answer.Body, StringComparison.Ordinal);

        // Bad input is refused beside the field (400) and routes nothing.
        var bad = await client.GetAsync($"/console/settings/routing/tester?merchant={merchant.Id}&run=1&Input.Amount=12.345&Input.Currency=EUR&Input.MethodType=card");
        Assert.Equal(400, bad.Status);
        Assert.Contains("id=\"Input_Amount-error\">Enter a positive amount with at most 2 decimals", bad.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"answer\"", bad.Body, StringComparison.Ordinal);
        bad = await client.GetAsync($"/console/settings/routing/tester?merchant={merchant.Id}&run=1&Input.Amount=12&Input.Currency=EUR&Input.MethodType=card&Input.Country=Germany");
        Assert.Equal(400, bad.Status);
        Assert.Contains("id=\"Input_Country-error\">Enter a two-letter country code", bad.Body, StringComparison.Ordinal);

        // The tester writes nothing: no audit entry beyond the rule's creation, the disables of the admin API, and no payment.
        var auditAfter = await Server.Services.GetRequiredService<IAuditStore>().ListAsync(new AuditQuery { MerchantId = merchant.Id, Limit = 100 }, default);
        Assert.Equal(auditBefore + 2, auditAfter.Count);

        // The tester is an owner's: a developer is refused.
        var developer = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Developer, merchant.Id);
        using var dev = await ConsoleUsers.SignedInAsync(Server, developer);
        Assert.Equal(403, (await dev.GetAsync(Tester("EUR"))).Status);
    }

    [Fact]
    public async Task Tester_AndAccountsList_ShowAnOpenCircuit_AndWhereAnAttemptGoesNow()
    {
        var merchant = await Server.CreateMerchantAsync("Settings circuit shop");
        var owner = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Owner, merchant.Id);
        var admin = Server.Client(Server.AdminKey);
        var down = (await admin.PostAsync($"/v1/merchants/{merchant.Id}/provider_accounts",
            new { provider = "simulator", livemode = false, description = "down", settings = new { outage = "true" } })).EnsureStatus(200).Str("id")!;
        var up = await SimulatorAccountAsync(merchant.Id, "up");
        (await admin.PostAsync($"/v1/merchants/{merchant.Id}/routing_rules", new { livemode = false, priority = 1, targets = new[] { new { provider_account = down } } })).EnsureStatus(200);
        (await admin.PostAsync($"/v1/merchants/{merchant.Id}/routing_rules", new { livemode = false, priority = 2, targets = new[] { new { provider_account = up } } })).EnsureStatus(200);

        // Eight payments fail over from the account in outage: its breaker (8 calls, half failing) opens on this node.
        for (var i = 0; i < 8; i++)
        {
            var paid = (await Steps.PayAsync(Server, merchant, TestCards.Visa, 1000 + i)).EnsureStatus(200);
            Assert.Equal("succeeded", paid.Str("status"));
        }

        using var client = await ConsoleUsers.SignedInAsync(Server, owner);
        var list = await client.GetAsync($"/console/settings/provider-accounts?merchant={merchant.Id}");
        Assert.Matches($"(?s)id=\"account-{down}\".*?<span class=\"badge warn\">open</span>", list.Body);
        var answer = await client.GetAsync($"/console/settings/routing/tester?merchant={merchant.Id}&run=1&Input.Amount=10&Input.Currency=EUR&Input.MethodType=card");
        Assert.Equal(200, answer.Status);
        Assert.Contains($"id=\"answer-account\">{down}<", answer.Body, StringComparison.Ordinal); // the router's plan is unchanged
        Assert.Matches($"(?s)id=\"answer-circuit\">Its circuit is <strong>open</strong> on this node.*{up}", answer.Body);
        Assert.Matches($"(?s)id=\"candidates\">.*{down}.*circuit open.*{up}.*circuit closed", answer.Body);
    }

    [Fact]
    public void Router_Trace_IsWrittenByTheSameDecision_AndMatchesPlan()
    {
        var providers = Server.Services.GetRequiredService<PaymentGateway.Core.Payments.ProviderRegistry>();
        var now = DateTimeOffset.UtcNow;
        ProviderAccountRecord Account(string id, string status = "enabled") =>
            new() { Id = id, MerchantId = "mer_x", Livemode = false, ProviderId = "simulator", Status = status, Created = now, Updated = now };
        var rules = new List<RoutingRule>
        {
            new() { Id = "rr_gbp", MerchantId = "mer_x", Livemode = false, Priority = 1, Conditions = new RoutingConditions { Currencies = ["GBP"] }, Targets = [new RoutingTarget { ProviderAccount = "pa_1" }] },
            new() { Id = "rr_big", MerchantId = "mer_x", Livemode = false, Priority = 2, Conditions = new RoutingConditions { AmountGte = 10_000 }, Targets = [new RoutingTarget { ProviderAccount = "pa_1" }] },
            new() { Id = "rr_eur", MerchantId = "mer_x", Livemode = false, Priority = 3, Conditions = new RoutingConditions { Currencies = ["EUR"] },
                Targets = [new RoutingTarget { ProviderAccount = "pa_off", Weight = 5 }, new RoutingTarget { ProviderAccount = "pa_2", Weight = 2 }, new RoutingTarget { ProviderAccount = "pa_3", Weight = 1 }] },
            new() { Id = "rr_default", MerchantId = "mer_x", Livemode = false, Priority = 4, Targets = [new RoutingTarget { ProviderAccount = "pa_2" }, new RoutingTarget { ProviderAccount = "pa_gone" }] },
        };
        var accounts = new List<ProviderAccountRecord> { Account("pa_1"), Account("pa_2"), Account("pa_3"), Account("pa_off", "disabled") };
        var payment = new PaymentGateway.Core.Payments.Payment { Id = "pay_trace", MerchantId = "mer_x", Livemode = false, Amount = 2500, Currency = "EUR", Created = now, Updated = now };
        var trace = new RoutingTrace();
        var traced = PaymentRouter.Plan(rules, accounts, payment, null, null, providers, trace);
        var plain = PaymentRouter.Plan(rules, accounts, payment, null, null, providers);
        Assert.NotNull(traced);
        Assert.Equal(plain!.Decision.RuleId, traced.Decision.RuleId);
        Assert.Equal(plain.Decision.ProviderAccount, traced.Decision.ProviderAccount);
        Assert.Equal(plain.Decision.Candidates, traced.Decision.Candidates);
        Assert.Equal(["pa_3", "pa_2"], traced.Decision.Candidates.Order(StringComparer.Ordinal).Reverse());
        Assert.Equal("rr_eur", traced.Decision.RuleId);
        Assert.Equal(["currencies", "amount_gte", null, null], trace.Rules.Select(r => r.Unmet));
        var eur = trace.Rules[2];
        Assert.True(eur.Decides);
        Assert.Equal(3, eur.UsableWeight);
        Assert.Equal(traced.Decision.ProviderAccount, eur.Picked);
        Assert.Equal([RoutingTrace.Disabled, null, null], eur.Targets.Select(t => t.Skipped));
        Assert.False(trace.Rules[3].Decides);
        Assert.Equal([null, RoutingTrace.AccountMissing], trace.Rules[3].Targets.Select(t => t.Skipped));
        Assert.Equal(["pa_2"], trace.Rules[3].AlreadyCandidates);
    }

    private static void AssertNoSecret(string text, params string[] secrets)
    {
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(WebUtility.HtmlEncode(secret), text, StringComparison.Ordinal);
        }
    }

    private static string QueryValue(string? location, string name) =>
        System.Text.RegularExpressions.Regex.Match(location ?? string.Empty, $"[?&]{name}=([^&]+)") is { Success: true } m
            ? Uri.UnescapeDataString(m.Groups[1].Value)
            : throw new InvalidOperationException($"No {name} in {location}.");

    private async Task<PaymentGateway.Providers.ProviderAccount> OpenAsync(string id)
    {
        var record = await Server.Services.GetRequiredService<IRoutingStore>().GetProviderAccountAsync(id, default) ?? throw new InvalidOperationException("gone");
        return Server.Services.GetRequiredService<ProviderAccountService>().Open(record);
    }

    private async Task<string> SimulatorAccountAsync(string merchantId, string description) =>
        (await Server.Client(Server.AdminKey).PostAsync($"/v1/merchants/{merchantId}/provider_accounts", new { provider = "simulator", livemode = false, description }))
            .EnsureStatus(200).Str("id") ?? throw new InvalidOperationException("no id");

    private async Task<string?> StatusAsync(string merchantId, string account) =>
        (await Server.Client(Server.AdminKey).GetAsync($"/v1/merchants/{merchantId}/provider_accounts/{account}")).EnsureStatus(200).Str("status");

    private Task<IReadOnlyList<RoutingRule>> RulesAsync(string merchantId) =>
        Server.Services.GetRequiredService<IRoutingStore>().ListRoutingRulesAsync(merchantId, false, default);
}
