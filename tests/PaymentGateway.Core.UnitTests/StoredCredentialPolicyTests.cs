using PaymentGateway.Core.Api;
using PaymentGateway.Core.Customers;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Routing;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.UnitTests;

/// <summary>
/// The stored-credential rules (<see cref="StoredCredentialPolicy"/>, <see cref="SavedCardRequest"/>): who may charge a
/// saved method, which accounts can take a setup or off-session payment (portability), and the series data sent.
/// </summary>
public sealed class StoredCredentialPolicyTests
{
    private static readonly ProviderRegistry Providers = new([
        new VerifyingAdapter("portable", storedCredentials: true, acceptsNti: true),
        new Adapter("own_refs_only", storedCredentials: true, acceptsNti: false),
        new Adapter("legacy", storedCredentials: false, acceptsNti: false),
    ]);

    private static readonly ProviderAccountRecord Portable = Account("pa_portable", "portable");
    private static readonly ProviderAccountRecord OwnRefs = Account("pa_own", "own_refs_only");
    private static readonly ProviderAccountRecord Legacy = Account("pa_legacy", "legacy");

    private static Payment Payment(bool offSession = false, string? usage = null, string? mode = null, string? customer = "cus_a", string? mitType = null) => new()
    {
        Id = "pay_1",
        MerchantId = "mer_1",
        Livemode = true,
        Amount = mode == PaymentModes.Setup ? 0 : 1000,
        Currency = "EUR",
        Customer = customer,
        OffSession = offSession,
        SetupFutureUsage = usage,
        Mode = mode,
        MitType = mitType,
    };

    private static StoredPaymentMethod Method(string? customer = "cus_a", string? usage = "off_session", DateTimeOffset? detached = null, string type = "card") => new()
    {
        Id = "pm_1",
        MerchantId = "mer_1",
        Livemode = true,
        Type = type,
        Customer = customer,
        Usage = usage,
        DetachedAt = detached,
    };

    private static ProviderAccountRecord Account(string id, string provider) => new() { Id = id, MerchantId = "mer_1", Livemode = true, ProviderId = provider, Status = "enabled" };

    private static RoutingPlan Plan(params ProviderAccountRecord[] accounts) => new()
    {
        Decision = new RoutingDecision { RuleId = "rr_1", ProviderAccount = accounts[0].Id, Candidates = [.. accounts.Select(a => a.Id)] },
        Accounts = accounts,
    };

    private static StoredCredentialSet SeriesAt(string accountKey, string nti = "nti_first", Dictionary<string, string>? references = null) => new()
    {
        NetworkTransactionId = nti,
        SeriesAccount = accountKey,
        Accounts = { [accountKey] = new StoredAccountCredential { Provider = "portable", NetworkTransactionId = nti, References = references ?? [] } },
    };

    public static TheoryData<string, Payment, StoredPaymentMethod, string> Refused => new()
    {
        { "detached", Payment(), Method(detached: DateTimeOffset.UnixEpoch), ErrorCodes.PaymentMethodDetached },
        { "another customer's card", Payment(customer: "cus_b"), Method(), ErrorCodes.PaymentMethodCustomerMismatch },
        { "a saved card without its customer", Payment(customer: null), Method(), ErrorCodes.PaymentMethodCustomerMismatch },
        { "off session on a card never saved", Payment(offSession: true), Method(customer: null, usage: null), ErrorCodes.OffSessionNotAllowed },
        { "off session on an on-session card", Payment(offSession: true), Method(usage: "on_session"), ErrorCodes.OffSessionNotAllowed },
        { "saving a sepa_debit method", Payment(usage: "off_session"), Method(customer: null, usage: null, type: "sepa_debit"), ErrorCodes.ParameterInvalid },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void CheckUsable_Refuses(string why, Payment payment, StoredPaymentMethod method, string code)
    {
        var e = Assert.Throws<GatewayException>(() => StoredCredentialPolicy.CheckUsable(payment, method));
        Assert.True(code == e.Code, $"{why}: got {e.Code}");
    }

    [Fact]
    public void CheckUsable_Allows_OffSessionOnTheCustomersOffSessionCard_OneOffCards_AndSavingANewCard()
    {
        StoredCredentialPolicy.CheckUsable(Payment(offSession: true), Method());
        StoredCredentialPolicy.CheckUsable(Payment(), Method(usage: "on_session"));
        StoredCredentialPolicy.CheckUsable(Payment(customer: "order 7"), Method(customer: null, usage: null));
        StoredCredentialPolicy.CheckUsable(Payment(usage: "off_session"), Method(customer: null, usage: null));
    }

    [Fact]
    public void Restrict_LeavesPlainPaymentsAlone()
    {
        var plan = Plan(Legacy, Portable);

        Assert.Same(plan, StoredCredentialPolicy.Restrict(Payment(), null, plan, Providers));
    }

    [Fact]
    public void Restrict_OffSession_KeepsAccountsThatKnowTheCardOrAcceptTheSeriesId_InPlanOrder()
    {
        var credentials = SeriesAt(OwnRefs.Id, references: new() { ["stored"] = "ref_1" });
        var elsewhere = Account("pa_other_own", "own_refs_only");

        var plan = StoredCredentialPolicy.Restrict(Payment(offSession: true), credentials, Plan(Legacy, elsewhere, Portable, OwnRefs), Providers);

        Assert.NotNull(plan);
        Assert.Equal([Portable.Id, OwnRefs.Id], plan.Accounts.Select(a => a.Id));
        Assert.Equal(Portable.Id, plan.Decision.ProviderAccount);
        Assert.Equal([Portable.Id, OwnRefs.Id], plan.Decision.Candidates);
    }

    [Fact]
    public void Restrict_OffSession_WithoutASeriesId_OnlyTheAccountThatKnowsTheCard()
    {
        var credentials = new StoredCredentialSet { Accounts = { [OwnRefs.Id] = new StoredAccountCredential { Provider = "own_refs_only", References = { ["stored"] = "ref" } } } };

        var plan = StoredCredentialPolicy.Restrict(Payment(offSession: true), credentials, Plan(Portable, OwnRefs), Providers);

        Assert.Equal([OwnRefs.Id], plan!.Accounts.Select(a => a.Id));
    }

    [Fact]
    public void Restrict_RefusesWhenNoCandidateCanTakeIt()
    {
        var offSession = Assert.Throws<GatewayException>(() => StoredCredentialPolicy.Restrict(Payment(offSession: true), SeriesAt("pa_gone"), Plan(Legacy, OwnRefs), Providers));
        var saving = Assert.Throws<GatewayException>(() => StoredCredentialPolicy.Restrict(Payment(usage: "on_session"), null, Plan(Legacy), Providers));
        var setup = Assert.Throws<GatewayException>(() => StoredCredentialPolicy.Restrict(Payment(mode: PaymentModes.Setup), null, Plan(OwnRefs, Legacy), Providers));

        Assert.All(new[] { offSession, saving, setup }, e => Assert.Equal(ErrorCodes.StoredCredentialsUnsupported, e.Code));
        Assert.Equal(ErrorKind.Unprocessable, offSession.Kind);
    }

    [Fact]
    public void Restrict_Setup_NeedsAVerifyFlow()
    {
        var plan = StoredCredentialPolicy.Restrict(Payment(mode: PaymentModes.Setup), null, Plan(OwnRefs, Portable), Providers);

        Assert.Equal([Portable.Id], plan!.Accounts.Select(a => a.Id));
    }

    [Fact]
    public void For_APaymentThatSavesTheCard_IsTheCustomerInitiatedFirstOfASeries()
    {
        var stored = StoredCredentialPolicy.For(Payment(usage: "on_session"), Method(customer: null, usage: null), null, Attempt(Portable), Providers);

        Assert.NotNull(stored);
        Assert.Equal(StoredCredentialInitiator.Customer, stored.Initiator);
        Assert.Equal(StoredCredentialSequence.First, stored.Sequence);
        Assert.Equal(StoredCredentialUsage.OnSession, stored.Usage);
        Assert.Equal("cus_a", stored.CustomerReference);
        Assert.Equal(StoredCredentialUsage.OffSession, StoredCredentialPolicy.For(Payment(mode: PaymentModes.Setup), Method(customer: null), null, Attempt(Portable), Providers)!.Usage);
    }

    [Fact]
    public void For_OffSession_IsMerchantInitiated_WithTheAccountsOwnReferences_OrTheSeriesIdWhereAccepted()
    {
        var credentials = SeriesAt(OwnRefs.Id, "nti_series", new() { ["stored"] = "ref_own" });

        var own = StoredCredentialPolicy.For(Payment(offSession: true, mitType: "instalment"), Method(), credentials, Attempt(OwnRefs), Providers)!;
        var moved = StoredCredentialPolicy.For(Payment(offSession: true, mitType: "recurring"), Method(), credentials, Attempt(Portable), Providers)!;
        var refsOnly = StoredCredentialPolicy.For(Payment(offSession: true), Method(), credentials, Attempt(Account("pa_other", "own_refs_only")), Providers)!;

        Assert.Equal(StoredCredentialInitiator.Merchant, own.Initiator);
        Assert.Equal(StoredCredentialSequence.Subsequent, own.Sequence);
        Assert.Equal(MerchantInitiatedType.Instalment, own.MerchantInitiatedType);
        Assert.Equal("nti_series", own.NetworkTransactionId);
        Assert.Equal("ref_own", own.ProviderReferences["stored"]);
        Assert.Equal(MerchantInitiatedType.Recurring, moved.MerchantInitiatedType);
        Assert.Equal("nti_series", moved.NetworkTransactionId); // the series started elsewhere: the scheme's id moves with the card
        Assert.Empty(moved.ProviderReferences);
        Assert.Null(refsOnly.NetworkTransactionId); // this provider takes no foreign series id
        Assert.Equal(MerchantInitiatedType.Unscheduled, refsOnly.MerchantInitiatedType);
    }

    [Fact]
    public void For_ASavedCardOnSession_IsCustomerInitiatedSubsequent_AndAOneOffCardHasNone()
    {
        var onSession = StoredCredentialPolicy.For(Payment(), Method(usage: "on_session"), SeriesAt(Portable.Id), Attempt(Portable), Providers)!;

        Assert.Equal(StoredCredentialInitiator.Customer, onSession.Initiator);
        Assert.Equal(StoredCredentialSequence.Subsequent, onSession.Sequence);
        Assert.Null(onSession.MerchantInitiatedType);
        Assert.Null(StoredCredentialPolicy.For(Payment(customer: "order 7"), Method(customer: null, usage: null), null, Attempt(Portable), Providers));
    }

    public static TheoryData<string, CreatePaymentRequest, string, string> RefusedRequests => new()
    {
        { "unknown mode", Card() with { Mode = "subscription" }, ErrorCodes.ParameterInvalid, "mode" },
        { "unknown usage", Card() with { SetupFutureUsage = "sometimes" }, ErrorCodes.ParameterInvalid, "setup_future_usage" },
        { "saving without a customer", Card() with { SetupFutureUsage = "on_session", Customer = null }, ErrorCodes.ParameterMissing, "customer" },
        { "saving for free text", Card() with { SetupFutureUsage = "on_session", Customer = "order-1" }, ErrorCodes.ParameterInvalid, "customer" },
        { "off session without confirm", Card() with { OffSession = true }, ErrorCodes.ParameterInvalid, "confirm" },
        { "off session while saving", Card() with { OffSession = true, Confirm = true, SetupFutureUsage = "off_session" }, ErrorCodes.ParameterInvalid, "setup_future_usage" },
        { "mit type on session", Card() with { MitType = "recurring" }, ErrorCodes.ParameterInvalid, "mit_type" },
        { "unknown mit type", Card() with { OffSession = true, Confirm = true, MitType = "weekly" }, ErrorCodes.ParameterInvalid, "mit_type" },
        { "setup with an amount", Card() with { Mode = "setup" }, ErrorCodes.AmountInvalid, "amount" },
        { "setup captured manually", Card(amount: null) with { Mode = "setup", CaptureMethod = "manual" }, ErrorCodes.ParameterInvalid, "capture_method" },
        { "setup off session", Card(amount: null) with { Mode = "setup", OffSession = true, Confirm = true }, ErrorCodes.ParameterInvalid, "off_session" },
        { "setup without currency", Card(amount: null, currency: null) with { Mode = "setup" }, ErrorCodes.ParameterMissing, "currency" },
        { "saving a transfer", Card() with { PaymentMethodType = PaymentMethodTypes.BankTransfer, SetupFutureUsage = "off_session" }, ErrorCodes.ParameterInvalid, "setup_future_usage" },
    };

    [Theory]
    [MemberData(nameof(RefusedRequests))]
    public void SavedCardRequest_RefusesTheFirstProblem(string why, CreatePaymentRequest request, string code, string param)
    {
        var e = Assert.Throws<GatewayException>(() => ValidatedPaymentRequest.From(request, 99_999_999));
        Assert.True(code == e.Code && param == e.Param, $"{why}: got {e.Code} on {e.Param}");
    }

    [Fact]
    public void SavedCardRequest_Setup_IsZeroAmountAndSavesForOffSessionByDefault()
    {
        var setup = ValidatedPaymentRequest.From(Card(amount: null) with { Mode = "setup" }, 99_999_999);
        var offSession = ValidatedPaymentRequest.From(Card() with { OffSession = true, Confirm = true }, 99_999_999);
        var plain = ValidatedPaymentRequest.From(Card(), 99_999_999);

        Assert.True(setup.Setup);
        Assert.Equal(0, setup.Amount);
        Assert.Equal("off_session", setup.SetupFutureUsage);
        Assert.Equal("unscheduled", offSession.MitType);
        Assert.True(offSession.OffSession);
        Assert.False(plain.Setup || plain.OffSession || plain.SetupFutureUsage is not null || plain.MitType is not null);
    }

    private static CreatePaymentRequest Card(long? amount = 1000, string? currency = "EUR") => new() { Amount = amount, Currency = currency, Customer = "cus_a", PaymentMethod = "pm_1" };

    private static PaymentAttempt Attempt(ProviderAccountRecord account) => new()
    {
        Id = "att_1",
        Provider = account.ProviderId,
        ProviderAccountId = account.Id,
        IdempotencyKey = "pay_1:att_1",
        PaymentMethodId = "pm_1",
    };

    /// <summary>An adapter's capability declaration (no flows are called by the policy).</summary>
    private sealed class Adapter(string id, bool storedCredentials, bool acceptsNti) : IPaymentProvider
    {
        public string Id => id;

        public ProviderCapabilities Capabilities { get; } = ProviderCapabilities.CardProcessor with { StoredCredentials = storedCredentials, AcceptsNetworkTransactionIds = acceptsNti };
    }

    /// <summary>The same, with a verify flow (setup payments need one).</summary>
    private sealed class VerifyingAdapter(string id, bool storedCredentials, bool acceptsNti) : IPaymentProvider, IVerifyFlow
    {
        public string Id => id;

        public ProviderCapabilities Capabilities { get; } = ProviderCapabilities.CardProcessor with { StoredCredentials = storedCredentials, AcceptsNetworkTransactionIds = acceptsNti };

        public Task<ProviderPaymentResult> VerifyAsync(VerifyRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(new ProviderPaymentResult { Outcome = ProviderOutcome.Succeeded });
    }
}
