using System.Text.Json;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Payments;

namespace PaymentGateway.Core.Api;

/// <summary>Stored objects to their public API shape.</summary>
public static class ResourceMapper
{
    public static PaymentResource ToResource(this Payment p) => new()
    {
        Id = p.Id,
        Livemode = p.Livemode,
        Status = p.Status.ToWire(),
        Amount = p.Amount,
        Currency = p.Currency,
        AmountCapturable = p.AmountCapturable,
        AmountReceived = p.AmountReceived,
        AmountRefunded = p.AmountRefunded,
        AmountDisputed = p.AmountDisputed,
        // One shared empty list (not a new one each time), so two snapshots of the same state are equal records (CardAnswer).
        Disputes = (IReadOnlyList<string>?)p.Disputes ?? [],
        CaptureMethod = p.CaptureMethod.ToWire(),
        PaymentMethod = p.PaymentMethodId,
        Customer = p.Customer,
        Description = p.Description,
        Metadata = p.Metadata,
        ReturnUrl = p.ReturnUrl,
        Provider = p.Provider,
        Routing = RoutingResources.ToRoutingResource(p),
        NextAction = p.NextAction is null ? null : new NextActionResource
        {
            Type = p.NextAction.Type,
            RedirectToUrl = p.NextAction.RedirectToUrl is null ? null : new RedirectToUrlResource
            {
                Url = p.NextAction.RedirectToUrl.Url,
                ReturnUrl = p.NextAction.RedirectToUrl.ReturnUrl,
            },
            BankTransferInstructions = p.ToInstructions(),
        },
        LastPaymentError = p.LastPaymentError is null ? null : new PaymentErrorResource
        {
            Code = p.LastPaymentError.Code,
            DeclineCode = p.LastPaymentError.DeclineCode,
            Message = p.LastPaymentError.Message,
        },
        CanceledAt = p.CanceledAt,
        CancellationReason = p.CancellationReason,
        PaymentMethodType = p.PaymentMethodType,
        BankTransfer = p.ToBankTransferResource(),
        DirectDebit = p.ToDirectDebitResource(),
        Mode = p.Mode ?? Payments.PaymentModes.Payment,
        SetupFutureUsage = p.SetupFutureUsage,
        OffSession = p.OffSession,
        MitType = p.MitType,
        Created = p.Created,
        Updated = p.Updated,
    };

    public static RefundResource ToResource(this Refund r) => new()
    {
        Id = r.Id,
        Livemode = r.Livemode,
        Payment = r.PaymentId,
        Amount = r.Amount,
        Currency = r.Currency,
        Status = r.Status.ToWire(),
        Reason = r.Reason,
        FailureReason = r.FailureReason,
        Metadata = r.Metadata,
        Created = r.Created,
        Updated = r.Updated,
    };

    public static PaymentMethodResource ToResource(this StoredPaymentMethod pm) => new()
    {
        Id = pm.Id,
        Livemode = pm.Livemode,
        Type = pm.Type,
        Card = pm.Card is null ? null : new CardResource
        {
            Brand = pm.Card.Brand,
            Last4 = pm.Card.Last4,
            ExpMonth = pm.Card.ExpMonth,
            ExpYear = pm.Card.ExpYear,
            Fingerprint = pm.Card.Fingerprint,
        },
        SepaDebit = pm.ToSepaResource(),
        HolderName = pm.HolderName,
        Customer = pm.Customer,
        Usage = pm.Usage,
        DetachedAt = pm.DetachedAt,
        Created = pm.Created,
    };

    public static EventResource ToResource(this GatewayEvent e)
    {
        using var doc = JsonDocument.Parse(e.DataJson);
        return new EventResource
        {
            Id = e.Id,
            Livemode = e.Livemode,
            Type = e.Type,
            Data = doc.RootElement.Clone(),
            Created = e.Created,
        };
    }

    public static MerchantResource ToResource(this Merchant m) => new() { Id = m.Id, Name = m.Name, Created = m.Created };

    public static ApiKeyResource ToResource(this ApiKeyRecord k, string? secret = null, DateTimeOffset? now = null) => new()
    {
        Id = k.Id,
        Merchant = k.MerchantId,
        Type = k.Kind == ApiKeyKind.Secret ? "secret" : "publishable",
        Livemode = k.Livemode,
        Hint = k.Hint,
        Secret = secret,
        Created = k.Created,
        Status = k.StatusAt(now ?? k.Created),
        Name = k.Name,
        ExpiresAt = k.ExpiresAt,
        RevokedAt = k.RevokedAt,
        LastUsedAt = k.LastUsedAt,
        ReplacedBy = k.ReplacedBy,
        RolledFrom = k.RolledFrom,
    };

    public static AdminKeyResource ToResource(this AdminKeyRecord k, string? secret = null, DateTimeOffset? now = null) => new()
    {
        Id = k.Id,
        Name = k.Name,
        Hint = k.Hint,
        Secret = secret,
        Created = k.Created,
        Status = k.StatusAt(now ?? k.Created),
        ExpiresAt = k.ExpiresAt,
        RevokedAt = k.RevokedAt,
        LastUsedAt = k.LastUsedAt,
        ReplacedBy = k.ReplacedBy,
        RolledFrom = k.RolledFrom,
    };
}
