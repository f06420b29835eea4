using Microsoft.Extensions.DependencyInjection;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Host.BackOffice;

namespace PaymentGateway.Api.EndToEndTests.Console;

/// <summary>
/// Every console route and action × every role: allowed or 403, decided in the services (a page that hides a button
/// proves nothing; these requests are made directly). The back office's part 2 adds its routes to <see cref="Routes"/>.
/// Roles here are scoped to one merchant, plus a platform owner (owner of every merchant).
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleRoleMatrixTests(ConsoleFixture fixture)
{
    /// <summary>The caller of a row: a role on the fixture's merchant, or "platform" for an owner of all merchants.</summary>
    public static readonly string[] Callers = ["platform", "owner", "developer", "support", "finance", "viewer"];

    /// <summary>The callers that capture, cancel and refund (support within its refund limit; none is set here).</summary>
    public static readonly string[] MoneyMovers = ["platform", "owner", "support"];

    /// <summary>The callers that answer disputes (evidence, files, submit, accept).</summary>
    public static readonly string[] DisputeResponders = ["platform", "owner", "support"];

    /// <summary>The callers that add, disable, enable and rotate webhook endpoints.</summary>
    public static readonly string[] WebhookManagers = ["platform", "owner", "developer"];

    /// <summary>The callers that resend webhook deliveries.</summary>
    public static readonly string[] WebhookResenders = ["platform", "owner", "developer", "support"];
    /// <summary>The callers that match bank statement entries to payments by hand.</summary>
    public static readonly string[] BankMatchers = ["platform", "owner", "finance"];

    /// <summary>The callers that read reports and reconciliation, and start, cancel and download exports (owners and finance).</summary>
    public static readonly string[] ReportReaders = ["platform", "owner", "finance"];

    /// <summary>The callers of Settings: provider accounts, routing rules and the routing tester (owners only).</summary>
    public static readonly string[] SettingsOwners = ["platform", "owner"];

    /// <summary>
    /// Method, path ({target} = a viewer on the fixture's merchant, {merchant} = the fixture's merchant), form fields,
    /// and the callers that may do it. A form post that is allowed answers 200 or 302; a refused one 403 and changes nothing.
    /// </summary>
    public static readonly (string Method, string Path, string Fields, string[] Allowed)[] Routes =
    [
        ("GET", "/console", "", Callers),
        ("GET", "/console/account", "", Callers),
        ("GET", "/console/two-factor/setup", "", Callers),
        ("GET", "/console/team", "", ["platform", "owner"]),
        ("GET", "/console/team/{target}", "", ["platform", "owner"]),
        ("POST", "/console/team?handler=Invite", "Input.Email={email}&Input.Role=viewer&Input.Merchant={merchant}", ["platform", "owner"]),
        ("POST", "/console/team/{target}?handler=RefundLimit", "Input.RefundLimit=500", ["platform", "owner"]),
        ("POST", "/console/team/{target}?handler=Grant", "Input.Merchant={merchant}&Input.Role=finance", ["platform", "owner"]),
        ("POST", "/console/team/{target}?handler=ResetTwoFactor", "", ["platform", "owner"]),
        ("POST", "/console/team/{target}?handler=ResetLink", "", ["platform", "owner"]),
        ("POST", "/console/team/{target}?handler=Disable", "", ["platform", "owner"]),
        ("POST", "/console/team/{target}?handler=Enable", "", ["platform", "owner"]),
        ("POST", "/console/team/{target}?handler=Remove", "", ["platform", "owner"]),
        ("GET", "/console/audit", "", ["platform", "owner", "finance"]),
        ("GET", "/console/audit/export", "", ["platform", "owner", "finance"]),
        ("GET", "/console/merchant", "", Callers),
        ("POST", "/console/merchant", "Merchant={merchant}", Callers),
        ("POST", "/console/team?handler=Revoke&id={invitation}", "", ["platform", "owner"]),
        ("POST", "/console/account?handler=ChangePassword", "Input.CurrentPassword={password}&Input.NewPassword=another long passphrase 77&Input.ConfirmPassword=another long passphrase 77", Callers),
        ("POST", "/console/account?handler=SignOutEverywhere", "", Callers),
        ("GET", "/console/signout", "", Callers),
        ("POST", "/console/signout", "", Callers),
        ("GET", "/console/developers/api-keys?merchant={merchant}", "", ["platform", "owner", "developer"]),
        ("POST", "/console/developers/api-keys?handler=Create&merchant={merchant}", "Input.Type=secret&Input.Mode=test&Input.Name=matrix", ["platform", "owner", "developer"]),
        ("POST", "/console/developers/api-keys?handler=Roll&id={key}&merchant={merchant}", "", ["platform", "owner", "developer"]),
        ("POST", "/console/developers/api-keys?handler=RevokeConfirmed&id={key}&merchant={merchant}", "", ["platform", "owner", "developer"]),
        ("POST", "/console/developers/api-keys?handler=Revoke&id={key}&merchant={merchant}", "", ["platform", "owner", "developer"]),
        ("POST", "/console/developers/api-keys?handler=RollConfirmed&id={key}&merchant={merchant}", "Input.Overlap=3600", ["platform", "owner", "developer"]),
        ("GET", "/console/payments?merchant={merchant}", "", Callers),
        ("GET", "/console/payments/{payment}", "", Callers),
        ("GET", "/console/payments/export?merchant={merchant}", "", ["platform", "owner", "finance"]),
        ("GET", "/console/payments/{payment}/refund", "", MoneyMovers),
        ("GET", "/console/payments/{authorized}/capture", "", MoneyMovers),
        ("GET", "/console/payments/{authorized}/cancel", "", MoneyMovers),
        ("POST", "/console/payments/{payment}/refund?handler=Review", "Input.Amount=1.00", MoneyMovers),
        ("POST", "/console/payments/{payment}/refund?handler=Confirm", "Input.Amount=1.00&Input.FormToken={formtoken}", MoneyMovers),
        ("POST", "/console/payments/{authorized}/capture?handler=Confirm", "Input.Amount=5.00&Input.FormToken={formtoken}", MoneyMovers),
        ("POST", "/console/payments/{authorized}/cancel?handler=Confirm", "Input.FormToken={formtoken}", MoneyMovers),
        ("GET", "/console/customers?merchant={merchant}", "", Callers),
        ("GET", "/console/customers/{customer}?merchant={merchant}", "", Callers),
        ("POST", "/console/customers/{customer}?handler=Detach&merchant={merchant}", "paymentMethod={savedcard}", ["platform", "owner", "support"]),
        ("GET", "/console/disputes?merchant={merchant}", "", Callers),
        ("GET", "/console/disputes/{dispute}", "", Callers),
        ("POST", "/console/disputes/{dispute}?handler=Evidence", "Evidence.product_description=A teapot", DisputeResponders),
        ("POST", "/console/disputes/{dispute}?handler=Upload", "", DisputeResponders),
        ("POST", "/console/disputes/{dispute}?handler=Submit", "", DisputeResponders),
        ("POST", "/console/disputes/{dispute}?handler=Accept", "Input.ConfirmAccept=true", DisputeResponders),
        ("GET", "/console/developers/webhooks?merchant={merchant}", "", Callers),
        ("POST", "/console/developers/webhooks?handler=Create&merchant={merchant}", "Input.Url=https://{unique}.example/hooks&Input.Events=*", WebhookManagers),
        ("POST", "/console/developers/webhooks?handler=Disable&id={endpoint}&merchant={merchant}", "", WebhookManagers),
        ("POST", "/console/developers/webhooks?handler=DisableConfirmed&id={endpoint}&merchant={merchant}", "", WebhookManagers),
        ("POST", "/console/developers/webhooks?handler=Enable&id={endpoint}&merchant={merchant}", "", WebhookManagers),
        ("POST", "/console/developers/webhooks?handler=Rotate&id={endpoint}&merchant={merchant}", "", WebhookManagers),
        ("POST", "/console/developers/webhooks?handler=RotateConfirmed&id={endpoint}&merchant={merchant}", "Input.Overlap=3600", WebhookManagers),
        ("GET", "/console/developers/webhooks/{endpoint}?merchant={merchant}", "", Callers),
        ("POST", "/console/developers/webhooks/{endpoint}?handler=Resend&delivery={delivery}&merchant={merchant}", "Input.FormToken={formtoken}", WebhookResenders),
        ("POST", "/console/developers/webhooks/{endpoint}?handler=Review&merchant={merchant}", "Input.From=2026-01-01&Input.To=2026-01-31", WebhookResenders),
        ("POST", "/console/developers/webhooks/{endpoint}?handler=ResendFailed&merchant={merchant}", "Input.From=2026-01-01&Input.To=2026-01-31&Input.FormToken={formtoken}", WebhookResenders),
        ("GET", "/console/events?merchant={merchant}", "", Callers),
        ("GET", "/console/events/{event}?merchant={merchant}", "", Callers),
        ("GET", "/console/refunds?merchant={merchant}", "", Callers),
        ("GET", "/console/bank-transfers?merchant={merchant}", "", Callers),
        ("GET", "/console/bank-transfers/{bankentry}?merchant={merchant}", "", BankMatchers),
        ("POST", "/console/bank-transfers/{bankentry}?handler=Review&merchant={merchant}", "Input.Payment={banktransfer}&Input.FormToken={formtoken}", BankMatchers),
        ("POST", "/console/bank-transfers/{bankentry}?handler=Confirm&merchant={merchant}", "Input.Payment={banktransfer}&Input.FormToken={formtoken}", BankMatchers),
        ("GET", "/console/direct-debits?merchant={merchant}", "", Callers),
        ("GET", "/console/direct-debits/{ddbatch}?merchant={merchant}", "", Callers),
        ("GET", "/console/reports?merchant={merchant}", "", ReportReaders),
        ("GET", "/console/reports/exports?merchant={merchant}", "", ReportReaders),
        ("POST", "/console/reports/exports?handler=Create&merchant={merchant}", "Input.Type=payments&Input.From=2026-01-01&Input.To=2026-01-02&Input.FormToken={formtoken}&Input.Issued={issued}", ReportReaders),
        ("POST", "/console/reports/exports?handler=Cancel&id={export}&merchant={merchant}", "", ReportReaders),
        ("GET", "/console/reports/exports/{doneexport}/download?merchant={merchant}", "", ReportReaders),
        ("GET", "/console/reports/reconciliation?merchant={merchant}&days=30", "", ReportReaders),
        ("GET", "/console/reports?merchant=all", "", ReportReaders),
        ("GET", "/console/settings/provider-accounts?merchant={merchant}", "", SettingsOwners),
        ("GET", "/console/settings/provider-accounts/new?merchant={merchant}&provider=mollie&mode=live", "", SettingsOwners),
        ("POST", "/console/settings/provider-accounts/new?handler=Save&merchant={merchant}&provider=mollie&mode=live", "Input.Description=matrix {unique}&Input.Credentials[api_key]=live_matrixSecretKey000000000001&Input.Settings[base_url]=http://127.0.0.1:9", SettingsOwners),
        ("GET", "/console/settings/provider-accounts/{provideraccount}?merchant={merchant}", "", SettingsOwners),
        ("POST", "/console/settings/provider-accounts/{provideraccount}?handler=Save&merchant={merchant}", "Input.Description=matrix {unique}", SettingsOwners),
        ("POST", "/console/settings/provider-accounts?handler=Disable&id={provideraccount}&merchant={merchant}", "", SettingsOwners),
        ("POST", "/console/settings/provider-accounts?handler=DisableConfirmed&id={provideraccount}&merchant={merchant}", "", SettingsOwners),
        ("POST", "/console/settings/provider-accounts?handler=Enable&id={provideraccount}&merchant={merchant}", "", SettingsOwners),
        ("POST", "/console/settings/provider-accounts?handler=Delete&id={provideraccount}&merchant={merchant}", "", SettingsOwners),
        ("POST", "/console/settings/provider-accounts?handler=DeleteConfirmed&id={provideraccount}&merchant={merchant}", "", SettingsOwners),
        ("GET", "/console/settings/routing?merchant={merchant}&mode=live", "", SettingsOwners),
        ("GET", "/console/settings/routing/new?merchant={merchant}&mode=live", "", SettingsOwners),
        ("POST", "/console/settings/routing/new?handler=Save&merchant={merchant}&mode=live", "Input.Priority=900&Input.Description=matrix {unique}&Input.Targets[0].Account={provideraccount}", SettingsOwners),
        ("GET", "/console/settings/routing/{routingrule}?merchant={merchant}", "", SettingsOwners),
        ("POST", "/console/settings/routing/{routingrule}?handler=Save&merchant={merchant}", "Input.Priority=901&Input.Targets[0].Account={provideraccount}", SettingsOwners),
        ("POST", "/console/settings/routing?handler=Delete&id={routingrule}&merchant={merchant}&mode=live", "", SettingsOwners),
        ("POST", "/console/settings/routing?handler=DeleteConfirmed&id={routingrule}&merchant={merchant}&mode=live", "", SettingsOwners),
        ("GET", "/console/settings/routing/tester?merchant={merchant}&mode=live&run=1&Input.Amount=10.00&Input.Currency=EUR&Input.MethodType=card", "", SettingsOwners),
    ];

    /// <summary>
    /// Page actions left out of <see cref="Routes"/>, with why: each acts only on the caller's own pending two-factor
    /// state and needs a live TOTP code (their tests are the two-factor tests and the first owner's browser journey).
    /// </summary>
    public static readonly (string Method, string Path, string? Handler)[] SelfServiceWithACode =
    [
        ("POST", "/console/two-factor/setup", null),
        ("POST", "/console/account", "RecoveryCodes"),
    ];

    public static IEnumerable<object[]> Cases() =>
        from route in Routes
        from caller in Callers
        select new object[] { route.Method, route.Path, caller, route.Allowed.Contains(caller) };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Route_IsAllowedOrForbiddenByRole(string method, string path, string caller, bool allowed)
    {
        var server = fixture.Server;
        await RemoveLiveRoutingAsync(server);
        var user = caller == "platform"
            ? await ConsoleUsers.CreateAsync(server, ConsoleRole.Owner, merchantId: null)
            : await ConsoleUsers.CreateAsync(server, ConsoleRoles.All.Single(r => r.ToWire() == caller), fixture.MerchantId);
        var target = await ConsoleUsers.CreateAsync(server, ConsoleRole.Viewer, fixture.MerchantId);
        var team = server.Services.GetRequiredService<ConsoleTeamService>();
        var invitation = path.Contains("{invitation}", StringComparison.Ordinal)
            ? (await team.InviteAsync(new ConsoleCaller { UserId = "usr_matrix", Email = "matrix@example.com", Grants = [new ConsoleGrant { Role = ConsoleRole.Owner }], Context = PaymentGateway.Core.Audit.AuditContext.None },
                $"invitee-{Guid.NewGuid():N}@example.com", "viewer", fixture.MerchantId, server.BaseAddress + "console/join", default)).Link
            : null;
        using var client = await ConsoleUsers.SignedInAsync(server, user);
        var shop = fixture.Shop ?? throw new InvalidOperationException("No shop.");
        var payment = path.Contains("{payment}", StringComparison.Ordinal) ? await Steps.SucceededPaymentAsync(server, shop) : null;
        var authorized = path.Contains("{authorized}", StringComparison.Ordinal) ? await Steps.AuthorizedPaymentAsync(server, shop) : null;
        var customer = path.Contains("{customer}", StringComparison.Ordinal) ? await SavedCardSteps.CustomerAsync(server, shop) : null;
        var savedCard = customer is not null ? (await SavedCardSteps.SaveCardAsync(server, shop, customer, TestCards.MitApproved)).PaymentMethod : null;
        var dispute = path.Contains("{dispute}", StringComparison.Ordinal) ? (await DisputeSteps.DisputedPaymentAsync(server, shop)).DisputeId : null;
        var bankEntry = path.Contains("{bankentry}", StringComparison.Ordinal) ? await BankStatementSteps.UnmatchedCreditAsync(server, shop, 5000) : null;
        var transfer = bankEntry is not null ? (await BankStatementSteps.OpenTransferAsync(server, shop, 5000)).Id : null;
        var ddBatch = path.Contains("{ddbatch}", StringComparison.Ordinal) ? (await BankStatementSteps.DirectDebitBatchAsync(server, shop, 1200)).Batch : null;
        var resolved = path.Replace("{bankentry}", bankEntry, StringComparison.Ordinal).Replace("{ddbatch}", ddBatch, StringComparison.Ordinal).Replace("{target}", target.Id, StringComparison.Ordinal).Replace("{invitation}", invitation?.Id, StringComparison.Ordinal)
            .Replace("{merchant}", fixture.MerchantId, StringComparison.Ordinal)
            .Replace("{payment}", payment, StringComparison.Ordinal).Replace("{authorized}", authorized, StringComparison.Ordinal)
            .Replace("{customer}", customer, StringComparison.Ordinal).Replace("{dispute}", dispute, StringComparison.Ordinal);
        var unique = Guid.NewGuid().ToString("N");
        var hooks = server.Client(shop.SecretKey);
        string? endpointId = null;
        string? deliveryId = null;
        if (path.Contains("{endpoint}", StringComparison.Ordinal))
        {
            endpointId = (await hooks.PostAsync("/v1/webhook_endpoints", new { url = $"https://{unique}.example/hooks", enabled_events = new[] { "payment.created" } }))
                .EnsureStatus(200).Str("id");
            resolved = resolved.Replace("{endpoint}", endpointId, StringComparison.Ordinal);
        }

        if (path.Contains("{delivery}", StringComparison.Ordinal))
        {
            var eventId = await Webhooks.CreatePaymentEventAsync(server, shop);
            for (var tries = 0; deliveryId is null && tries < 200; tries++)
            {
                var data = (await hooks.GetAsync($"/v1/events/{eventId}/deliveries")).EnsureStatus(200).Json.GetProperty("data");
                deliveryId = data.EnumerateArray().Where(d => d.GetProperty("webhook_endpoint").GetString() == endpointId).Select(d => d.GetProperty("id").GetString()).FirstOrDefault();
                if (deliveryId is null)
                {
                    await Task.Delay(50);
                }
            }

            resolved = resolved.Replace("{delivery}", deliveryId ?? throw new InvalidOperationException("The delivery was never made."), StringComparison.Ordinal);
        }

        // Export rows: a daily report of today stays pending until midnight UTC (so it can be canceled); a finished one is downloaded.
        string? export = null;
        if (path.Contains("{export}", StringComparison.Ordinal))
        {
            export = (await hooks.PostAsync("/v1/exports", new { type = "refunds", schedule = "daily" })).EnsureStatus(202).Str("id");
            resolved = resolved.Replace("{export}", export, StringComparison.Ordinal);
        }

        if (path.Contains("{doneexport}", StringComparison.Ordinal))
        {
            var done = (await hooks.PostAsync("/v1/exports", new { type = "payments", from = DateTimeOffset.UtcNow.AddHours(-1), to = DateTimeOffset.UtcNow })).EnsureStatus(202).Str("id");
            for (var tries = 0; tries < 300 && (await hooks.GetAsync($"/v1/exports/{done}")).Str("status") != "succeeded"; tries++)
            {
                await Task.Delay(100);
            }

            resolved = resolved.Replace("{doneexport}", done, StringComparison.Ordinal);
        }

        if (path.Contains("{event}", StringComparison.Ordinal))
        {
            resolved = resolved.Replace("{event}", await Webhooks.CreatePaymentEventAsync(server, shop), StringComparison.Ordinal);
        }

        // Settings rows work on a live Mollie account (and a live rule sending to it) made for the row: the fixture's
        // merchant pays in test mode only, so these never route its payments.
        string? providerAccount = null;
        string? routingRule = null;
        var fieldsOfRow = Routes.Single(r => r.Path == path && r.Method == method).Fields;
        if (path.Contains("{provideraccount}", StringComparison.Ordinal) || fieldsOfRow.Contains("{provideraccount}", StringComparison.Ordinal) || path.Contains("{routingrule}", StringComparison.Ordinal))
        {
            var admin = server.Client(server.AdminKey);
            providerAccount = (await admin.PostAsync($"/v1/merchants/{fixture.MerchantId}/provider_accounts",
                new
                {
                    provider = "mollie",
                    livemode = true,
                    description = "matrix",
                    credentials = new { api_key = "live_matrixSecretKey000000000000" },
                    // Nothing listens on port 9: the dispute sync's pass over every account is refused at once here
                    // instead of waiting on Mollie's real address, which would hold up the dispute rows' simulator disputes.
                    settings = new Dictionary<string, string> { ["base_url"] = "http://127.0.0.1:9" },
                })).EnsureStatus(200).Str("id");
            resolved = resolved.Replace("{provideraccount}", providerAccount, StringComparison.Ordinal);
            if (path.Contains("{routingrule}", StringComparison.Ordinal))
            {
                routingRule = (await admin.PostAsync($"/v1/merchants/{fixture.MerchantId}/routing_rules",
                    new { livemode = true, priority = 800, targets = new[] { new { provider_account = providerAccount } } })).EnsureStatus(200).Str("id");
                resolved = resolved.Replace("{routingrule}", routingRule, StringComparison.Ordinal);
            }
        }

        string? keyId = null;
        if (resolved.Contains("{key}", StringComparison.Ordinal))
        {
            var key = await server.Services.GetRequiredService<PaymentGateway.Core.Merchants.ApiKeyService>().CreateAsync(fixture.MerchantId,
                new PaymentGateway.Core.Api.CreateApiKeyRequest { Type = "secret" }, PaymentGateway.Core.Audit.AuditActor.System, PaymentGateway.Core.Audit.AuditContext.None, default);
            keyId = key.Id;
            resolved = resolved.Replace("{key}", key.Id, StringComparison.Ordinal);
        }

        ConsolePage page;
        if (method == "GET")
        {
            page = await client.GetAsync(resolved);
        }
        else
        {
            var fields = Routes.Single(r => r.Path == path && r.Method == method).Fields
                .Replace("{merchant}", fixture.MerchantId, StringComparison.Ordinal)
                .Replace("{password}", ConsoleClient.DefaultPassword, StringComparison.Ordinal)
                .Replace("{email}", $"invitee-{Guid.NewGuid():N}@example.com", StringComparison.Ordinal)
                .Replace("{formtoken}", ConsoleSecrets.NewToken(), StringComparison.Ordinal)
                .Replace("{issued}", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{savedcard}", savedCard, StringComparison.Ordinal)
                .Replace("{unique}", unique, StringComparison.Ordinal)
                .Replace("{banktransfer}", transfer, StringComparison.Ordinal)
                .Replace("{provideraccount}", providerAccount, StringComparison.Ordinal)
                .Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2))
                .ToDictionary(p => p[0], p => (string?)p[1]);

            // The anti-forgery token comes from a page every signed-in user may open.
            page = await client.PostFormAsync(resolved, fields, formPage: "/console/account");
        }

        if (allowed)
        {
            // The upload row posts no file: an allowed caller passes the role check and is told to choose a file (400).
            Assert.True(page.Status is 200 or 302 || (path.EndsWith("handler=Upload", StringComparison.Ordinal) && page.Status == 400 && page.Body.Contains("Choose a PDF", StringComparison.Ordinal)),
                $"{caller} {method} {path}: expected allowed, got {page.Status} {page.Location}");
            Assert.False(page.Location?.Contains("/console/signin", StringComparison.Ordinal) == true && path is not ("/console/signout" or "/console/account?handler=SignOutEverywhere"), $"{caller} was sent to sign in");
        }
        else
        {
            Assert.Equal(403, page.Status);
            var stored = await server.Services.GetRequiredService<PaymentGateway.Core.Storage.IConsoleStore>().GetUserAsync(target.Id, default);
            Assert.Equal(ConsoleUserStatus.Active, stored?.Status);
            Assert.Equal(ConsoleRole.Viewer, Assert.Single(stored?.Grants ?? []).Role);
            Assert.Null(stored?.RefundLimit);
            if (invitation is not null)
            {
                Assert.Null((await server.Services.GetRequiredService<PaymentGateway.Core.Storage.IConsoleStore>().GetLinkAsync(invitation.Id, default))?.RevokedAt);
            }

            if (keyId is not null)
            {
                var key = await server.Services.GetRequiredService<PaymentGateway.Core.Merchants.ApiKeyService>().GetAsync(fixture.MerchantId, keyId, default);
                Assert.Equal("active", key.Status);
            }

            if (savedCard is not null)
            {
                var card = await server.Client(shop.SecretKey).GetAsync($"/v1/payment_methods/{savedCard}");
                Assert.Equal(customer, card.Str("customer"));
                Assert.False(card.Json.TryGetProperty("detached_at", out var detached) && detached.ValueKind != System.Text.Json.JsonValueKind.Null, "a refused detach detached the card");
            }

            if (path.Contains("/console/developers/webhooks", StringComparison.Ordinal))
            {
                // A refused webhook change changes nothing: no endpoint made, the endpoint still enabled with one secret, no delivery queued again.
                var endpoints = (await hooks.GetAsync("/v1/webhook_endpoints?limit=100")).EnsureStatus(200);
                Assert.DoesNotContain($"https://{unique}.example/hooks", endpointId is null ? endpoints.Body : string.Empty, StringComparison.Ordinal);
                if (endpointId is not null)
                {
                    var endpoint = (await hooks.GetAsync($"/v1/webhook_endpoints/{endpointId}")).EnsureStatus(200);
                    Assert.Equal("enabled", endpoint.Str("status"));
                    Assert.Equal(System.Text.Json.JsonValueKind.Null, endpoint.Json.GetProperty("previous_secret_expires_at").ValueKind);
                }

                if (method == "POST" && !path.Contains("handler=Review", StringComparison.Ordinal) && !path.Contains("handler=Disable&", StringComparison.Ordinal)
                    && !path.Contains("handler=Rotate&", StringComparison.Ordinal))
                {
                    var refused = await server.Services.GetRequiredService<PaymentGateway.Core.Storage.IAuditStore>()
                        .ListAsync(new PaymentGateway.Core.Storage.AuditQuery { ActorId = user.Id, Limit = 10 }, default);
                    Assert.Contains(refused, a => a.Record.Outcome == "refused");
                }
            }

            if (path.Contains("/console/settings/", StringComparison.Ordinal))
            {
                // A refused settings change changes nothing: the account as made, the rule as made, no account named after the row.
                var admin = server.Client(server.AdminKey);
                Assert.DoesNotContain($"matrix {unique}", (await admin.GetAsync($"/v1/merchants/{fixture.MerchantId}/provider_accounts")).EnsureStatus(200).Body, StringComparison.Ordinal);
                Assert.DoesNotContain($"matrix {unique}", (await admin.GetAsync($"/v1/merchants/{fixture.MerchantId}/routing_rules?livemode=true")).EnsureStatus(200).Body, StringComparison.Ordinal);
                if (providerAccount is not null)
                {
                    Assert.Equal("enabled", (await admin.GetAsync($"/v1/merchants/{fixture.MerchantId}/provider_accounts/{providerAccount}")).EnsureStatus(200).Str("status"));
                }

                if (routingRule is not null)
                {
                    Assert.Equal(800, (await admin.GetAsync($"/v1/merchants/{fixture.MerchantId}/routing_rules/{routingRule}")).EnsureStatus(200).Long("priority"));
                }

                if (method == "POST" && !path.Contains("handler=Disable&", StringComparison.Ordinal) && !path.Contains("handler=Delete&", StringComparison.Ordinal))
                {
                    var refused = await server.Services.GetRequiredService<PaymentGateway.Core.Storage.IAuditStore>()
                        .ListAsync(new PaymentGateway.Core.Storage.AuditQuery { ActorId = user.Id, Limit = 10 }, default);
                    Assert.Contains(refused, a => a.Record.Outcome == "refused" && a.Record.After?["reason"] == "role");
                }
            }

            if (path.StartsWith("/console/reports/exports", StringComparison.Ordinal) && method == "POST")
            {
                // A refused export action changes nothing (the pending export stays pending) and is audited as refused.
                if (export is not null)
                {
                    Assert.Equal("pending", (await hooks.GetAsync($"/v1/exports/{export}")).EnsureStatus(200).Str("status"));
                }

                var refused = await server.Services.GetRequiredService<PaymentGateway.Core.Storage.IAuditStore>()
                    .ListAsync(new PaymentGateway.Core.Storage.AuditQuery { ActorId = user.Id, Limit = 10 }, default);
                Assert.Contains(refused, a => a.Record.Outcome == "refused" && a.Record.After?["reason"] == "role");
            }

            if (dispute is not null)
            {
                var now = (await server.Client(shop.SecretKey).GetAsync($"/v1/disputes/{dispute}")).EnsureStatus(200);
                Assert.Equal("needs_response", now.Str("status"));
                Assert.DoesNotContain("teapot", now.Body, StringComparison.Ordinal);
            }

            if (bankEntry is not null && transfer is not null)
            {
                Assert.Equal("unmatched", (await server.Client(shop.SecretKey).GetAsync($"/v1/bank_statement_entries/{bankEntry}")).EnsureStatus(200).Str("status"));
                Assert.Equal(0, (await server.Client(shop.SecretKey).GetAsync($"/v1/payments/{transfer}")).EnsureStatus(200).Long("amount_received"));
            }

            if ((payment ?? authorized) is { } untouched)
            {
                var now = await server.Client(shop.SecretKey).GetAsync($"/v1/payments/{untouched}");
                Assert.Equal(payment is null ? "requires_capture" : "succeeded", now.Str("status"));
                Assert.Equal(0, now.Long("amount_refunded"));
            }
        }
    }

    [Fact]
    public void Routes_CoverEveryActionOfEverySignedInConsolePage()
    {
        var pages = fixture.Server.Services.GetRequiredService<Microsoft.AspNetCore.Mvc.Infrastructure.IActionDescriptorCollectionProvider>().ActionDescriptors.Items
            .OfType<Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor>()
            .Where(p => p.AttributeRouteInfo?.Template?.StartsWith("console", StringComparison.Ordinal) == true && !ConsoleAuthorization.AnonymousPages.Contains(p.ViewEnginePath))
            .ToList();
        Assert.NotEmpty(pages);
        // A route parameter of the page's template ({id}, {kind:regex(...)}) matches any segment of a listed path.
        static bool Fits(string listed, string template)
        {
            var have = listed.Split('?')[0].Split('/');
            var want = template.Split('/');
            return have.Length == want.Length && have.Zip(want).All(p => p.Second.StartsWith('{') || p.First == p.Second);
        }

        static string? HandlerOf(string path) => System.Text.RegularExpressions.Regex.Match(path, "[?&]handler=([A-Za-z]+)") is { Success: true } m ? m.Groups[1].Value : null;
        var missing = new List<string>();
        foreach (var page in pages)
        {
            var model = typeof(ConsoleAuthorization).Assembly.GetType("PaymentGateway.Host.BackOffice.Pages" + page.ViewEnginePath.Replace('/', '.') + "Model")
                ?? throw new InvalidOperationException("No page model for " + page.ViewEnginePath);
            var path = "/" + page.AttributeRouteInfo?.Template;
            foreach (var method in model.GetMethods().Select(m => System.Text.RegularExpressions.Regex.Match(m.Name, "^On(Get|Post)([A-Za-z]*?)(Async)?$")).Where(m => m.Success))
            {
                var verb = method.Groups[1].Value.ToUpperInvariant();
                var handler = method.Groups[2].Value is { Length: > 0 } h ? h : null;
                var listed = Routes.Any(r => r.Method == verb && Fits(r.Path, path) && HandlerOf(r.Path) == handler)
                    || SelfServiceWithACode.Any(e => e.Method == verb && e.Path == path && e.Handler == handler);
                if (!listed)
                {
                    missing.Add($"{verb} {path}{(handler is null ? string.Empty : "?handler=" + handler)}");
                }
            }
        }

        Assert.Empty(missing);
    }

    [Fact]
    public async Task OwnerOfOneMerchant_CannotManageTheTeamOfAnother()
    {
        var server = fixture.Server;
        var owner = await ConsoleUsers.CreateAsync(server, ConsoleRole.Owner, fixture.MerchantId);
        var stranger = await ConsoleUsers.CreateAsync(server, ConsoleRole.Viewer, fixture.OtherMerchantId);
        using var client = await ConsoleUsers.SignedInAsync(server, owner);

        Assert.Equal(404, (await client.GetAsync($"/console/team/{stranger.Id}")).Status);
        Assert.Equal(403, (await client.PostFormAsync("/console/team?handler=Invite",
            new Dictionary<string, string?> { ["Input.Email"] = "x-" + Guid.NewGuid().ToString("N") + "@example.com", ["Input.Role"] = "viewer", ["Input.Merchant"] = fixture.OtherMerchantId },
            "/console/team")).Status);
        Assert.Equal(403, (await client.PostFormAsync("/console/team?handler=Invite",
            new Dictionary<string, string?> { ["Input.Email"] = "y-" + Guid.NewGuid().ToString("N") + "@example.com", ["Input.Role"] = "owner", ["Input.Merchant"] = "*" },
            "/console/team")).Status);
        var team = await client.GetAsync("/console/team");
        Assert.DoesNotContain(stranger.Email, team.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Matrix_MatchesTheIssue_ForMoneyKeysAndUsers()
    {
        Assert.False(ConsoleRole.Developer.Allows(ConsolePermission.RefundPayments));
        Assert.False(ConsoleRole.Developer.Allows(ConsolePermission.CapturePayments));
        Assert.True(ConsoleRole.Developer.Allows(ConsolePermission.ManageApiKeys));
        Assert.True(ConsoleRole.Support.Allows(ConsolePermission.RefundPayments));
        Assert.False(ConsoleRole.Support.Allows(ConsolePermission.ManageApiKeys));
        Assert.True(ConsoleRole.Finance.Allows(ConsolePermission.ExportData));
        Assert.False(ConsoleRole.Finance.Allows(ConsolePermission.RefundPayments));
        Assert.Equal([ConsolePermission.ViewPayments, ConsolePermission.ViewEvents], ConsolePermissions.For(ConsoleRole.Viewer).Order());
        Assert.All(Enum.GetValues<ConsolePermission>(), p => Assert.True(ConsoleRole.Owner.Allows(p)));
        Assert.Equal([ConsoleRole.Owner], ConsoleRoles.All.Where(r => r.Allows(ConsolePermission.ManageUsers)));
        Assert.Equal([ConsoleRole.Owner, ConsoleRole.Support], ConsoleRoles.All.Where(r => r.Allows(ConsolePermission.ManageCustomers)));
        Assert.Equal([ConsoleRole.Owner, ConsoleRole.Finance], ConsoleRoles.All.Where(r => r.Allows(ConsolePermission.MatchBankTransfers)));
        Assert.Equal([ConsoleRole.Owner, ConsoleRole.Developer, ConsoleRole.Support], ConsoleRoles.All.Where(r => r.RequiresTwoFactor()));
    }

    /// <summary>
    /// Removes the live rules and accounts earlier Settings rows made (the fixture's merchant pays in test mode only):
    /// the dispute sync asks every account of every merchant in one pass, so accounts piling up row after row slowed
    /// it until the dispute rows' simulator disputes no longer arrived in time.
    /// </summary>
    private async Task RemoveLiveRoutingAsync(GatewayServer server)
    {
        var admin = server.Client(server.AdminKey);
        foreach (var rule in (await admin.GetAsync($"/v1/merchants/{fixture.MerchantId}/routing_rules?livemode=true")).EnsureStatus(200).Json.GetProperty("data").EnumerateArray())
        {
            (await admin.SendAsync(HttpMethod.Delete, $"/v1/merchants/{fixture.MerchantId}/routing_rules/{rule.GetProperty("id").GetString()}", null, null)).EnsureStatus(200);
        }

        foreach (var account in (await admin.GetAsync($"/v1/merchants/{fixture.MerchantId}/provider_accounts")).EnsureStatus(200).Json.GetProperty("data").EnumerateArray()
                     .Where(a => a.GetProperty("livemode").GetBoolean()))
        {
            (await admin.SendAsync(HttpMethod.Delete, $"/v1/merchants/{fixture.MerchantId}/provider_accounts/{account.GetProperty("id").GetString()}", null, null)).EnsureStatus(200);
        }
    }
}
