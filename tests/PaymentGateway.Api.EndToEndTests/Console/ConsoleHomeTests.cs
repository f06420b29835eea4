using System.Diagnostics;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Api.EndToEndTests.Console;

/// <summary>The console's home for one merchant: the day's and week's counts, approval rate and volume from the reports' rollups, recent failures with their reasons, webhook health.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleHomeTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task Home_ShowsTodaysCountApprovalRateVolume_RecentFailuresWithReasons_AndWebhookHealth()
    {
        var server = fixture.Server;
        var shop = await server.CreateMerchantAsync("Home Shop " + Guid.NewGuid().ToString("N")[..6]);
        await Steps.SucceededPaymentAsync(server, shop, 1000);
        await Steps.SucceededPaymentAsync(server, shop, 250);
        var declined = (await Steps.PayAsync(server, shop, TestCards.InsufficientFunds, 700)).EnsureStatus(402).Json.GetProperty("payment").GetProperty("id").GetString()
            ?? throw new InvalidOperationException("The declined payment has no id.");
        Assert.StartsWith("pay_", declined, StringComparison.Ordinal);
        var viewer = await ConsoleUsers.CreateAsync(server, ConsoleRole.Viewer, shop.Id);
        using var client = await ConsoleUsers.SignedInAsync(server, viewer);

        // The figures come from the reports' rollups, which lag the payments by a few seconds (docs/reporting.md).
        var clock = Stopwatch.StartNew();
        ConsolePage home;
        do
        {
            await Task.Delay(500);
            home = await client.GetAsync($"/console?merchant={shop.Id}&mode=test");
            Assert.Equal(200, home.Status);
        }
        while (!home.Body.Contains("3 attempted, 2 authorized", StringComparison.Ordinal) && clock.Elapsed < TimeSpan.FromSeconds(40));

        Assert.Contains("3 attempted, 2 authorized", home.Body, StringComparison.Ordinal);
        Assert.Contains("66.7%", home.Body, StringComparison.Ordinal);
        Assert.Contains("12.50 EUR", home.Body, StringComparison.Ordinal);
        Assert.Contains(declined, home.Body, StringComparison.Ordinal);
        Assert.Contains("insufficient_funds", home.Body, StringComparison.Ordinal);
        Assert.Contains("0 endpoints enabled, 0 disabled", home.Body, StringComparison.Ordinal);
        Assert.Contains("No provider accounts in this mode", home.Body, StringComparison.Ordinal);

        // Another merchant's home is refused.
        Assert.Equal(403, (await client.GetAsync($"/console?merchant={fixture.OtherMerchantId}")).Status);
    }
}
