using PaymentGateway.Core.Api;
using PaymentGateway.Core.Payments;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.Customers;

/// <summary>
/// The saved-card parameters of <c>POST /v1/payments</c> (<c>mode</c>, <c>setup_future_usage</c>, <c>off_session</c>,
/// <c>mit_type</c>), checked together with <c>customer</c>, <c>confirm</c> and <c>capture_method</c>: each rule is a 400
/// naming the parameter. Whether the customer and the payment method really allow it is decided later, against the
/// stored objects (<see cref="SavedCards"/>).
/// </summary>
public readonly record struct SavedCardRequest(bool Setup, string? SetupFutureUsage, bool OffSession, string? MitType)
{
    public const string OnSession = "on_session";
    public const string OffSessionUsage = "off_session";

    /// <summary>The merchant-initiated types, as on the wire.</summary>
    public static IReadOnlyList<string> MitTypes { get; } = ["recurring", "unscheduled", "instalment"];

    /// <summary>Validates the saved-card parameters of a payment of <paramref name="type"/> (null: a card).</summary>
    public static SavedCardRequest From(CreatePaymentRequest request, string? type)
    {
        ArgumentNullException.ThrowIfNull(request);
        var setup = request.Mode switch
        {
            null or PaymentModes.Payment => false,
            PaymentModes.Setup => true,
            _ => throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "mode must be 'payment' or 'setup'.", "mode"),
        };
        var usage = request.SetupFutureUsage switch
        {
            null => null,
            OnSession or OffSessionUsage => request.SetupFutureUsage,
            _ => throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "setup_future_usage must be 'on_session' or 'off_session'.", "setup_future_usage"),
        };
        var offSession = request.OffSession == true;
        if (request.MitType is not null && !MitTypes.Contains(request.MitType))
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "mit_type must be 'recurring', 'unscheduled' or 'instalment'.", "mit_type");
        }

        if (!setup && usage is null && !offSession && request.OffSession is null && request.MitType is null)
        {
            return default; // a plain payment, exactly as before
        }

        if (type is not null)
        {
            var param = setup ? "mode" : usage is not null ? "setup_future_usage" : request.OffSession is not null ? "off_session" : "mit_type";
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"{param} applies to card payments only.", param);
        }

        if (request.MitType is not null && !offSession)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "mit_type applies to off_session payments only.", "mit_type");
        }

        if (setup || usage is not null || offSession)
        {
            RequireCustomer(request.Customer, setup ? "mode=setup saves the card" : usage is not null ? "setup_future_usage saves the card" : "off_session charges a card saved");
        }

        if (setup)
        {
            if (offSession)
            {
                throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "A setup payment is made with the customer present; off_session does not apply.", "off_session");
            }

            if (request.CaptureMethod is "manual")
            {
                throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "A setup payment charges nothing, so there is nothing to capture.", "capture_method");
            }

            return new SavedCardRequest(true, usage ?? OffSessionUsage, false, null);
        }

        if (offSession)
        {
            if (usage is not null)
            {
                throw GatewayException.Invalid(ErrorCodes.ParameterInvalid,
                    "An off_session payment uses a card already saved; setup_future_usage saves one on session.", "setup_future_usage");
            }

            if (request.Confirm != true)
            {
                throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "An off_session payment is confirmed at once: pass confirm=true.", "confirm");
            }
        }

        return new SavedCardRequest(false, usage, offSession, offSession ? request.MitType ?? "unscheduled" : null);
    }

    /// <summary>The money of a setup payment: a currency, and an amount that is absent or zero.</summary>
    public static Money SetupMoney(CreatePaymentRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Amount is not (null or 0))
        {
            throw GatewayException.Invalid(ErrorCodes.AmountInvalid, "A setup payment verifies the card without charging it: omit amount or pass 0.", "amount");
        }

        if (request.Currency is null)
        {
            throw GatewayException.Missing("currency");
        }

        return Currency.TryFind(request.Currency, out var currency)
            ? new Money(0, currency)
            : throw GatewayException.Invalid(ErrorCodes.CurrencyUnsupported, $"'{RequestValidation.Clip(request.Currency, 8)}' is not a supported ISO 4217 currency.", "currency");
    }

    /// <summary>Whether <paramref name="customer"/> names a gateway customer (<c>cus_…</c>) rather than free text.</summary>
    public static bool IsCustomerReference(string? customer) => customer is not null && customer.StartsWith(Ids.Customer + "_", StringComparison.Ordinal);

    private static void RequireCustomer(string? customer, string why)
    {
        if (customer is null)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterMissing, $"{why} for a customer: pass customer (a cus_ id).", "customer");
        }

        if (!IsCustomerReference(customer))
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"{why} for a customer: customer must be a cus_ id, not free text.", "customer");
        }
    }
}
