using PaymentGateway.Core;
using PaymentGateway.Core.Checkout;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Storage.ContractTests.TestData;

namespace PaymentGateway.Storage.ContractTests;

public abstract partial class GatewayStoreContractTests
{
    // ---------------------------------------------------------------- checkout sessions

    private static CheckoutSession Session(string merchantId, bool livemode = false) => new()
    {
        Id = Ids.New(Ids.CheckoutSession, T0),
        MerchantId = merchantId,
        Livemode = livemode,
        Status = CheckoutSessionStatus.Open,
        Amount = 7499,
        Currency = "EUR",
        CaptureMethod = "automatic",
        Description = "Order 7 – café ☕",
        LineItems =
        [
            new CheckoutLineItem { Name = "Coffee beans 1 kg", Quantity = 2, UnitAmount = 1250 },
            new CheckoutLineItem { Name = "Grinder", Quantity = 1, UnitAmount = 4999 },
        ],
        SuccessUrl = "https://shop.example/thanks?order=7",
        CancelUrl = "https://shop.example/cart",
        AllowedFrameAncestors = ["https://shop.example", "http://127.0.0.1:8080"],
        ClientSecretHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        Metadata = new Dictionary<string, string> { ["order"] = "7" },
        ExpiresAt = T0.AddHours(1),
        Created = T0,
        Updated = T0,
    };

    [StoreFact]
    public async Task Checkout_session_round_trips_every_field()
    {
        var session = Session(NewMerchantId(), livemode: true);
        await Store.Checkout.CreateCheckoutSessionAsync(session, Ct);
        await ReopenAsync();

        var stored = await Store.Checkout.GetCheckoutSessionAsync(session.Id, Ct);

        Assert.NotNull(stored);
        Assert.Equal(session.MerchantId, stored.MerchantId);
        Assert.True(stored.Livemode);
        Assert.Equal(CheckoutSessionStatus.Open, stored.Status);
        Assert.Equal(7499, stored.Amount);
        Assert.Equal("EUR", stored.Currency);
        Assert.Equal("Order 7 – café ☕", stored.Description);
        Assert.Equal(["Coffee beans 1 kg", "Grinder"], stored.LineItems.Select(i => i.Name));
        Assert.Equal([2L, 1L], stored.LineItems.Select(i => i.Quantity));
        Assert.Equal([1250L, 4999L], stored.LineItems.Select(i => i.UnitAmount));
        Assert.Equal(session.SuccessUrl, stored.SuccessUrl);
        Assert.Equal(session.CancelUrl, stored.CancelUrl);
        Assert.Equal(session.AllowedFrameAncestors, stored.AllowedFrameAncestors);
        Assert.Equal(session.ClientSecretHash, stored.ClientSecretHash);
        Assert.Equal("7", stored.Metadata["order"]);
        Assert.Equal(session.ExpiresAt, stored.ExpiresAt);
        Assert.Equal(T0, stored.Created);
        Assert.Null(stored.PaymentId);
        Assert.Null(stored.CompletedAt);
        Assert.Null(await Store.Checkout.GetCheckoutSessionAsync(Ids.New(Ids.CheckoutSession), Ct));
    }

    [StoreFact]
    public async Task Checkout_session_update_is_version_checked_so_only_one_payer_binds_a_payment()
    {
        var session = Session(NewMerchantId());
        await Store.Checkout.CreateCheckoutSessionAsync(session, Ct);
        var first = (await Store.Checkout.GetCheckoutSessionAsync(session.Id, Ct))!;
        var second = (await Store.Checkout.GetCheckoutSessionAsync(session.Id, Ct))!;

        first.PaymentId = "pay_first";
        first.Updated = T0.AddMinutes(1);
        await Store.Checkout.UpdateCheckoutSessionAsync(first, Ct);
        second.PaymentId = "pay_second";
        var conflict = await Outcome(Store.Checkout.UpdateCheckoutSessionAsync(second, Ct));

        Assert.IsType<ConcurrencyConflictException>(conflict);
        var stored = (await Store.Checkout.GetCheckoutSessionAsync(session.Id, Ct))!;
        Assert.Equal("pay_first", stored.PaymentId);

        stored.Status = CheckoutSessionStatus.Complete;
        stored.CompletedAt = T0.AddMinutes(2);
        await Store.Checkout.UpdateCheckoutSessionAsync(stored, Ct);
        await ReopenAsync();
        var completed = (await Store.Checkout.GetCheckoutSessionAsync(session.Id, Ct))!;
        Assert.Equal(CheckoutSessionStatus.Complete, completed.Status);
        Assert.Equal(T0.AddMinutes(2), completed.CompletedAt);
        Assert.Equal(first.Version + 1, completed.Version);
    }
}
