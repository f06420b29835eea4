using PaymentGateway.Core;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Routing;
using static PaymentGateway.Storage.ContractTests.TestData;

namespace PaymentGateway.Storage.ContractTests;

public abstract partial class GatewayStoreContractTests
{
    // ---------------------------------------------------------------- bank transfers collected by a provider (Mollie)

    private static Payment ProviderTransfer(string merchant, PaymentStatus status, DateTimeOffset updated, AttemptStatus attemptStatus,
        bool routed = true, bool collectedByProvider = true, string? type = "bank_transfer")
    {
        var payment = new Payment
        {
            Id = Ids.New(Ids.Payment, T0),
            MerchantId = merchant,
            Livemode = true,
            Status = status,
            Amount = 10000,
            Currency = "EUR",
            PaymentMethodType = type,
            Provider = routed ? "mollie" : null,
            Routing = routed ? new RoutingDecision { RuleId = "rr_bt", ProviderAccount = "pa_mollie", Candidates = ["pa_mollie"] } : null,
            Created = T0,
            Updated = updated,
        };
        if (routed)
        {
            payment.Attempts.Add(new PaymentAttempt
            {
                Id = Ids.New(Ids.Attempt),
                Provider = "mollie",
                ProviderAccountId = "pa_mollie",
                IdempotencyKey = payment.Id + ":att",
                PaymentMethodId = string.Empty,
                Status = attemptStatus,
                Created = T0,
                Updated = updated,
            });
        }

        if (status == PaymentStatus.RequiresAction)
        {
            payment.BankTransfer = new BankTransferDetails
            {
                Reference = "RF18539007547034",
                ExpiresAt = T0.AddDays(12),
                Iban = collectedByProvider ? "NL53ABNA0627535577" : "DE89370400440532013000",
                AccountHolderName = collectedByProvider ? "Stichting Mollie Payments" : "Demo Shop GmbH",
                BankName = collectedByProvider ? "Stichting Mollie Payments" : null,
                ProviderAccountId = collectedByProvider ? "pa_mollie" : null,
            };
        }

        return payment;
    }

    [StoreFact]
    public async Task Provider_bank_transfers_to_sync_are_the_waiting_ones_collected_by_a_provider_oldest_update_first()
    {
        var cutoff = T0.AddHours(1);
        var merchant = NewMerchantId();
        var open10 = ProviderTransfer(merchant, PaymentStatus.RequiresAction, cutoff.AddMinutes(-10), AttemptStatus.RequiresAction);
        var open3 = ProviderTransfer(merchant, PaymentStatus.RequiresAction, cutoff.AddMinutes(-3), AttemptStatus.RequiresAction);
        var lostAnswer = ProviderTransfer(merchant, PaymentStatus.RequiresPaymentMethod, cutoff.AddMinutes(-5), AttemptStatus.Unknown);
        var inFlight = ProviderTransfer(merchant, PaymentStatus.RequiresPaymentMethod, cutoff.AddMinutes(-4), AttemptStatus.Started);
        var fresh = ProviderTransfer(merchant, PaymentStatus.RequiresAction, cutoff.AddMinutes(1), AttemptStatus.RequiresAction);
        var nobodyTookIt = ProviderTransfer(merchant, PaymentStatus.RequiresPaymentMethod, cutoff.AddMinutes(-30), AttemptStatus.Failed);
        var paid = ProviderTransfer(merchant, PaymentStatus.Succeeded, cutoff.AddMinutes(-30), AttemptStatus.Captured);
        var gatewayOwn = ProviderTransfer(merchant, PaymentStatus.RequiresAction, cutoff.AddMinutes(-30), AttemptStatus.RequiresAction, routed: false, collectedByProvider: false);
        var card = ProviderTransfer(merchant, PaymentStatus.RequiresAction, cutoff.AddMinutes(-30), AttemptStatus.RequiresAction, collectedByProvider: false, type: null);
        await CommitAsync(c => c.NewPayments.AddRange([open3, fresh, nobodyTookIt, open10, paid, lostAnswer, gatewayOwn, inFlight, card]));

        var all = await Store.ProviderBankTransfers.ListProviderBankTransfersToSyncAsync(cutoff, 100, Ct);
        Assert.Equal([open10.Id, lostAnswer.Id, inFlight.Id, open3.Id], IdsOf(all));
        Assert.Equal("pa_mollie", all[0].BankTransfer!.ProviderAccountId);
        Assert.Equal("Stichting Mollie Payments", all[0].BankTransfer!.BankName);
        Assert.Equal(AttemptStatus.Unknown, all[1].CurrentAttempt!.Status);

        Assert.Equal([open10.Id, lostAnswer.Id], IdsOf(await Store.ProviderBankTransfers.ListProviderBankTransfersToSyncAsync(cutoff, 2, Ct)));

        // Settling one (paid) takes it out of the list.
        var settled = await Store.Payments.GetPaymentByIdAsync(open10.Id, Ct);
        Assert.NotNull(settled);
        settled.Status = PaymentStatus.Succeeded;
        settled.Updated = cutoff.AddMinutes(-1);
        await CommitAsync(c => c.UpdatedPayments.Add(settled));
        Assert.Equal([lostAnswer.Id, inFlight.Id, open3.Id], IdsOf(await Store.ProviderBankTransfers.ListProviderBankTransfersToSyncAsync(cutoff, 100, Ct)));
        Assert.Empty(await Store.ProviderBankTransfers.ListProviderBankTransfersToSyncAsync(T0, 100, Ct));
    }
}
