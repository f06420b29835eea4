using System.Net.Sockets;
using PaymentGateway.Providers.Adyen;
using PaymentGateway.Providers.CheckoutCom;
using PaymentGateway.Providers.Http;
using PaymentGateway.Providers.Mollie;
using PaymentGateway.Providers.Stripe;
using Polly.Timeout;

namespace PaymentGateway.Providers.ContractTests.Http;

/// <summary>
/// The one classification every HTTP adapter goes through, and what each adapter's transport makes of a bare status
/// (what the attempt ledger and the retry loop see): the tables each adapter had before they shared the rule.
/// </summary>
public sealed class ProviderErrorPolicyTests
{
    public static TheoryData<ProviderHttpTransport, int[], int[]> Transports => new()
    {
        // transport, statuses it calls "not processed" (failover allowed today), statuses it repeats with the same key
        { new StripeTransport(), [401, 403, 429, 502, 503], [409, 429, 500, 502, 503, 504] },
        { new AdyenTransport(), [401, 403, 429, 502, 503], [429, 500, 502, 503, 504] },
        { new CheckoutComTransport(), [401, 429, 502, 503], [409, 429, 500, 502, 503, 504] },
        { new MollieTransport(), [401, 403, 429, 502, 503], [429, 500, 502, 503, 504] },
    };

    [Theory]
    [InlineData(400, ProviderErrorDisposition.Declined)]
    [InlineData(404, ProviderErrorDisposition.Declined)]
    [InlineData(422, ProviderErrorDisposition.Declined)]
    [InlineData(401, ProviderErrorDisposition.Unavailable)]
    [InlineData(403, ProviderErrorDisposition.Unavailable)]
    [InlineData(429, ProviderErrorDisposition.Unavailable)]
    [InlineData(502, ProviderErrorDisposition.Unavailable)]
    [InlineData(503, ProviderErrorDisposition.Unavailable)]
    [InlineData(409, ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(410, ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(500, ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(504, ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(418, ProviderErrorDisposition.OutcomeUnknown)]
    public void SharedStatusRule_ClassifiesEachStatus(int status, ProviderErrorDisposition expected) =>
        Assert.Equal(expected, ProviderErrorPolicy.ForStatus(status));

    [Fact]
    public void DocumentedMeaning_WinsOverTheStatusRule() =>
        Assert.Equal(ProviderErrorDisposition.Declined, ProviderErrorPolicy.ForAnswer(503, ProviderErrorDisposition.Declined, mayHaveProcessed: false));

    [Theory]
    [InlineData(503, null, ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(401, null, ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(400, null, ProviderErrorDisposition.Declined)]
    [InlineData(500, null, ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(402, ProviderErrorDisposition.Declined, ProviderErrorDisposition.Declined)]
    public void NotProcessed_BecomesUnknown_WhenAnEarlierAttemptMayHaveBeenProcessed(int status, ProviderErrorDisposition? documented, ProviderErrorDisposition expected) =>
        Assert.Equal(expected, ProviderErrorPolicy.ForAnswer(status, documented, mayHaveProcessed: true));

    [Fact]
    public void ConnectionNeverMade_IsUnavailable_UnlessAnEarlierAttemptMayHaveBeenProcessed()
    {
        var refused = new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused));
        Assert.Equal(ProviderErrorDisposition.Unavailable, ProviderErrorPolicy.ForException(refused, mayHaveProcessed: false));
        Assert.Equal(ProviderErrorDisposition.OutcomeUnknown, ProviderErrorPolicy.ForException(refused, mayHaveProcessed: true));
        var dns = new HttpRequestException(HttpRequestError.NameResolutionError, "no such host");
        Assert.Equal(ProviderErrorDisposition.Unavailable, ProviderErrorPolicy.ForException(dns, mayHaveProcessed: false));
    }

    [Fact]
    public void TimeoutOrCutConnection_IsOutcomeUnknown()
    {
        Assert.Equal(ProviderErrorDisposition.OutcomeUnknown, ProviderErrorPolicy.ForException(new TimeoutRejectedException(), mayHaveProcessed: false));
        var cut = new HttpRequestException(HttpRequestError.ResponseEnded, "the response ended prematurely");
        Assert.Equal(ProviderErrorDisposition.OutcomeUnknown, ProviderErrorPolicy.ForException(cut, mayHaveProcessed: false));
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public void Transport_NotProcessedStatuses_AreTheSharedRuleWithTheProvidersDocumentedExceptions(ProviderHttpTransport transport, int[] notProcessed, int[] retryable)
    {
        _ = retryable;
        var observed = Enumerable.Range(200, 400).Where(transport.IsNotProcessedStatus).ToArray();
        Assert.Equal(notProcessed, observed);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public void Transport_RetryableStatuses_AreTheDocumentedOnes(ProviderHttpTransport transport, int[] notProcessed, int[] retryable)
    {
        _ = notProcessed;
        var observed = new[] { 200, 400, 401, 402, 403, 404, 409, 410, 422, 429, 500, 502, 503, 504 }.Where(transport.IsRetryableStatus).ToArray();
        Assert.Equal(retryable, observed);
    }
}
