using System.Net;
using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

[Collection(GatewayCollection.Name)]
public sealed class ThreeDSecureTests(GatewayFixture fixture)
{
    private const string ReturnUrl = "https://shop.example/return?order=42";

    private GatewayServer Server => fixture.Server;

    [Fact]
    public async Task ThreeDSecureCard_RequiresActionWithRedirectOnTheGateway()
    {
        var merchant = await Server.CreateMerchantAsync();

        var payment = (await Steps.PayAsync(Server, merchant, TestCards.ThreeDSecure, returnUrl: ReturnUrl)).EnsureStatus(200);

        Assert.Equal("requires_action", payment.Str("status"));
        Assert.Equal(0, payment.Long("amount_received"));
        var redirect = payment.Json.GetProperty("next_action").GetProperty("redirect_to_url");
        var url = new Uri(redirect.GetProperty("url").GetString()!);
        Assert.Equal(Server.BaseAddress.Authority, url.Authority);
        Assert.Equal($"/simulator/challenge/{payment.Str("id")}", url.AbsolutePath);
        Assert.Contains("ref=", url.Query, StringComparison.Ordinal);
        Assert.Equal(ReturnUrl, redirect.GetProperty("return_url").GetString());
    }

    [Fact]
    public async Task ChallengePage_Get_ShowsPassAndFailButtons()
    {
        var merchant = await Server.CreateMerchantAsync();
        var (_, url) = await StartAsync(merchant, "automatic");
        using var http = Steps.NoRedirectClient(Server);

        using var page = await http.GetAsync(url);
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<form method=\"post\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"pass\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"fail\"", html, StringComparison.Ordinal);
        Assert.Contains("10.00 EUR", html, StringComparison.Ordinal);
        Assert.True(page.Headers.Contains("Content-Security-Policy"));
    }

    [Theory]
    [InlineData("automatic", "succeeded")]
    [InlineData("manual", "requires_capture")]
    public async Task ChallengePass_RedirectsToReturnUrlAndAuthorizes(string captureMethod, string expected)
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var (id, url) = await StartAsync(merchant, captureMethod);
        using var http = Steps.NoRedirectClient(Server);

        using var response = await PostOutcomeAsync(http, url, "pass");

        Assert.True(response.StatusCode is HttpStatusCode.Found or HttpStatusCode.SeeOther, $"got {(int)response.StatusCode}");
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith(ReturnUrl + "&", location, StringComparison.Ordinal);
        Assert.Contains($"payment={id}", location, StringComparison.Ordinal);
        Assert.Contains($"status={expected}", location, StringComparison.Ordinal);

        var payment = (await api.GetAsync($"/v1/payments/{id}")).EnsureStatus(200);
        Assert.Equal(expected, payment.Str("status"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, payment.Json.GetProperty("next_action").ValueKind);
        Assert.Equal(expected == "succeeded" ? 1000 : 0, payment.Long("amount_received"));
        Assert.Equal(expected == "succeeded" ? 0 : 1000, payment.Long("amount_capturable"));

        var types = await Steps.EventTypesAsync(Server, merchant, id);
        Assert.Equal(
            ["payment.created", "payment.processing", "payment.requires_action", "payment.processing", expected == "succeeded" ? "payment.succeeded" : "payment.authorized"],
            types);
    }

    [Fact]
    public async Task ChallengePass_ManualCapture_CanThenBeCaptured()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var (id, url) = await StartAsync(merchant, "manual");
        using var http = Steps.NoRedirectClient(Server);
        using (await PostOutcomeAsync(http, url, "pass"))
        {
        }

        var captured = (await api.PostAsync($"/v1/payments/{id}/capture", new { })).EnsureStatus(200);

        Assert.Equal("succeeded", captured.Str("status"));
        Assert.Equal(1000, captured.Long("amount_received"));
    }

    [Fact]
    public async Task ChallengeFail_FailsPaymentWithAuthenticationFailed()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var (id, url) = await StartAsync(merchant, "automatic");
        using var http = Steps.NoRedirectClient(Server);

        using var response = await PostOutcomeAsync(http, url, "fail");

        Assert.True(response.StatusCode is HttpStatusCode.Found or HttpStatusCode.SeeOther, $"got {(int)response.StatusCode}");
        Assert.Contains("status=failed", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        var payment = (await api.GetAsync($"/v1/payments/{id}")).EnsureStatus(200);
        Assert.Equal("failed", payment.Str("status"));
        var error = payment.Json.GetProperty("last_payment_error");
        Assert.Equal("card_declined", error.GetProperty("code").GetString());
        Assert.Equal("authentication_failed", error.GetProperty("decline_code").GetString());
        Assert.Equal("payment.failed", (await Steps.EventTypesAsync(Server, merchant, id))[^1]);
    }

    [Fact]
    public async Task Challenge_WrongOrMissingRef_Returns404AndLeavesPaymentWaiting()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var (id, _) = await StartAsync(merchant, "automatic");
        using var http = Steps.NoRedirectClient(Server);

        using var wrongGet = await http.GetAsync($"/simulator/challenge/{id}?ref=sim_000000000000000000000000");
        using var wrongPost = await PostOutcomeAsync(http, $"/simulator/challenge/{id}?ref=sim_000000000000000000000000", "pass");
        using var missingRef = await PostOutcomeAsync(http, $"/simulator/challenge/{id}", "pass");
        using var unknownPayment = await http.GetAsync("/simulator/challenge/pay_00000000000000000000000000000?ref=x");

        Assert.Equal(HttpStatusCode.NotFound, wrongGet.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrongPost.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missingRef.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownPayment.StatusCode);
        Assert.Equal("requires_action", (await api.GetAsync($"/v1/payments/{id}")).Str("status"));
    }

    [Fact]
    public async Task Challenge_SecondPostAfterCompletion_DoesNotChangeOutcome()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var (id, url) = await StartAsync(merchant, "automatic");
        using var http = Steps.NoRedirectClient(Server);
        using (await PostOutcomeAsync(http, url, "pass"))
        {
        }

        var eventsBefore = await Steps.EventTypesAsync(Server, merchant, id);

        using var second = await PostOutcomeAsync(http, url, "fail");
        using var page = await http.GetAsync(url);

        Assert.DoesNotContain("status=failed", second.Headers.Location?.ToString() ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, page.StatusCode);
        var payment = await api.GetAsync($"/v1/payments/{id}");
        Assert.Equal("succeeded", payment.Str("status"));
        Assert.Equal(1000, payment.Long("amount_received"));
        Assert.Equal(eventsBefore, await Steps.EventTypesAsync(Server, merchant, id));
    }

    [Fact]
    public async Task Challenge_WithoutReturnUrl_ShowsResultPage()
    {
        var merchant = await Server.CreateMerchantAsync();
        var payment = (await Steps.PayAsync(Server, merchant, TestCards.ThreeDSecure)).EnsureStatus(200);
        var url = payment.Json.GetProperty("next_action").GetProperty("redirect_to_url").GetProperty("url").GetString()!;
        using var http = Steps.NoRedirectClient(Server);

        using var response = await PostOutcomeAsync(http, url, "pass");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("succeeded", html, StringComparison.Ordinal);
        Assert.Equal("succeeded", (await Server.Client(merchant.SecretKey).GetAsync($"/v1/payments/{payment.Str("id")}")).Str("status"));
    }

    [Fact]
    public async Task CancelWhileRequiresAction_ThenChallengePass_StaysCanceled()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var (id, url) = await StartAsync(merchant, "automatic");
        var canceled = (await api.PostAsync($"/v1/payments/{id}/cancel", new { cancellation_reason = "abandoned" })).EnsureStatus(200);
        Assert.Equal("canceled", canceled.Str("status"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, canceled.Json.GetProperty("next_action").ValueKind);
        using var http = Steps.NoRedirectClient(Server);

        using var response = await PostOutcomeAsync(http, url, "pass");

        var payment = await api.GetAsync($"/v1/payments/{id}");
        Assert.Equal("canceled", payment.Str("status"));
        Assert.Equal(0, payment.Long("amount_received"));
    }

    [Fact]
    public async Task RequiresAction_CaptureIs409()
    {
        var merchant = await Server.CreateMerchantAsync();
        var (id, _) = await StartAsync(merchant, "manual");

        Problem.Assert(await Server.Client(merchant.SecretKey).PostAsync($"/v1/payments/{id}/capture", new { }), 409, "payment_state_conflict");
    }

    private async Task<(string Id, string Url)> StartAsync(TestMerchant merchant, string captureMethod)
    {
        var payment = (await Steps.PayAsync(Server, merchant, TestCards.ThreeDSecure, 1000, captureMethod, ReturnUrl)).EnsureStatus(200);
        Assert.Equal("requires_action", payment.Str("status"));
        return (payment.Str("id")!, payment.Json.GetProperty("next_action").GetProperty("redirect_to_url").GetProperty("url").GetString()!);
    }

    private static Task<HttpResponseMessage> PostOutcomeAsync(HttpClient http, string url, string outcome) =>
        http.PostAsync(url, new FormUrlEncodedContent([new KeyValuePair<string, string>("outcome", outcome)]));
}
