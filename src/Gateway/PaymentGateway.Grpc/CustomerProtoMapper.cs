using PaymentGateway.Core;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Grpc.ProtoMapper;
using V1 = Payments.V1;

namespace PaymentGateway.Grpc;

/// <summary>
/// Translation of the customer and saved-card messages of payments.v1 (docs/saved-cards.md), like <see cref="ProtoMapper"/>:
/// absent fields become nulls so the core validates them with REST's codes and params.
/// </summary>
public static class CustomerProtoMapper
{
    // ---- requests ----

    public static CreateCustomerRequest ToCore(V1.CreateCustomerRequest r) => new()
    {
        Email = r.HasEmail ? r.Email : null,
        Name = r.HasName ? r.Name : null,
        Phone = r.HasPhone ? r.Phone : null,
        Description = r.HasDescription ? r.Description : null,
        Metadata = r.Metadata.Count == 0 ? null : new Dictionary<string, string>(r.Metadata),
    };

    public static UpdateCustomerRequest ToCore(V1.UpdateCustomerRequest r) => new()
    {
        Email = r.HasEmail ? r.Email : null,
        Name = r.HasName ? r.Name : null,
        Phone = r.HasPhone ? r.Phone : null,
        Description = r.HasDescription ? r.Description : null,
        Metadata = r.Metadata is null ? null : new Dictionary<string, string>(r.Metadata.Values),
        DefaultPaymentMethod = r.HasDefaultPaymentMethod ? r.DefaultPaymentMethod : null,
    };

    public static CustomerListQuery ToCore(V1.ListCustomersRequest r) => new()
    {
        Limit = Limit(r.HasLimit, r.Limit),
        StartingAfter = Cursor(r.HasStartingAfter, r.StartingAfter, "starting_after", Ids.Customer),
        EndingBefore = Cursors(r.HasStartingAfter, r.HasEndingBefore, r.EndingBefore, Ids.Customer),
        CreatedGte = Time(r.CreatedGte, "created[gte]"),
        CreatedLt = Time(r.CreatedLt, "created[lt]"),
        Email = r.HasEmail ? r.Email : null,
        MetadataKey = r.HasMetadataKey ? r.MetadataKey : null,
        MetadataValue = r.HasMetadataValue ? r.MetadataValue : null,
    };

    public static ListQuery ToCore(V1.ListCustomerPaymentMethodsRequest r) => new()
    {
        Limit = Limit(r.HasLimit, r.Limit),
        StartingAfter = Cursor(r.HasStartingAfter, r.StartingAfter, "starting_after", Ids.PaymentMethod),
        EndingBefore = Cursors(r.HasStartingAfter, r.HasEndingBefore, r.EndingBefore, Ids.PaymentMethod),
    };

    public static UpdatePaymentMethodRequest ToCore(V1.UpdatePaymentMethodRequest r) => new()
    {
        ExpMonth = r.HasExpMonth ? r.ExpMonth : null,
        ExpYear = r.HasExpYear ? r.ExpYear : null,
        HolderName = r.HasHolderName ? r.HolderName : null,
    };

    public static string? ToCore(V1.PaymentMode mode) => mode switch
    {
        V1.PaymentMode.Unspecified => null,
        V1.PaymentMode.Payment => Core.Payments.PaymentModes.Payment,
        V1.PaymentMode.Setup => Core.Payments.PaymentModes.Setup,
        _ => Unknown(mode),
    };

    public static string? ToCore(V1.SetupFutureUsage usage) => usage switch
    {
        V1.SetupFutureUsage.Unspecified => null,
        V1.SetupFutureUsage.OnSession => "on_session",
        V1.SetupFutureUsage.OffSession => "off_session",
        _ => Unknown(usage),
    };

    public static string? ToCore(V1.MitType type) => type switch
    {
        V1.MitType.Unspecified => null,
        V1.MitType.Recurring => "recurring",
        V1.MitType.Unscheduled => "unscheduled",
        V1.MitType.Instalment => "instalment",
        _ => Unknown(type),
    };

    // ---- resources ----

    public static V1.Customer ToProto(CustomerResource c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var proto = new V1.Customer { Id = c.Id, Livemode = c.Livemode, Deleted = c.Deleted, Created = Time(c.Created) };
        Copy(c.Metadata, proto.Metadata);
        if (c.Email is not null)
        {
            proto.Email = c.Email;
        }

        if (c.Name is not null)
        {
            proto.Name = c.Name;
        }

        if (c.Phone is not null)
        {
            proto.Phone = c.Phone;
        }

        if (c.Description is not null)
        {
            proto.Description = c.Description;
        }

        if (c.DefaultPaymentMethod is not null)
        {
            proto.DefaultPaymentMethod = c.DefaultPaymentMethod;
        }

        return proto;
    }

    /// <summary>The saved-card fields of a payment method: customer, usage, detached_at.</summary>
    public static void CopySavedState(PaymentMethodResource pm, V1.PaymentMethod proto)
    {
        ArgumentNullException.ThrowIfNull(pm);
        ArgumentNullException.ThrowIfNull(proto);
        if (pm.Customer is not null)
        {
            proto.Customer = pm.Customer;
        }

        proto.Usage = ToProtoUsage(pm.Usage);
        if (pm.DetachedAt is { } detachedAt)
        {
            proto.DetachedAt = Time(detachedAt);
        }
    }

    public static V1.PaymentMode ToProtoMode(string mode) => mode == Core.Payments.PaymentModes.Setup ? V1.PaymentMode.Setup : V1.PaymentMode.Payment;

    public static V1.SetupFutureUsage ToProtoUsage(string? usage) => usage switch
    {
        "on_session" => V1.SetupFutureUsage.OnSession,
        "off_session" => V1.SetupFutureUsage.OffSession,
        _ => V1.SetupFutureUsage.Unspecified,
    };

    public static V1.MitType ToProtoMitType(string? type) => type switch
    {
        "recurring" => V1.MitType.Recurring,
        "unscheduled" => V1.MitType.Unscheduled,
        "instalment" => V1.MitType.Instalment,
        _ => V1.MitType.Unspecified,
    };
}
