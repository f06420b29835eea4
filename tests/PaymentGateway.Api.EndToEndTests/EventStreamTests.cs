using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text.Json;
using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary><c>GET /v1/events/stream</c>: what <c>pgw listen</c> reads.</summary>
[Collection(GatewayCollection.Name)]
public sealed class EventStreamTests(GatewayFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    [Fact]
    public async Task Stream_SendsEachNewEventOfTheChosenTypesOnce_OldestFirst_AndNothingFromBeforeItOpened()
    {
        var merchant = await Server.CreateMerchantAsync();
        var before = await Steps.SucceededPaymentAsync(Server, merchant);
        var other = await Server.CreateMerchantAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = Server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/events/stream?types=payment.succeeded,refund.succeeded");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", merchant.SecretKey);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await using var body = await response.Content.ReadAsStreamAsync(cts.Token);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        var items = SseParser.Create(body).EnumerateAsync(reading.Token).GetAsyncEnumerator(reading.Token);

        // Another merchant's payment, then this merchant's payment and refund.
        await Steps.SucceededPaymentAsync(Server, other);
        var payment = await Steps.SucceededPaymentAsync(Server, merchant);
        var refund = (await Server.Client(merchant.SecretKey).PostAsync("/v1/refunds", new { payment, amount = 300 })).EnsureStatus(200).Str("id");

        var received = new List<(string Type, string? Id, JsonElement Data)>();
        while (received.Count < 2 && await items.MoveNextAsync())
        {
            using var json = JsonDocument.Parse(items.Current.Data);
            received.Add((items.Current.EventType, items.Current.EventId, json.RootElement.Clone()));
        }

        Assert.Equal(["payment.succeeded", "refund.succeeded"], received.Select(r => r.Type));
        Assert.Equal(payment, received[0].Data.GetProperty("data").GetProperty("id").GetString());
        Assert.Equal(refund, received[1].Data.GetProperty("data").GetProperty("id").GetString());
        Assert.All(received, r => Assert.Equal(r.Id, r.Data.GetProperty("id").GetString()));
        Assert.All(received, r => Assert.Equal("event", r.Data.GetProperty("object").GetString()));
        Assert.DoesNotContain(received, r => r.Data.GetProperty("data").GetProperty("id").GetString() == before);

        // Nothing more arrives for these types (each event once), within a few poll intervals.
        reading.CancelAfter(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await items.MoveNextAsync());
    }

    [Fact]
    public async Task Stream_UnknownType_Is400EventTypeUnknown_AndWithoutASecretKey401()
    {
        var merchant = await Server.CreateMerchantAsync();

        var unknown = await Server.Client(merchant.SecretKey).GetAsync("/v1/events/stream?types=payment.succeeded,payment.exploded");
        var publishable = await Server.Client(merchant.PublishableKey).GetAsync("/v1/events/stream");

        Assert.Equal(400, unknown.Status);
        Assert.Equal("event_type_unknown", unknown.Code);
        Assert.Equal("types", unknown.Json.GetProperty("param").GetString());
        Assert.True(publishable.Status is 401 or 403, $"a publishable key got {publishable.Status}");
    }
}
