using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Grpc.ParityTests.Infrastructure;

namespace PaymentGateway.Grpc.ParityTests;

/// <summary>
/// The parity suite: each scenario runs once over REST (raw HTTP) and once over gRPC (the client generated from the
/// published protos), each with fresh merchants, and every step's outcome must match field by field: status (gRPC's
/// REST-equivalent <c>http_status</c>), code, param, decline code, replay marker, request id, and the returned object.
/// </summary>
[Collection(ParityCollection.Name)]
public sealed class ParityScenarioTests(ParityFixture fixture)
{
    private const string Visa = "4242424242424242";

    public static TheoryData<string> TestCards => new()
    {
        "4242424242424242", "5555555555554444", "378282246310005",
        "4000000000000002", "4000000000009995", "4000000000000127", "4000000000000069", "4000000000000119",
        "4000000000003220", "4000000000000259", "4000000000003089", "4000002760003184", "4000000000003097",
    };

    [Fact]
    public Task Lifecycle_AuthorizeCaptureRefundCancelList_SameOverRestAndGrpc() => AssertParityAsync(async (api, r, m, _) =>
    {
        var pm = (await r.At("tokenize", api.CreatePaymentMethodAsync(m.PublishableKey, new CardInput(Visa, HolderName: "Ada Lovelace")))).EnsureOk().Id ?? "";
        await r.At("get payment method", api.GetPaymentMethodAsync(m.SecretKey, pm));
        var pay = (await r.At("create manual + confirm", api.CreatePaymentAsync(m.SecretKey, new PaymentInput
        {
            Amount = 2500,
            Currency = "EUR",
            CaptureMethod = "manual",
            PaymentMethod = pm,
            Confirm = true,
            Customer = "customer-42", // free text; a cus_ value must name a customer (docs/saved-cards.md)
            Description = "Order 42",
            Metadata = new() { ["order_id"] = "o-42" },
            ReturnUrl = "https://shop.example/return",
        }))).EnsureOk().Id ?? "";
        await r.At("get", api.GetPaymentAsync(m.SecretKey, pay));
        await r.At("capture 2000 of 2500", api.CapturePaymentAsync(m.SecretKey, pay, 2000));
        await r.At("capture again", api.CapturePaymentAsync(m.SecretKey, pay, null));
        var refund = (await r.At("refund 500", api.CreateRefundAsync(m.SecretKey, pay, 500, "requested_by_customer"))).EnsureOk().Id ?? "";
        await r.At("get refund", api.GetRefundAsync(m.SecretKey, refund));
        await r.At("refund the rest", api.CreateRefundAsync(m.SecretKey, pay, null));
        await r.At("refund more", api.CreateRefundAsync(m.SecretKey, pay, 1));
        await r.At("list refunds of payment", api.ListRefundsAsync(m.SecretKey, pay));
        await r.At("payment after refunds", api.GetPaymentAsync(m.SecretKey, pay));

        var later = (await r.At("create without payment method", api.CreatePaymentAsync(m.SecretKey, new PaymentInput { Amount = 1000, Currency = "JPY" }))).EnsureOk().Id ?? "";
        await r.At("confirm with payment method", api.ConfirmPaymentAsync(m.SecretKey, later, pm));
        await r.At("confirm again", api.ConfirmPaymentAsync(m.SecretKey, later, pm));

        var toCancel = (await r.At("create to cancel", api.CreatePaymentAsync(m.SecretKey, new PaymentInput
        {
            Amount = 990,
            Currency = "USD",
            CaptureMethod = "manual",
            PaymentMethod = pm,
            Confirm = true,
        }))).EnsureOk().Id ?? "";
        await r.At("cancel", api.CancelPaymentAsync(m.SecretKey, toCancel, "requested_by_customer"));
        await r.At("cancel again", api.CancelPaymentAsync(m.SecretKey, toCancel, null));
        await r.At("capture canceled", api.CapturePaymentAsync(m.SecretKey, toCancel, null));

        var first = await r.At("list limit 2", api.ListPaymentsAsync(m.SecretKey, limit: 2));
        await r.At("list after cursor", api.ListPaymentsAsync(m.SecretKey, limit: 2, startingAfter: first.ListIds[^1]));
        await r.At("list before cursor", api.ListPaymentsAsync(m.SecretKey, limit: 2, endingBefore: first.ListIds[^1]));
        await r.At("list canceled", api.ListPaymentsAsync(m.SecretKey, status: "canceled"));
        await r.At("list events", api.ListEventsAsync(m.SecretKey, limit: 100));

        // Both transports page events the same way (one events service): forward, and backward from a cursor.
        var events = await r.At("list events limit 3", api.ListEventsAsync(m.SecretKey, limit: 3));
        var next = await r.At("list events after cursor", api.ListEventsAsync(m.SecretKey, limit: 3, startingAfter: events.ListIds[^1]));
        await r.At("list events before cursor", api.ListEventsAsync(m.SecretKey, limit: 3, endingBefore: next.ListIds[^1]));
        await r.At("list events before the newest", api.ListEventsAsync(m.SecretKey, limit: 3, endingBefore: events.ListIds[0]));
    });

    [Theory]
    [MemberData(nameof(TestCards))]
    public Task TestCard_ConfirmedPayment_SameOverRestAndGrpc(string number) => AssertParityAsync(async (api, r, m, _) =>
    {
        var pm = (await r.At("tokenize", api.CreatePaymentMethodAsync(m.PublishableKey, new CardInput(number, Cvc: number.StartsWith('3') ? "1234" : "123")))).EnsureOk().Id ?? "";
        var pay = await r.At("create + confirm", api.CreatePaymentAsync(m.SecretKey, new PaymentInput { Amount = 4200, Currency = "EUR", PaymentMethod = pm, Confirm = true }));
        var id = pay.Id ?? (await api.ListPaymentsAsync(m.SecretKey, limit: 1)).ListIds.Single();
        await r.At("get", api.GetPaymentAsync(m.SecretKey, id));
    });

    [Fact]
    public Task Idempotency_ReplayReuseAndInvalidKeys_SameOverRestAndGrpc() => AssertParityAsync(async (api, r, m, _) =>
    {
        var pm = (await r.At("tokenize with key", api.CreatePaymentMethodAsync(m.PublishableKey, new CardInput(Visa), "pm-key-1"))).EnsureOk().Id ?? "";
        var pmReplay = await r.At("tokenize replay", api.CreatePaymentMethodAsync(m.PublishableKey, new CardInput(Visa), "pm-key-1"));
        Assert.Equal(pm, pmReplay.Id);

        var input = new PaymentInput { Amount = 1500, Currency = "EUR", CaptureMethod = "manual", PaymentMethod = pm, Confirm = true };
        var created = (await r.At("create with key", api.CreatePaymentAsync(m.SecretKey, input, "order-1001"))).EnsureOk();
        var replay = await r.At("create replay", api.CreatePaymentAsync(m.SecretKey, input, "order-1001"));
        Assert.True(replay.Replayed, $"{api.Name}: replay not marked");
        Assert.Equal(created.Id, replay.Id);
        await r.At("same key, other request", api.CreatePaymentAsync(m.SecretKey, input with { Amount = 1600 }, "order-1001"));
        await r.At("same key on another operation", api.CapturePaymentAsync(m.SecretKey, created.Id ?? "", null, "order-1001"));
        await r.At("capture with key", api.CapturePaymentAsync(m.SecretKey, created.Id ?? "", 1000, "capture-1"));
        await r.At("capture replay", api.CapturePaymentAsync(m.SecretKey, created.Id ?? "", 1000, "capture-1"));
        await r.At("refund with key", api.CreateRefundAsync(m.SecretKey, created.Id, 300, null, "refund-1"));
        await r.At("refund replay", api.CreateRefundAsync(m.SecretKey, created.Id, 300, null, "refund-1"));
        await r.At("list refunds", api.ListRefundsAsync(m.SecretKey, created.Id));

        var declined = (await r.At("tokenize declining card", api.CreatePaymentMethodAsync(m.PublishableKey, new CardInput("4000000000009995")))).EnsureOk().Id ?? "";
        var decline = new PaymentInput { Amount = 700, Currency = "EUR", PaymentMethod = declined, Confirm = true };
        await r.At("declined with key", api.CreatePaymentAsync(m.SecretKey, decline, "order-1002"));
        await r.At("declined replay", api.CreatePaymentAsync(m.SecretKey, decline, "order-1002"));
        await r.At("list after replays", api.ListPaymentsAsync(m.SecretKey));

        await r.At("key too long", api.CreatePaymentAsync(m.SecretKey, input, new string('k', 256)));
        await r.At("empty key", api.CreatePaymentAsync(m.SecretKey, input, string.Empty));
    });

    [Fact]
    public Task CrossMerchantAndKeyTypes_SameOverRestAndGrpc() => AssertParityAsync(async (api, r, m, other) =>
    {
        var pm = (await r.At("tokenize", api.CreatePaymentMethodAsync(m.PublishableKey, new CardInput(Visa)))).EnsureOk().Id ?? "";
        var pay = (await r.At("pay", api.CreatePaymentAsync(m.SecretKey, new PaymentInput { Amount = 1200, Currency = "EUR", PaymentMethod = pm, Confirm = true }))).EnsureOk().Id ?? "";
        var refund = (await r.At("refund", api.CreateRefundAsync(m.SecretKey, pay, 200))).EnsureOk().Id ?? "";

        await r.At("other: get payment", api.GetPaymentAsync(other.SecretKey, pay));
        await r.At("other: capture", api.CapturePaymentAsync(other.SecretKey, pay, null));
        await r.At("other: cancel", api.CancelPaymentAsync(other.SecretKey, pay, null));
        await r.At("other: confirm", api.ConfirmPaymentAsync(other.SecretKey, pay, pm));
        await r.At("other: refund", api.CreateRefundAsync(other.SecretKey, pay, 100));
        await r.At("other: get refund", api.GetRefundAsync(other.SecretKey, refund));
        await r.At("other: get payment method", api.GetPaymentMethodAsync(other.SecretKey, pm));
        await r.At("other: pay with foreign payment method", api.CreatePaymentAsync(other.SecretKey, new PaymentInput { Amount = 100, Currency = "EUR", PaymentMethod = pm, Confirm = true }));
        await r.At("other: list payments", api.ListPaymentsAsync(other.SecretKey));
        await r.At("other: list refunds of payment", api.ListRefundsAsync(other.SecretKey, pay));

        await r.At("publishable key on payments", api.GetPaymentAsync(m.PublishableKey, pay));
        await r.At("publishable key creating payment", api.CreatePaymentAsync(m.PublishableKey, new PaymentInput { Amount = 100, Currency = "EUR" }));
        await r.At("publishable key on payment method", api.GetPaymentMethodAsync(m.PublishableKey, pm));
        await r.At("secret key tokenizing", api.CreatePaymentMethodAsync(m.SecretKey, new CardInput(Visa)));
        await r.At("no key", api.GetPaymentAsync(null, pay));
        await r.At("unknown key", api.GetPaymentAsync("sk_test_" + new string('x', 32), pay));
        await r.At("short key", api.ListPaymentsAsync("sk_test_short"));
    });

    [Fact]
    public Task BadInput_SameErrorsOverRestAndGrpc() => AssertParityAsync(async (api, r, m, _) =>
    {
        var sk = m.SecretKey;
        var pk = m.PublishableKey;
        var pm = (await r.At("tokenize", api.CreatePaymentMethodAsync(pk, new CardInput(Visa)))).EnsureOk().Id ?? "";
        var valid = new PaymentInput { Amount = 1000, Currency = "EUR" };

        await r.At("amount missing", api.CreatePaymentAsync(sk, valid with { Amount = null }));
        await r.At("amount zero", api.CreatePaymentAsync(sk, valid with { Amount = 0 }));
        await r.At("amount negative", api.CreatePaymentAsync(sk, valid with { Amount = -5 }));
        await r.At("amount too large", api.CreatePaymentAsync(sk, valid with { Amount = 100_000_000 }));
        await r.At("amount long max", api.CreatePaymentAsync(sk, valid with { Amount = long.MaxValue }));
        await r.At("currency missing", api.CreatePaymentAsync(sk, valid with { Currency = null }));
        await r.At("currency unknown", api.CreatePaymentAsync(sk, valid with { Currency = "XXX" }));
        await r.At("currency lower case", api.CreatePaymentAsync(sk, valid with { Currency = "eur" }));
        await r.At("capture method unknown", api.CreatePaymentAsync(sk, valid with { CaptureMethod = "bogus" }));
        await r.At("confirm without payment method", api.CreatePaymentAsync(sk, valid with { Confirm = true }));
        await r.At("unknown payment method", api.CreatePaymentAsync(sk, valid with { PaymentMethod = "pm_doesnotexist" }));
        await r.At("too much metadata", api.CreatePaymentAsync(sk, valid with { Metadata = Enumerable.Range(0, 51).ToDictionary(i => $"k{i}", i => "v") }));
        await r.At("description too long", api.CreatePaymentAsync(sk, valid with { Description = new string('d', 1001) }));
        await r.At("return url invalid", api.CreatePaymentAsync(sk, valid with { ReturnUrl = "not a url" }));
        await r.At("description with U+0000", api.CreatePaymentAsync(sk, valid with { Description = "a\0b" }));
        await r.At("metadata value with U+0000", api.CreatePaymentAsync(sk, valid with { Metadata = new() { ["k"] = "\0" } }));

        await r.At("card number missing", api.CreatePaymentMethodAsync(pk, new CardInput(null)));
        await r.At("card number fails Luhn", api.CreatePaymentMethodAsync(pk, new CardInput("4242424242424241")));
        await r.At("exp month 13", api.CreatePaymentMethodAsync(pk, new CardInput(Visa, ExpMonth: 13)));
        await r.At("exp month missing", api.CreatePaymentMethodAsync(pk, new CardInput(Visa, ExpMonth: null)));
        await r.At("expired card", api.CreatePaymentMethodAsync(pk, new CardInput(Visa, ExpYear: 2020)));
        await r.At("cvc too short", api.CreatePaymentMethodAsync(pk, new CardInput(Visa, Cvc: "12")));

        var pay = (await r.At("authorize", api.CreatePaymentAsync(sk, valid with { CaptureMethod = "manual", PaymentMethod = pm, Confirm = true }))).EnsureOk().Id ?? "";
        await r.At("capture zero", api.CapturePaymentAsync(sk, pay, 0));
        await r.At("capture more than authorized", api.CapturePaymentAsync(sk, pay, 1001));
        await r.At("refund uncaptured", api.CreateRefundAsync(sk, pay, 100));
        await r.At("refund without payment", api.CreateRefundAsync(sk, null, 100));
        await r.At("refund zero", api.CreateRefundAsync(sk, pay, 0));
        await r.At("refund unknown reason", api.CreateRefundAsync(sk, pay, 100, "bogus"));
        await r.At("refund unknown payment", api.CreateRefundAsync(sk, "pay_doesnotexist", 100));
        await r.At("cancel unknown reason", api.CancelPaymentAsync(sk, pay, "bogus"));
        await r.At("get unknown payment", api.GetPaymentAsync(sk, "pay_doesnotexist"));
        await r.At("confirm unknown payment", api.ConfirmPaymentAsync(sk, "pay_doesnotexist", pm));
        await r.At("get unknown refund", api.GetRefundAsync(sk, "re_doesnotexist"));

        await r.At("list limit 0", api.ListPaymentsAsync(sk, limit: 0));
        await r.At("list limit 101", api.ListPaymentsAsync(sk, limit: 101));
        await r.At("list bad cursor", api.ListPaymentsAsync(sk, startingAfter: "garbage"));
        await r.At("list both cursors", api.ListPaymentsAsync(sk, startingAfter: pay, endingBefore: pay));
        await r.At("list unknown status", api.ListPaymentsAsync(sk, status: "bogus"));
        await r.At("list refunds limit 0", api.ListRefundsAsync(sk, null, limit: 0));
        await r.At("list events limit 101", api.ListEventsAsync(sk, limit: 101));
    });

    [Fact]
    public Task CustomersAndSavedCards_SameOverRestAndGrpc() => AssertParityAsync(async (api, r, m, other) =>
    {
        var sk = m.SecretKey;
        var customer = (await r.At("create customer", api.CreateCustomerAsync(sk, new CustomerInput
        {
            Email = "Ada@Shop.example",
            Name = "Ada",
            Metadata = new() { ["crm"] = "c-1" },
        }, "cus-key-1"))).EnsureOk().Id ?? "";
        await r.At("create customer replay", api.CreateCustomerAsync(sk, new CustomerInput { Email = "Ada@Shop.example", Name = "Ada", Metadata = new() { ["crm"] = "c-1" } }, "cus-key-1"));
        await r.At("get customer", api.GetCustomerAsync(sk, customer));
        await r.At("update customer", api.UpdateCustomerAsync(sk, customer, new CustomerInput { Phone = "+31 20 000 0000", Metadata = new() { ["crm"] = "c-2" } }));
        await r.At("search by email", api.ListCustomersAsync(sk, email: "ada@shop.example"));
        await r.At("search by metadata", api.ListCustomersAsync(sk, metadataKey: "crm", metadataValue: "c-2"));
        await r.At("list customers", api.ListCustomersAsync(sk, limit: 5));

        var saving = (await r.At("tokenize", api.CreatePaymentMethodAsync(m.PublishableKey, new CardInput("4000000000003089")))).EnsureOk().Id ?? "";
        await r.At("pay and save", api.CreatePaymentAsync(sk, new PaymentInput
        {
            Amount = 1500,
            Currency = "EUR",
            Customer = customer,
            PaymentMethod = saving,
            Confirm = true,
            SetupFutureUsage = "off_session",
        }));
        await r.At("saved card", api.GetPaymentMethodAsync(sk, saving));
        await r.At("set default", api.UpdateCustomerAsync(sk, customer, new CustomerInput { DefaultPaymentMethod = saving }));
        await r.At("off session on the default", api.CreatePaymentAsync(sk, new PaymentInput
        {
            Amount = 990,
            Currency = "EUR",
            Customer = customer,
            OffSession = true,
            Confirm = true,
            MitType = "recurring",
        }, "mit-1"));
        await r.At("off session replay", api.CreatePaymentAsync(sk, new PaymentInput
        {
            Amount = 990,
            Currency = "EUR",
            Customer = customer,
            OffSession = true,
            Confirm = true,
            MitType = "recurring",
        }, "mit-1"));

        var picky = (await r.At("tokenize picky card", api.CreatePaymentMethodAsync(m.PublishableKey, new CardInput("4000002760003184")))).EnsureOk().Id ?? "";
        var setup = (await r.At("setup needs 3-D Secure", api.CreatePaymentAsync(sk, new PaymentInput
        {
            Mode = "setup",
            Currency = "EUR",
            Customer = customer,
            PaymentMethod = picky,
            Confirm = true,
            ReturnUrl = "https://shop.example/r",
        }))).EnsureOk();
        await r.At("setup payment", api.GetPaymentAsync(sk, setup.Id ?? ""));

        var attached = (await r.At("tokenize to attach", api.CreatePaymentMethodAsync(m.PublishableKey, new CardInput("5555555555554444")))).EnsureOk().Id ?? "";
        await r.At("attach", api.AttachPaymentMethodAsync(sk, customer, attached));
        await r.At("off session on an on-session card", api.CreatePaymentAsync(sk, new PaymentInput
        {
            Amount = 100,
            Currency = "EUR",
            Customer = customer,
            PaymentMethod = attached,
            OffSession = true,
            Confirm = true,
        }));
        await r.At("list saved", api.ListCustomerPaymentMethodsAsync(sk, customer));
        await r.At("detach", api.DetachPaymentMethodAsync(sk, customer, attached));
        await r.At("charge detached", api.CreatePaymentAsync(sk, new PaymentInput { Amount = 100, Currency = "EUR", Customer = customer, PaymentMethod = attached, Confirm = true }));

        await r.At("other merchant: get customer", api.GetCustomerAsync(other.SecretKey, customer));
        await r.At("other merchant: charge the saved card", api.CreatePaymentAsync(other.SecretKey, new PaymentInput
        {
            Amount = 100,
            Currency = "EUR",
            Customer = customer,
            PaymentMethod = saving,
            OffSession = true,
            Confirm = true,
        }));

        await r.At("bad usage", api.CreatePaymentAsync(sk, new PaymentInput { Amount = 100, Currency = "EUR", Customer = customer, PaymentMethod = saving, SetupFutureUsage = "always" }));
        await r.At("off session without confirm", api.CreatePaymentAsync(sk, new PaymentInput { Amount = 100, Currency = "EUR", Customer = customer, PaymentMethod = saving, OffSession = true }));
        await r.At("setup with an amount", api.CreatePaymentAsync(sk, new PaymentInput { Mode = "setup", Amount = 100, Currency = "EUR", Customer = customer }));
        await r.At("unknown customer", api.GetCustomerAsync(sk, "cus_doesnotexist"));
        await r.At("bad customer email", api.CreateCustomerAsync(sk, new CustomerInput { Email = "nope" }));
        await r.At("attach without payment method", api.AttachPaymentMethodAsync(sk, customer, null));

        await r.At("delete customer", api.DeleteCustomerAsync(sk, customer));
        await r.At("get deleted customer", api.GetCustomerAsync(sk, customer));
        await r.At("charge deleted customer", api.CreatePaymentAsync(sk, new PaymentInput
        {
            Amount = 100,
            Currency = "EUR",
            Customer = customer,
            PaymentMethod = saving,
            OffSession = true,
            Confirm = true,
        }));
        await r.At("list events", api.ListEventsAsync(sk, limit: 100));
    });

    private async Task AssertParityAsync(Func<IParityApi, Recorder, TestMerchant, TestMerchant, Task> scenario)
    {
        var overRest = new Recorder();
        await scenario(fixture.Rest, overRest, await fixture.Server.CreateMerchantAsync("REST merchant"), await fixture.Server.CreateMerchantAsync("REST other"));
        var overGrpc = new Recorder();
        await scenario(fixture.Grpc, overGrpc, await fixture.Server.CreateMerchantAsync("gRPC merchant"), await fixture.Server.CreateMerchantAsync("gRPC other"));

        Assert.Equal(overRest.Steps.Select(s => s.Step), overGrpc.Steps.Select(s => s.Step));
        var steps = overRest.Steps.Zip(overGrpc.Steps, (a, b) => (a.Step, a.Outcome, b.Outcome)).ToList();
        var differences = Flattener.Describe(steps);
        Assert.True(differences.Length == 0, "REST and gRPC differ:\n" + differences);
        Assert.All(steps, s => Assert.True(s.Item2.HasRequestId, $"step '{s.Step}' has no request id"));
        Assert.All(steps.Where(s => s.Item2.Status == 200), s => Assert.True(s.Item2.Fields.Count > 0, $"step '{s.Step}' returned no fields"));
    }
}
