using System.Text;

namespace PaymentGateway.Sdk;

/// <summary>The body of <c>POST /v1/payment_methods</c>; sent with a publishable key (<c>pk_…</c>).</summary>
public sealed record CreatePaymentMethodRequest
{
    /// <summary>The type of payment method; <c>card</c>.</summary>
    public string Type { get; init; } = "card";

    /// <summary>The card details when <see cref="Type"/> is <c>card</c>.</summary>
    public CardDetailsRequest? Card { get; init; }

    /// <summary>The account, when <see cref="Type"/> is <c>sepa_debit</c> (REST only).</summary>
    public SepaDebitDetailsRequest? SepaDebit { get; init; }

    /// <summary>The holder's name.</summary>
    public string? HolderName { get; init; }
}

/// <summary>Raw card details. <see cref="object.ToString"/> masks the number and the CVC.</summary>
public sealed record CardDetailsRequest
{
    /// <summary>The card number (PAN), digits only.</summary>
    public required string Number { get; init; }

    /// <summary>Expiry month, 1–12.</summary>
    public required int ExpMonth { get; init; }

    /// <summary>Expiry year, four digits.</summary>
    public required int ExpYear { get; init; }

    /// <summary>The card verification code.</summary>
    public string? Cvc { get; init; }

    private bool PrintMembers(StringBuilder builder)
    {
        var last4 = Number.Length >= 4 ? Number[^4..] : string.Empty;
        builder.Append("Number = ****").Append(last4)
            .Append(", ExpMonth = ").Append(ExpMonth)
            .Append(", ExpYear = ").Append(ExpYear)
            .Append(", Cvc = ").Append(Cvc is null ? "null" : "***");
        return true;
    }
}

/// <summary>A SEPA account to store as a <c>sepa_debit</c> payment method.</summary>
public sealed record SepaDebitDetailsRequest
{
    /// <summary>The IBAN; spaces allowed.</summary>
    public required string Iban { get; init; }

    /// <summary>The BIC, optional.</summary>
    public string? Bic { get; init; }
}
