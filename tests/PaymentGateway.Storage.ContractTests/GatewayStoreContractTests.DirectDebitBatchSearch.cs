using PaymentGateway.Core;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Storage.ContractTests.TestData;

namespace PaymentGateway.Storage.ContractTests;

/// <summary>The console's direct-debit batch page: the debits of one collection file, found in the database on both engines.</summary>
public abstract partial class GatewayStoreContractTests
{
    [StoreFact]
    public async Task Payment_search_finds_the_debits_of_one_direct_debit_batch()
    {
        var merchant = NewMerchantId();
        Payment Debit(int minute, string? batch)
        {
            var p = SearchPayment(merchant, minute, 1000 + minute, "EUR");
            p.DirectDebit = new DirectDebitDetails
            {
                MandateId = "mdt_" + minute,
                MandateReference = "M-" + minute,
                MandateSignatureDate = "2026-01-15",
                PaymentMethodId = "pm_" + minute,
                BatchId = batch,
                SequenceType = batch is null ? null : "FRST",
                CollectionDate = batch is null ? null : "2026-12-10",
            };
            return p;
        }

        var a = Ids.New(Ids.DirectDebitBatch, T0);
        var b = Ids.New(Ids.DirectDebitBatch, T0.AddSeconds(1));
        Payment[] p = [Debit(0, a), Debit(1, b), Debit(2, a), Debit(3, null), SearchPayment(merchant, 4, 500, "EUR")];
        await CommitAsync(c => c.NewPayments.AddRange(p));

        async Task<string[]> Search(PaymentListQuery q) => IdsOf(await Store.Payments.ListPaymentsAsync(merchant, false, q with { Limit = 100 }, Ct)).ToArray();

        Assert.Equal([p[2].Id, p[0].Id], await Search(new PaymentListQuery { DirectDebitBatch = a }));
        Assert.Equal([p[1].Id], await Search(new PaymentListQuery { DirectDebitBatch = b }));
        Assert.Empty(await Search(new PaymentListQuery { DirectDebitBatch = "ddb_none" }));
        Assert.Empty(IdsOf(await Store.Payments.ListPaymentsAsync(NewMerchantId(), false, new PaymentListQuery { DirectDebitBatch = a, Limit = 100 }, Ct)));
        var page = await Store.Payments.ListPaymentsAsync(merchant, false, new PaymentListQuery { DirectDebitBatch = a, Limit = 1, StartingAfter = p[2].Id }, Ct);
        Assert.Equal([p[0].Id], IdsOf(page));
    }
}
