using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PaymentGateway.Providers.Adyen;
using PaymentGateway.Providers.CheckoutCom;
using PaymentGateway.Providers.ContractTests.Adyen;
using PaymentGateway.Providers.ContractTests.CheckoutCom;
using PaymentGateway.Providers.ContractTests.Infrastructure;
using PaymentGateway.Providers.ContractTests.Mollie;
using PaymentGateway.Providers.ContractTests.Scenarios;
using PaymentGateway.Providers.ContractTests.Stripe;
using PaymentGateway.Providers.Http;
using PaymentGateway.Providers.Mollie;
using PaymentGateway.Providers.Stripe;
using WireMock.RequestBuilders;

namespace PaymentGateway.Providers.ContractTests.Audit;

/// <summary>
/// What each provider documents that the adapters used to miss (issue 24's audit), one behaviour per test: endpoints by
/// the account's mode, account validation, request fields, next actions and outcome mapping.
/// </summary>
public sealed class ProviderRequirementsTests
{
    private static ProviderAccount Account(string provider, bool live, Dictionary<string, string>? settings = null, Dictionary<string, string>? credentials = null) => new()
    {
        Id = "pa_audit",
        ProviderId = provider,
        Livemode = live,
        Credentials = (credentials ?? []).ToDictionary(c => c.Key, c => new Secret(c.Value)),
        Settings = settings ?? [],
    };

    private static AuthorizeRequest Authorize(ProviderAccount? account, bool capture = false) => new()
    {
        Account = account,
        PaymentId = "pay_audit",
        AttemptId = "att_audit",
        IdempotencyKey = "pay_audit:att_audit",
        Amount = Money.Of(10_00, "EUR"),
        Capture = capture,
        Card = ScenarioCards.Approved,
        ReturnUrl = "https://shop.example/return",
    };

    // ------------------------------------------------------------------ endpoints by mode

    [Theory]
    [InlineData("stripe", false, "https://api.stripe.com")]
    [InlineData("stripe", true, "https://api.stripe.com")]
    [InlineData("adyen", false, "https://checkout-test.adyen.com/v71")]
    [InlineData("adyen", true, "https://1797a841fbb37ca7-AdyenDemo-checkout-live.adyenpayments.com/checkout/v71")]
    [InlineData("checkoutcom", false, "https://api.sandbox.checkout.com")]
    [InlineData("checkoutcom", true, "https://api.checkout.com")]
    [InlineData("mollie", false, "https://api.mollie.com")]
    [InlineData("mollie", true, "https://api.mollie.com")]
    public void EachAccount_GoesToItsModesEndpoint(string provider, bool live, string expected)
    {
        ProviderHttpTransport transport = provider switch
        {
            "stripe" => new StripeTransport(),
            "adyen" => new AdyenTransport(),
            "checkoutcom" => new CheckoutComTransport(),
            _ => new MollieTransport(),
        };
        var settings = new Dictionary<string, string> { ["live_url_prefix"] = "1797a841fbb37ca7-AdyenDemo" };
        Assert.Equal(expected, transport.BaseUrl(Account(provider, live, settings)));
        Assert.Equal("http://127.0.0.1:9/x", transport.BaseUrl(Account(provider, live, new() { ["base_url"] = "http://127.0.0.1:9/x/" })));
    }

    [Fact]
    public void CheckoutCom_AccountSpecificHosts_FollowTheUrlPrefix()
    {
        var transport = new CheckoutComTransport();
        Assert.Equal("https://ab12cd34.api.checkout.com", transport.BaseUrl(Account("checkoutcom", true, new() { ["url_prefix"] = "ab12cd34" })));
        Assert.Equal("https://ab12cd34.api.sandbox.checkout.com", transport.BaseUrl(Account("checkoutcom", false, new() { ["url_prefix"] = "ab12cd34" })));
    }

    // ------------------------------------------------------------------ account validation

    private static readonly Lazy<IReadOnlyDictionary<string, IPaymentProvider>> Adapters = new(() =>
    {
        // The four adapters as the host registers them; validation calls nothing, so no provider is played here.
        var services = new ServiceCollection().AddStripeProvider().AddAdyenProvider().AddCheckoutComProvider().AddMollieProvider();
        return services.BuildServiceProvider().GetServices<IPaymentProvider>().ToDictionary(p => p.Id);
    });

    public static TheoryData<IProviderAccountValidation, ProviderAccount, string?> AccountRules()
    {
        var stripe = Adapters.Value["stripe"];
        var adyen = Adapters.Value["adyen"];
        var checkout = Adapters.Value["checkoutcom"];
        var mollie = Adapters.Value["mollie"];
        return new TheoryData<IProviderAccountValidation, ProviderAccount, string?>
        {
            { (IProviderAccountValidation)stripe, Account("stripe", true, new() { ["raw_card_data_enabled"] = "true" }, new() { ["api_key"] = "sk_live_1" }), null },
            { (IProviderAccountValidation)stripe, Account("stripe", true, new() { ["raw_card_data_enabled"] = "false" }, new() { ["api_key"] = "rk_live_1" }), null },
            { (IProviderAccountValidation)stripe, Account("stripe", true, [], new() { ["api_key"] = "sk_live_1" }), "settings[raw_card_data_enabled]" },
            { (IProviderAccountValidation)stripe, Account("stripe", true, new() { ["raw_card_data_enabled"] = "yes" }), "settings[raw_card_data_enabled]" },
            { (IProviderAccountValidation)stripe, Account("stripe", true, new() { ["raw_card_data_enabled"] = "true" }, new() { ["api_key"] = "sk_test_1" }), "credentials[api_key]" },
            { (IProviderAccountValidation)stripe, Account("stripe", false, new() { ["raw_card_data_enabled"] = "true" }, new() { ["api_key"] = "sk_live_1" }), "credentials[api_key]" },
            { (IProviderAccountValidation)adyen, Account("adyen", true, new() { ["live_url_prefix"] = "1797a841fbb37ca7-AdyenDemo" }), null },
            { (IProviderAccountValidation)adyen, Account("adyen", true, new() { ["base_url"] = "https://proxy.example/v71" }), null },
            { (IProviderAccountValidation)adyen, Account("adyen", true), "settings[live_url_prefix]" },
            { (IProviderAccountValidation)adyen, Account("adyen", true, new() { ["live_url_prefix"] = "evil.example/x" }), "settings[live_url_prefix]" },
            { (IProviderAccountValidation)adyen, Account("adyen", false, new() { ["live_url_prefix"] = "1797a841fbb37ca7-AdyenDemo" }), "settings[live_url_prefix]" },
            { (IProviderAccountValidation)checkout, Account("checkoutcom", true, new() { ["processing_channel_id"] = "pc_" + new string('a', 26) }, new() { ["secret_key"] = "sk_live9" }), null },
            { (IProviderAccountValidation)checkout, Account("checkoutcom", true, [], new() { ["secret_key"] = "sk_sbox_x" }), "credentials[secret_key]" },
            { (IProviderAccountValidation)checkout, Account("checkoutcom", false, [], new() { ["secret_key"] = "sk_live9" }), "credentials[secret_key]" },
            { (IProviderAccountValidation)checkout, Account("checkoutcom", false, new() { ["processing_channel_id"] = "pc_short" }), "settings[processing_channel_id]" },
            { (IProviderAccountValidation)checkout, Account("checkoutcom", false, new() { ["url_prefix"] = "TOOLONGPREFIX" }), "settings[url_prefix]" },
            { (IProviderAccountValidation)checkout, Account("checkoutcom", false, new() { ["three_ds"] = "maybe" }), "settings[three_ds]" },
            { (IProviderAccountValidation)mollie, Account("mollie", true, [], new() { ["api_key"] = "live_x" }), null },
            { (IProviderAccountValidation)mollie, Account("mollie", true, [], new() { ["api_key"] = "test_x" }), "credentials[api_key]" },
        };
    }

    [Theory]
    [MemberData(nameof(AccountRules))]
    public void AccountValidation_FollowsTheProvidersDocumentation(IProviderAccountValidation rules, ProviderAccount account, string? parameter) =>
        Assert.Equal(parameter, rules.ValidateAccount(account)?.Parameter);

    // ------------------------------------------------------------------ Stripe

    [Fact]
    public async Task Stripe_PinsItsApiVersion_AndSendsTheAccountsReturnUrl_SoThreeDSecureIsARedirect()
    {
        using var fixture = new StripeScenarioFixture();
        fixture.ArrangeAuthorize(AuthorizeAnswer.Approved, Money.Of(10_00, "EUR"), capture: false);
        var account = fixture.Account! with { Settings = new Dictionary<string, string>(fixture.Account!.Settings) { ["return_url"] = "https://gateway.example/return" } };
        await ((IAuthorizeFlow)fixture.Provider).AuthorizeAsync(Authorize(account) with { ReturnUrl = null, ThreeDSecure = ThreeDSecurePreference.Challenge }, CancellationToken.None);
        var sent = Assert.Single(fixture.Mock.Requests);
        Assert.Equal(StripeTransport.ApiVersion, ProviderWireMock.Header(sent, "Stripe-Version"));
        var form = ProviderWireMock.Form(sent);
        Assert.Equal("https://gateway.example/return", form["return_url"]);
        Assert.Equal("challenge", form["payment_method_options[card][request_three_d_secure]"]);
    }

    [Fact]
    public async Task Stripe_WithoutRawCardData_SendsNoCardNumber_ButTakesATokenizedPaymentMethod()
    {
        using var fixture = new StripeScenarioFixture();
        fixture.ArrangeAuthorize(AuthorizeAnswer.Approved, Money.Of(10_00, "EUR"), capture: false);
        var tokenOnly = fixture.Account! with { Settings = new Dictionary<string, string>(fixture.Account!.Settings) { ["raw_card_data_enabled"] = "false" } };
        var flow = (IAuthorizeFlow)fixture.Provider;

        var refused = await Assert.ThrowsAsync<ProviderUnavailableException>(() => flow.AuthorizeAsync(Authorize(tokenOnly), CancellationToken.None));
        Assert.Contains("raw_card_data_enabled", refused.Message, StringComparison.Ordinal);
        Assert.Empty(fixture.Mock.Requests); // nothing was sent, so routing may try another account

        await flow.AuthorizeAsync(Authorize(tokenOnly) with { Card = null, ProviderPaymentMethod = "pm_card_from_stripe_js" }, CancellationToken.None);
        var form = ProviderWireMock.Form(Assert.Single(fixture.Mock.Requests));
        Assert.Equal("pm_card_from_stripe_js", form["payment_method"]);
        Assert.DoesNotContain(form.Keys, k => k.StartsWith("payment_method_data", StringComparison.Ordinal));
    }

    [Fact]
    public void Stripe_UseStripeSdk_IsCarriedAsSdkData_AndRedirectToUrlAsAGetRedirect()
    {
        var pi = StripeFixtures.PaymentIntent("pi_sdk", "requires_action", 1000, "eur", false);
        pi["next_action"] = new JsonObject { ["type"] = "use_stripe_sdk", ["use_stripe_sdk"] = new JsonObject { ["type"] = "three_d_secure_redirect", ["stripe_js"] = "https://hooks.stripe.com/3d_secure_2/hosted?x" } };
        var sdk = StripeTransformers.ToPaymentResult(Parse(pi.ToJsonString()), StripeFlow.Payment);
        Assert.Equal(ProviderOutcome.RequiresAction, sdk.Outcome);
        Assert.Null(sdk.RedirectUrl);
        var action = Assert.IsType<ProviderNextAction>(sdk.Action);
        Assert.Equal(ProviderNextActionType.ProviderSdk, action.Type);
        Assert.Equal("use_stripe_sdk", action.ProviderType);
        Assert.Contains("three_d_secure_redirect", action.SdkData, StringComparison.Ordinal);

        var redirect = StripeTransformers.ToPaymentResult(Parse(StripeFixtures.RequiresAction("pi_r", 1000, "eur", "https://hooks.stripe.com/redirect/x").ToJsonString()), StripeFlow.Payment);
        Assert.Equal((ProviderNextActionType.Redirect, "GET", "https://hooks.stripe.com/redirect/x"), (redirect.Action?.Type, redirect.Action?.Method, redirect.Action?.Url));
        Assert.Equal("https://hooks.stripe.com/redirect/x", redirect.RedirectUrl);
    }

    // ------------------------------------------------------------------ Adyen

    [Fact]
    public void Adyen_PostRedirect_KeepsMethodAndData_AndThreeDS2_IsSdkDataWithoutUrl()
    {
        var post = AdyenTransformers.ToPaymentResult(Parse("""
            {"resultCode":"RedirectShopper","pspReference":"PSP1","action":{"type":"redirect","method":"POST","url":"https://acs.example/3ds1",
             "data":{"PaReq":"BQABAgA","MD":"M2RmN","TermUrl":"https://shop.example/return"},"paymentMethodType":"scheme"}}
            """), capture: false);
        Assert.Equal(ProviderOutcome.RequiresAction, post.Outcome);
        var action = Assert.IsType<ProviderNextAction>(post.Action);
        Assert.Equal((ProviderNextActionType.Redirect, "POST", "https://acs.example/3ds1"), (action.Type, action.Method, action.Url));
        Assert.Equal("BQABAgA", action.Data["PaReq"]);
        Assert.Equal("https://shop.example/return", action.Data["TermUrl"]);
        Assert.Null(post.RedirectUrl); // not a plain GET: following it needs the form

        var challenge = AdyenTransformers.ToPaymentResult(Parse("""
            {"resultCode":"ChallengeShopper","pspReference":"PSP2","action":{"type":"threeDS2","subtype":"challenge","token":"eyJhY3NS","paymentData":"Ab02b4c0",
             "authorisationToken":"BQABAQ","paymentMethodType":"scheme"}}
            """), capture: false);
        var sdk = Assert.IsType<ProviderNextAction>(challenge.Action);
        Assert.Equal(ProviderNextActionType.ProviderSdk, sdk.Type);
        Assert.Equal("threeDS2", sdk.ProviderType);
        Assert.Null(sdk.Url);
        using var data = JsonDocument.Parse(sdk.SdkData ?? "{}");
        Assert.Equal("challenge", data.RootElement.GetProperty("subtype").GetString());
        Assert.Equal("eyJhY3NS", data.RootElement.GetProperty("token").GetString());
    }

    [Theory]
    [InlineData("cancel", ProviderNotificationKind.Cancellation)]
    [InlineData("refund", ProviderNotificationKind.Refund)]
    public void Adyen_CancelOrRefund_FollowsModificationAction(string action, ProviderNotificationKind expected)
    {
        var body = AdyenScenarioFixture.Notification("CANCEL_OR_REFUND", "true", "MOD0000000000001", "PSP0000000000001", "pay_1", Money.Of(1000, "EUR"), AdyenScenarioFixture.HmacKey,
            additionalData: new Dictionary<string, string> { ["modification.action"] = action });
        var item = Parse(body).GetProperty("notificationItems")[0].GetProperty("NotificationRequestItem");
        Assert.True(AdyenNotifications.VerifyHmac(item, AdyenScenarioFixture.HmacKey));
        var notification = AdyenNotifications.ToNotification(item);
        Assert.Equal(expected, notification.Kind);
        Assert.Equal(ProviderOutcome.Succeeded, notification.Outcome);
        Assert.Equal("CANCEL_OR_REFUND", notification.RawEventType);
        Assert.Equal("MOD0000000000001:CANCEL_OR_REFUND:true", notification.EventId);
    }

    [Fact]
    public async Task Adyen_WithoutAReturnUrl_SendsNothing()
    {
        using var fixture = new AdyenScenarioFixture();
        fixture.ArrangeAuthorize(AuthorizeAnswer.Approved, Money.Of(10_00, "EUR"), capture: false);
        var error = await Assert.ThrowsAsync<ProviderUnavailableException>(() =>
            ((IAuthorizeFlow)fixture.Provider).AuthorizeAsync(Authorize(fixture.Account) with { ReturnUrl = null }, CancellationToken.None));
        Assert.Contains("returnUrl", error.Message, StringComparison.Ordinal);
        Assert.Empty(fixture.Mock.Requests);
    }

    // ------------------------------------------------------------------ Checkout.com

    [Fact]
    public async Task CheckoutCom_RequestsThreeDSecure_WithTheChannelAndTheCustomersIp()
    {
        using var fixture = new CheckoutComScenarioFixture();
        fixture.ArrangeAuthorize(AuthorizeAnswer.Approved, Money.Of(10_00, "EUR"), capture: true);
        await ((IAuthorizeFlow)fixture.Provider).AuthorizeAsync(Authorize(fixture.Account, capture: true) with
        {
            Browser = new CustomerBrowser { IpAddress = "198.51.100.4" },
            Description = new string('d', 150),
        }, CancellationToken.None);
        using var body = JsonDocument.Parse(Assert.Single(fixture.Mock.Requests).Body ?? "{}");
        var root = body.RootElement;
        Assert.True(root.GetProperty("3ds").GetProperty("enabled").GetBoolean());
        Assert.True(root.GetProperty("3ds").GetProperty("attempt_n3d").GetBoolean());
        Assert.Equal("no_preference", root.GetProperty("3ds").GetProperty("challenge_indicator").GetString());
        Assert.Equal("198.51.100.4", root.GetProperty("payment_ip").GetString());
        Assert.Equal("pc_scenario", root.GetProperty("processing_channel_id").GetString());
        Assert.Equal("https://shop.example/return", root.GetProperty("success_url").GetString());
        Assert.Equal(100, root.GetProperty("description").GetString()!.Length);
        Assert.Equal("true", root.GetProperty("metadata").GetProperty("gateway_capture").GetString());
    }

    [Fact]
    public async Task CheckoutCom_ThreeDSecureDisabledByTheAccount_IsNotRequested()
    {
        using var fixture = new CheckoutComScenarioFixture();
        fixture.ArrangeAuthorize(AuthorizeAnswer.Approved, Money.Of(10_00, "EUR"), capture: false);
        var account = fixture.Account! with { Settings = new Dictionary<string, string>(fixture.Account!.Settings) { ["three_ds"] = "disabled" } };
        await ((IAuthorizeFlow)fixture.Provider).AuthorizeAsync(Authorize(account), CancellationToken.None);
        using var body = JsonDocument.Parse(Assert.Single(fixture.Mock.Requests).Body ?? "{}");
        Assert.False(body.RootElement.TryGetProperty("3ds", out _));
    }

    [Fact]
    public void CheckoutCom_ReadBack_DeclineAfterThreeDSecure_KeepsItsReason_FromTheActions()
    {
        var payment = JsonNode.Parse(CheckoutComScenarioFixture.Payment("Declined", Money.Of(10_00, "EUR"), responseCode: null))!.AsObject();
        payment["actions"] = new JsonArray(
            new JsonObject { ["id"] = "act_2", ["type"] = "Authorization", ["response_code"] = "20051", ["response_summary"] = "Insufficient Funds" },
            new JsonObject { ["id"] = "act_1", ["type"] = "Card Verification", ["response_code"] = "10000", ["response_summary"] = "Approved" });
        var result = CheckoutComTransformers.ToPaymentResult(Parse(payment.ToJsonString()), capture: false);
        Assert.Equal(ProviderOutcome.Declined, result.Outcome);
        Assert.Equal(DeclineCodes.InsufficientFunds, result.DeclineCode);
        Assert.Equal("Insufficient Funds", result.Message);
    }

    [Fact]
    public void CheckoutCom_ReadBack_AuthorizedWithCaptureInFlight_IsPending_UntilCaptured()
    {
        var payment = JsonNode.Parse(CheckoutComScenarioFixture.Payment("Authorized", Money.Of(10_00, "EUR")))!.AsObject();
        payment["metadata"] = new JsonObject { ["gateway_capture"] = "true" };
        Assert.Equal(ProviderOutcome.Pending, CheckoutComTransformers.ToPaymentResult(Parse(payment.ToJsonString()), capture: false).Outcome);
        payment["status"] = "Captured";
        Assert.Equal(ProviderOutcome.Succeeded, CheckoutComTransformers.ToPaymentResult(Parse(payment.ToJsonString()), capture: false).Outcome);
    }

    [Fact]
    public async Task CheckoutCom_ThreeDSecureReturn_NamingAnotherPayment_IsNotTrusted()
    {
        using var fixture = new CheckoutComScenarioFixture();
        fixture.Mock.Server.Given(Request.Create().WithPath("/payments/sid_someone_elses").UsingGet())
            .RespondWith(ProviderWireMock.Json(200, CheckoutComScenarioFixture.Payment("Authorized", Money.Of(10_00, "EUR"))));
        var result = await ((IAuthenticationFlow)fixture.Provider).CompleteAuthenticationAsync(new CompleteAuthenticationRequest
        {
            Account = fixture.Account,
            PaymentId = "pay_audit",
            ProviderReference = "pay_thisonesownreference000000",
            Details = new Dictionary<string, string> { ["cko-session-id"] = "sid_someone_elses" },
            Capture = false,
            Amount = Money.Of(10_00, "EUR"),
        }, CancellationToken.None);
        Assert.Equal(ProviderOutcome.Pending, result.Outcome);
        Assert.Equal("pay_thisonesownreference000000", result.ProviderReference);
    }

    // ------------------------------------------------------------------ Mollie

    [Fact]
    public async Task Mollie_WithoutARedirectUrl_SendsNothing_AndCutsLongDescriptions()
    {
        using var fixture = new MollieScenarioFixture();
        fixture.ArrangeAuthorize(AuthorizeAnswer.RequiresAction, Money.Of(10_00, "EUR"), capture: false);
        var noReturn = fixture.Account! with { Settings = new Dictionary<string, string>(fixture.Account!.Settings.Where(s => s.Key != "return_url")) };
        await Assert.ThrowsAsync<ProviderUnavailableException>(() =>
            ((IAuthorizeFlow)fixture.Provider).AuthorizeAsync(Authorize(noReturn) with { ReturnUrl = null }, CancellationToken.None));
        Assert.Empty(fixture.Mock.Requests);

        await ((IAuthorizeFlow)fixture.Provider).AuthorizeAsync(Authorize(fixture.Account) with { Description = new string('m', 300) }, CancellationToken.None);
        using var body = JsonDocument.Parse(Assert.Single(fixture.Mock.Requests).Body ?? "{}");
        Assert.Equal(MollieTransformers.MaxDescriptionLength, body.RootElement.GetProperty("description").GetString()!.Length);
        Assert.Equal("pay_audit:att_audit", body.RootElement.GetProperty("metadata").GetProperty("gateway_idempotency_key").GetString());
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(Encoding.UTF8.GetBytes(json));
        return document.RootElement.Clone();
    }
}
