using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Api.EndToEndTests.Console;

/// <summary>
/// The merchant selector: a user with grants on several merchants (or a platform owner) chooses the merchant to work on;
/// the service checks the choice against the grants as stored now, and a merchant outside them is refused 403 and
/// audited as refused, whether it comes in the form or in a forged cookie.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleMerchantSelectionTests(ConsoleFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    private static Dictionary<string, string?> Choose(string merchantId, string? returnUrl = null) => new() { ["Merchant"] = merchantId, ["ReturnUrl"] = returnUrl };

    [Fact]
    public async Task UserOfTwoMerchants_ChoosesOne_AForgedMerchantIsRefused403AndAudited_AndTheChoiceStands()
    {
        var third = await Server.CreateMerchantAsync("Not theirs");
        var user = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Finance, fixture.MerchantId,
            moreGrants: [new ConsoleGrant { MerchantId = fixture.OtherMerchantId, Role = ConsoleRole.Viewer }]);
        using var client = await ConsoleUsers.SignedInAsync(Server, user);

        var home = await client.GetAsync("/console");
        Assert.Contains("id=\"switch-merchant\"", home.Body, StringComparison.Ordinal);
        Assert.Contains("All your merchants", home.Body, StringComparison.Ordinal);
        var choices = await client.GetAsync("/console/merchant");
        Assert.Equal(200, choices.Status);
        Assert.Contains($"value=\"{fixture.MerchantId}\"", choices.Body, StringComparison.Ordinal);
        Assert.Contains($"value=\"{fixture.OtherMerchantId}\"", choices.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(third.Id, choices.Body, StringComparison.Ordinal);

        var chosen = await client.PostFormAsync("/console/merchant", Choose(fixture.OtherMerchantId, "/console/account"), "/console/merchant");
        Assert.Equal(302, chosen.Status);
        Assert.Equal("/console/account", chosen.Location);
        Assert.Contains($"<span class=\"visually-hidden\">Working on </span>{fixture.OtherMerchantId}", (await client.GetAsync("/console")).Body, StringComparison.Ordinal);

        var forged = await client.PostFormAsync("/console/merchant", Choose(third.Id), "/console/merchant");
        Assert.Equal(403, forged.Status);
        Assert.Contains("You do not work on this merchant.", forged.Body, StringComparison.Ordinal);
        var missing = await client.PostFormAsync("/console/merchant", Choose("mer_does_not_exist"), "/console/merchant");
        Assert.Equal(403, missing.Status);
        var refused = await Server.Services.GetRequiredService<IAuditStore>().ListAsync(new AuditQuery { ActorId = user.Id, Action = ConsoleMerchantSelection.SelectAction }, default);
        Assert.Equal([("mer_does_not_exist", AuditOutcomes.Refused), (third.Id, AuditOutcomes.Refused)], refused.Select(e => (e.Record.TargetId, e.Record.Outcome)));
        Assert.All(refused, e => Assert.Equal("127.0.0.1", e.Record.Context.Ip));

        // The refusal changed nothing: the choice made before still holds.
        Assert.Contains($"<span class=\"visually-hidden\">Working on </span>{fixture.OtherMerchantId}", (await client.GetAsync("/console")).Body, StringComparison.Ordinal);

        // A forged cookie naming a merchant outside the grants is not trusted: the page falls back.
        client.Cookies.Add(client.BaseAddress, new Cookie("pg_console_merchant", third.Id, "/"));
        var afterForgery = await client.GetAsync("/console");
        Assert.DoesNotContain(third.Id, afterForgery.Body, StringComparison.Ordinal);
        Assert.Contains("All your merchants", afterForgery.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlatformOwner_ChoosesAnyMerchant_ReturnUrlStaysInTheConsole_SingleMerchantUserHasNoSwitch()
    {
        var owner = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Owner, merchantId: null);
        using var client = await ConsoleUsers.SignedInAsync(Server, owner);
        Assert.Contains("All merchants", (await client.GetAsync("/console")).Body, StringComparison.Ordinal);

        var chosen = await client.PostFormAsync("/console/merchant", Choose(fixture.MerchantId, "https://evil.example/steal"), "/console/merchant");
        Assert.Equal(302, chosen.Status);
        Assert.Equal("/console", chosen.Location); // never off-site
        Assert.Contains($"<span class=\"visually-hidden\">Working on </span>{fixture.MerchantId}", (await client.GetAsync("/console")).Body, StringComparison.Ordinal);

        var viewer = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Viewer, fixture.MerchantId);
        using var single = await ConsoleUsers.SignedInAsync(Server, viewer);
        Assert.DoesNotContain("switch-merchant", (await single.GetAsync("/console")).Body, StringComparison.Ordinal);
        Assert.Equal(403, (await single.PostFormAsync("/console/merchant", Choose(fixture.OtherMerchantId), "/console/merchant")).Status);
    }
}
