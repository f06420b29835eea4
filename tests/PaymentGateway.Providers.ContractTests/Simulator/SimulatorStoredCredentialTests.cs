using Microsoft.Extensions.Options;
using PaymentGateway.Providers.ContractTests.Scenarios;
using PaymentGateway.Providers.Simulator;

namespace PaymentGateway.Providers.ContractTests.Simulator;

/// <summary>
/// The simulator's stored-credential model (docs/saved-cards.md): a first payment of a series returns a network
/// transaction id and a stored-card reference bound to the card; a merchant-initiated payment is approved only when it
/// refers to such a series of the same card; the saved-card test cards decline as their table rows say.
/// </summary>
public sealed class SimulatorStoredCredentialTests
{
    private static readonly StoredCredential First = new()
    {
        Initiator = StoredCredentialInitiator.Customer,
        Sequence = StoredCredentialSequence.First,
        Usage = StoredCredentialUsage.OffSession,
        CustomerReference = "cus_test",
    };

    private readonly SimulatorProvider _simulator = new(Options.Create(new SimulatorProviderOptions()));

    [Fact]
    public async Task FirstPaymentOfASeries_ReturnsANetworkTransactionIdAndAStoredCardReference()
    {
        var result = await AuthorizeAsync("4000000000003089", First);

        Assert.Equal(ProviderOutcome.Succeeded, result.Outcome);
        Assert.StartsWith("simnti_", result.NetworkTransactionId, StringComparison.Ordinal);
        Assert.NotNull(result.RecurringReferences);
        Assert.StartsWith("simsc_", result.RecurringReferences[SimulatorProvider.StoredCardReference], StringComparison.Ordinal);
    }

    [Fact]
    public async Task MerchantInitiated_WithTheSeriesNetworkTransactionId_IsApproved_AndWithAnUnknownOneDeclined()
    {
        var first = await AuthorizeAsync("4000000000003089", First);

        var approved = await AuthorizeAsync("4000000000003089", Mit(first.NetworkTransactionId, null));
        var unknown = await AuthorizeAsync("4000000000003089", Mit("simnti_0000000000", null));
        var none = await AuthorizeAsync("4000000000003089", Mit(null, null));

        Assert.Equal(ProviderOutcome.Succeeded, approved.Outcome);
        Assert.NotNull(approved.NetworkTransactionId);
        Assert.Equal(ProviderOutcome.Declined, unknown.Outcome);
        Assert.Equal("stored_credential_unknown", unknown.RawStatus);
        Assert.Equal(ProviderOutcome.Declined, none.Outcome);
    }

    [Fact]
    public async Task MerchantInitiated_WithTheStoredCardReferenceAlone_IsApproved()
    {
        var first = await AuthorizeAsync("4242424242424242", First);
        Assert.NotNull(first.RecurringReferences);

        var approved = await AuthorizeAsync("4242424242424242", Mit(null, first.RecurringReferences));

        Assert.Equal(ProviderOutcome.Succeeded, approved.Outcome);
    }

    [Fact]
    public async Task MerchantInitiated_WithTheSeriesOfAnotherCard_IsDeclined()
    {
        var visa = await AuthorizeAsync("4242424242424242", First);

        var other = await AuthorizeAsync("4000000000003089", Mit(visa.NetworkTransactionId, visa.RecurringReferences));

        Assert.Equal(ProviderOutcome.Declined, other.Outcome);
        Assert.Equal("stored_credential_unknown", other.RawStatus);
    }

    [Fact]
    public async Task AuthenticationRequiredCard_ChallengesOnSession_AndDeclinesOffSessionWithAuthenticationRequired()
    {
        var first = await AuthorizeAsync("4000002760003184", First);
        Assert.Equal(ProviderOutcome.RequiresAction, first.Outcome);
        Assert.Null(first.NetworkTransactionId);

        var completed = await _simulator.CompleteAuthenticationAsync(new CompleteAuthenticationRequest
        {
            PaymentId = "pay_sim",
            ProviderReference = first.ProviderReference!,
            Details = new Dictionary<string, string> { ["outcome"] = "pass" },
            Capture = true,
            Amount = Money.Of(1000, "EUR"),
            StoredCredential = First,
        }, CancellationToken.None);
        Assert.Equal(ProviderOutcome.Succeeded, completed.Outcome);
        Assert.NotNull(completed.NetworkTransactionId);

        var mit = await AuthorizeAsync("4000002760003184", Mit(completed.NetworkTransactionId, completed.RecurringReferences));

        Assert.Equal(ProviderOutcome.Declined, mit.Outcome);
        Assert.Equal(DeclineCodes.AuthenticationRequired, mit.DeclineCode);
    }

    [Fact]
    public async Task ExpiredSinceSavingCard_SavesFine_AndDeclinesEveryLaterPayment()
    {
        var first = await AuthorizeAsync("4000000000003097", First);
        Assert.Equal(ProviderOutcome.Succeeded, first.Outcome);

        var mit = await AuthorizeAsync("4000000000003097", Mit(first.NetworkTransactionId, first.RecurringReferences));
        var onSession = await AuthorizeAsync("4000000000003097", new StoredCredential
        {
            Initiator = StoredCredentialInitiator.Customer,
            Sequence = StoredCredentialSequence.Subsequent,
            NetworkTransactionId = first.NetworkTransactionId,
        });

        Assert.Equal(DeclineCodes.ExpiredCard, mit.DeclineCode);
        Assert.Equal(DeclineCodes.ExpiredCard, onSession.DeclineCode);
    }

    [Fact]
    public async Task Verify_IsSucceededWithoutCharging_AndStartsASeries()
    {
        var result = await _simulator.VerifyAsync(new VerifyRequest
        {
            PaymentId = "pay_setup",
            AttemptId = "att_setup",
            IdempotencyKey = "pay_setup:att_setup",
            Currency = Currency.Get("EUR"),
            Card = ScenarioCards.Card("4000000000003089"),
            StoredCredential = First,
        }, CancellationToken.None);

        Assert.Equal(ProviderOutcome.Succeeded, result.Outcome);
        Assert.Equal(ProviderOutcome.Succeeded, (await AuthorizeAsync("4000000000003089", Mit(result.NetworkTransactionId, null))).Outcome);
    }

    [Fact]
    public async Task LostAnswerOfAFirstPayment_IsLearnedBySync_WithItsNetworkTransactionId()
    {
        var request = Request("4000000000000259", First);
        await Assert.ThrowsAsync<ProviderOutcomeUnknownException>(() => _simulator.AuthorizeAsync(request, CancellationToken.None));

        var synced = await _simulator.SyncAsync(new SyncRequest { PaymentId = request.PaymentId, IdempotencyKey = request.IdempotencyKey }, CancellationToken.None);

        Assert.Equal(ProviderOutcome.Succeeded, synced.Outcome);
        Assert.NotNull(synced.NetworkTransactionId);

        // The learned id names a series of this card: a merchant-initiated payment passes the series check (and this
        // card's answer is lost again), where an unknown id is declined before that.
        await Assert.ThrowsAsync<ProviderOutcomeUnknownException>(() => AuthorizeAsync("4000000000000259", Mit(synced.NetworkTransactionId, null)));
        Assert.Equal("stored_credential_unknown", (await AuthorizeAsync("4000000000000259", Mit("simnti_unknown", null))).RawStatus);
    }

    [Fact]
    public async Task MerchantInitiated_CarryingACvc_IsDeclined()
    {
        var first = await AuthorizeAsync("4000000000003089", First);

        var withCvc = await _simulator.AuthorizeAsync(Request("4000000000003089", Mit(first.NetworkTransactionId, null)) with
        {
            Card = ScenarioCards.Card("4000000000003089"),
        }, CancellationToken.None);

        Assert.Equal(ProviderOutcome.Declined, withCvc.Outcome);
        Assert.Equal("cvc_on_merchant_initiated", withCvc.RawStatus);
    }

    [Fact]
    public async Task AccountInOutage_RefusesUnsent()
    {
        var account = new ProviderAccount
        {
            Id = "pa_down",
            ProviderId = SimulatorProvider.ProviderId,
            Livemode = false,
            Settings = new Dictionary<string, string> { ["outage"] = "true" },
        };

        await Assert.ThrowsAsync<ProviderUnavailableException>(() => _simulator.AuthorizeAsync(Request("4242424242424242", null) with { Account = account }, CancellationToken.None));
    }

    [Fact]
    public void Capabilities_DeclareStoredCredentialsAndNetworkTransactionIds()
    {
        Assert.True(_simulator.Capabilities.StoredCredentials);
        Assert.True(_simulator.Capabilities.AcceptsNetworkTransactionIds);
        Assert.False(ProviderCapabilities.CardProcessor.StoredCredentials); // adapters opt in; the default sends no off-session payment
    }

    private static StoredCredential Mit(string? networkTransactionId, IReadOnlyDictionary<string, string>? references) => new()
    {
        Initiator = StoredCredentialInitiator.Merchant,
        Sequence = StoredCredentialSequence.Subsequent,
        MerchantInitiatedType = MerchantInitiatedType.Recurring,
        NetworkTransactionId = networkTransactionId,
        ProviderReferences = references ?? new Dictionary<string, string>(),
    };

    private Task<ProviderPaymentResult> AuthorizeAsync(string number, StoredCredential? stored) => _simulator.AuthorizeAsync(Request(number, stored), CancellationToken.None);

    private static AuthorizeRequest Request(string number, StoredCredential? stored)
    {
        var id = "pay_" + Guid.NewGuid().ToString("N");
        return new AuthorizeRequest
        {
            PaymentId = id,
            AttemptId = "att_1",
            IdempotencyKey = id + ":att_1",
            Amount = Money.Of(1000, "EUR"),
            Capture = true,
            Card = ScenarioCards.Card(number) with { Cvc = stored?.Initiator == StoredCredentialInitiator.Merchant ? null : new Secret(ScenarioCards.CvcValue) },
            StoredCredential = stored,
        };
    }
}
