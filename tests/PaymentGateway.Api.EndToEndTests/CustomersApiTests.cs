using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Host.Background;
using static PaymentGateway.Api.EndToEndTests.Infrastructure.SavedCardSteps;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary><c>/v1/customers</c>: create, retrieve, update, list and search, delete, attach and detach, expiring cards.</summary>
[Collection(GatewayCollection.Name)]
public sealed class CustomersApiTests(GatewayFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    [Fact]
    public async Task Create_Get_Update_RoundTripsEveryField_WithEvents()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);

        var created = (await api.PostAsync("/v1/customers", new
        {
            email = "Ada@Example.com",
            name = "Ada Lovelace",
            phone = "+44 20 7946 0000",
            description = "VIP",
            metadata = new Dictionary<string, string> { ["crm"] = "A-1" },
        })).EnsureStatus(200);
        var id = created.Str("id")!;
        Assert.StartsWith("cus_", id, StringComparison.Ordinal);
        Assert.Equal("customer", created.Str("object"));
        Assert.Equal("Ada@Example.com", created.Str("email"));
        Assert.False(created.Json.GetProperty("livemode").GetBoolean());
        Assert.False(created.Json.GetProperty("deleted").GetBoolean());

        var updated = (await api.SendAsync(HttpMethod.Patch, $"/v1/customers/{id}", JsonSerializer.Serialize(new { name = "Ada King", phone = "", metadata = new { crm = "A-2" } }), null))
            .EnsureStatus(200);
        Assert.Equal("Ada King", updated.Str("name"));
        Assert.Null(updated.Str("phone"));
        Assert.Equal("Ada@Example.com", updated.Str("email"));
        Assert.Equal("A-2", updated.Json.GetProperty("metadata").GetProperty("crm").GetString());

        var fetched = (await api.GetAsync($"/v1/customers/{id}")).EnsureStatus(200);
        Assert.Equal(updated.Body, fetched.Body);
        Assert.Equal(["customer.created", "customer.updated"], await EventTypesAsync(Server, merchant, id));
    }

    [Fact]
    public async Task List_PagesNewestFirst_AndSearchesByEmailAndMetadata()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await api.PostAsync("/v1/customers", new { email = $"user{i}@shop.example", metadata = new Dictionary<string, string> { ["tier"] = i % 2 == 0 ? "gold" : "silver" } }))
                .EnsureStatus(200).Str("id")!);
        }

        var first = (await api.GetAsync("/v1/customers?limit=2")).EnsureStatus(200);
        Assert.Equal([ids[4], ids[3]], Steps.Ids(first));
        Assert.True(first.Json.GetProperty("has_more").GetBoolean());
        var second = (await api.GetAsync($"/v1/customers?limit=2&starting_after={ids[3]}")).EnsureStatus(200);
        Assert.Equal([ids[2], ids[1]], Steps.Ids(second));

        Assert.Equal([ids[3]], Steps.Ids((await api.GetAsync("/v1/customers?email=USER3@shop.example")).EnsureStatus(200)));
        Assert.Equal([ids[4], ids[2], ids[0]], Steps.Ids((await api.GetAsync("/v1/customers?metadata[tier]=gold")).EnsureStatus(200)));
        Assert.Empty(Steps.Ids((await api.GetAsync("/v1/customers?metadata[tier]=bronze")).EnsureStatus(200)));

        (await api.SendAsync(HttpMethod.Delete, $"/v1/customers/{ids[4]}", null, null)).EnsureStatus(200);
        Assert.Equal([ids[2], ids[0]], Steps.Ids((await api.GetAsync("/v1/customers?metadata[tier]=gold")).EnsureStatus(200)));
        Assert.True((await api.GetAsync($"/v1/customers/{ids[4]}")).EnsureStatus(200).Json.GetProperty("deleted").GetBoolean());
    }

    [Fact]
    public async Task BadInput_Returns4xxWithStableCodes()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var customer = await CustomerAsync(Server, merchant);

        Problem.Assert(await api.PostAsync("/v1/customers", new { email = "not-an-address" }), 400, "parameter_invalid", "email");
        Problem.Assert(await api.PostAsync("/v1/customers", new { name = new string('x', 300) }), 400, "parameter_invalid", "name");
        Problem.Assert(await api.PostAsync("/v1/customers", new { nickname = "x" }), 400, "parameter_unknown", "nickname");
        Problem.Assert(await api.PostAsync("/v1/customers", new { metadata = Enumerable.Range(0, 51).ToDictionary(i => $"k{i}", i => "v") }), 400, "parameter_invalid", "metadata");
        Problem.Assert(await api.GetAsync("/v1/customers/cus_missing"), 404, "resource_missing");
        Problem.Assert(await api.GetAsync("/v1/customers?metadata[a]=1&metadata[b]=2"), 400, "parameter_invalid", "metadata");
        Problem.Assert(await api.GetAsync("/v1/customers?starting_after=pay_x"), 400, "parameter_invalid", "starting_after");
        Problem.Assert(await api.SendAsync(HttpMethod.Patch, $"/v1/customers/{customer}", JsonSerializer.Serialize(new { default_payment_method = "pm_nope" }), null), 404,
            "resource_missing", "default_payment_method");
        Problem.Assert(await api.PostAsync($"/v1/customers/{customer}/payment_methods", new { }), 400, "parameter_missing", "payment_method");
        Problem.Assert(await api.PostAsync($"/v1/customers/{customer}/payment_methods", new { payment_method = "pm_nope" }), 404, "resource_missing", "payment_method");
        Problem.Assert(await api.SendAsync(HttpMethod.Delete, $"/v1/customers/{customer}/payment_methods/pm_nope", null, null), 404, "resource_missing");
        Problem.Assert(await Server.Client(merchant.PublishableKey).PostAsync("/v1/customers", new { }), 403, "secret_key_required");

        (await api.SendAsync(HttpMethod.Delete, $"/v1/customers/{customer}", null, null)).EnsureStatus(200);
        Problem.Assert(await api.SendAsync(HttpMethod.Patch, $"/v1/customers/{customer}", JsonSerializer.Serialize(new { name = "x" }), null), 422, "customer_deleted");
        var pm = await Steps.TokenizeAsync(Server, merchant, TestCards.Visa);
        Problem.Assert(await api.PostAsync($"/v1/customers/{customer}/payment_methods", new { payment_method = pm }), 422, "customer_deleted");
    }

    [Fact]
    public async Task Attach_List_SetDefault_Detach_ClearsTheDefault()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var customer = await CustomerAsync(Server, merchant);
        var a = await Steps.TokenizeAsync(Server, merchant, TestCards.Visa);
        var b = await Steps.TokenizeAsync(Server, merchant, TestCards.Mastercard);

        var attached = (await api.PostAsync($"/v1/customers/{customer}/payment_methods", new { payment_method = a })).EnsureStatus(200);
        Assert.Equal(customer, attached.Str("customer"));
        Assert.Equal("on_session", attached.Str("usage"));
        (await api.PostAsync($"/v1/customers/{customer}/payment_methods", new { payment_method = a })).EnsureStatus(200); // again: no change
        (await api.PostAsync($"/v1/customers/{customer}/payment_methods", new { payment_method = b })).EnsureStatus(200);
        Assert.Equal([b, a], Steps.Ids((await api.GetAsync($"/v1/customers/{customer}/payment_methods")).EnsureStatus(200)));
        Assert.Equal(["payment_method.attached"], await EventTypesAsync(Server, merchant, a));

        Assert.Equal(b, (await api.SendAsync(HttpMethod.Patch, $"/v1/customers/{customer}", JsonSerializer.Serialize(new { default_payment_method = b }), null))
            .EnsureStatus(200).Str("default_payment_method"));
        (await api.SendAsync(HttpMethod.Delete, $"/v1/customers/{customer}/payment_methods/{b}", null, null)).EnsureStatus(200);

        Assert.Null((await api.GetAsync($"/v1/customers/{customer}")).Str("default_payment_method"));
        Assert.Equal([a], Steps.Ids((await api.GetAsync($"/v1/customers/{customer}/payment_methods")).EnsureStatus(200)));
    }

    [Fact]
    public async Task UpdateSavedCard_NewExpiry_SendsUpdatedEvent()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var customer = await CustomerAsync(Server, merchant);
        var pm = await Steps.TokenizeAsync(Server, merchant, TestCards.Visa);
        Problem.Assert(await api.SendAsync(HttpMethod.Patch, $"/v1/payment_methods/{pm}", JsonSerializer.Serialize(new { exp_month = 3 }), null), 422, "parameter_invalid");
        (await api.PostAsync($"/v1/customers/{customer}/payment_methods", new { payment_method = pm })).EnsureStatus(200);
        var year = DateTime.UtcNow.Year + 5;

        var updated = (await api.SendAsync(HttpMethod.Patch, $"/v1/payment_methods/{pm}", JsonSerializer.Serialize(new { exp_month = 3, exp_year = year }), null)).EnsureStatus(200);

        Assert.Equal(3, updated.Json.GetProperty("card").GetProperty("exp_month").GetInt32());
        Assert.Equal(year, updated.Json.GetProperty("card").GetProperty("exp_year").GetInt32());
        Assert.Contains("payment_method.updated", await EventTypesAsync(Server, merchant, pm));
        Problem.Assert(await api.SendAsync(HttpMethod.Patch, $"/v1/payment_methods/{pm}", JsonSerializer.Serialize(new { exp_month = 13 }), null), 400, "parameter_invalid", "exp_month");
        Problem.Assert(await api.SendAsync(HttpMethod.Patch, $"/v1/payment_methods/{pm}", JsonSerializer.Serialize(new { exp_month = 1, exp_year = 2001 }), null), 400, "card_expired", "exp_year");
    }

    [Fact]
    public async Task ExpiringJob_SendsPaymentMethodExpiringOncePerSavedCardAndExpiry()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var customer = await CustomerAsync(Server, merchant);
        var now = DateTime.UtcNow;
        var soon = (await Server.Client(merchant.PublishableKey).PostAsync("/v1/payment_methods", new
        {
            type = "card",
            card = new { number = TestCards.Visa, exp_month = now.Month, exp_year = now.Year, cvc = "737" }, // valid to the end of this month
        })).EnsureStatus(200).Str("id")!;
        var later = await Steps.TokenizeAsync(Server, merchant, TestCards.Mastercard);
        var unattached = (await Server.Client(merchant.PublishableKey).PostAsync("/v1/payment_methods", new
        {
            type = "card",
            card = new { number = TestCards.Amex, exp_month = now.Month, exp_year = now.Year, cvc = "1234" },
        })).EnsureStatus(200).Str("id")!;
        (await api.PostAsync($"/v1/customers/{customer}/payment_methods", new { payment_method = soon })).EnsureStatus(200);
        (await api.PostAsync($"/v1/customers/{customer}/payment_methods", new { payment_method = later })).EnsureStatus(200);
        var job = Server.Services.GetRequiredService<ExpiringCardNoticeService>();

        Assert.True(await job.RunOnceAsync(CancellationToken.None) >= 1);
        await job.RunOnceAsync(CancellationToken.None);

        Assert.Single(await EventTypesAsync(Server, merchant, soon), t => t == "payment_method.expiring");
        Assert.DoesNotContain("payment_method.expiring", await EventTypesAsync(Server, merchant, later));
        Assert.DoesNotContain("payment_method.expiring", await EventTypesAsync(Server, merchant, unattached));

        // A new expiry makes the notice due again only when it is close again: this one is years away.
        (await api.SendAsync(HttpMethod.Patch, $"/v1/payment_methods/{soon}", JsonSerializer.Serialize(new { exp_year = now.Year + 4 }), null)).EnsureStatus(200);
        await job.RunOnceAsync(CancellationToken.None);
        Assert.Single(await EventTypesAsync(Server, merchant, soon), t => t == "payment_method.expiring");
    }

    [Fact]
    public async Task CustomerEvents_AreInTheWebhookCatalogue()
    {
        var merchant = await Server.CreateMerchantAsync();
        var response = await Server.Client(merchant.SecretKey).PostAsync("/v1/webhook_endpoints", new
        {
            url = "https://hooks.example.com/pg",
            enabled_events = new[]
            {
                "customer.created", "customer.updated", "customer.deleted", "payment_method.attached", "payment_method.detached", "payment_method.updated",
                "payment_method.expiring", "payment.authentication_required",
            },
        });

        response.EnsureStatus(200);
    }
}
