using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

[Collection(GatewayCollection.Name)]
public sealed class PaymentMethodTests(GatewayFixture fixture) : IAsyncLifetime
{
    private TestMerchant _merchant = null!;

    private GatewayServer Server => fixture.Server;

    private GatewayClient Pk => Server.Client(_merchant.PublishableKey);

    private static int NextYear => DateTime.UtcNow.Year + 1;

    public async Task InitializeAsync() => _merchant = await Server.CreateMerchantAsync("Payment method merchant");

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<ApiResponse> TokenizeAsync(string number, int expMonth = 12, int? expYear = null, string? cvc = "737", string? holder = null) =>
        Pk.PostAsync("/v1/payment_methods", new
        {
            type = "card",
            card = new { number, exp_month = expMonth, exp_year = expYear ?? NextYear, cvc },
            holder_name = holder,
        });

    [Theory]
    [InlineData(TestCards.Visa, "visa", "737")]
    [InlineData(TestCards.Mastercard, "mastercard", "737")]
    [InlineData(TestCards.Amex, "amex", "1234")]
    [InlineData(TestCards.ThreeDSecure, "visa", "737")]
    public async Task Tokenize_ReturnsMaskedCard_NeverNumberOrCvc(string number, string brand, string cvc)
    {
        var response = (await TokenizeAsync(number, 7, NextYear, cvc, "Ada Lovelace")).EnsureStatus(200);

        Assert.Matches("^pm_[0-9a-z]{29}$", response.Str("id"));
        Assert.Equal("payment_method", response.Str("object"));
        Assert.Equal("card", response.Str("type"));
        Assert.Equal("Ada Lovelace", response.Str("holder_name"));
        var card = response.Json.GetProperty("card");
        Assert.Equal(brand, card.GetProperty("brand").GetString());
        Assert.Equal(number[^4..], card.GetProperty("last4").GetString());
        Assert.Equal(7, card.GetProperty("exp_month").GetInt32());
        Assert.Equal(NextYear, card.GetProperty("exp_year").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(card.GetProperty("fingerprint").GetString()));

        Assert.DoesNotContain(number, response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(number[..6] + number[^4..], response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("cvc", Steps.PropertyNames(response.Json), StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain("number", Steps.PropertyNames(response.Json), StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain(cvc, Steps.StringValues(response.Json));
    }

    [Fact]
    public async Task SameCard_SameFingerprint_DifferentCard_DifferentFingerprint()
    {
        var first = (await TokenizeAsync(TestCards.Visa)).EnsureStatus(200);
        var again = (await TokenizeAsync("4242 4242 4242 4242", 1, NextYear + 1, "123")).EnsureStatus(200);
        var other = (await TokenizeAsync(TestCards.UnlistedVisa)).EnsureStatus(200);

        static string Fingerprint(ApiResponse r) => r.Json.GetProperty("card").GetProperty("fingerprint").GetString()!;
        Assert.NotEqual(first.Str("id"), again.Str("id"));
        Assert.Equal(Fingerprint(first), Fingerprint(again));
        Assert.NotEqual(Fingerprint(first), Fingerprint(other));
        Assert.DoesNotContain(TestCards.Visa, Fingerprint(first), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("4242424242424241")]
    [InlineData("1234567812345678")]
    [InlineData("42424242")]
    [InlineData("42424242424242424242")]
    [InlineData("4242-4242-4242-424x")]
    [InlineData("")]
    [InlineData("abcd")]
    public async Task LuhnInvalidOrMalformedNumber_Returns400CardNumberInvalid(string number)
    {
        var response = await TokenizeAsync(number);

        Problem.Assert(response, 400, "card_number_invalid", "card.number");
        if (number.Length > 0)
        {
            Assert.DoesNotContain(number, response.Body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ExpiredCard_Returns400CardExpired()
    {
        var lastMonth = DateTime.UtcNow.AddMonths(-1);

        Problem.Assert(await TokenizeAsync(TestCards.Visa, 12, DateTime.UtcNow.Year - 1), 400, "card_expired");
        Problem.Assert(await TokenizeAsync(TestCards.Visa, lastMonth.Month, lastMonth.Year), 400, "card_expired");
        (await TokenizeAsync(TestCards.Visa, DateTime.UtcNow.Month, DateTime.UtcNow.Year)).EnsureStatus(200);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task BadExpMonth_Returns400(int month)
    {
        Problem.Assert(await TokenizeAsync(TestCards.Visa, month), 400, "parameter_invalid", "card.exp_month");
    }

    [Theory]
    [InlineData(123)]
    [InlineData(99999)]
    [InlineData(-5)]
    public async Task BadExpYear_Returns400(int year)
    {
        Problem.Assert(await TokenizeAsync(TestCards.Visa, 12, year), 400, "parameter_invalid", "card.exp_year");
    }

    [Fact]
    public async Task ExpYearTooFarInFuture_Returns400()
    {
        Problem.Assert(await TokenizeAsync(TestCards.Visa, 12, DateTime.UtcNow.Year + 60), 400, "parameter_invalid", "card.exp_year");
    }

    [Fact]
    public async Task TwoDigitYear_IsNormalizedToFourDigits()
    {
        var twoDigit = (DateTime.UtcNow.Year + 2) % 100;

        var response = (await TokenizeAsync(TestCards.Visa, 12, twoDigit)).EnsureStatus(200);

        Assert.Equal(DateTime.UtcNow.Year + 2, response.Json.GetProperty("card").GetProperty("exp_year").GetInt32());
    }

    [Theory]
    [InlineData(TestCards.Visa, "12")]
    [InlineData(TestCards.Visa, "1234")]
    [InlineData(TestCards.Visa, "12a")]
    [InlineData(TestCards.Visa, "")]
    [InlineData(TestCards.Visa, " 123")]
    [InlineData(TestCards.Amex, "123")]
    [InlineData(TestCards.Amex, "12345")]
    public async Task CvcWrongLength_Returns400CvcInvalid(string number, string cvc)
    {
        var response = await TokenizeAsync(number, cvc: cvc);

        Problem.Assert(response, 400, "cvc_invalid", "card.cvc");
    }

    [Fact]
    public async Task CvcOmitted_IsAccepted()
    {
        var response = (await TokenizeAsync(TestCards.Visa, cvc: null)).EnsureStatus(200);

        Assert.Equal("4242", response.Json.GetProperty("card").GetProperty("last4").GetString());
    }

    [Fact]
    public async Task FlatFields_AreAccepted()
    {
        var response = (await Pk.PostAsync("/v1/payment_methods", new
        {
            type = "card",
            number = TestCards.Mastercard,
            exp_month = 3,
            exp_year = NextYear,
            cvc = "737",
            holder_name = "Grace Hopper",
        })).EnsureStatus(200);

        Assert.Equal("mastercard", response.Json.GetProperty("card").GetProperty("brand").GetString());
        Assert.Equal("4444", response.Json.GetProperty("card").GetProperty("last4").GetString());
        Assert.Equal(3, response.Json.GetProperty("card").GetProperty("exp_month").GetInt32());
        Assert.DoesNotContain(TestCards.Mastercard, response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FlatFieldErrors_NameTheFlatParam()
    {
        Problem.Assert(await Pk.PostAsync("/v1/payment_methods", new { number = "4242424242424241", exp_month = 3, exp_year = NextYear }), 400, "card_number_invalid", "number");
        Problem.Assert(await Pk.PostAsync("/v1/payment_methods", new { number = TestCards.Visa, exp_year = NextYear }), 400, "parameter_missing", "exp_month");
    }

    [Fact]
    public async Task FlatAndNestedTogether_Returns400()
    {
        var response = await Pk.PostAsync("/v1/payment_methods", new
        {
            type = "card",
            number = TestCards.Visa,
            card = new { number = TestCards.Visa, exp_month = 12, exp_year = NextYear },
        });

        Problem.Assert(response, 400, "parameter_invalid", "card");
    }

    [Theory]
    [InlineData("{\"type\":\"card\",\"card\":{\"exp_month\":12,\"exp_year\":2099}}", "parameter_missing", "card.number")]
    [InlineData("{\"type\":\"card\",\"card\":{\"number\":\"4242424242424242\",\"exp_year\":2099}}", "parameter_missing", "card.exp_month")]
    [InlineData("{\"type\":\"card\",\"card\":{\"number\":\"4242424242424242\",\"exp_month\":12}}", "parameter_missing", "card.exp_year")]
    [InlineData("{\"type\":\"card\",\"card\":{\"number\":4242424242424242,\"exp_month\":12,\"exp_year\":2030}}", "parameter_invalid", "card.number")]
    [InlineData("{\"type\":\"card\",\"card\":{\"number\":\"4242424242424242\",\"exp_month\":\"12\",\"exp_year\":2030}}", "parameter_invalid", "card.exp_month")]
    [InlineData("{\"type\":\"bitcoin\"}", "parameter_invalid", "type")]
    [InlineData("{\"type\":\"\"}", "parameter_invalid", "type")]
    [InlineData("{}", "parameter_missing", "number")]
    public async Task BadTokenizeBodies_Return400WithParam(string body, string code, string param)
    {
        var response = await Pk.PostRawAsync("/v1/payment_methods", body);

        Problem.Assert(response, 400, code, param);
        Assert.DoesNotContain("4242424242424242", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCardField_Returns400ParameterUnknown_WithoutEchoingTheCard()
    {
        var response = await Pk.PostRawAsync("/v1/payment_methods", """{"type":"card","card":{"number":"4242424242424242","exp_month":12,"exp_year":2099,"cvv":"737"}}""");

        Problem.Assert(response, 400, "parameter_unknown");
        Assert.Contains("cvv", response.Str("param"), StringComparison.Ordinal);
        Assert.DoesNotContain("4242424242424242", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_WithSecretKey_ReturnsMaskedView()
    {
        var created = (await TokenizeAsync(TestCards.Amex, cvc: "1234")).EnsureStatus(200);

        var fetched = (await Server.Client(_merchant.SecretKey).GetAsync($"/v1/payment_methods/{created.Str("id")}")).EnsureStatus(200);

        Assert.Equal(created.Body, fetched.Body);
        Assert.DoesNotContain(TestCards.Amex, fetched.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("cvc", Steps.PropertyNames(fetched.Json), StringComparer.OrdinalIgnoreCase);
        Problem.Assert(await Server.Client(_merchant.SecretKey).GetAsync("/v1/payment_methods/pm_00000000000000000000000000000"), 404, "resource_missing");
    }

    [Fact]
    public async Task TokenizedCard_CanBeUsedForSeveralPayments()
    {
        var pm = (await TokenizeAsync(TestCards.Visa)).EnsureStatus(200).Str("id");
        var api = Server.Client(_merchant.SecretKey);

        var first = (await api.PostAsync("/v1/payments", new { amount = 100, currency = "EUR", payment_method = pm, confirm = true })).EnsureStatus(200);
        var second = (await api.PostAsync("/v1/payments", new { amount = 200, currency = "EUR", payment_method = pm, confirm = true })).EnsureStatus(200);

        Assert.Equal("succeeded", first.Str("status"));
        Assert.Equal("succeeded", second.Str("status"));
    }
}
