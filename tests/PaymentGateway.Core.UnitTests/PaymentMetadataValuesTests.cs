using System.Text.Json;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.UnitTests;

/// <summary>Which metadata value rows both storage engines write for a payment, and when an update rewrites them (<see cref="PaymentMetadataValues"/>).</summary>
public sealed class PaymentMetadataValuesTests
{
    private static Payment NewPayment(Dictionary<string, string> metadata) => new()
    {
        Id = "pay_1",
        MerchantId = "mer_1",
        Livemode = false,
        Amount = 100,
        Currency = "EUR",
        Metadata = metadata,
    };

    [Fact]
    public void Values_are_distinct_and_in_ordinal_order()
    {
        var payment = NewPayment(new() { ["b"] = "x", ["a"] = "X", ["c"] = "x", ["d"] = "" });

        Assert.Equal(["", "X", "x"], PaymentMetadataValues.Of(payment));
        Assert.Empty(PaymentMetadataValues.Of(NewPayment([])));
    }

    [Fact]
    public void A_copy_never_stored_is_rewritten_a_committed_or_read_one_only_when_its_values_change()
    {
        var payment = NewPayment(new() { ["order_id"] = "ord-1" });
        Assert.Equal(["ord-1"], PaymentMetadataValues.ChangedOf(payment) ?? ["not changed"]);

        payment.MarkCommitted(updated: false);
        Assert.Null(PaymentMetadataValues.ChangedOf(payment));
        Assert.Equal(0, payment.Version);

        // A status change, or a key renamed with the same value, leaves the rows as they are.
        payment.Status = PaymentStatus.Succeeded;
        payment.Metadata.Remove("order_id");
        payment.Metadata["order"] = "ord-1";
        Assert.Null(PaymentMetadataValues.ChangedOf(payment));

        payment.Metadata["order"] = "ord-2";
        Assert.Equal(["ord-2"], PaymentMetadataValues.ChangedOf(payment) ?? ["not changed"]);
        payment.MarkCommitted(updated: true);
        Assert.Equal(1, payment.Version);
        Assert.Null(PaymentMetadataValues.ChangedOf(payment));

        // A copy read back from its stored JSON holds the values it was stored with.
        var read = JsonSerializer.Deserialize(JsonSerializer.Serialize(payment, StorageJsonContext.Default.Payment), StorageJsonContext.Default.Payment)
            ?? throw new InvalidOperationException("no payment");
        Assert.Null(PaymentMetadataValues.ChangedOf(read));
        read.Metadata.Clear();
        Assert.Equal([], PaymentMetadataValues.ChangedOf(read) ?? ["not changed"]);
    }
}
