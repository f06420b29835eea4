using System.Net;
using System.Net.Sockets;
using PaymentGateway.Providers.Adyen;
using PaymentGateway.Providers.CheckoutCom;
using PaymentGateway.Providers.Http;
using PaymentGateway.Providers.Mollie;
using PaymentGateway.Providers.Stripe;
using Polly.Timeout;

namespace PaymentGateway.Providers.ContractTests.Http;

/// <summary>
/// The one classification every HTTP adapter goes through. Money first: only a request that never left may fail over;
/// an answer is the provider's refusal or an unknown outcome, and a failed lookup is always unknown.
/// </summary>
public sealed class ProviderErrorPolicyTests
{
    public static TheoryData<ProviderHttpTransport, int[], int[]> Transports => new()
    {
        // transport, statuses it calls a refusal by status alone (never failed over, never "not processed"), statuses it repeats with the same key
        { new StripeTransport(), [400, 401, 402, 403, 404, 429], [409, 429, 500, 502, 503, 504] },
        { new AdyenTransport(), [400, 401, 403, 404, 422, 429], [429, 500, 502, 503, 504] },
        { new CheckoutComTransport(), [400, 401, 403, 404, 422, 429], [409, 429, 500, 502, 503, 504] },
        { new MollieTransport(), [400, 401, 403, 404, 409, 410, 422, 429], [429, 500, 502, 503, 504] },
    };

    [Theory]
    [InlineData(400, ProviderErrorDisposition.Declined)]
    [InlineData(401, ProviderErrorDisposition.Declined)]
    [InlineData(403, ProviderErrorDisposition.Declined)]
    [InlineData(404, ProviderErrorDisposition.Declined)]
    [InlineData(422, ProviderErrorDisposition.Declined)]
    [InlineData(429, ProviderErrorDisposition.Declined)]
    [InlineData(409, ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(410, ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(500, ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(502, ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(503, ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(504, ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(418, ProviderErrorDisposition.OutcomeUnknown)]
    public void SharedStatusRule_ClassifiesEachStatus(int status, ProviderErrorDisposition expected) =>
        Assert.Equal(expected, ProviderErrorPolicy.ForStatus(status));

    [Fact]
    public void AnAnswer_IsNeverUnavailable_WhateverTheStatusOrTheDocumentedMeaning()
    {
        foreach (var status in Enumerable.Range(400, 200))
        {
            foreach (var documented in new ProviderErrorDisposition?[] { null, ProviderErrorDisposition.Unavailable, ProviderErrorDisposition.OutcomeUnknown })
            {
                foreach (var mayHaveProcessed in new[] { false, true })
                {
                    Assert.NotEqual(ProviderErrorDisposition.Unavailable, ProviderErrorPolicy.ForAnswer(status, documented, mayHaveProcessed));
                }
            }
        }

        Assert.Equal(ProviderErrorDisposition.OutcomeUnknown, ProviderErrorPolicy.ForAnswer(503, ProviderErrorDisposition.Unavailable, mayHaveProcessed: false));
    }

    [Fact]
    public void DocumentedMeaning_WinsOverTheStatusRule() =>
        Assert.Equal(ProviderErrorDisposition.Declined, ProviderErrorPolicy.ForAnswer(503, ProviderErrorDisposition.Declined, mayHaveProcessed: false));

    [Theory]
    [InlineData(429, null, ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(400, null, ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(500, null, ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(402, ProviderErrorDisposition.Declined, ProviderErrorDisposition.Declined)]
    public void RefusalByStatus_BecomesUnknown_WhenAnEarlierAttemptMayHaveBeenProcessed(int status, ProviderErrorDisposition? documented, ProviderErrorDisposition expected) =>
        Assert.Equal(expected, ProviderErrorPolicy.ForAnswer(status, documented, mayHaveProcessed: true));

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(410)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    public void FailedLookup_IsAlwaysUnknown(int status) =>
        Assert.Equal(ProviderErrorDisposition.OutcomeUnknown, ProviderErrorPolicy.ForLookup(status));

    [Fact]
    public void ConnectionNeverMade_IsUnavailable_UnlessAnEarlierAttemptMayHaveBeenProcessed()
    {
        var refused = new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused));
        Assert.Equal(ProviderErrorDisposition.Unavailable, ProviderErrorPolicy.ForException(refused, mayHaveProcessed: false));
        Assert.Equal(ProviderErrorDisposition.OutcomeUnknown, ProviderErrorPolicy.ForException(refused, mayHaveProcessed: true));
        var dns = new HttpRequestException(HttpRequestError.NameResolutionError, "no such host");
        Assert.Equal(ProviderErrorDisposition.Unavailable, ProviderErrorPolicy.ForException(dns, mayHaveProcessed: false));
        var tls = new HttpRequestException(HttpRequestError.SecureConnectionError, "the SSL connection could not be established");
        Assert.Equal(ProviderErrorDisposition.Unavailable, ProviderErrorPolicy.ForException(tls, mayHaveProcessed: false));
    }

    [Fact]
    public async Task RealSockets_RefusedConnectionAndFailedTlsHandshake_AreNotSent_WhileACutAnswerIsUnknown()
    {
        using var client = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) }) { Timeout = TimeSpan.FromSeconds(10) };

        // Nothing listens: the connection is refused before a byte of the request is written.
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri($"http://127.0.0.1:{ClosedPort()}/v1/payment_intents")));
        Assert.True(ProviderErrorPolicy.WasNotSent(refused), refused.HttpRequestError.ToString());

        // A listener that answers the TLS ClientHello with plain text: the handshake fails before the request is written.
        using var plain = new TcpListener(IPAddress.Loopback, 0);
        plain.Start();
        var serveGarbage = Task.Run(async () =>
        {
            using var socket = await plain.AcceptSocketAsync();
            await socket.SendAsync("HTTP/1.1 400 Bad Request\r\n\r\n"u8.ToArray());
            socket.Shutdown(SocketShutdown.Both);
        });
        var handshake = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri($"https://127.0.0.1:{((IPEndPoint)plain.LocalEndpoint).Port}/v1/payment_intents")));
        await serveGarbage;
        Assert.True(ProviderErrorPolicy.WasNotSent(handshake), handshake.HttpRequestError.ToString());
        Assert.Equal(ProviderErrorDisposition.Unavailable, ProviderErrorPolicy.ForException(handshake, mayHaveProcessed: false));

        // A server that reads the request and closes without answering: it may have acted on it.
        using var cutter = new TcpListener(IPAddress.Loopback, 0);
        cutter.Start();
        var cut = Task.Run(async () =>
        {
            using var socket = await cutter.AcceptSocketAsync();
            var buffer = new byte[4096];
            await socket.ReceiveAsync(buffer);
            socket.Close();
        });
        var lost = await Assert.ThrowsAsync<HttpRequestException>(() =>
            client.PostAsync(new Uri($"http://127.0.0.1:{((IPEndPoint)cutter.LocalEndpoint).Port}/v1/payment_intents"), new StringContent("amount=1000")));
        await cut;
        Assert.False(ProviderErrorPolicy.WasNotSent(lost), lost.HttpRequestError.ToString());
        Assert.Equal(ProviderErrorDisposition.OutcomeUnknown, ProviderErrorPolicy.ForException(lost, mayHaveProcessed: false));
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
    public void Transport_RefusalStatuses_AreTheSharedRuleWithTheProvidersDocumentedExceptions(ProviderHttpTransport transport, int[] refusals, int[] retryable)
    {
        _ = retryable;
        var observed = Enumerable.Range(200, 400).Where(transport.IsRefusalStatus).ToArray();
        Assert.Equal(refusals, observed);
        Assert.DoesNotContain(observed, s => s >= 500);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public void Transport_RetryableStatuses_AreTheDocumentedOnes(ProviderHttpTransport transport, int[] refusals, int[] retryable)
    {
        _ = refusals;
        var observed = new[] { 200, 400, 401, 402, 403, 404, 409, 410, 422, 429, 500, 502, 503, 504 }.Where(transport.IsRetryableStatus).ToArray();
        Assert.Equal(retryable, observed);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
