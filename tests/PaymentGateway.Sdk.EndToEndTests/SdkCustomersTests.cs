using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Sdk;

namespace PaymentGateway.Sdk.EndToEndTests;

/// <summary>
/// Customers and saved cards through the real SDK against the real gateway on loopback, over both transports: the
/// subscription flow (save on the first payment, charge monthly off session, authentication required), setup mode,
/// customer CRUD and search with auto-paging, detach and erasure.
/// </summary>
public sealed class SdkCustomersTests : IAsyncLifetime
{
    private const string MitApproved = "4000000000003089";
    private const string AuthenticationRequiredOffSession = "4000002760003184";
    private const string ExpiredSinceSaving = "4000000000003097";

    private GatewayServer? _server;
    private TestMerchant? _merchant;

    private GatewayServer Server => _server ?? throw new InvalidOperationException();

    private TestMerchant Merchant => _merchant ?? throw new InvalidOperationException();

    public static TheoryData<PaymentGatewayTransport> Transports => new() { PaymentGatewayTransport.Rest, PaymentGatewayTransport.Grpc };

    public async Task InitializeAsync()
    {
        _server = await GatewayServer.StartAsync(withGrpcPort: true);
        _merchant = await _server.CreateMerchantAsync("SDK customers merchant");
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Subscription_SaveOnFirstPayment_ThenChargeOffSessionEachMonth(PaymentGatewayTransport transport)
    {
        using var client = NewClient(transport);
        var customer = await client.Customers.CreateAsync(new CreateCustomerRequest { Email = "ada@shop.example", Name = "Ada" });
        var method = await TokenizeAsync(client, MitApproved);

        var first = await client.Payments.CreateAsync(new CreatePaymentRequest
        {
            Amount = 1990,
            Currency = "EUR",
            Customer = customer.Id,
            PaymentMethod = method.Id,
            SetupFutureUsage = SetupFutureUsage.OffSession,
            Confirm = true,
        });
        Assert.Equal(PaymentStatus.Succeeded, first.Status);
        Assert.Equal(SetupFutureUsage.OffSession, first.SetupFutureUsage);
        Assert.False(first.OffSession);

        var saved = await client.PaymentMethods.GetAsync(method.Id);
        Assert.Equal(customer.Id, saved.Customer);
        Assert.Equal(SetupFutureUsage.OffSession, saved.Usage);

        var months = new List<Payment>();
        for (var month = 0; month < 3; month++)
        {
            months.Add(await client.Payments.CreateAsync(new CreatePaymentRequest
            {
                Amount = 1990,
                Currency = "EUR",
                Customer = customer.Id,
                PaymentMethod = method.Id,
                OffSession = true,
                MitType = MitType.Recurring,
                Confirm = true,
            }));
        }

        Assert.All(months, p =>
        {
            Assert.Equal(PaymentStatus.Succeeded, p.Status);
            Assert.True(p.OffSession);
            Assert.Equal(MitType.Recurring, p.MitType);
            Assert.Equal(1990, p.AmountReceived);
        });
        Assert.Equal(3, months.Select(p => p.Id).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task OffSession_AuthenticationRequired_ThrowsWithThePaymentWaiting_AndTheCustomerFinishesIt(PaymentGatewayTransport transport)
    {
        using var client = NewClient(transport);
        var customer = await client.Customers.CreateAsync();
        var method = await TokenizeAsync(client, AuthenticationRequiredOffSession);
        var first = await client.Payments.CreateAsync(new CreatePaymentRequest
        {
            Amount = 1000,
            Currency = "EUR",
            Customer = customer.Id,
            PaymentMethod = method.Id,
            SetupFutureUsage = SetupFutureUsage.OffSession,
            Confirm = true,
            ReturnUrl = "https://shop.example/return",
        });
        Assert.Equal(PaymentStatus.Succeeded, (await PassChallengeAsync(client, first)).Status);

        var e = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.Payments.CreateAsync(new CreatePaymentRequest
        {
            Amount = 2500,
            Currency = "EUR",
            Customer = customer.Id,
            PaymentMethod = method.Id,
            OffSession = true,
            MitType = MitType.Recurring,
            Confirm = true,
        }));

        Assert.Equal((402, ErrorCode.CardAuthenticationRequired), (e.Status, e.Code));
        Assert.Equal("authentication_required", e.DeclineCode);
        var waiting = e.Payment ?? throw new InvalidOperationException("The exception carries no payment.");
        Assert.Equal(PaymentStatus.RequiresConfirmation, waiting.Status);
        Assert.Equal(PaymentStatus.RequiresConfirmation, (await client.Payments.GetAsync(waiting.Id)).Status);

        var onSession = await client.Payments.ConfirmAsync(waiting.Id, new ConfirmPaymentRequest { OffSession = false, ReturnUrl = "https://shop.example/back" });
        Assert.Equal(PaymentStatus.RequiresAction, onSession.Status);
        Assert.False(onSession.OffSession);
        var done = await PassChallengeAsync(client, onSession);
        Assert.Equal(PaymentStatus.Succeeded, done.Status);
        Assert.Equal(2500, done.AmountReceived);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task SetupMode_SavesWithoutCharging_AndAnOffSessionRefusalHasItsCode(PaymentGatewayTransport transport)
    {
        using var client = NewClient(transport);
        var customer = await client.Customers.CreateAsync();
        var onSessionOnly = await TokenizeAsync(client, MitApproved);
        await client.Customers.AttachPaymentMethodAsync(customer.Id, onSessionOnly.Id);

        var refused = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.Payments.CreateAsync(new CreatePaymentRequest
        {
            Amount = 500,
            Currency = "EUR",
            Customer = customer.Id,
            PaymentMethod = onSessionOnly.Id,
            OffSession = true,
            Confirm = true,
        }));
        Assert.Equal((422, ErrorCode.OffSessionNotAllowed), (refused.Status, refused.Code));

        var method = await TokenizeAsync(client, MitApproved);
        var setup = await client.Payments.CreateAsync(new CreatePaymentRequest
        {
            Amount = 0,
            Currency = "EUR",
            Mode = PaymentMode.Setup,
            Customer = customer.Id,
            PaymentMethod = method.Id,
            Confirm = true,
        });
        Assert.Equal(PaymentMode.Setup, setup.Mode);
        Assert.Equal(PaymentStatus.Succeeded, setup.Status);
        Assert.Equal(0, setup.AmountReceived);

        var charge = await client.Payments.CreateAsync(new CreatePaymentRequest
        {
            Amount = 700,
            Currency = "EUR",
            Customer = customer.Id,
            PaymentMethod = method.Id,
            OffSession = true,
            MitType = MitType.Unscheduled,
            Confirm = true,
        });
        Assert.Equal(PaymentStatus.Succeeded, charge.Status);
        Assert.Equal(MitType.Unscheduled, charge.MitType);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task ExpiredSinceSaving_IsDeclinedExpiredCard(PaymentGatewayTransport transport)
    {
        using var client = NewClient(transport);
        var customer = await client.Customers.CreateAsync();
        var method = await TokenizeAsync(client, ExpiredSinceSaving);
        await client.Payments.CreateAsync(new CreatePaymentRequest
        {
            Amount = 0,
            Currency = "EUR",
            Mode = PaymentMode.Setup,
            Customer = customer.Id,
            PaymentMethod = method.Id,
            Confirm = true,
        });

        var e = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.Payments.CreateAsync(new CreatePaymentRequest
        {
            Amount = 990,
            Currency = "EUR",
            Customer = customer.Id,
            PaymentMethod = method.Id,
            OffSession = true,
            Confirm = true,
        }));

        Assert.Equal((402, ErrorCode.CardDeclined, "expired_card"), (e.Status, e.Code, e.DeclineCode));
        Assert.Equal(PaymentStatus.Failed, e.Payment?.Status);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Customers_CreateUpdateSearchAndAutoPage(PaymentGatewayTransport transport)
    {
        var merchant = await Server.CreateMerchantAsync("SDK customers list " + transport);
        using var client = NewClient(transport, merchant.SecretKey);
        var tag = Guid.NewGuid().ToString("N");
        var created = new List<Customer>();
        for (var i = 0; i < 5; i++)
        {
            created.Add(await client.Customers.CreateAsync(new CreateCustomerRequest
            {
                Email = $"c{i}@shop.example",
                Name = $"Customer {i}",
                Metadata = new Dictionary<string, string> { ["plan"] = i % 2 == 0 ? "gold" : "basic", ["tag"] = tag },
            }));
        }

        var updated = await client.Customers.UpdateAsync(created[0].Id, new UpdateCustomerRequest
        {
            Phone = "+33100000000",
            Metadata = new Dictionary<string, string> { ["plan"] = "platinum" },
        });
        Assert.Equal("+33100000000", updated.Phone);
        Assert.Equal("platinum", updated.Metadata["plan"]);
        Assert.Equal(created[0].Email, updated.Email);
        Assert.Equal(updated.Phone, (await client.Customers.GetAsync(created[0].Id)).Phone);

        var all = new List<string>();
        await foreach (var c in client.Customers.ListAutoPagingAsync(new ListCustomersRequest { Limit = 2 }))
        {
            all.Add(c.Id);
        }

        Assert.Equal(created.Select(c => c.Id).Reverse(), all);

        var byEmail = await client.Customers.ListAsync(new ListCustomersRequest { Email = "C3@SHOP.EXAMPLE" });
        Assert.Equal([created[3].Id], byEmail.Data.Select(c => c.Id));

        var gold = new List<string>();
        await foreach (var c in client.Customers.ListAutoPagingAsync(new ListCustomersRequest { Limit = 1, MetadataKey = "plan", MetadataValue = "gold" }))
        {
            gold.Add(c.Id);
        }

        Assert.Equal([created[4].Id, created[2].Id], gold);

        var missing = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.Customers.GetAsync("cus_" + tag));
        Assert.Equal((404, ErrorCode.ResourceMissing), (missing.Status, missing.Code));
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task PaymentMethods_AttachListDefaultDetach_ThenDeleteErasesAndRefusesCharges(PaymentGatewayTransport transport)
    {
        using var client = NewClient(transport);
        var customer = await client.Customers.CreateAsync(new CreateCustomerRequest { Email = "pm@shop.example" });
        var methods = new List<PaymentMethod>();
        for (var i = 0; i < 3; i++)
        {
            methods.Add(await client.Customers.AttachPaymentMethodAsync(customer.Id, (await TokenizeAsync(client, MitApproved)).Id));
        }

        Assert.All(methods, m => Assert.Equal((customer.Id, SetupFutureUsage.OnSession), (m.Customer, m.Usage)));
        var listed = new List<string>();
        await foreach (var m in client.Customers.ListPaymentMethodsAutoPagingAsync(customer.Id, new ListCustomerPaymentMethodsRequest { Limit = 2 }))
        {
            listed.Add(m.Id);
        }

        Assert.Equal(methods.Select(m => m.Id).Reverse(), listed);

        var withDefault = await client.Customers.UpdateAsync(customer.Id, new UpdateCustomerRequest { DefaultPaymentMethod = methods[1].Id });
        Assert.Equal(methods[1].Id, withDefault.DefaultPaymentMethod);

        var newExpiry = await client.PaymentMethods.UpdateAsync(methods[1].Id, new UpdatePaymentMethodRequest { ExpMonth = 3, ExpYear = DateTime.UtcNow.Year + 4 });
        Assert.Equal((3, DateTime.UtcNow.Year + 4), (newExpiry.Card?.ExpMonth, newExpiry.Card?.ExpYear));

        var detached = await client.Customers.DetachPaymentMethodAsync(customer.Id, methods[0].Id);
        Assert.NotNull(detached.DetachedAt);
        var charge = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.Payments.CreateAsync(new CreatePaymentRequest
        {
            Amount = 500,
            Currency = "EUR",
            Customer = customer.Id,
            PaymentMethod = methods[0].Id,
            Confirm = true,
        }));
        Assert.Equal((422, ErrorCode.PaymentMethodDetached), (charge.Status, charge.Code));

        var deleted = await client.Customers.DeleteAsync(customer.Id);
        Assert.True(deleted.Deleted);
        Assert.Null(deleted.Email);
        Assert.True((await client.Customers.GetAsync(customer.Id)).Deleted);
        Assert.NotNull((await client.PaymentMethods.GetAsync(methods[1].Id)).DetachedAt);
        var afterDelete = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.Payments.CreateAsync(new CreatePaymentRequest
        {
            Amount = 500,
            Currency = "EUR",
            Customer = customer.Id,
            PaymentMethod = methods[1].Id,
            Confirm = true,
        }));
        Assert.Equal(422, afterDelete.Status);
        Assert.Contains(afterDelete.Code, new ErrorCode?[] { ErrorCode.CustomerDeleted, ErrorCode.PaymentMethodDetached });
    }

    [Fact]
    public async Task SameCustomer_GivesEqualObjects_OverRestAndGrpc()
    {
        using var rest = NewClient(PaymentGatewayTransport.Rest);
        using var grpc = NewClient(PaymentGatewayTransport.Grpc);
        var customer = await rest.Customers.CreateAsync(new CreateCustomerRequest
        {
            Email = "same@shop.example",
            Name = "Same",
            Phone = "+33",
            Description = "d",
            Metadata = new Dictionary<string, string> { ["k"] = "v" },
        });
        var method = await rest.Customers.AttachPaymentMethodAsync(customer.Id, (await TokenizeAsync(rest, MitApproved)).Id);

        var overRest = await rest.Customers.GetAsync(customer.Id);
        var overGrpc = await grpc.Customers.GetAsync(customer.Id);
        Assert.Equal(overRest with { Metadata = NoMetadata }, overGrpc with { Metadata = NoMetadata });
        Assert.Equal(overRest.Metadata, overGrpc.Metadata);
        Assert.Equal(await rest.PaymentMethods.GetAsync(method.Id), await grpc.PaymentMethods.GetAsync(method.Id));
    }

    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    /// <summary>Passes the simulator's 3-D Secure page as the customer's browser would, then reads the payment again.</summary>
    private async Task<Payment> PassChallengeAsync(PaymentGatewayClient client, Payment payment)
    {
        if (payment.Status != PaymentStatus.RequiresAction)
        {
            return payment;
        }

        var url = payment.NextAction?.RedirectToUrl?.Url ?? throw new InvalidOperationException("No redirect to follow.");
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Server.BaseAddress };
        using (await browser.PostAsync(url, new FormUrlEncodedContent([new KeyValuePair<string, string>("outcome", "pass")])))
        {
        }

        return await client.Payments.GetAsync(payment.Id);
    }

    private PaymentGatewayClient NewClient(PaymentGatewayTransport transport, string? key = null) => new(new PaymentGatewayClientOptions
    {
        BaseAddress = transport == PaymentGatewayTransport.Grpc ? Server.GrpcAddress : Server.BaseAddress,
        ApiKey = key ?? Merchant.SecretKey,
        Transport = transport,
        MaxRetries = 2,
    });

    private async Task<PaymentMethod> TokenizeAsync(PaymentGatewayClient client, string number) =>
        await client.PaymentMethods.CreateAsync(
            new CreatePaymentMethodRequest { Card = new CardDetailsRequest { Number = number, ExpMonth = 12, ExpYear = DateTime.UtcNow.Year + 2, Cvc = "123" } },
            new RequestOptions { ApiKey = Merchant.PublishableKey });
}
