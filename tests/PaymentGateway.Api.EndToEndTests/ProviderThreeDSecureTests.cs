using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using PaymentGateway.Providers;
using PaymentGateway.Providers.ContractTests.Adyen;
using PaymentGateway.Providers.ContractTests.CheckoutCom;
using PaymentGateway.Providers.ContractTests.Infrastructure;
using PaymentGateway.Providers.ContractTests.Mollie;
using PaymentGateway.Providers.ContractTests.Stripe;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Types;
using WireMock.Util;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>A gateway on Kestrel (its public base URL is its loopback address) for the providers' 3-D Secure round trips.</summary>
public sealed class ProviderThreeDSecureFixture : IAsyncLifetime
{
    public GatewayServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>();
        foreach (var provider in new[] { "Stripe", "Adyen", "CheckoutCom", "Mollie" })
        {
            settings[$"PaymentGateway:Providers:{provider}:AttemptTimeout"] = "00:00:04";
        }

        Server = await GatewayServer.StartAsync(settings);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// 3-D Secure through real providers' documented APIs (WireMock), end to end: the provider is given the gateway's return
/// endpoint for the account, payment and attempt; the customer's return there finishes the authorization through the
/// adapter and goes on to the merchant's return URL; a return that is not the payment's is refused before anything is
/// sent to the provider; a POST redirect becomes the gateway's auto-submitted action page.
/// </summary>
public sealed class ProviderThreeDSecureTests(ProviderThreeDSecureFixture fixture) : IClassFixture<ProviderThreeDSecureFixture>, IDisposable
{
    private const string MerchantReturnUrl = "https://shop.example/return";
    private const string AcsUrl = "https://acs.example/challenge/7f3c";
    private const string StripeIntent = "pi_3ds_challenge";
    private readonly List<ProviderWireMock> _mocks = [];
    private readonly Lazy<HttpClient> _browser = new(() => new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }));

    private GatewayServer Server => fixture.Server;

    /// <summary>The customer's browser, seen one response at a time (redirects not followed).</summary>
    private HttpClient Browser => _browser.Value;

    public void Dispose()
    {
        foreach (var mock in _mocks)
        {
            mock.Dispose();
        }

        if (_browser.IsValueCreated)
        {
            _browser.Value.Dispose();
        }
    }

    [Theory]
    [InlineData("stripe", true)]
    [InlineData("stripe", false)]
    [InlineData("adyen", true)]
    [InlineData("adyen", false)]
    [InlineData("checkoutcom", true)]
    [InlineData("checkoutcom", false)]
    public async Task Challenge_then_return_to_the_gateway_authorizes_or_fails_the_payment_and_sends_the_customer_on(string provider, bool passes)
    {
        var (merchant, account, mock) = await MerchantAsync(provider);
        mock.Server.Given(Create(provider)).RespondWith(ChallengeAnswer(provider));

        var payment = await PayAsync(merchant);
        var id = payment.Str("id")!;
        Assert.Equal("requires_action", payment.Str("status"));
        Assert.Equal(AcsUrl, RedirectUrl(payment));

        // The provider was told to send the customer back to the gateway's return endpoint for this account,
        // payment and attempt, never straight to the merchant.
        var returnUrl = $"{Server.BaseAddress.ToString().TrimEnd('/')}/provider_returns/{account}/{id}/{AttemptId(payment)}";
        var create = Assert.Single(mock.Requests, r => r.Method == "POST" && r.Path == CreatePath(provider));
        Assert.All(ReturnUrlsSent(provider, create), sent => Assert.Equal(returnUrl, sent));

        ArrangeCompletion(provider, mock, id, passes);
        var back = await Browser.GetAsync(returnUrl + ReturnQuery(provider) + "&utm_source=mail");
        var expected = passes ? "requires_capture" : "failed";
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal($"{MerchantReturnUrl}?payment={id}&status={expected}", back.Headers.Location?.ToString());
        Assert.Equal(expected, (await Api(merchant).GetAsync($"/v1/payments/{id}")).Str("status"));
        if (provider == "adyen")
        {
            // Only the fields Adyen's PaymentCompletionDetails knows are forwarded.
            var details = JsonNode.Parse(Assert.Single(mock.Requests, r => r.Path == "/v71/payments/details").Body!)!["details"]!.AsObject();
            Assert.Equal(["redirectResult"], details.Select(d => d.Key));
            Assert.Equal("X6XtfGC3%21Y...", details["redirectResult"]!.GetValue<string>());
        }

        // A reloaded return page asks the provider nothing more and shows the same outcome.
        var completions = Completions(provider, mock);
        var again = await Browser.GetAsync(returnUrl + ReturnQuery(provider));
        Assert.Equal($"{MerchantReturnUrl}?payment={id}&status={expected}", again.Headers.Location?.ToString());
        Assert.Equal(completions, Completions(provider, mock));
        Assert.Equal(1, completions);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Return_finishes_the_payment_when_another_writer_saves_it_while_the_provider_answers(bool passes)
    {
        var (merchant, account, mock) = await MerchantAsync("adyen");
        mock.Server.Given(Create("adyen")).RespondWith(ChallengeAnswer("adyen"));
        var payment = await PayAsync(merchant);
        var id = payment.Str("id")!;
        var saves = 0;
        var answer = passes ? AdyenScenarioFixture.PaymentResponse("Authorised") : AdyenScenarioFixture.PaymentResponse("Refused", "3D Not Authenticated", "11");
        mock.Server.Given(Request.Create().WithPath("/v71/payments/details").UsingPost()).RespondWith(Response.Create().WithCallback(_ =>
        {
            // While Adyen answers, the reconciler saves the processing payment (an unknown outcome recorded again, as it
            // does for a provider without a status lookup): the return's own save then loses the version race.
            var stored = Server.Services.GetRequiredService<IPaymentStore>().GetPaymentByIdAsync(id, CancellationToken.None).GetAwaiter().GetResult()!;
            Server.Services.GetRequiredService<PaymentWriter>().RecordUnknownOutcomeAsync(stored, stored.CurrentAttempt!, CancellationToken.None).GetAwaiter().GetResult();
            Interlocked.Increment(ref saves);
            var response = new ResponseMessage
            {
                StatusCode = 200,
                BodyData = new BodyData { BodyAsString = answer, DetectedBodyType = BodyType.String, Encoding = Encoding.UTF8 },
            };
            response.AddHeader("Content-Type", "application/json");
            return response;
        }));

        var returnUrl = $"{Server.BaseAddress.ToString().TrimEnd('/')}/provider_returns/{account}/{id}/{AttemptId(payment)}";
        var back = await Browser.GetAsync(returnUrl + ReturnQuery("adyen"));

        var expected = passes ? "requires_capture" : "failed";
        Assert.Equal(1, saves);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal($"{MerchantReturnUrl}?payment={id}&status={expected}", back.Headers.Location?.ToString());
        Assert.Equal(expected, (await Api(merchant).GetAsync($"/v1/payments/{id}")).Str("status"));
        Assert.Equal(1, Completions("adyen", mock));
    }

    [Fact]
    public async Task Stripe_return_naming_another_payment_intent_is_refused_and_nothing_is_read()
    {
        var (merchant, account, mock) = await MerchantAsync("stripe");
        mock.Server.Given(Create("stripe")).RespondWith(ChallengeAnswer("stripe"));
        var payment = await PayAsync(merchant);
        var id = payment.Str("id")!;
        ArrangeCompletion("stripe", mock, id, passes: true);

        var returnUrl = $"{Server.BaseAddress.ToString().TrimEnd('/')}/provider_returns/{account}/{id}/{AttemptId(payment)}";
        var forged = await Browser.GetAsync(returnUrl + "?payment_intent=pi_of_another_payment&redirect_status=succeeded");
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        Assert.Equal("requires_action", (await Api(merchant).GetAsync($"/v1/payments/{id}")).Str("status"));
        Assert.Equal(0, Completions("stripe", mock));
    }

    [Fact]
    public async Task Return_for_another_account_or_attempt_or_payment_is_refused()
    {
        var (merchant, account, mock) = await MerchantAsync("stripe");
        mock.Server.Given(Create("stripe")).RespondWith(ChallengeAnswer("stripe"));
        var payment = await PayAsync(merchant);
        var id = payment.Str("id")!;
        var attempt = AttemptId(payment);
        ArrangeCompletion("stripe", mock, id, passes: true);
        var (_, otherAccount, _) = await MerchantAsync("stripe");

        var baseUrl = Server.BaseAddress.ToString().TrimEnd('/');
        var query = ReturnQuery("stripe");
        Assert.Equal(HttpStatusCode.NotFound, (await Browser.GetAsync($"{baseUrl}/provider_returns/{otherAccount}/{id}/{attempt}{query}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Browser.GetAsync($"{baseUrl}/provider_returns/{account}/{id}/att_not_this_one{query}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Browser.GetAsync($"{baseUrl}/provider_returns/{account}/pay_missing/{attempt}{query}")).StatusCode);
        Assert.Equal("requires_action", (await Api(merchant).GetAsync($"/v1/payments/{id}")).Str("status"));
        Assert.Equal(0, Completions("stripe", mock));
    }

    [Fact]
    public async Task Checkout_com_session_of_another_payment_never_authorizes_this_one()
    {
        var (merchant, account, mock) = await MerchantAsync("checkoutcom");
        mock.Server.Given(Create("checkoutcom")).RespondWith(ChallengeAnswer("checkoutcom"));
        var payment = await PayAsync(merchant);
        var id = payment.Str("id")!;

        // The session id in the return is the customer's browser's word: it names another (authorized) payment.
        var other = JsonNode.Parse(CheckoutComScenarioFixture.Payment("Authorized", Money.Of(1000, "EUR"), reference: "pay_someone_else"))!.AsObject();
        other["id"] = "pay_anotherpaymentaltogether0";
        mock.Server.Given(Request.Create().WithPath("/payments/sid_of_another_payment").UsingGet()).RespondWith(ProviderWireMock.Json(200, other.ToJsonString()));

        var returnUrl = $"{Server.BaseAddress.ToString().TrimEnd('/')}/provider_returns/{account}/{id}/{AttemptId(payment)}";
        var back = await Browser.GetAsync(returnUrl + "?cko-session-id=sid_of_another_payment");
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal("processing", (await Api(merchant).GetAsync($"/v1/payments/{id}")).Str("status"));
    }

    [Fact]
    public async Task Adyen_POST_redirect_is_an_auto_submitted_form_on_the_gateway_and_its_POST_return_completes()
    {
        var (merchant, account, mock) = await MerchantAsync("adyen");
        var answer = new JsonObject
        {
            ["pspReference"] = AdyenScenarioFixture.PspReference,
            ["resultCode"] = "RedirectShopper",
            ["action"] = new JsonObject
            {
                ["paymentMethodType"] = "scheme",
                ["type"] = "redirect",
                ["method"] = "POST",
                ["url"] = "https://acs.example/3ds1/authenticate",
                ["data"] = new JsonObject { ["MD"] = "Ab02b4c0!BQABAgA", ["PaReq"] = "eNpVUk1z", ["TermUrl"] = "https://checkoutshopper-test.adyen.com/term" },
            },
        };
        mock.Server.Given(Create("adyen")).RespondWith(ProviderWireMock.Json(200, answer.ToJsonString()));

        var payment = await PayAsync(merchant);
        var id = payment.Str("id")!;
        var attempt = AttemptId(payment);
        var baseUrl = Server.BaseAddress.ToString().TrimEnd('/');
        Assert.Equal("requires_action", payment.Str("status"));
        Assert.Equal($"{baseUrl}/provider_actions/{id}/{attempt}", RedirectUrl(payment));

        // The action page posts the provider's fields to the issuer: a form, its script a file (no inline script).
        var page = await Browser.GetAsync(RedirectUrl(payment));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("form-action https://acs.example", csp, StringComparison.Ordinal);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<form method=\"post\" action=\"https://acs.example/3ds1/authenticate\" id=\"provider-action\">", html, StringComparison.Ordinal);
        Assert.Contains("name=\"MD\" value=\"Ab02b4c0!BQABAgA\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"PaReq\" value=\"eNpVUk1z\"", html, StringComparison.Ordinal);
        Assert.Contains("<script src=\"/provider_actions/action.js\"></script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        var script = await Browser.GetAsync($"{baseUrl}/provider_actions/action.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);

        // The issuer posts MD and PaRes back to the gateway's return endpoint; Adyen's /payments/details gets them.
        mock.Server.Given(Request.Create().WithPath("/v71/payments/details").UsingPost())
            .RespondWith(ProviderWireMock.Json(200, AdyenScenarioFixture.PaymentResponse("Authorised")));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["MD"] = "Ab02b4c0!BQABAgA", ["PaRes"] = "eNrNV1mTokq", ["extra"] = "ignored" });
        var back = await Browser.PostAsync($"{baseUrl}/provider_returns/{account}/{id}/{attempt}", form);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal($"{MerchantReturnUrl}?payment={id}&status=requires_capture", back.Headers.Location?.ToString());
        var details = JsonNode.Parse(Assert.Single(mock.Requests, r => r.Path == "/v71/payments/details").Body!)!["details"]!.AsObject();
        Assert.Equal(["MD", "PaRes"], details.Select(d => d.Key));
        Assert.Equal("eNrNV1mTokq", details["PaRes"]!.GetValue<string>());

        // Finished: the action page is gone.
        Assert.Equal(HttpStatusCode.NotFound, (await Browser.GetAsync($"{baseUrl}/provider_actions/{id}/{attempt}")).StatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Mollie_card_checkout_then_return_to_the_gateway_reads_the_payment_paid_or_failed(bool passes)
    {
        var (merchant, account, mock) = await MerchantAsync("mollie");
        mock.Server.Given(Create("mollie")).RespondWith(ProviderWireMock.Json(201,
            MolliePayment("open", checkoutUrl: MollieScenarioFixture.CheckoutUrl)));

        var payment = await PayAsync(merchant, captureMethod: "automatic");
        var id = payment.Str("id")!;
        Assert.Equal("requires_action", payment.Str("status"));
        Assert.Equal(MollieScenarioFixture.CheckoutUrl, RedirectUrl(payment));

        // Mollie was given the gateway's return endpoint as its redirectUrl (it adds nothing to it on the way back).
        var returnUrl = $"{Server.BaseAddress.ToString().TrimEnd('/')}/provider_returns/{account}/{id}/{AttemptId(payment)}";
        var create = Assert.Single(mock.Requests, r => r.Method == "POST" && r.Path == CreatePath("mollie"));
        Assert.Equal(returnUrl, JsonNode.Parse(create.Body!)!["redirectUrl"]?.GetValue<string>());

        // After Mollie's hosted checkout the payment is paid, or failed with the card's failure reason.
        var readBack = $"/v2/payments/{MollieScenarioFixture.PaymentReference}";
        mock.Server.Given(Request.Create().WithPath(readBack).UsingGet()).RespondWith(ProviderWireMock.Json(200, passes
            ? MolliePayment("paid", gatewayPaymentId: id)
            : MolliePayment("failed", failureReason: "authentication_failed", gatewayPaymentId: id)));
        var back = await Browser.GetAsync(returnUrl);
        var expected = passes ? "succeeded" : "failed";
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal($"{MerchantReturnUrl}?payment={id}&status={expected}", back.Headers.Location?.ToString());
        var fetched = await Api(merchant).GetAsync($"/v1/payments/{id}");
        Assert.Equal(expected, fetched.Str("status"));
        if (!passes)
        {
            Assert.Equal("authentication_failed", fetched.Json.GetProperty("last_payment_error").GetProperty("decline_code").GetString());
        }

        // A reload asks Mollie nothing more.
        var again = await Browser.GetAsync(returnUrl);
        Assert.Equal($"{MerchantReturnUrl}?payment={id}&status={expected}", again.Headers.Location?.ToString());
        Assert.Equal(1, mock.Requests.Count(r => r.Method == "GET" && r.Path == readBack));
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>A Mollie card payment captured at once (no <c>captureMode: manual</c>).</summary>
    private static string MolliePayment(string status, string? checkoutUrl = null, string? failureReason = null, string gatewayPaymentId = "pay_scenario") =>
        MollieScenarioFixture.Payment(status, Money.Of(1000, "EUR"), manualCapture: false, checkoutUrl: checkoutUrl, failureReason: failureReason, gatewayPaymentId: gatewayPaymentId);

    private GatewayClient Api(TestMerchant merchant) => Server.Client(merchant.LiveSecretKey);

    private async Task<(TestMerchant Merchant, string Account, ProviderWireMock Mock)> MerchantAsync(string provider)
    {
        var merchant = await Server.CreateMerchantAsync($"{provider} 3-D Secure merchant", withLiveKeys: true);
        var mock = new ProviderWireMock();
        _mocks.Add(mock);
        var account = await ProviderAccountSetup.AddRoutedAccountAsync(Server, merchant.Id, provider, mock.BaseUrl);
        return (merchant, account, mock);
    }

    private async Task<ApiResponse> PayAsync(TestMerchant merchant, string captureMethod = "manual")
    {
        var token = (await Server.Client(merchant.LivePublishableKey).PostAsync("/v1/payment_methods", new
        {
            type = "card",
            card = new { number = TestCards.Visa, exp_month = 12, exp_year = DateTime.UtcNow.Year + 3, cvc = TestCards.CvcFor(TestCards.Visa) },
        })).EnsureStatus(200).Str("id")!;
        return (await Api(merchant).PostAsync("/v1/payments", new
        {
            amount = 1000,
            currency = "EUR",
            payment_method = token,
            confirm = true,
            capture_method = captureMethod,
            return_url = MerchantReturnUrl,
        })).EnsureStatus(200);
    }

    private static string AttemptId(ApiResponse payment) =>
        payment.Json.GetProperty("routing").GetProperty("attempts").EnumerateArray().Last().GetProperty("id").GetString()!;

    private static string? RedirectUrl(ApiResponse payment) =>
        payment.Json.GetProperty("next_action").GetProperty("redirect_to_url").GetProperty("url").GetString();

    private static string CreatePath(string provider) => provider switch
    {
        "stripe" => "/v1/payment_intents",
        "adyen" => "/v71/payments",
        "mollie" => "/v2/payments",
        _ => "/payments",
    };

    private static IRequestBuilder Create(string provider) => Request.Create().WithPath(CreatePath(provider)).UsingPost();

    /// <summary>Each provider's documented "the customer must authenticate" answer, with a GET redirect to the issuer.</summary>
    private static WireMock.ResponseBuilders.IResponseBuilder ChallengeAnswer(string provider) => provider switch
    {
        "stripe" => ProviderWireMock.Json(200, StripeFixtures.RequiresAction(StripeIntent, 1000, "eur", AcsUrl).ToJsonString()),
        "adyen" => ProviderWireMock.Json(200, AdyenScenarioFixture.PaymentResponse("RedirectShopper", actionUrl: AcsUrl)),
        _ => ProviderWireMock.Json(202, CheckoutComScenarioFixture.Payment("Pending", Money.Of(1000, "EUR"), null, null, redirectUrl: AcsUrl)),
    };

    /// <summary>The return URL(s) the create request gave the provider.</summary>
    private static IEnumerable<string?> ReturnUrlsSent(string provider, IRequestMessage create)
    {
        if (provider == "stripe")
        {
            return [ProviderWireMock.Form(create).GetValueOrDefault("return_url")];
        }

        var body = JsonNode.Parse(create.Body!)!;
        return provider == "adyen"
            ? [body["returnUrl"]?.GetValue<string>()]
            : [body["success_url"]?.GetValue<string>(), body["failure_url"]?.GetValue<string>()];
    }

    /// <summary>What each provider appends to the return URL when it sends the customer back.</summary>
    private static string ReturnQuery(string provider) => provider switch
    {
        "stripe" => $"?payment_intent={StripeIntent}&payment_intent_client_secret={StripeIntent}_secret_abc&redirect_status=succeeded",
        "adyen" => "?redirectResult=X6XtfGC3%2521Y...",
        _ => "?cko-session-id=sid_y3oqhf46pyzuxjbcn2giaqnb44",
    };

    /// <summary>The provider's answer to the read-back or details call after the challenge.</summary>
    private static void ArrangeCompletion(string provider, ProviderWireMock mock, string paymentId, bool passes)
    {
        switch (provider)
        {
            case "stripe":
                var pi = StripeFixtures.PaymentIntent(StripeIntent, passes ? "requires_capture" : "requires_payment_method", 1000, "eur", false, paymentId);
                if (!passes)
                {
                    pi["last_payment_error"] = new JsonObject
                    {
                        ["type"] = "invalid_request_error",
                        ["code"] = "payment_intent_authentication_failure",
                        ["message"] = "The provided PaymentMethod has failed authentication.",
                    };
                }

                mock.Server.Given(Request.Create().WithPath($"/v1/payment_intents/{StripeIntent}").UsingGet()).RespondWith(ProviderWireMock.Json(200, pi.ToJsonString()));
                break;
            case "adyen":
                mock.Server.Given(Request.Create().WithPath("/v71/payments/details").UsingPost()).RespondWith(ProviderWireMock.Json(200, passes
                    ? AdyenScenarioFixture.PaymentResponse("Authorised")
                    : AdyenScenarioFixture.PaymentResponse("Refused", "3D Not Authenticated", "11")));
                break;
            default:
                var payment = passes
                    ? CheckoutComScenarioFixture.Payment("Authorized", Money.Of(1000, "EUR"), null, null, reference: paymentId)
                    : CheckoutComScenarioFixture.Payment("Declined", Money.Of(1000, "EUR"), null, null, reference: paymentId);
                mock.Server.Given(Request.Create().WithPath("/payments/sid_y3oqhf46pyzuxjbcn2giaqnb44").UsingGet()).RespondWith(ProviderWireMock.Json(200, payment));
                break;
        }
    }

    private static int Completions(string provider, ProviderWireMock mock) => provider switch
    {
        "stripe" => mock.Requests.Count(r => r.Method == "GET" && r.Path.StartsWith("/v1/payment_intents/", StringComparison.Ordinal)),
        "adyen" => mock.Requests.Count(r => r.Path == "/v71/payments/details"),
        _ => mock.Requests.Count(r => r.Method == "GET" && r.Path.StartsWith("/payments/sid_", StringComparison.Ordinal)),
    };
}
