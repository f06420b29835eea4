using PaymentGateway.Core.Api;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.Payments;

/// <summary>
/// A <see cref="CreatePaymentRequest"/> that passed the API's rules: amount and currency are known, the method type
/// is one the gateway takes, and only the parameters that apply to that type are set. Built by <see cref="From"/>; the
/// payment flows take this, never the raw request.
/// </summary>
public sealed record ValidatedPaymentRequest
{
    /// <summary>Minor units, positive, at most <c>PaymentGateway:MaxAmount</c>.</summary>
    public required long Amount { get; init; }

    public required Currency Currency { get; init; }

    /// <summary>Manual only for cards; transfers and debits are always automatic.</summary>
    public required CaptureMethod CaptureMethod { get; init; }

    /// <summary>Null for a card; <see cref="PaymentMethodTypes.BankTransfer"/> or <see cref="PaymentMethodTypes.SepaDebit"/>.</summary>
    public string? PaymentMethodType { get; init; }

    public string? Customer { get; init; }

    public string? Description { get; init; }

    public required Dictionary<string, string> Metadata { get; init; }

    public string? ReturnUrl { get; init; }

    /// <summary>Cards only: the stored payment method (<c>pm_…</c>) to attach.</summary>
    public string? PaymentMethod { get; init; }

    /// <summary>Cards only: the provider the caller asked for.</summary>
    public string? Provider { get; init; }

    /// <summary>Cards only: confirm at once (needs <see cref="PaymentMethod"/>).</summary>
    public bool Confirm { get; init; }

    /// <summary>Set exactly for a <see cref="PaymentMethodTypes.SepaDebit"/> payment: the mandate it is collected under.</summary>
    public string? Mandate { get; init; }

    /// <summary>Cards only: a zero-amount verification that saves the card (<c>mode: setup</c>); <see cref="Amount"/> is 0.</summary>
    public bool Setup { get; init; }

    /// <summary>Cards only: <c>on_session</c> or <c>off_session</c> to save the card for <see cref="Customer"/> (a <c>cus_</c> id).</summary>
    public string? SetupFutureUsage { get; init; }

    /// <summary>Cards only: a merchant-initiated payment on a card saved for off-session use.</summary>
    public bool OffSession { get; init; }

    /// <summary>Set exactly when <see cref="OffSession"/>: <c>recurring</c>, <c>unscheduled</c> or <c>instalment</c>.</summary>
    public string? MitType { get; init; }

    /// <summary>
    /// Checks the request in the order the API has always reported problems (method type, money, what the type
    /// allows, then metadata, description, customer and return URL) and throws the first as a 400 problem.
    /// </summary>
    public static ValidatedPaymentRequest From(CreatePaymentRequest request, long maxAmount)
    {
        ArgumentNullException.ThrowIfNull(request);
        var type = request.PaymentMethodType;
        if (type is not null && type != PaymentMethodTypes.SepaDebit && request.Mandate is not null)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "mandate applies only to a sepa_debit payment.", "mandate");
        }

        if (type is not (null or PaymentMethodTypes.BankTransfer or PaymentMethodTypes.SepaDebit))
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid,
                $"payment_method_type '{RequestValidation.Clip(type, 32)}' is not supported; use 'bank_transfer' or 'sepa_debit' (or omit it for cards).", "payment_method_type");
        }

        var saving = Customers.SavedCardRequest.From(request, type);
        var money = saving.Setup ? Customers.SavedCardRequest.SetupMoney(request) : RequestValidation.Money(request.Amount, request.Currency, "amount", maxAmount);
        var captureMethod = type is null ? CardCaptureMethod(request.CaptureMethod) : CaptureMethod.Automatic;
        var mandate = type is null ? null : RequireSepa(request, type, money.Currency);
        RequestValidation.Metadata(request.Metadata);
        RequestValidation.Text(request.Description, "description", 1000);
        RequestValidation.Text(request.Customer, "customer", 255);
        RequestValidation.Url(request.ReturnUrl, "return_url");
        return new ValidatedPaymentRequest
        {
            Amount = money.MinorUnits,
            Currency = money.Currency,
            CaptureMethod = captureMethod,
            PaymentMethodType = type,
            Customer = request.Customer,
            Description = request.Description,
            Metadata = request.Metadata ?? [],
            ReturnUrl = request.ReturnUrl,
            PaymentMethod = type is null ? request.PaymentMethod : null,
            Provider = type is null ? request.Provider : null,
            Confirm = type is null && request.Confirm == true,
            Mandate = mandate,
            Setup = saving.Setup,
            SetupFutureUsage = saving.SetupFutureUsage,
            OffSession = saving.OffSession,
            MitType = saving.MitType,
        };
    }

    private static CaptureMethod CardCaptureMethod(string? value) => value switch
    {
        null or "automatic" => CaptureMethod.Automatic,
        "manual" => CaptureMethod.Manual,
        _ => throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "capture_method must be 'automatic' or 'manual'.", "capture_method"),
    };

    /// <summary>A SEPA payment (transfer or debit): EUR only, no card parameters; a debit names its mandate, returned here.</summary>
    private static string? RequireSepa(CreatePaymentRequest request, string type, Currency currency)
    {
        var transfer = type == PaymentMethodTypes.BankTransfer;
        if (currency.Code != "EUR")
        {
            throw GatewayException.Invalid(ErrorCodes.CurrencyUnsupported,
                transfer ? "Bank transfers are SEPA credit transfers, in EUR only." : "SEPA Direct Debits are in EUR only.", "currency");
        }

        if (request.PaymentMethod is not null || request.Confirm is not null || request.CaptureMethod is "manual" || request.Provider is not null)
        {
            var param = request.PaymentMethod is not null ? "payment_method" : request.Confirm is not null ? "confirm" : request.Provider is not null ? "provider" : "capture_method";
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, transfer
                ? $"{param} does not apply to a bank_transfer payment: the customer pays by transfer."
                : $"{param} does not apply to a sepa_debit payment: the mandate names the account.", param);
        }

        return transfer ? null : request.Mandate ?? throw GatewayException.Missing("mandate");
    }
}
