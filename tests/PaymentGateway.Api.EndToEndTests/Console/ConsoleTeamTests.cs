using Microsoft.Extensions.DependencyInjection;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Api.EndToEndTests.Console;

/// <summary>Invitations end to end, refusals of bad input next to the field, and the audit entries each action writes.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleTeamTests(ConsoleFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    [Fact]
    public async Task TeamPage_FiltersBySearchRoleAndMerchantWithinTheOwnersScope_AndPagesKeepTheFilters()
    {
        var marker = Guid.NewGuid().ToString("N")[..10];
        var owner = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Owner, fixture.MerchantId);
        var finance = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Finance, fixture.MerchantId, email: $"fin-{marker}@example.com");
        var viewer = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Viewer, fixture.MerchantId, email: $"view-{marker}@example.com");
        var elsewhere = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Finance, fixture.OtherMerchantId, email: $"other-{marker}@example.com");
        for (var i = 0; i < 51; i++)
        {
            await ConsoleUsers.CreateAsync(Server, ConsoleRole.Viewer, fixture.MerchantId, twoFactor: false, email: $"many-{i:D2}-{marker}@example.com");
        }

        using var client = await ConsoleUsers.SignedInAsync(Server, owner);

        var byRole = await client.GetAsync($"/console/team?q={marker}&role=finance");
        Assert.Equal(200, byRole.Status);
        Assert.Contains(finance.Email, byRole.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(viewer.Email, byRole.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(elsewhere.Email, byRole.Body, StringComparison.Ordinal); // outside the owner's merchants
        var otherMerchant = await client.GetAsync($"/console/team?q={marker}&merchant={fixture.OtherMerchantId}");
        Assert.DoesNotContain(elsewhere.Email, otherMerchant.Body, StringComparison.Ordinal);

        // 51 viewers of this merchant match "many-": the first page holds 50 and links to the rest with the same filters.
        var first = await client.GetAsync($"/console/team?q=many-&role=viewer&merchant={fixture.MerchantId}");
        var next = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(first.Body, "<a href=\"([^\"]+)\">More people</a>").Groups[1].Value);
        Assert.Contains("q=many-", next, StringComparison.Ordinal);
        Assert.Contains("role=viewer", next, StringComparison.Ordinal);
        var second = await client.GetAsync(next);
        var emails = System.Text.RegularExpressions.Regex.Matches(first.Body + second.Body, $"many-\\d\\d-{marker}@example.com</td>").Select(m => m.Value).ToList();
        Assert.Equal(51, emails.Count);
        Assert.Equal(emails.Count, emails.Distinct().Count());
    }

    [Fact]
    public async Task Invitation_IsAcceptedOnce_CreatesTheAccountWithItsRole_AndEveryStepIsAudited()
    {
        var owner = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Owner, fixture.MerchantId);
        using var ownerClient = await ConsoleUsers.SignedInAsync(Server, owner);
        var email = $"new-{Guid.NewGuid():N}@example.com";

        var invited = await ownerClient.PostFormAsync("/console/team?handler=Invite",
            new Dictionary<string, string?> { ["Input.Email"] = email, ["Input.Role"] = "finance", ["Input.Merchant"] = fixture.MerchantId }, "/console/team");
        Assert.Equal(200, invited.Status);
        var link = System.Text.RegularExpressions.Regex.Match(invited.Body, "id=\"invitation-link\">[^<]*(/console/join\\?token=[A-Za-z0-9_-]+)<").Groups[1].Value;
        Assert.NotEmpty(link);

        using var invitee = new ConsoleClient(Server.BaseAddress);
        var join = await invitee.GetAsync(link);
        Assert.Equal(200, join.Status);
        Assert.Contains(email, join.Body, StringComparison.Ordinal);
        var weak = await invitee.PostFormAsync(link, new Dictionary<string, string?> { ["Input.Name"] = "", ["Input.Password"] = "short", ["Input.ConfirmPassword"] = "short" });
        Assert.Equal(400, weak.Status);
        Assert.Contains("id=\"Input_Name-error\">Enter your name", weak.Body, StringComparison.Ordinal);
        Assert.Null(await Server.Services.GetRequiredService<IConsoleStore>().FindUserByEmailAsync(email, default));

        var accepted = await invitee.PostFormAsync(link, new Dictionary<string, string?>
        {
            ["Input.Name"] = "Fin Ance",
            ["Input.Password"] = "ledger balances nicely 9",
            ["Input.ConfirmPassword"] = "ledger balances nicely 9",
        });
        Assert.Equal("/console", accepted.Location);
        Assert.Equal(200, (await invitee.GetAsync("/console/audit")).Status); // finance reads the audit log; no 2FA needed
        Assert.Equal(404, (await new ConsoleClient(Server.BaseAddress).GetAsync(link)).Status);

        var user = await Server.Services.GetRequiredService<IConsoleStore>().FindUserByEmailAsync(email, default);
        Assert.NotNull(user);
        Assert.Equal(ConsoleRole.Finance, Assert.Single(user.Grants).Role);
        var audit = Server.Services.GetRequiredService<IAuditStore>();
        var created = Assert.Single(await audit.ListAsync(new AuditQuery { ActorId = owner.Id, Action = ConsoleAudit.InvitationCreated }, default));
        Assert.Equal(email, created.Record.After?["email"]);
        Assert.Equal(fixture.MerchantId, created.Record.MerchantId);
        Assert.Single(await audit.ListAsync(new AuditQuery { TargetId = user.Id, Action = ConsoleAudit.InvitationAccepted }, default));
        Assert.DoesNotContain(await audit.ListAsync(new AuditQuery { Limit = 100 }, default), e => e.Canonical.Contains("ledger balances", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RemovedPerson_CanBeInvitedAgain_AndComesBackUnderTheSameIdWithoutTheirOldSecrets()
    {
        var owner = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Owner, fixture.MerchantId);
        var support = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Support, fixture.MerchantId);
        using var ownerClient = await ConsoleUsers.SignedInAsync(Server, owner);
        await ownerClient.PostFormAsync($"/console/team/{support.Id}?handler=Remove", new Dictionary<string, string?>(), $"/console/team/{support.Id}");

        var invited = await ownerClient.PostFormAsync("/console/team?handler=Invite",
            new Dictionary<string, string?> { ["Input.Email"] = support.Email, ["Input.Role"] = "viewer", ["Input.Merchant"] = fixture.MerchantId }, "/console/team");
        var link = System.Text.RegularExpressions.Regex.Match(invited.Body, "(/console/join\\?token=[A-Za-z0-9_-]+)<").Groups[1].Value;
        using var back = new ConsoleClient(Server.BaseAddress);
        var accepted = await back.PostFormAsync(link, new Dictionary<string, string?>
        {
            ["Input.Name"] = "Back Again",
            ["Input.Password"] = "returning visitor pass 5",
            ["Input.ConfirmPassword"] = "returning visitor pass 5",
        });

        Assert.Equal("/console", accepted.Location);
        var user = await Server.Services.GetRequiredService<IConsoleStore>().GetUserAsync(support.Id, default);
        Assert.NotNull(user);
        Assert.Equal(ConsoleUserStatus.Active, user.Status);
        Assert.Equal(ConsoleRole.Viewer, Assert.Single(user.Grants).Role);
        Assert.False(user.TwoFactorEnabled);
        Assert.Equal(400, (await new ConsoleClient(Server.BaseAddress).SignInAsync(support)).Status); // the old password is gone
    }

    [Fact]
    public async Task Invite_BadEmail_IsRefusedNextToTheField_AndNothingIsCreated()
    {
        var owner = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Owner, fixture.MerchantId);
        using var client = await ConsoleUsers.SignedInAsync(Server, owner);
        var before = (await Server.Services.GetRequiredService<IConsoleStore>().ListOpenLinksAsync(ConsoleLinkPurpose.Invitation, DateTimeOffset.UtcNow, 1000, default)).Count;

        var refused = await client.PostFormAsync("/console/team?handler=Invite",
            new Dictionary<string, string?> { ["Input.Email"] = "not-an-email", ["Input.Role"] = "viewer", ["Input.Merchant"] = fixture.MerchantId }, "/console/team");
        var badRole = await client.PostFormAsync("/console/team?handler=Invite",
            new Dictionary<string, string?> { ["Input.Email"] = "fine@example.com", ["Input.Role"] = "emperor", ["Input.Merchant"] = fixture.MerchantId }, "/console/team");

        Assert.Equal(400, refused.Status);
        Assert.Contains("id=\"Input_Email-error\">Enter an email address", refused.Body, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", refused.Body, StringComparison.Ordinal);
        Assert.Contains("id=\"error-summary\"", refused.Body, StringComparison.Ordinal);
        Assert.Equal(400, badRole.Status);
        Assert.Contains("Choose a role.", badRole.Body, StringComparison.Ordinal);
        Assert.Equal(before, (await Server.Services.GetRequiredService<IConsoleStore>().ListOpenLinksAsync(ConsoleLinkPurpose.Invitation, DateTimeOffset.UtcNow, 1000, default)).Count);
    }

    [Fact]
    public async Task Owner_CannotRemoveOrDemoteThemselves()
    {
        var owner = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Owner, merchantId: null);
        using var client = await ConsoleUsers.SignedInAsync(Server, owner);

        var page = await client.PostFormAsync($"/console/team/{owner.Id}?handler=Grant", new Dictionary<string, string?> { ["Input.Merchant"] = "*", ["Input.Role"] = "viewer" }, $"/console/team/{owner.Id}");

        Assert.Equal(400, page.Status);
        Assert.Contains("You cannot change your own access", page.Body, StringComparison.Ordinal);
        Assert.Equal(ConsoleRole.Owner, (await Server.Services.GetRequiredService<IConsoleStore>().GetUserAsync(owner.Id, default))?.Grants.Single().Role);
    }

    [Fact]
    public async Task AuditPage_FiltersAndExportsCsv_AndTheExportIsAudited()
    {
        var owner = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Owner, merchantId: null);
        using var client = await ConsoleUsers.SignedInAsync(Server, owner);

        var page = await client.GetAsync($"/console/audit?actor={owner.Id}&action=console.sign_in");
        var bad = await client.GetAsync("/console/audit?from=yesterday");
        var csv = await client.GetAsync($"/console/audit/export?actor={owner.Id}");

        Assert.Equal(200, page.Status);
        Assert.Contains("console.sign_in", page.Body, StringComparison.Ordinal);
        Assert.Equal(400, bad.Status);
        Assert.Contains("id=\"filter-from-error\">Enter a date as YYYY-MM-DD.", bad.Body, StringComparison.Ordinal);
        Assert.Equal(200, csv.Status);
        Assert.Equal("text/csv", csv.Response.Content.Headers.ContentType?.MediaType);
        var lines = csv.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,sequence,created,action", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("console.sign_in", StringComparison.Ordinal) && l.Contains(owner.Id, StringComparison.Ordinal));
        var exported = await Server.Services.GetRequiredService<IAuditStore>().ListAsync(new AuditQuery { ActorId = owner.Id, Action = ConsoleAudit.AuditExported }, default);
        Assert.Single(exported);
    }
}
