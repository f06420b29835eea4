using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Api.EndToEndTests.Console;

/// <summary>
/// The console's Direct-debit batches pages over HTTP: the exported collection files newest first, a batch with exactly
/// its debits (amount, status, mandate reference, sequence type), never the file's IBANs; another merchant's batches
/// refused (403), an unknown batch 404.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleDirectDebitsTests(ConsoleFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    private TestMerchant Shop => fixture.Shop ?? throw new InvalidOperationException("No shop.");

    [Fact]
    public async Task Viewer_ListsBatchesNewestFirst_AndABatchShowsExactlyItsDebits()
    {
        var first = await BankStatementSteps.DirectDebitBatchAsync(Server, Shop, 1990, 2500);
        var second = await BankStatementSteps.DirectDebitBatchAsync(Server, Shop, 4000);
        var viewer = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Viewer, Shop.Id);
        using var client = await ConsoleUsers.SignedInAsync(Server, viewer);

        var list = await client.GetAsync($"/console/direct-debits?merchant={Shop.Id}");
        Assert.Equal(200, list.Status);
        var at = list.Body.IndexOf(second.Batch, StringComparison.Ordinal);
        Assert.True(at > 0 && list.Body.IndexOf(first.Batch, StringComparison.Ordinal) > at, "the newer batch is listed first");
        Assert.Contains("44.90 EUR", list.Body, StringComparison.Ordinal); // the first file's control sum

        var batch = await client.GetAsync($"/console/direct-debits/{first.Batch}?merchant={Shop.Id}");
        Assert.Equal(200, batch.Status);
        Assert.All(first.Debits, d => Assert.Contains($"href=\"/console/payments/{d}\"", batch.Body, StringComparison.Ordinal));
        Assert.DoesNotContain(second.Debits[0], batch.Body, StringComparison.Ordinal);
        Assert.Contains("19.90 EUR", batch.Body, StringComparison.Ordinal);
        Assert.Contains("FRST", batch.Body, StringComparison.Ordinal);
        Assert.Contains("processing", batch.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("DE89370400440532013000", batch.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("DE89 3704 0044 0532 0130 00", batch.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherMerchantsBatches_AreRefused_AndAnUnknownBatchIsNotFound()
    {
        var mine = await BankStatementSteps.DirectDebitBatchAsync(Server, Shop, 800);
        var viewer = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Viewer, Shop.Id);
        using var client = await ConsoleUsers.SignedInAsync(Server, viewer);

        Assert.Equal(403, (await client.GetAsync($"/console/direct-debits?merchant={fixture.OtherMerchantId}")).Status);
        Assert.Equal(403, (await client.GetAsync($"/console/direct-debits/{mine.Batch}?merchant={fixture.OtherMerchantId}")).Status);
        Assert.Equal(404, (await client.GetAsync($"/console/direct-debits/ddb_doesnotexist?merchant={Shop.Id}")).Status);
        Assert.Equal(404, (await client.GetAsync($"/console/direct-debits/{mine.Batch}?merchant={Shop.Id}&mode=live")).Status);
    }
}
