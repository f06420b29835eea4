namespace PaymentGateway.Core.Payments;

/// <summary>The payment method types the gateway knows, as the API names them.</summary>
public static class PaymentMethodTypes
{
    /// <summary>A card (a payment without <c>payment_method_type</c>, or a stored method of type card).</summary>
    public const string Card = "card";

    /// <summary>A SEPA credit transfer the customer sends (docs/bank-transfers.md).</summary>
    public const string BankTransfer = "bank_transfer";

    /// <summary>A SEPA Direct Debit collected under a mandate (docs/bank-transfers.md).</summary>
    public const string SepaDebit = "sepa_debit";
}
