using Google.Protobuf;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using PaymentGateway.Core;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Storage;
using V1 = Payments.V1;

namespace PaymentGateway.Grpc;

/// <summary>
/// Pure translation between the payments.v1 messages and the core's request and resource records. Absent proto fields
/// become nulls, so the core validates gRPC input exactly as it validates REST input (same codes, same params).
/// </summary>
public static class ProtoMapper
{
    public const int DefaultListLimit = 10;
    public const int MaxListLimit = 100;

    // ---- requests ----

    public static CreatePaymentRequest ToCore(V1.CreatePaymentRequest r) => new()
    {
        Amount = r.HasAmount ? r.Amount : null,
        Currency = r.HasCurrency ? r.Currency : null,
        CaptureMethod = r.CaptureMethod switch
        {
            V1.CaptureMethod.Unspecified => null,
            V1.CaptureMethod.Automatic => "automatic",
            V1.CaptureMethod.Manual => "manual",
            _ => Unknown(r.CaptureMethod),
        },
        PaymentMethod = r.HasPaymentMethod ? r.PaymentMethod : null,
        Confirm = r.Confirm ? true : null,
        Customer = r.HasCustomer ? r.Customer : null,
        Description = r.HasDescription ? r.Description : null,
        Metadata = r.Metadata.Count == 0 ? null : new Dictionary<string, string>(r.Metadata),
        ReturnUrl = r.HasReturnUrl ? r.ReturnUrl : null,
        Provider = r.HasProvider ? r.Provider : null,
        Mode = CustomerProtoMapper.ToCore(r.Mode),
        SetupFutureUsage = CustomerProtoMapper.ToCore(r.SetupFutureUsage),
        OffSession = r.HasOffSession ? r.OffSession : null,
        MitType = CustomerProtoMapper.ToCore(r.MitType),
    };

    public static ConfirmPaymentRequest ToCore(V1.ConfirmPaymentRequest r) => new()
    {
        PaymentMethod = r.HasPaymentMethod ? r.PaymentMethod : null,
        ReturnUrl = r.HasReturnUrl ? r.ReturnUrl : null,
        OffSession = r.HasOffSession ? r.OffSession : null,
    };

    public static CapturePaymentRequest ToCore(V1.CapturePaymentRequest r) => new()
    {
        AmountToCapture = r.HasAmountToCapture ? r.AmountToCapture : null,
    };

    public static CancelPaymentRequest ToCore(V1.CancelPaymentRequest r) => new()
    {
        CancellationReason = r.CancellationReason switch
        {
            V1.CancellationReason.Unspecified => null,
            V1.CancellationReason.Duplicate => "duplicate",
            V1.CancellationReason.Fraudulent => "fraudulent",
            V1.CancellationReason.RequestedByCustomer => "requested_by_customer",
            V1.CancellationReason.Abandoned => "abandoned",
            _ => Unknown(r.CancellationReason),
        },
    };

    public static CreateRefundRequest ToCore(V1.CreateRefundRequest r) => new()
    {
        Payment = r.HasPayment ? r.Payment : null,
        Amount = r.HasAmount ? r.Amount : null,
        Reason = r.Reason switch
        {
            V1.RefundReason.Unspecified => null,
            V1.RefundReason.Duplicate => "duplicate",
            V1.RefundReason.Fraudulent => "fraudulent",
            V1.RefundReason.RequestedByCustomer => "requested_by_customer",
            _ => Unknown(r.Reason),
        },
        Metadata = r.Metadata.Count == 0 ? null : new Dictionary<string, string>(r.Metadata),
    };

    public static CreatePaymentMethodRequest ToCore(V1.CreatePaymentMethodRequest r) => new()
    {
        Type = r.Type switch
        {
            V1.PaymentMethodType.Unspecified => null,
            V1.PaymentMethodType.Card => "card",
            _ => Unknown(r.Type),
        },
        Card = r.Card is null ? null : new CardDetailsRequest
        {
            Number = r.Card.HasNumber ? r.Card.Number : null,
            ExpMonth = r.Card.HasExpMonth ? r.Card.ExpMonth : null,
            ExpYear = r.Card.HasExpYear ? r.Card.ExpYear : null,
            Cvc = r.Card.HasCvc ? r.Card.Cvc : null,
        },
        HolderName = r.HasHolderName ? r.HolderName : null,
    };

    public static PaymentListQuery ToCore(V1.ListPaymentsRequest r) => new()
    {
        Limit = Limit(r.HasLimit, r.Limit),
        StartingAfter = Cursor(r.HasStartingAfter, r.StartingAfter, "starting_after", Ids.Payment),
        EndingBefore = Cursors(r.HasStartingAfter, r.HasEndingBefore, r.EndingBefore, Ids.Payment),
        CreatedGte = Time(r.CreatedGte, "created[gte]"),
        CreatedLt = Time(r.CreatedLt, "created[lt]"),
        Status = r.Status switch
        {
            V1.PaymentStatus.Unspecified => null,
            _ => FromProto(r.Status) is { } wire && Core.Payments.StatusNames.TryParsePaymentStatus(wire, out var status)
                ? status
                : throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "status is not a payment status.", "status"),
        },
    };

    public static ListQuery ToCore(V1.ListRefundsRequest r) => new()
    {
        Limit = Limit(r.HasLimit, r.Limit),
        StartingAfter = Cursor(r.HasStartingAfter, r.StartingAfter, "starting_after", Ids.Refund),
        EndingBefore = Cursors(r.HasStartingAfter, r.HasEndingBefore, r.EndingBefore, Ids.Refund),
        CreatedGte = Time(r.CreatedGte, "created[gte]"),
        CreatedLt = Time(r.CreatedLt, "created[lt]"),
    };

    public static EventListQuery ToCore(V1.ListEventsRequest r) => new()
    {
        Limit = Limit(r.HasLimit, r.Limit),
        StartingAfter = Cursor(r.HasStartingAfter, r.StartingAfter, "starting_after", Ids.Event),
        EndingBefore = Cursors(r.HasStartingAfter, r.HasEndingBefore, r.EndingBefore, Ids.Event),
        CreatedGte = Time(r.CreatedGte, "created[gte]"),
        CreatedLt = Time(r.CreatedLt, "created[lt]"),
        Type = r.HasType && r.Type.Length > 0 ? r.Type : null,
        ObjectId = r.HasObjectId && r.ObjectId.Length > 0 ? r.ObjectId : null,
    };

    // ---- resources ----

    public static V1.Payment ToProto(PaymentResource p)
    {
        var proto = new V1.Payment
        {
            Id = p.Id,
            Livemode = p.Livemode,
            Status = ToProtoPaymentStatus(p.Status),
            Amount = p.Amount,
            Currency = p.Currency,
            AmountCapturable = p.AmountCapturable,
            AmountReceived = p.AmountReceived,
            AmountRefunded = p.AmountRefunded,
            AmountDisputed = p.AmountDisputed,
            Disputes = { p.Disputes },
            CaptureMethod = p.CaptureMethod switch
            {
                "automatic" => V1.CaptureMethod.Automatic,
                "manual" => V1.CaptureMethod.Manual,
                _ => V1.CaptureMethod.Unspecified,
            },
            CancellationReason = p.CancellationReason switch
            {
                "duplicate" => V1.CancellationReason.Duplicate,
                "fraudulent" => V1.CancellationReason.Fraudulent,
                "requested_by_customer" => V1.CancellationReason.RequestedByCustomer,
                "abandoned" => V1.CancellationReason.Abandoned,
                _ => V1.CancellationReason.Unspecified,
            },
            Created = Time(p.Created),
            Updated = Time(p.Updated),
            Mode = CustomerProtoMapper.ToProtoMode(p.Mode),
            SetupFutureUsage = CustomerProtoMapper.ToProtoUsage(p.SetupFutureUsage),
            OffSession = p.OffSession,
            MitType = CustomerProtoMapper.ToProtoMitType(p.MitType),
        };
        Copy(p.Metadata, proto.Metadata);
        if (p.PaymentMethod is not null)
        {
            proto.PaymentMethod = p.PaymentMethod;
        }

        if (p.Customer is not null)
        {
            proto.Customer = p.Customer;
        }

        if (p.Description is not null)
        {
            proto.Description = p.Description;
        }

        if (p.ReturnUrl is not null)
        {
            proto.ReturnUrl = p.ReturnUrl;
        }

        if (p.Provider is not null)
        {
            proto.Provider = p.Provider;
        }

        if (p.Routing is { } routing)
        {
            proto.Routing = new V1.PaymentRouting { Candidates = { routing.Candidates } };
            if (routing.RuleId is not null)
            {
                proto.Routing.RuleId = routing.RuleId;
            }

            if (routing.ProviderAccount is not null)
            {
                proto.Routing.ProviderAccount = routing.ProviderAccount;
            }

            foreach (var a in routing.Attempts)
            {
                var attempt = new V1.PaymentRoutingAttempt { Id = a.Id, Provider = a.Provider, Status = a.Status };
                if (a.ProviderAccount is not null)
                {
                    attempt.ProviderAccount = a.ProviderAccount;
                }

                proto.Routing.Attempts.Add(attempt);
            }
        }

        if (p.NextAction is { } action)
        {
            proto.NextAction = new V1.NextAction { Type = action.Type };
            if (action.RedirectToUrl is { } redirect)
            {
                proto.NextAction.RedirectToUrl = new V1.RedirectToUrl { Url = redirect.Url };
                if (redirect.ReturnUrl is not null)
                {
                    proto.NextAction.RedirectToUrl.ReturnUrl = redirect.ReturnUrl;
                }
            }
        }

        if (p.LastPaymentError is { } error)
        {
            proto.LastPaymentError = new V1.PaymentError { Code = error.Code, Message = error.Message };
            if (error.DeclineCode is not null)
            {
                proto.LastPaymentError.DeclineCode = error.DeclineCode;
            }
        }

        if (p.CanceledAt is { } canceledAt)
        {
            proto.CanceledAt = Time(canceledAt);
        }

        return proto;
    }

    public static V1.Refund ToProto(RefundResource r)
    {
        var proto = new V1.Refund
        {
            Id = r.Id,
            Livemode = r.Livemode,
            Payment = r.Payment,
            Amount = r.Amount,
            Currency = r.Currency,
            Status = r.Status switch
            {
                "pending" => V1.RefundStatus.Pending,
                "succeeded" => V1.RefundStatus.Succeeded,
                "failed" => V1.RefundStatus.Failed,
                _ => V1.RefundStatus.Unspecified,
            },
            Reason = r.Reason switch
            {
                "duplicate" => V1.RefundReason.Duplicate,
                "fraudulent" => V1.RefundReason.Fraudulent,
                "requested_by_customer" => V1.RefundReason.RequestedByCustomer,
                _ => V1.RefundReason.Unspecified,
            },
            Created = Time(r.Created),
            Updated = Time(r.Updated),
        };
        Copy(r.Metadata, proto.Metadata);
        if (r.FailureReason is not null)
        {
            proto.FailureReason = r.FailureReason;
        }

        return proto;
    }

    public static V1.PaymentMethod ToProto(PaymentMethodResource pm)
    {
        var proto = new V1.PaymentMethod
        {
            Id = pm.Id,
            Livemode = pm.Livemode,
            Type = pm.Type == "card" ? V1.PaymentMethodType.Card : V1.PaymentMethodType.Unspecified,
            Created = Time(pm.Created),
        };
        if (pm.Card is { } card)
        {
            proto.Card = new V1.Card
            {
                Brand = card.Brand,
                Last4 = card.Last4,
                ExpMonth = card.ExpMonth,
                ExpYear = card.ExpYear,
                Fingerprint = card.Fingerprint,
            };
        }

        if (pm.HolderName is not null)
        {
            proto.HolderName = pm.HolderName;
        }

        CustomerProtoMapper.CopySavedState(pm, proto);
        return proto;
    }

    public static V1.Event ToProto(EventResource e) => new()
    {
        Id = e.Id,
        Livemode = e.Livemode,
        Type = e.Type,
        Data = e.Data.ValueKind == System.Text.Json.JsonValueKind.Object ? JsonParser.Default.Parse<Struct>(e.Data.GetRawText()) : new Struct(),
        Created = Time(e.Created),
    };

    /// <summary>The REST wire name of a payment status, or null for values this server does not know.</summary>
    public static string? FromProto(V1.PaymentStatus status) => status switch
    {
        V1.PaymentStatus.RequiresPaymentMethod => "requires_payment_method",
        V1.PaymentStatus.RequiresConfirmation => "requires_confirmation",
        V1.PaymentStatus.RequiresAction => "requires_action",
        V1.PaymentStatus.Processing => "processing",
        V1.PaymentStatus.RequiresCapture => "requires_capture",
        V1.PaymentStatus.Succeeded => "succeeded",
        V1.PaymentStatus.Canceled => "canceled",
        V1.PaymentStatus.Failed => "failed",
        _ => null,
    };

    public static V1.PaymentStatus ToProtoPaymentStatus(string status) => status switch
    {
        "requires_payment_method" => V1.PaymentStatus.RequiresPaymentMethod,
        "requires_confirmation" => V1.PaymentStatus.RequiresConfirmation,
        "requires_action" => V1.PaymentStatus.RequiresAction,
        "processing" => V1.PaymentStatus.Processing,
        "requires_capture" => V1.PaymentStatus.RequiresCapture,
        "succeeded" => V1.PaymentStatus.Succeeded,
        "canceled" => V1.PaymentStatus.Canceled,
        "failed" => V1.PaymentStatus.Failed,
        _ => V1.PaymentStatus.Unspecified,
    };

    // An enum number this server does not know: passed on as a value the core rejects with the parameter's own error.
    internal static string Unknown<TEnum>(TEnum value)
        where TEnum : struct, System.Enum => "unknown_" + Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);

    internal static void Copy(IReadOnlyDictionary<string, string> source, MapField<string, string> target)
    {
        foreach (var (key, value) in source)
        {
            target[key] = value;
        }
    }

    internal static int Limit(bool has, int limit) =>
        !has ? DefaultListLimit
        : limit is >= 1 and <= MaxListLimit ? limit
        : throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"limit must be an integer from 1 to {MaxListLimit}.", "limit");

    internal static string? Cursor(bool has, string value, string name, string prefix) =>
        !has ? null
        : Ids.IsValid(value, prefix) ? value
        : throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"{name} must be a {prefix}_ id.", name);

    internal static string? Cursors(bool hasAfter, bool hasBefore, string before, string prefix)
    {
        var cursor = Cursor(hasBefore, before, "ending_before", prefix);
        return hasAfter && cursor is not null
            ? throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "Pass starting_after or ending_before, not both.", "ending_before")
            : cursor;
    }

    // Millisecond precision, as REST writes timestamps, so both transports return the same instant.
    internal static Timestamp Time(DateTimeOffset value) =>
        Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds()));

    internal static DateTimeOffset? Time(Timestamp? value, string name)
    {
        if (value is null)
        {
            return null;
        }

        try
        {
            return value.ToDateTimeOffset();
        }
        catch (InvalidOperationException)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"{name} is not a valid timestamp.", name);
        }
    }
}
