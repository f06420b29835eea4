using PaymentGateway.Core;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Storage.ContractTests;

/// <summary>Builders for stored objects. All times are whole milliseconds so every engine can round-trip them exactly.</summary>
internal static class TestData
{
    /// <summary>A fixed base time, whole milliseconds, UTC.</summary>
    public static readonly DateTimeOffset T0 = new(2025, 3, 14, 9, 26, 53, 589, TimeSpan.Zero);

    public static string NewMerchantId() => Ids.New(Ids.Merchant);

    public static Payment Payment(string merchantId, bool livemode = false, DateTimeOffset? created = null,
        PaymentStatus status = PaymentStatus.RequiresConfirmation, DateTimeOffset? updated = null, string? id = null)
    {
        var at = created ?? T0;
        return new Payment
        {
            Id = id ?? Ids.New(Ids.Payment, at),
            MerchantId = merchantId,
            Livemode = livemode,
            Status = status,
            Amount = 1999,
            Currency = "eur",
            CaptureMethod = CaptureMethod.Automatic,
            Created = at,
            Updated = updated ?? at,
        };
    }

    /// <summary>A payment with every optional field filled in.</summary>
    public static Payment FullPayment(string merchantId, bool livemode = false)
    {
        var created = T0;
        var pmId = Ids.New(Ids.PaymentMethod, created);
        return new Payment
        {
            Id = Ids.New(Ids.Payment, created),
            MerchantId = merchantId,
            Livemode = livemode,
            Status = PaymentStatus.RequiresAction,
            Amount = 123_456,
            Currency = "usd",
            CaptureMethod = CaptureMethod.Manual,
            AmountCapturable = 100_000,
            AmountReceived = 23_456,
            AmountRefunded = 456,
            PaymentMethodId = pmId,
            Customer = "cus_42",
            Description = "Order #42 — ünïcødé ✓",
            Metadata = new Dictionary<string, string> { ["order_id"] = "42", ["note"] = "quote \" and backslash \\" },
            ReturnUrl = "https://shop.example/return?x=1&y=2",
            Provider = "simulator",
            ProviderReference = "sim_ref_1",
            NextAction = new NextAction
            {
                Type = "redirect_to_url",
                RedirectToUrl = new RedirectToUrl { Url = "https://acs.example/3ds?tx=abc", ReturnUrl = "https://shop.example/return" },
            },
            LastPaymentError = new PaymentError { Code = "card_declined", DeclineCode = "insufficient_funds", Message = "Your card has insufficient funds." },
            Attempts =
            [
                new PaymentAttempt
                {
                    Id = Ids.New(Ids.Attempt, created),
                    Provider = "simulator",
                    IdempotencyKey = "att-key-1",
                    PaymentMethodId = pmId,
                    Status = AttemptStatus.Declined,
                    ProviderReference = "sim_ref_0",
                    DeclineCode = "insufficient_funds",
                    Created = created,
                    Updated = created.AddSeconds(1),
                },
                new PaymentAttempt
                {
                    Id = Ids.New(Ids.Attempt, created.AddSeconds(2)),
                    Provider = "simulator",
                    IdempotencyKey = "att-key-2",
                    PaymentMethodId = pmId,
                    Status = AttemptStatus.RequiresAction,
                    ProviderReference = "sim_ref_1",
                    Created = created.AddSeconds(2),
                    Updated = created.AddSeconds(3),
                },
            ],
            Created = created,
            Updated = created.AddSeconds(3),
            CanceledAt = created.AddHours(1),
            CancellationReason = "requested_by_customer",
        };
    }

    public static Refund Refund(Payment payment, DateTimeOffset? created = null, RefundStatus status = RefundStatus.Pending,
        DateTimeOffset? updated = null, long amount = 500, string? id = null)
    {
        var at = created ?? payment.Created.AddMinutes(1);
        return new Refund
        {
            Id = id ?? Ids.New(Ids.Refund, at),
            MerchantId = payment.MerchantId,
            Livemode = payment.Livemode,
            PaymentId = payment.Id,
            Amount = amount,
            Currency = payment.Currency,
            Status = status,
            Reason = "requested_by_customer",
            Metadata = new Dictionary<string, string> { ["ticket"] = "T-1" },
            Provider = "simulator",
            ProviderReference = "sim_re_1",
            FailureReason = status == RefundStatus.Failed ? "expired_or_canceled_card" : null,
            IdempotencyKey = "refund-key-" + Guid.NewGuid().ToString("N"),
            Created = at,
            Updated = updated ?? at,
        };
    }

    public static GatewayEvent Event(string merchantId, string objectId, string type = EventTypes.PaymentCreated, bool livemode = false,
        DateTimeOffset? created = null, string? id = null)
    {
        var at = created ?? T0;
        return new GatewayEvent
        {
            Id = id ?? Ids.New(Ids.Event, at),
            MerchantId = merchantId,
            Livemode = livemode,
            Type = type,
            ObjectId = objectId,
            Created = at,
            DataJson = $$"""{"id":"{{objectId}}","object":"payment","n":{{Random.Shared.Next()}}}""",
        };
    }

    public static StoredPaymentMethod PaymentMethod(string merchantId, bool livemode = false, string? encryptedNumber = "v1:ENCRYPTED-BLOB-9f2c1a7e:zz==")
    {
        return new StoredPaymentMethod
        {
            Id = Ids.New(Ids.PaymentMethod, T0),
            MerchantId = merchantId,
            Livemode = livemode,
            Type = "card",
            Card = new StoredCard { Brand = "visa", Last4 = "4242", ExpMonth = 12, ExpYear = 2031, Fingerprint = "fp_abc123", Bin = "424242" },
            HolderName = "Ada Lovelace",
            Created = T0,
            EncryptedNumber = encryptedNumber,
        };
    }

    public static Merchant Merchant(string? id = null, string name = "Acme Ltd") =>
        new() { Id = id ?? NewMerchantId(), Name = name, Created = T0 };

    public static ApiKeyRecord ApiKey(string merchantId, ApiKeyKind kind = ApiKeyKind.Secret, bool livemode = false, DateTimeOffset? revokedAt = null) =>
        new()
        {
            Id = Ids.New(Ids.ApiKey, T0),
            MerchantId = merchantId,
            Kind = kind,
            Livemode = livemode,
            KeyHash = "sha256:" + Guid.NewGuid().ToString("N"),
            Hint = "sk_test_…abcd",
            Created = T0,
            RevokedAt = revokedAt,
        };

    public static StoreChanges Changes(Action<StoreChanges> fill)
    {
        var changes = new StoreChanges();
        fill(changes);
        return changes;
    }

    /// <summary>A field-by-field copy, as a service would hold after reading.</summary>
    public static Payment Copy(Payment p) => new()
    {
        Id = p.Id,
        MerchantId = p.MerchantId,
        Livemode = p.Livemode,
        Status = p.Status,
        Amount = p.Amount,
        Currency = p.Currency,
        CaptureMethod = p.CaptureMethod,
        AmountCapturable = p.AmountCapturable,
        AmountReceived = p.AmountReceived,
        AmountRefunded = p.AmountRefunded,
        PaymentMethodId = p.PaymentMethodId,
        Customer = p.Customer,
        Description = p.Description,
        Metadata = new Dictionary<string, string>(p.Metadata),
        ReturnUrl = p.ReturnUrl,
        Provider = p.Provider,
        ProviderReference = p.ProviderReference,
        NextAction = p.NextAction,
        LastPaymentError = p.LastPaymentError,
        Attempts = [.. p.Attempts],
        Created = p.Created,
        Updated = p.Updated,
        CanceledAt = p.CanceledAt,
        CancellationReason = p.CancellationReason,
        Version = p.Version,
    };
}
