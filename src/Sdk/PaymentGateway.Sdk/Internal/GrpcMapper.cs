using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using V1 = Payments.V1;

namespace PaymentGateway.Sdk.Internal;

/// <summary>Pure translation between the SDK's models and the payments.v1 messages; the wire strings are REST's.</summary>
internal static class GrpcMapper
{
    // A value the server's enum does not have: the server answers parameter_invalid for it, as REST does for an unknown string.
    private const int UnknownEnumNumber = 999;

    // ---- requests ----

    public static V1.CreatePaymentRequest ToProto(CreatePaymentRequest r)
    {
        if (r.PaymentMethodType is not null)
        {
            throw new NotSupportedException("Bank-transfer payments (payment_method_type) need the REST transport: payments.v1 has no such field.");
        }

        var proto = new V1.CreatePaymentRequest
        {
            Amount = r.Amount,
            Currency = r.Currency,
            Confirm = r.Confirm ?? false,
            CaptureMethod = r.CaptureMethod?.Value switch
            {
                null => V1.CaptureMethod.Unspecified,
                "automatic" => V1.CaptureMethod.Automatic,
                "manual" => V1.CaptureMethod.Manual,
                _ => (V1.CaptureMethod)UnknownEnumNumber,
            },
        };
        SetIfNotNull(r.PaymentMethod, v => proto.PaymentMethod = v);
        SetIfNotNull(r.Customer, v => proto.Customer = v);
        SetIfNotNull(r.Description, v => proto.Description = v);
        SetIfNotNull(r.ReturnUrl, v => proto.ReturnUrl = v);
        SetIfNotNull(r.Provider, v => proto.Provider = v);
        foreach (var (key, value) in r.Metadata ?? new Dictionary<string, string>())
        {
            proto.Metadata[key] = value;
        }

        proto.Mode = r.Mode?.Value switch
        {
            null => V1.PaymentMode.Unspecified,
            "payment" => V1.PaymentMode.Payment,
            "setup" => V1.PaymentMode.Setup,
            _ => (V1.PaymentMode)UnknownEnumNumber,
        };
        proto.SetupFutureUsage = ToProto(r.SetupFutureUsage);
        proto.MitType = r.MitType?.Value switch
        {
            null => V1.MitType.Unspecified,
            "recurring" => V1.MitType.Recurring,
            "unscheduled" => V1.MitType.Unscheduled,
            "instalment" => V1.MitType.Instalment,
            _ => (V1.MitType)UnknownEnumNumber,
        };
        if (r.OffSession is { } offSession)
        {
            proto.OffSession = offSession;
        }

        return proto;
    }

    public static V1.ConfirmPaymentRequest ToProto(string id, ConfirmPaymentRequest r)
    {
        var proto = new V1.ConfirmPaymentRequest { Id = id };
        SetIfNotNull(r.PaymentMethod, v => proto.PaymentMethod = v);
        SetIfNotNull(r.ReturnUrl, v => proto.ReturnUrl = v);
        if (r.OffSession is { } offSession)
        {
            proto.OffSession = offSession;
        }

        return proto;
    }

    public static V1.CapturePaymentRequest ToProto(string id, CapturePaymentRequest r)
    {
        var proto = new V1.CapturePaymentRequest { Id = id };
        if (r.AmountToCapture is { } amount)
        {
            proto.AmountToCapture = amount;
        }

        return proto;
    }

    public static V1.CancelPaymentRequest ToProto(string id, CancelPaymentRequest r) => new()
    {
        Id = id,
        CancellationReason = r.CancellationReason switch
        {
            null => V1.CancellationReason.Unspecified,
            "duplicate" => V1.CancellationReason.Duplicate,
            "fraudulent" => V1.CancellationReason.Fraudulent,
            "requested_by_customer" => V1.CancellationReason.RequestedByCustomer,
            "abandoned" => V1.CancellationReason.Abandoned,
            _ => (V1.CancellationReason)UnknownEnumNumber,
        },
    };

    public static V1.ListPaymentsRequest ToProto(ListPaymentsRequest r)
    {
        var proto = new V1.ListPaymentsRequest
        {
            Status = r.Status?.Value switch
            {
                null => V1.PaymentStatus.Unspecified,
                { } wire => ToProtoPaymentStatus(wire),
            },
        };
        SetIfNotNull(r.Limit, v => proto.Limit = v);
        SetIfNotNull(r.StartingAfter, v => proto.StartingAfter = v);
        SetIfNotNull(r.EndingBefore, v => proto.EndingBefore = v);
        if (r.CreatedGte is { } gte)
        {
            proto.CreatedGte = Timestamp.FromDateTimeOffset(gte);
        }

        if (r.CreatedLt is { } lt)
        {
            proto.CreatedLt = Timestamp.FromDateTimeOffset(lt);
        }

        return proto;
    }

    public static V1.CreateRefundRequest ToProto(CreateRefundRequest r)
    {
        var proto = new V1.CreateRefundRequest
        {
            Payment = r.Payment,
            Reason = r.Reason switch
            {
                null => V1.RefundReason.Unspecified,
                "duplicate" => V1.RefundReason.Duplicate,
                "fraudulent" => V1.RefundReason.Fraudulent,
                "requested_by_customer" => V1.RefundReason.RequestedByCustomer,
                _ => (V1.RefundReason)UnknownEnumNumber,
            },
        };
        if (r.Amount is { } amount)
        {
            proto.Amount = amount;
        }

        foreach (var (key, value) in r.Metadata ?? new Dictionary<string, string>())
        {
            proto.Metadata[key] = value;
        }

        return proto;
    }

    public static V1.ListRefundsRequest ToProto(ListRefundsRequest r)
    {
        var proto = new V1.ListRefundsRequest();
        SetIfNotNull(r.Payment, v => proto.Payment = v);
        SetIfNotNull(r.Limit, v => proto.Limit = v);
        SetIfNotNull(r.StartingAfter, v => proto.StartingAfter = v);
        SetIfNotNull(r.EndingBefore, v => proto.EndingBefore = v);
        return proto;
    }

    public static V1.CreatePaymentMethodRequest ToProto(CreatePaymentMethodRequest r)
    {
        if (r.SepaDebit is not null)
        {
            throw new NotSupportedException("sepa_debit payment methods need the REST transport: payments.v1 has no such field.");
        }

        var proto = new V1.CreatePaymentMethodRequest
        {
            Type = r.Type switch
            {
                "card" => V1.PaymentMethodType.Card,
                _ => (V1.PaymentMethodType)UnknownEnumNumber,
            },
        };
        if (r.Card is { } card)
        {
            proto.Card = new V1.CardDetails { Number = card.Number, ExpMonth = card.ExpMonth, ExpYear = card.ExpYear };
            SetIfNotNull(card.Cvc, v => proto.Card.Cvc = v);
        }

        SetIfNotNull(r.HolderName, v => proto.HolderName = v);
        return proto;
    }

    public static V1.ListEventsRequest ToProto(ListEventsRequest r)
    {
        var proto = new V1.ListEventsRequest();
        SetIfNotNull(r.Limit, v => proto.Limit = v);
        SetIfNotNull(r.StartingAfter, v => proto.StartingAfter = v);
        SetIfNotNull(r.EndingBefore, v => proto.EndingBefore = v);
        return proto;
    }

    // ---- responses ----

    public static Payment FromProto(V1.Payment p) => new()
    {
        Id = p.Id,
        Livemode = p.Livemode,
        Status = new PaymentStatus(FromProtoPaymentStatus(p.Status)),
        Amount = p.Amount,
        Currency = p.Currency,
        AmountCapturable = p.AmountCapturable,
        AmountReceived = p.AmountReceived,
        AmountRefunded = p.AmountRefunded,
        AmountDisputed = p.AmountDisputed,
        Disputes = [.. p.Disputes],
        CaptureMethod = new CaptureMethod(p.CaptureMethod switch
        {
            V1.CaptureMethod.Automatic => "automatic",
            V1.CaptureMethod.Manual => "manual",
            _ => Unrecognized(p.CaptureMethod),
        }),
        PaymentMethod = p.HasPaymentMethod ? p.PaymentMethod : null,
        Customer = p.HasCustomer ? p.Customer : null,
        Description = p.HasDescription ? p.Description : null,
        Metadata = new Dictionary<string, string>(p.Metadata),
        ReturnUrl = p.HasReturnUrl ? p.ReturnUrl : null,
        Provider = p.HasProvider ? p.Provider : null,
        Routing = p.Routing is null ? null : new PaymentRouting
        {
            RuleId = p.Routing.HasRuleId ? p.Routing.RuleId : null,
            ProviderAccount = p.Routing.HasProviderAccount ? p.Routing.ProviderAccount : null,
            Candidates = [.. p.Routing.Candidates],
            Attempts = [.. p.Routing.Attempts.Select(a => new PaymentRoutingAttempt
            {
                Id = a.Id,
                Provider = a.Provider,
                ProviderAccount = a.HasProviderAccount ? a.ProviderAccount : null,
                Status = a.Status,
            })],
        },
        NextAction = p.NextAction is null ? null : new NextAction
        {
            Type = p.NextAction.Type,
            RedirectToUrl = p.NextAction.RedirectToUrl is null ? null : new RedirectToUrl
            {
                Url = p.NextAction.RedirectToUrl.Url,
                ReturnUrl = p.NextAction.RedirectToUrl.HasReturnUrl ? p.NextAction.RedirectToUrl.ReturnUrl : null,
            },
        },
        LastPaymentError = p.LastPaymentError is null ? null : new PaymentError
        {
            Code = new ErrorCode(p.LastPaymentError.Code),
            DeclineCode = p.LastPaymentError.HasDeclineCode ? p.LastPaymentError.DeclineCode : null,
            Message = p.LastPaymentError.Message,
        },
        CanceledAt = p.CanceledAt?.ToDateTimeOffset(),
        CancellationReason = p.CancellationReason switch
        {
            V1.CancellationReason.Unspecified => null,
            V1.CancellationReason.Duplicate => "duplicate",
            V1.CancellationReason.Fraudulent => "fraudulent",
            V1.CancellationReason.RequestedByCustomer => "requested_by_customer",
            V1.CancellationReason.Abandoned => "abandoned",
            _ => Unrecognized(p.CancellationReason),
        },
        Created = Time(p.Created),
        Updated = Time(p.Updated),
        Mode = new PaymentMode(p.Mode switch
        {
            V1.PaymentMode.Unspecified or V1.PaymentMode.Payment => "payment",
            V1.PaymentMode.Setup => "setup",
            _ => Unrecognized(p.Mode),
        }),
        SetupFutureUsage = FromProto(p.SetupFutureUsage),
        OffSession = p.OffSession,
        MitType = p.MitType switch
        {
            V1.MitType.Unspecified => (MitType?)null,
            V1.MitType.Recurring => MitType.Recurring,
            V1.MitType.Unscheduled => MitType.Unscheduled,
            V1.MitType.Instalment => MitType.Instalment,
            _ => new MitType(Unrecognized(p.MitType)),
        },
    };

    public static Refund FromProto(V1.Refund r) => new()
    {
        Id = r.Id,
        Livemode = r.Livemode,
        Payment = r.Payment,
        Amount = r.Amount,
        Currency = r.Currency,
        Status = new RefundStatus(r.Status switch
        {
            V1.RefundStatus.Pending => "pending",
            V1.RefundStatus.Succeeded => "succeeded",
            V1.RefundStatus.Failed => "failed",
            _ => Unrecognized(r.Status),
        }),
        Reason = r.Reason switch
        {
            V1.RefundReason.Unspecified => null,
            V1.RefundReason.Duplicate => "duplicate",
            V1.RefundReason.Fraudulent => "fraudulent",
            V1.RefundReason.RequestedByCustomer => "requested_by_customer",
            _ => Unrecognized(r.Reason),
        },
        FailureReason = r.HasFailureReason ? r.FailureReason : null,
        Metadata = new Dictionary<string, string>(r.Metadata),
        Created = Time(r.Created),
        Updated = Time(r.Updated),
    };

    public static PaymentMethod FromProto(V1.PaymentMethod pm) => new()
    {
        Id = pm.Id,
        Livemode = pm.Livemode,
        Type = pm.Type == V1.PaymentMethodType.Card ? "card" : Unrecognized(pm.Type),
        Card = pm.Card is null ? null : new Card
        {
            Brand = pm.Card.Brand,
            Last4 = pm.Card.Last4,
            ExpMonth = pm.Card.ExpMonth,
            ExpYear = pm.Card.ExpYear,
            Fingerprint = pm.Card.Fingerprint,
        },
        HolderName = pm.HasHolderName ? pm.HolderName : null,
        Customer = pm.HasCustomer ? pm.Customer : null,
        Usage = FromProto(pm.Usage),
        DetachedAt = pm.DetachedAt?.ToDateTimeOffset(),
        Created = Time(pm.Created),
    };

    public static Customer FromProto(V1.Customer c) => new()
    {
        Id = c.Id,
        Livemode = c.Livemode,
        Email = c.HasEmail ? c.Email : null,
        Name = c.HasName ? c.Name : null,
        Phone = c.HasPhone ? c.Phone : null,
        Description = c.HasDescription ? c.Description : null,
        Metadata = new Dictionary<string, string>(c.Metadata),
        DefaultPaymentMethod = c.HasDefaultPaymentMethod ? c.DefaultPaymentMethod : null,
        Deleted = c.Deleted,
        Created = Time(c.Created),
    };

    public static V1.CreateCustomerRequest ToProto(CreateCustomerRequest r)
    {
        var proto = new V1.CreateCustomerRequest();
        SetIfNotNull(r.Email, v => proto.Email = v);
        SetIfNotNull(r.Name, v => proto.Name = v);
        SetIfNotNull(r.Phone, v => proto.Phone = v);
        SetIfNotNull(r.Description, v => proto.Description = v);
        foreach (var (key, value) in r.Metadata ?? new Dictionary<string, string>())
        {
            proto.Metadata[key] = value;
        }

        return proto;
    }

    public static V1.UpdateCustomerRequest ToProto(string id, UpdateCustomerRequest r)
    {
        var proto = new V1.UpdateCustomerRequest { Id = id };
        SetIfNotNull(r.Email, v => proto.Email = v);
        SetIfNotNull(r.Name, v => proto.Name = v);
        SetIfNotNull(r.Phone, v => proto.Phone = v);
        SetIfNotNull(r.Description, v => proto.Description = v);
        SetIfNotNull(r.DefaultPaymentMethod, v => proto.DefaultPaymentMethod = v);
        if (r.Metadata is { } metadata)
        {
            proto.Metadata = new V1.MetadataUpdate();
            foreach (var (key, value) in metadata)
            {
                proto.Metadata.Values[key] = value;
            }
        }

        return proto;
    }

    public static V1.ListCustomersRequest ToProto(ListCustomersRequest r)
    {
        var proto = new V1.ListCustomersRequest();
        SetIfNotNull(r.Limit, v => proto.Limit = v);
        SetIfNotNull(r.StartingAfter, v => proto.StartingAfter = v);
        SetIfNotNull(r.EndingBefore, v => proto.EndingBefore = v);
        SetIfNotNull(r.Email, v => proto.Email = v);
        SetIfNotNull(r.MetadataKey, v => proto.MetadataKey = v);
        SetIfNotNull(r.MetadataKey is null ? null : r.MetadataValue ?? string.Empty, v => proto.MetadataValue = v);
        return proto;
    }

    public static V1.ListCustomerPaymentMethodsRequest ToProto(string customerId, ListCustomerPaymentMethodsRequest r)
    {
        var proto = new V1.ListCustomerPaymentMethodsRequest { Customer = customerId };
        SetIfNotNull(r.Limit, v => proto.Limit = v);
        SetIfNotNull(r.StartingAfter, v => proto.StartingAfter = v);
        SetIfNotNull(r.EndingBefore, v => proto.EndingBefore = v);
        return proto;
    }

    public static V1.UpdatePaymentMethodRequest ToProto(string id, UpdatePaymentMethodRequest r)
    {
        var proto = new V1.UpdatePaymentMethodRequest { Id = id };
        SetIfNotNull(r.ExpMonth, v => proto.ExpMonth = v);
        SetIfNotNull(r.ExpYear, v => proto.ExpYear = v);
        SetIfNotNull(r.HolderName, v => proto.HolderName = v);
        return proto;
    }

    private static V1.SetupFutureUsage ToProto(SetupFutureUsage? usage) => usage?.Value switch
    {
        null => V1.SetupFutureUsage.Unspecified,
        "on_session" => V1.SetupFutureUsage.OnSession,
        "off_session" => V1.SetupFutureUsage.OffSession,
        _ => (V1.SetupFutureUsage)UnknownEnumNumber,
    };

    private static SetupFutureUsage? FromProto(V1.SetupFutureUsage usage) => usage switch
    {
        V1.SetupFutureUsage.Unspecified => (SetupFutureUsage?)null,
        V1.SetupFutureUsage.OnSession => SetupFutureUsage.OnSession,
        V1.SetupFutureUsage.OffSession => SetupFutureUsage.OffSession,
        _ => new SetupFutureUsage(Unrecognized(usage)),
    };

    public static Event FromProto(V1.Event e)
    {
        using var data = JsonDocument.Parse(e.Data is null ? "{}" : JsonFormatter.Default.Format(e.Data));
        return new Event
        {
            Id = e.Id,
            Livemode = e.Livemode,
            Type = new EventType(e.Type),
            Data = data.RootElement.Clone(),
            Created = Time(e.Created),
        };
    }

    public static Page<T> ToPage<T>(IEnumerable<T> data, bool hasMore) => new() { Data = data.ToList(), HasMore = hasMore };

    private static string FromProtoPaymentStatus(V1.PaymentStatus status) => status switch
    {
        V1.PaymentStatus.RequiresPaymentMethod => "requires_payment_method",
        V1.PaymentStatus.RequiresConfirmation => "requires_confirmation",
        V1.PaymentStatus.RequiresAction => "requires_action",
        V1.PaymentStatus.Processing => "processing",
        V1.PaymentStatus.RequiresCapture => "requires_capture",
        V1.PaymentStatus.Succeeded => "succeeded",
        V1.PaymentStatus.Canceled => "canceled",
        V1.PaymentStatus.Failed => "failed",
        _ => Unrecognized(status),
    };

    private static V1.PaymentStatus ToProtoPaymentStatus(string wire)
    {
        foreach (var candidate in System.Enum.GetValues<V1.PaymentStatus>())
        {
            if (candidate != V1.PaymentStatus.Unspecified && FromProtoPaymentStatus(candidate) == wire)
            {
                return candidate;
            }
        }

        return (V1.PaymentStatus)UnknownEnumNumber;
    }

    // A value of a newer server that this SDK does not know: kept visible rather than mistaken for a known one.
    private static string Unrecognized<TEnum>(TEnum value)
        where TEnum : struct, System.Enum => "unrecognized_" + Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(Timestamp? value) => value?.ToDateTimeOffset() ?? default;

    private static void SetIfNotNull<T>(T? value, Action<T> set)
        where T : class
    {
        if (value is not null)
        {
            set(value);
        }
    }

    private static void SetIfNotNull(int? value, Action<int> set)
    {
        if (value is { } v)
        {
            set(v);
        }
    }
}
