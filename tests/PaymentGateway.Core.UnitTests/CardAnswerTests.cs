using PaymentGateway.Core.Api;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Idempotency;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.UnitTests;

/// <summary>The stored answer of a card payment request reuses the JSON of its commit's event when both describe the same state (<see cref="CardAnswer"/>).</summary>
public sealed class CardAnswerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Records what the answer was rendered from, and renders it as the REST transport does.</summary>
    private sealed class Recorder : IPaymentAnswerRenderer
    {
        public string? Json { get; private set; }

        public IdempotentResponse Render(PaymentResource payment, string? json)
        {
            Json = json;
            return new IdempotentResponse(200, json ?? System.Text.Json.JsonSerializer.Serialize(payment, ApiJson.Context.PaymentResource));
        }

        public IdempotentResponse Render(GatewayException error) => new(402, error.Code);
    }

    private static Payment NewPayment(string id = "pay_1") => new()
    {
        Id = id,
        MerchantId = "mer_1",
        Livemode = false,
        Amount = 900,
        Currency = "EUR",
        Status = PaymentStatus.Processing,
        Metadata = new() { ["order_id"] = "ord-1" },
        Created = T0,
        Updated = T0,
    };

    [Fact]
    public void The_answer_is_the_bytes_of_the_event_that_snapshots_the_same_state()
    {
        var payment = NewPayment();
        var events = new List<GatewayEvent> { EventFactory.ForPayment(payment, EventTypes.PaymentCreated, T0) };
        payment.AmountReceived = 900;
        PaymentWriter.Transition(payment, PaymentStatus.Succeeded, events, T0.AddSeconds(1));
        var renderer = new Recorder();

        var answer = CardAnswer.Render(renderer, payment, events);

        // The last event's string itself, not a second serialization; and the same bytes a fresh serialization gives.
        Assert.Same(events[^1].DataJson, renderer.Json);
        Assert.Same(events[^1].DataJson, answer.Body);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(payment.ToResource(), ApiJson.Context.PaymentResource), answer.Body);
    }

    [Fact]
    public void A_payment_changed_after_its_event_is_serialized_again()
    {
        var payment = NewPayment();
        var events = new List<GatewayEvent> { EventFactory.ForPayment(payment, EventTypes.PaymentProcessing, T0) };
        var renderer = new Recorder();

        payment.Updated = T0.AddMilliseconds(1);
        var answer = CardAnswer.Render(renderer, payment, events);
        Assert.Null(renderer.Json);
        Assert.Contains("\"updated\":\"2026-12-07T12:00:00.001", answer.Body, StringComparison.Ordinal);

        // An event of another object, or none, is never reused.
        var other = NewPayment();
        Assert.Null(RenderedJson(other, [EventFactory.ForPayment(NewPayment("pay_2"), EventTypes.PaymentCreated, T0)]));
        Assert.Null(RenderedJson(other, []));
    }

    private static string? RenderedJson(Payment payment, List<GatewayEvent> events)
    {
        var renderer = new Recorder();
        CardAnswer.Render(renderer, payment, events);
        return renderer.Json;
    }
}
