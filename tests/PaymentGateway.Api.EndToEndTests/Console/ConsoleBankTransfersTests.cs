using Microsoft.Extensions.DependencyInjection;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Api.EndToEndTests.Console;

/// <summary>
/// The console's Bank transfers pages over HTTP: the unmatched entries, the manual match by RF reference with its
/// confirmation, a double-submitted confirmation crediting the payment once (one audit entry), bad payments refused
/// next to the field changing nothing (and audited as refused), and a role that may not match refused and audited.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleBankTransfersTests(ConsoleFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    private TestMerchant Shop => fixture.Shop ?? throw new InvalidOperationException("No shop.");

    private GatewayClient Api => Server.Client(Shop.SecretKey);

    private async Task<IReadOnlyList<Core.Audit.AuditEntry>> Audit(string entryId) =>
        await Server.Services.GetRequiredService<IAuditStore>().ListAsync(new AuditQuery { TargetId = entryId, Limit = 100 }, default);

    [Fact]
    public async Task Finance_MatchesAnUnmatchedCreditByReference_ADoubleSubmitCreditsOnce_AndIsAuditedOnce()
    {
        var entry = await BankStatementSteps.UnmatchedCreditAsync(Server, Shop, 4000, debtor: "Grace Hopper");
        var transfer = await BankStatementSteps.OpenTransferAsync(Server, Shop, 4000);
        var finance = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Finance, Shop.Id);
        using var client = await ConsoleUsers.SignedInAsync(Server, finance);

        var list = await client.GetAsync($"/console/bank-transfers?merchant={Shop.Id}");
        Assert.Equal(200, list.Status);
        Assert.Contains(entry, list.Body, StringComparison.Ordinal);
        Assert.Contains($"id=\"match-{entry}\"", list.Body, StringComparison.Ordinal);

        var form = await client.GetAsync($"/console/bank-transfers/{entry}?merchant={Shop.Id}");
        Assert.Equal(200, form.Status);
        Assert.Contains(transfer.Id, form.Body, StringComparison.Ordinal); // offered among the open transfers in EUR
        var token = ConsolePaymentsTests.FormToken(form.Body);
        var spaced = string.Join(' ', transfer.Reference.Chunk(4).Select(c => new string(c))).ToLowerInvariant();
        var review = await client.PostFormAsync($"/console/bank-transfers/{entry}?handler=Review&merchant={Shop.Id}",
            new Dictionary<string, string?> { ["Input.Payment"] = spaced, ["Input.FormToken"] = token }, formPage: $"/console/bank-transfers/{entry}?merchant={Shop.Id}");
        Assert.Equal(200, review.Status);
        Assert.Contains($"Credit 40.00 EUR from Grace Hopper to payment <span class=\"mono\">{transfer.Id}</span>", review.Body, StringComparison.Ordinal);
        Assert.Equal(token, ConsolePaymentsTests.FormToken(review.Body));
        Assert.Equal(0, (await Api.GetAsync($"/v1/payments/{transfer.Id}")).Long("amount_received"));

        var confirm = new Dictionary<string, string?> { ["Input.Payment"] = transfer.Id, ["Input.FormToken"] = token, ["__RequestVerificationToken"] = review.Token };
        var path = $"/console/bank-transfers/{entry}?handler=Confirm&merchant={Shop.Id}";
        var both = await Task.WhenAll(client.PostFormAsync(path, confirm, withToken: false), client.PostFormAsync(path, confirm, withToken: false));
        var again = await client.PostFormAsync(path, confirm, withToken: false);

        Assert.All(both.Append(again), r => Assert.Equal(302, r.Status));
        Assert.Contains(both, r => r.Location?.Contains("done=matched", StringComparison.Ordinal) == true);
        Assert.Contains("done=again", again.Location, StringComparison.Ordinal);
        var paid = (await Api.GetAsync($"/v1/payments/{transfer.Id}")).EnsureStatus(200);
        Assert.Equal(4000, paid.Long("amount_received"));
        Assert.Equal("succeeded", paid.Str("status"));
        var stored = (await Api.GetAsync($"/v1/bank_statement_entries/{entry}")).EnsureStatus(200);
        Assert.Equal("matched", stored.Str("status"));
        Assert.Equal("manual", stored.Str("matched_by"));
        Assert.Equal(transfer.Id, stored.Str("payment"));
        var audited = Assert.Single(await Audit(entry));
        Assert.Equal(ConsoleBankService.MatchedAction, audited.Record.Action);
        Assert.Equal("succeeded", audited.Record.Outcome);
        Assert.Equal("finance", audited.Record.Actor.Role);
        Assert.Equal(transfer.Id, audited.Record.After?["payment"]);
        Assert.Equal("4000", audited.Record.After?["amount"]);

        var after = await client.GetAsync($"/console/bank-transfers?merchant={Shop.Id}&status=any&done=matched&payment={transfer.Id}");
        Assert.Contains($"The entry was credited to {transfer.Id}.", after.Body, StringComparison.Ordinal);
        Assert.Contains($"href=\"/console/payments/{transfer.Id}\"", after.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(entry, (await client.GetAsync($"/console/bank-transfers?merchant={Shop.Id}")).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadPayments_AreRefusedNextToTheField_ChangeNothing_AndAreAuditedWhenConfirmed()
    {
        var entry = await BankStatementSteps.UnmatchedCreditAsync(Server, Shop, 2500, "USD"); // bank transfers are in EUR: no payment can take it
        var euros = await BankStatementSteps.OpenTransferAsync(Server, Shop, 2500);
        var card = await Steps.SucceededPaymentAsync(Server, Shop, 2500);
        var owner = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Owner, Shop.Id);
        using var client = await ConsoleUsers.SignedInAsync(Server, owner);
        var formPage = $"/console/bank-transfers/{entry}?merchant={Shop.Id}";

        foreach (var (value, message) in new[]
        {
            (string.Empty, "Enter the payment&#x27;s id (pay_…) or its RF reference, or choose one below."),
            ("hello", "Enter a payment id (pay_…) or a valid RF reference (like RF18 5390 0754 7034)."),
            ("pay_doesnotexist", "No payment of this merchant and mode has this id or reference."),
            ("RF18539007547034", "No payment of this merchant and mode has this id or reference."),
            (card, "Choose a bank-transfer payment the gateway collects itself; this one is not."),
            (euros.Id, "The entry is in USD, the payment in EUR."),
        })
        {
            var refused = await client.PostFormAsync($"/console/bank-transfers/{entry}?handler=Review&merchant={Shop.Id}",
                new Dictionary<string, string?> { ["Input.Payment"] = value, ["Input.FormToken"] = ConsolePaymentsTests.FormToken((await client.GetAsync(formPage)).Body) }, formPage);
            Assert.Equal(400, refused.Status);
            Assert.Contains($"<p class=\"field-error\" id=\"Input_Payment-error\">{message.Replace("…", "&#x2026;", StringComparison.Ordinal)}</p>", refused.Body, StringComparison.Ordinal);
            Assert.Contains("aria-invalid=\"true\"", refused.Body, StringComparison.Ordinal);
        }

        // Confirmed anyway (a crafted post): refused the same way, audited as refused, and nothing changed.
        var crafted = await client.PostFormAsync($"/console/bank-transfers/{entry}?handler=Confirm&merchant={Shop.Id}",
            new Dictionary<string, string?> { ["Input.Payment"] = euros.Id, ["Input.FormToken"] = ConsoleSecrets.NewToken() }, formPage);
        Assert.Equal(400, crafted.Status);
        Assert.Equal("unmatched", (await Api.GetAsync($"/v1/bank_statement_entries/{entry}")).Str("status"));
        Assert.Equal(0, (await Api.GetAsync($"/v1/payments/{euros.Id}")).Long("amount_received"));
        var refusedEntry = Assert.Single(await Audit(entry));
        Assert.Equal("refused", refusedEntry.Record.Outcome);
        Assert.Equal("currency_mismatch", refusedEntry.Record.After?["reason"]);
        Assert.Equal(euros.Id, refusedEntry.Record.After?["payment"]);
    }

    [Fact]
    public async Task BadStatusFilter_IsRefusedNextToItsField_AndListsNothing()
    {
        var entry = await BankStatementSteps.UnmatchedCreditAsync(Server, Shop, 1100);
        var viewer = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Viewer, Shop.Id);
        using var client = await ConsoleUsers.SignedInAsync(Server, viewer);

        var refused = await client.GetAsync($"/console/bank-transfers?merchant={Shop.Id}&status=paid");

        Assert.Equal(400, refused.Status);
        Assert.Contains("<p class=\"field-error\" id=\"filter-status-error\">Choose a status from the list.</p>", refused.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(entry, refused.Body, StringComparison.Ordinal);
        Assert.Contains(entry, (await client.GetAsync($"/console/bank-transfers?merchant={Shop.Id}&status=any")).Body, StringComparison.Ordinal);
        Assert.DoesNotContain($"id=\"match-{entry}\"", (await client.GetAsync($"/console/bank-transfers?merchant={Shop.Id}")).Body, StringComparison.Ordinal); // a viewer may not match
    }

    [Fact]
    public async Task Support_CannotMatch_IsRefused403_AndTheRefusalIsAudited()
    {
        var entry = await BankStatementSteps.UnmatchedCreditAsync(Server, Shop, 1000);
        var transfer = await BankStatementSteps.OpenTransferAsync(Server, Shop, 1000);
        var support = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Support, Shop.Id);
        using var client = await ConsoleUsers.SignedInAsync(Server, support);

        Assert.DoesNotContain($"id=\"match-{entry}\"", (await client.GetAsync($"/console/bank-transfers?merchant={Shop.Id}")).Body, StringComparison.Ordinal);
        var refused = await client.PostFormAsync($"/console/bank-transfers/{entry}?handler=Confirm&merchant={Shop.Id}",
            new Dictionary<string, string?> { ["Input.Payment"] = transfer.Id, ["Input.FormToken"] = ConsoleSecrets.NewToken() }, formPage: "/console/account");

        Assert.Equal(403, refused.Status);
        Assert.Equal("unmatched", (await Api.GetAsync($"/v1/bank_statement_entries/{entry}")).Str("status"));
        var audited = Assert.Single(await Audit(entry));
        Assert.Equal("refused", audited.Record.Outcome);
        Assert.Equal("role", audited.Record.After?["reason"]);
        Assert.Equal(support.Id, audited.Record.Actor.Id);

        // Another merchant's entries are not listed for this merchant's people.
        Assert.Equal(403, (await client.GetAsync($"/console/bank-transfers?merchant={fixture.OtherMerchantId}")).Status);
    }
}
