using System.Text.Json;
using Microsoft.Data.Sqlite;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using static PaymentGateway.Api.EndToEndTests.Infrastructure.SavedCardSteps;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>Saving a card on a customer-initiated payment or a setup payment, charging it off session, and the rules around it (docs/saved-cards.md).</summary>
[Collection(GatewayCollection.Name)]
public sealed class SavedCardTests(GatewayFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    [Fact]
    public async Task PaymentWithSetupFutureUsage_SavesTheCardForTheCustomer()
    {
        var merchant = await Server.CreateMerchantAsync();
        var customer = await CustomerAsync(Server, merchant);

        var (payment, pm) = await SaveCardAsync(Server, merchant, customer, TestCards.MitApproved);

        Assert.Equal("succeeded", payment.Str("status"));
        Assert.Equal(customer, payment.Str("customer"));
        Assert.Equal("off_session", payment.Str("setup_future_usage"));
        var method = (await Server.Client(merchant.SecretKey).GetAsync($"/v1/payment_methods/{pm}")).EnsureStatus(200);
        Assert.Equal(customer, method.Str("customer"));
        Assert.Equal("off_session", method.Str("usage"));
        var listed = (await Server.Client(merchant.SecretKey).GetAsync($"/v1/customers/{customer}/payment_methods")).EnsureStatus(200);
        Assert.Equal([pm], Steps.Ids(listed));
        Assert.Contains("payment_method.attached", await EventTypesAsync(Server, merchant, pm));
    }

    [Fact]
    public async Task OffSessionPayment_OnASavedCard_SucceedsWithoutTheCustomer()
    {
        var merchant = await Server.CreateMerchantAsync();
        var customer = await CustomerAsync(Server, merchant);
        var (_, pm) = await SaveCardAsync(Server, merchant, customer, TestCards.MitApproved);

        var charge = (await ChargeOffSessionAsync(Server, merchant, customer, pm, amount: 1990, mitType: "recurring")).EnsureStatus(200);

        Assert.Equal("succeeded", charge.Str("status"));
        Assert.True(charge.Json.GetProperty("off_session").GetBoolean());
        Assert.Equal("recurring", charge.Str("mit_type"));
        Assert.Equal(1990, charge.Long("amount_received"));
    }

    [Fact]
    public async Task OffSessionPayment_WithoutPaymentMethod_ChargesTheCustomersDefault()
    {
        var merchant = await Server.CreateMerchantAsync();
        var customer = await CustomerAsync(Server, merchant);
        var (_, pm) = await SaveCardAsync(Server, merchant, customer, TestCards.Visa);
        var api = Server.Client(merchant.SecretKey);

        Problem.Assert(await ChargeOffSessionAsync(Server, merchant, customer, null), 400, "payment_method_required", "payment_method");
        (await api.SendAsync(HttpMethod.Patch, $"/v1/customers/{customer}", JsonSerializer.Serialize(new { default_payment_method = pm }), null)).EnsureStatus(200);
        var charge = (await ChargeOffSessionAsync(Server, merchant, customer, null)).EnsureStatus(200);

        Assert.Equal("succeeded", charge.Str("status"));
        Assert.Equal(pm, charge.Str("payment_method"));
    }

    [Fact]
    public async Task SetupMode_VerifiesWithoutChargingAndSavesTheCard()
    {
        var merchant = await Server.CreateMerchantAsync();
        var customer = await CustomerAsync(Server, merchant);
        var pm = await Steps.TokenizeAsync(Server, merchant, TestCards.MitApproved);

        var setup = (await Server.Client(merchant.SecretKey).PostAsync("/v1/payments", new
        {
            mode = "setup",
            currency = "EUR",
            customer,
            payment_method = pm,
            confirm = true,
        })).EnsureStatus(200);

        Assert.Equal("succeeded", setup.Str("status"));
        Assert.Equal("setup", setup.Str("mode"));
        Assert.Equal(0, setup.Long("amount"));
        Assert.Equal(0, setup.Long("amount_received"));
        Assert.Equal("off_session", setup.Str("setup_future_usage"));
        Assert.Equal(customer, (await Server.Client(merchant.SecretKey).GetAsync($"/v1/payment_methods/{pm}")).Str("customer"));
        Assert.Equal("succeeded", (await ChargeOffSessionAsync(Server, merchant, customer, pm)).EnsureStatus(200).Str("status"));
        Problem.Assert(await Server.Client(merchant.SecretKey).PostAsync("/v1/refunds", new { payment = setup.Str("id") }), 422, "amount_exceeds_refundable");
    }

    [Fact]
    public async Task SetupMode_With3DSecure_SavesOnlyAfterTheChallengeIsPassed()
    {
        var merchant = await Server.CreateMerchantAsync();
        var customer = await CustomerAsync(Server, merchant);
        var pm = await Steps.TokenizeAsync(Server, merchant, TestCards.ThreeDSecure);
        var api = Server.Client(merchant.SecretKey);

        var setup = (await api.PostAsync("/v1/payments", new { mode = "setup", currency = "EUR", customer, payment_method = pm, confirm = true, return_url = "https://shop.example/r" }))
            .EnsureStatus(200);
        Assert.Equal("requires_action", setup.Str("status"));
        Assert.Null((await api.GetAsync($"/v1/payment_methods/{pm}")).Str("customer"));

        var done = await PassChallengeIfAskedAsync(Server, merchant, setup);

        Assert.Equal("succeeded", done.Str("status"));
        Assert.Equal(customer, (await api.GetAsync($"/v1/payment_methods/{pm}")).Str("customer"));
        Assert.Equal("succeeded", (await ChargeOffSessionAsync(Server, merchant, customer, pm)).EnsureStatus(200).Str("status"));
    }

    [Fact]
    public async Task FailedChallenge_DoesNotSaveTheCard()
    {
        var merchant = await Server.CreateMerchantAsync();
        var customer = await CustomerAsync(Server, merchant);
        var pm = await Steps.TokenizeAsync(Server, merchant, TestCards.ThreeDSecure);
        var api = Server.Client(merchant.SecretKey);
        var payment = (await api.PostAsync("/v1/payments", new
        {
            amount = 500,
            currency = "EUR",
            customer,
            payment_method = pm,
            setup_future_usage = "off_session",
            confirm = true,
            return_url = "https://shop.example/r",
        })).EnsureStatus(200);

        var failed = await PassChallengeIfAskedAsync(Server, merchant, payment, "fail");

        Assert.Equal("failed", failed.Str("status"));
        Assert.Null((await api.GetAsync($"/v1/payment_methods/{pm}")).Str("customer"));
        Problem.Assert(await ChargeOffSessionAsync(Server, merchant, customer, pm), 422, "off_session_not_allowed", "off_session");
    }

    [Fact]
    public async Task AuthenticationRequiredOffSession_EndsInRequiresConfirmation_AndTheCustomerFinishesItOnSession()
    {
        var merchant = await Server.CreateMerchantAsync();
        var customer = await CustomerAsync(Server, merchant);
        var (saved, pm) = await SaveCardAsync(Server, merchant, customer, TestCards.AuthenticationRequiredOffSession);
        Assert.Equal("succeeded", saved.Str("status")); // saving needed (and passed) 3-D Secure
        var api = Server.Client(merchant.SecretKey);

        var mit = await ChargeOffSessionAsync(Server, merchant, customer, pm, amount: 2500);

        Problem.Assert(mit, 402, "card_authentication_required", "payment_method");
        Assert.Equal("authentication_required", mit.Str("decline_code"));
        var payment = mit.Json.GetProperty("payment");
        var id = payment.GetProperty("id").GetString()!;
        Assert.Equal("requires_confirmation", payment.GetProperty("status").GetString());
        Assert.Equal("card_authentication_required", payment.GetProperty("last_payment_error").GetProperty("code").GetString());
        Assert.Contains("payment.authentication_required", await EventTypesAsync(Server, merchant, id));

        // Nothing retries it behind the merchant's back.
        await Task.Delay(700);
        Assert.Equal("requires_confirmation", (await api.GetAsync($"/v1/payments/{id}")).Str("status"));

        // The merchant brings the customer back: confirm on session, with 3-D Secure.
        var onSession = (await api.PostAsync($"/v1/payments/{id}/confirm", new { off_session = false, return_url = "https://shop.example/back" })).EnsureStatus(200);
        Assert.Equal("requires_action", onSession.Str("status"));
        Assert.False(onSession.Json.GetProperty("off_session").GetBoolean());
        var done = await PassChallengeIfAskedAsync(Server, merchant, onSession);

        Assert.Equal("succeeded", done.Str("status"));
        Assert.Equal(2500, done.Long("amount_received"));
    }

    [Fact]
    public async Task CardExpiredSinceSaving_OffSessionPaymentIsDeclinedExpiredCard()
    {
        var merchant = await Server.CreateMerchantAsync();
        var customer = await CustomerAsync(Server, merchant);
        var (saved, pm) = await SaveCardAsync(Server, merchant, customer, TestCards.ExpiredSinceSaving);
        Assert.Equal("succeeded", saved.Str("status"));

        var mit = await ChargeOffSessionAsync(Server, merchant, customer, pm);

        Problem.Assert(mit, 402, "card_declined", "payment_method");
        Assert.Equal("expired_card", mit.Str("decline_code"));
        Assert.Equal("failed", mit.Json.GetProperty("payment").GetProperty("status").GetString());
    }

    [Fact]
    public async Task OnSessionSavedCard_CanBeChargedOnSessionButNotOffSession()
    {
        var merchant = await Server.CreateMerchantAsync();
        var customer = await CustomerAsync(Server, merchant);
        var (_, pm) = await SaveCardAsync(Server, merchant, customer, TestCards.Visa, usage: "on_session");
        var api = Server.Client(merchant.SecretKey);

        var again = (await api.PostAsync("/v1/payments", new { amount = 700, currency = "EUR", customer, payment_method = pm, confirm = true })).EnsureStatus(200);
        Assert.Equal("succeeded", again.Str("status"));

        Problem.Assert(await ChargeOffSessionAsync(Server, merchant, customer, pm), 422, "off_session_not_allowed", "off_session");
    }

    [Fact]
    public async Task OffSession_OnACardNeverSaved_Returns422()
    {
        var merchant = await Server.CreateMerchantAsync();
        var customer = await CustomerAsync(Server, merchant);
        var pm = await Steps.TokenizeAsync(Server, merchant, TestCards.Visa);

        Problem.Assert(await ChargeOffSessionAsync(Server, merchant, customer, pm), 422, "off_session_not_allowed", "off_session");

        // Attached through the API only (no customer-initiated payment): still not for off-session use.
        (await Server.Client(merchant.SecretKey).PostAsync($"/v1/customers/{customer}/payment_methods", new { payment_method = pm })).EnsureStatus(200);
        Problem.Assert(await ChargeOffSessionAsync(Server, merchant, customer, pm), 422, "off_session_not_allowed", "off_session");
    }

    [Fact]
    public async Task SavedCard_OfAnotherCustomer_CannotBeCharged()
    {
        var merchant = await Server.CreateMerchantAsync();
        var owner = await CustomerAsync(Server, merchant);
        var other = await CustomerAsync(Server, merchant);
        var (_, pm) = await SaveCardAsync(Server, merchant, owner, TestCards.Visa);
        var api = Server.Client(merchant.SecretKey);

        Problem.Assert(await ChargeOffSessionAsync(Server, merchant, other, pm), 422, "payment_method_customer_mismatch", "payment_method");
        Problem.Assert(await api.PostAsync("/v1/payments", new { amount = 100, currency = "EUR", payment_method = pm, confirm = true }), 422,
            "payment_method_customer_mismatch", "payment_method");
        Problem.Assert(await api.PostAsync($"/v1/customers/{other}/payment_methods", new { payment_method = pm }), 422, "payment_method_customer_mismatch", "payment_method");
    }

    [Fact]
    public async Task SavedCard_IsUsableOnlyByItsMerchantAndInItsMode()
    {
        var merchant = await Server.CreateMerchantAsync(withLiveKeys: true);
        var intruder = await Server.CreateMerchantAsync();
        var customer = await CustomerAsync(Server, merchant);
        var (_, pm) = await SaveCardAsync(Server, merchant, customer, TestCards.Visa);

        // Another merchant sees neither the customer nor the card.
        Problem.Assert(await ChargeOffSessionAsync(Server, intruder, customer, pm), 404, "resource_missing", "customer");
        var intruderCustomer = await CustomerAsync(Server, intruder);
        Problem.Assert(await ChargeOffSessionAsync(Server, intruder, intruderCustomer, pm), 404, "resource_missing", "payment_method");
        Problem.Assert(await Server.Client(intruder.SecretKey).GetAsync($"/v1/customers/{customer}/payment_methods"), 404, "resource_missing");

        // The same merchant's live keys see no test-mode customer or card.
        var live = Server.Client(merchant.LiveSecretKey);
        Problem.Assert(await live.GetAsync($"/v1/customers/{customer}"), 404, "resource_missing");
        Problem.Assert(await live.GetAsync($"/v1/payment_methods/{pm}"), 404, "resource_missing");
        var liveCustomer = (await live.PostAsync("/v1/customers", new { name = "live" })).EnsureStatus(200).Str("id");
        Problem.Assert(await live.PostAsync($"/v1/customers/{liveCustomer}/payment_methods", new { payment_method = pm }), 404, "resource_missing", "payment_method");
    }

    [Fact]
    public async Task DetachedCard_IsErasedAndCannotBeCharged()
    {
        var merchant = await Server.CreateMerchantAsync();
        var customer = await CustomerAsync(Server, merchant);
        var (_, pm) = await SaveCardAsync(Server, merchant, customer, TestCards.Visa);
        var api = Server.Client(merchant.SecretKey);
        Assert.True(HasCiphertext(pm));

        var detached = (await api.SendAsync(HttpMethod.Delete, $"/v1/customers/{customer}/payment_methods/{pm}", null, null)).EnsureStatus(200);

        Assert.Null(detached.Str("customer"));
        Assert.NotNull(detached.Str("detached_at"));
        Assert.False(HasCiphertext(pm));
        Assert.Contains("payment_method.detached", await EventTypesAsync(Server, merchant, pm));
        Problem.Assert(await ChargeOffSessionAsync(Server, merchant, customer, pm), 422, "payment_method_detached", "payment_method");
        Problem.Assert(await api.PostAsync("/v1/payments", new { amount = 100, currency = "EUR", payment_method = pm, confirm = true }), 422,
            "payment_method_detached", "payment_method");
        Problem.Assert(await api.PostAsync($"/v1/customers/{customer}/payment_methods", new { payment_method = pm }), 422, "payment_method_detached", "payment_method");
        Assert.Empty(Steps.Ids((await api.GetAsync($"/v1/customers/{customer}/payment_methods")).EnsureStatus(200)));
    }

    [Fact]
    public async Task DeletedCustomer_ErasesItsCards_AndLaterChargesAreRefused()
    {
        var merchant = await Server.CreateMerchantAsync();
        var customer = await CustomerAsync(Server, merchant, "erase.me@shop.example");
        var (_, first) = await SaveCardAsync(Server, merchant, customer, TestCards.Visa);
        var (_, second) = await SaveCardAsync(Server, merchant, customer, TestCards.MitApproved);
        var api = Server.Client(merchant.SecretKey);

        var deleted = (await api.SendAsync(HttpMethod.Delete, $"/v1/customers/{customer}", null, null)).EnsureStatus(200);

        Assert.True(deleted.Json.GetProperty("deleted").GetBoolean());
        Assert.Null(deleted.Str("email"));
        Assert.False(HasCiphertext(first));
        Assert.False(HasCiphertext(second));
        Assert.DoesNotContain("erase.me@shop.example", CustomerRowData(customer), StringComparison.Ordinal);
        Problem.Assert(await ChargeOffSessionAsync(Server, merchant, customer, first), 422, "customer_deleted", "customer");
        Problem.Assert(await api.PostAsync("/v1/payments", new { amount = 100, currency = "EUR", customer, payment_method = second, confirm = true }), 422, "customer_deleted", "customer");
        var another = await CustomerAsync(Server, merchant);
        Problem.Assert(await api.PostAsync("/v1/payments", new { amount = 100, currency = "EUR", customer = another, payment_method = first, confirm = true }), 422,
            "payment_method_detached", "payment_method");
        var types = await EventTypesAsync(Server, merchant, customer);
        Assert.Equal("customer.deleted", types[^1]);
        Assert.Contains("payment_method.detached", await EventTypesAsync(Server, merchant, second));
        Assert.True((await api.SendAsync(HttpMethod.Delete, $"/v1/customers/{customer}", null, null)).EnsureStatus(200).Json.GetProperty("deleted").GetBoolean());
    }

    [Fact]
    public async Task ConcurrentOffSessionCharges_DifferentKeysAreTwoPayments_SameKeyIsOne()
    {
        var merchant = await Server.CreateMerchantAsync();
        var customer = await CustomerAsync(Server, merchant);
        var (_, pm) = await SaveCardAsync(Server, merchant, customer, TestCards.MitApproved);

        var different = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => ChargeOffSessionAsync(Server, merchant, customer, pm, idempotencyKey: $"mit-{Guid.NewGuid():N}")));
        Assert.All(different, r => Assert.Equal(200, r.Status));
        Assert.Equal(4, different.Select(r => r.Str("id")).Distinct().Count());

        var key = $"mit-same-{Guid.NewGuid():N}";
        var same = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ChargeOffSessionAsync(Server, merchant, customer, pm, idempotencyKey: key)));
        Assert.All(same, r => Assert.True(r.Status == 200 || (r.Status == 409 && r.Code == "idempotency_key_in_use"), r.Body));
        Assert.Single(same.Where(r => r.Status == 200).Select(r => r.Str("id")).Distinct());
        var replay = (await ChargeOffSessionAsync(Server, merchant, customer, pm, idempotencyKey: key)).EnsureStatus(200);
        Assert.Equal(same.First(r => r.Status == 200).Str("id"), replay.Str("id"));

        var payments = (await Server.Client(merchant.SecretKey).GetAsync("/v1/payments?limit=100")).EnsureStatus(200);
        Assert.Equal(1 + 4 + 1, Steps.Ids(payments).Count()); // the saving payment, four with their own keys, one under the shared key
    }

    [Fact]
    public async Task SavedCard_KeepsNoCvc_AndItsStoredCredentialsOnlyEncrypted()
    {
        var merchant = await Server.CreateMerchantAsync();
        var customer = await CustomerAsync(Server, merchant);
        var (_, pm) = await SaveCardAsync(Server, merchant, customer, TestCards.MitApproved);
        (await ChargeOffSessionAsync(Server, merchant, customer, pm)).EnsureStatus(200);

        using var connection = OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT data, encrypted_number, credentials FROM payment_methods WHERE id = $id";
        command.Parameters.AddWithValue("$id", pm);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        var data = reader.GetString(0);
        var credentials = reader.GetString(2);
        Assert.DoesNotContain("cvc", data, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("v1:", reader.GetString(1), StringComparison.Ordinal);
        Assert.StartsWith("v1:", credentials, StringComparison.Ordinal);
        Assert.DoesNotContain("simnti_", credentials, StringComparison.Ordinal); // the network transaction id is inside the ciphertext only
        Assert.DoesNotContain("simnti_", data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadSavedCardParameters_Return400WithStableCodes()
    {
        var merchant = await Server.CreateMerchantAsync();
        var customer = await CustomerAsync(Server, merchant);
        var pm = await Steps.TokenizeAsync(Server, merchant, TestCards.Visa);
        var api = Server.Client(merchant.SecretKey);

        Problem.Assert(await api.PostAsync("/v1/payments", new { amount = 100, currency = "EUR", payment_method = pm, setup_future_usage = "always" }), 400, "parameter_invalid", "setup_future_usage");
        Problem.Assert(await api.PostAsync("/v1/payments", new { amount = 100, currency = "EUR", payment_method = pm, setup_future_usage = "off_session" }), 400, "parameter_missing", "customer");
        Problem.Assert(await api.PostAsync("/v1/payments", new { amount = 100, currency = "EUR", customer = "order-42", payment_method = pm, setup_future_usage = "off_session" }), 400,
            "parameter_invalid", "customer");
        Problem.Assert(await api.PostAsync("/v1/payments", new { amount = 100, currency = "EUR", customer, payment_method = pm, off_session = true }), 400, "parameter_invalid", "confirm");
        Problem.Assert(await api.PostAsync("/v1/payments", new { amount = 100, currency = "EUR", customer, payment_method = pm, mit_type = "recurring" }), 400, "parameter_invalid", "mit_type");
        Problem.Assert(await api.PostAsync("/v1/payments", new { amount = 100, currency = "EUR", customer, payment_method = pm, off_session = true, confirm = true, mit_type = "weekly" }), 400,
            "parameter_invalid", "mit_type");
        Problem.Assert(await api.PostAsync("/v1/payments", new { amount = 100, currency = "EUR", customer, payment_method = pm, off_session = true, confirm = true, setup_future_usage = "off_session" }),
            400, "parameter_invalid", "setup_future_usage");
        Problem.Assert(await api.PostAsync("/v1/payments", new { mode = "subscription", currency = "EUR", customer }), 400, "parameter_invalid", "mode");
        Problem.Assert(await api.PostAsync("/v1/payments", new { mode = "setup", amount = 100, currency = "EUR", customer }), 400, "amount_invalid", "amount");
        Problem.Assert(await api.PostAsync("/v1/payments", new { mode = "setup", currency = "EUR", customer, capture_method = "manual" }), 400, "parameter_invalid", "capture_method");
        Problem.Assert(await api.PostAsync("/v1/payments", new { mode = "setup", customer }), 400, "parameter_missing", "currency");
        Problem.Assert(await api.PostAsync("/v1/payments", new { amount = 100, currency = "EUR", payment_method_type = "bank_transfer", customer, setup_future_usage = "off_session" }), 400,
            "parameter_invalid", "setup_future_usage");
        Problem.Assert(await api.PostAsync("/v1/payments", new { amount = 100, currency = "EUR", customer = "cus_doesnotexist", payment_method = pm }), 404, "resource_missing", "customer");
        Problem.Assert(await api.PostAsync("/v1/payments", new { amount = 0, currency = "EUR", customer, payment_method = pm }), 400, "amount_invalid", "amount");
    }

    [Fact]
    public async Task FreeTextCustomer_IsStillAcceptedAsBefore()
    {
        var merchant = await Server.CreateMerchantAsync();
        var pm = await Steps.TokenizeAsync(Server, merchant, TestCards.Visa);

        var payment = (await Server.Client(merchant.SecretKey).PostAsync("/v1/payments", new { amount = 100, currency = "EUR", customer = "order-ref 42", payment_method = pm, confirm = true }))
            .EnsureStatus(200);

        Assert.Equal("succeeded", payment.Str("status"));
        Assert.Equal("order-ref 42", payment.Str("customer"));
        Assert.Null((await Server.Client(merchant.SecretKey).GetAsync($"/v1/payment_methods/{pm}")).Str("customer"));
    }

    private bool HasCiphertext(string paymentMethodId)
    {
        using var connection = OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT encrypted_number IS NOT NULL OR credentials IS NOT NULL FROM payment_methods WHERE id = $id";
        command.Parameters.AddWithValue("$id", paymentMethodId);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    private string CustomerRowData(string customerId)
    {
        using var connection = OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT data || coalesce(email_key, '') FROM customers WHERE id = $id";
        command.Parameters.AddWithValue("$id", customerId);
        return (string)(command.ExecuteScalar() ?? string.Empty);
    }

    private SqliteConnection OpenDatabase()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(Server.DataDirectory, "gateway.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }
}
