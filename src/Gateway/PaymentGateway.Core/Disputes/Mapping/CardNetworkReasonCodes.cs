using System.Collections.Frozen;

namespace PaymentGateway.Core.Disputes.Mapping;

/// <summary>
/// Card-scheme chargeback reason codes (Visa, Mastercard, American Express, Discover) to the gateway's reasons, for
/// providers that pass the scheme's code (Adyen, Checkout.com's fallback, Mollie's card chargebacks). A code the table
/// does not know is <see cref="DisputeReason.General"/>.
/// </summary>
public static class CardNetworkReasonCodes
{
    private static readonly FrozenDictionary<string, DisputeReason> Visa = new Dictionary<string, DisputeReason>
    {
        ["10.1"] = DisputeReason.Fraudulent,
        ["10.2"] = DisputeReason.Fraudulent,
        ["10.3"] = DisputeReason.Fraudulent,
        ["10.4"] = DisputeReason.Fraudulent,
        ["10.5"] = DisputeReason.Fraudulent,
        ["12.6.1"] = DisputeReason.Duplicate,
        ["12.6.2"] = DisputeReason.Duplicate,
        ["12.6"] = DisputeReason.Duplicate,
        ["13.1"] = DisputeReason.ProductNotReceived,
        ["13.9"] = DisputeReason.ProductNotReceived,
        ["13.2"] = DisputeReason.SubscriptionCanceled,
        ["13.3"] = DisputeReason.ProductUnacceptable,
        ["13.4"] = DisputeReason.ProductUnacceptable,
        ["13.5"] = DisputeReason.ProductUnacceptable,
        ["13.6"] = DisputeReason.CreditNotProcessed,
        ["13.7"] = DisputeReason.CreditNotProcessed,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, DisputeReason> Mastercard = new Dictionary<string, DisputeReason>
    {
        ["4837"] = DisputeReason.Fraudulent,
        ["4840"] = DisputeReason.Fraudulent,
        ["4849"] = DisputeReason.Fraudulent,
        ["4870"] = DisputeReason.Fraudulent,
        ["4871"] = DisputeReason.Fraudulent,
        ["4863"] = DisputeReason.Unrecognized,
        ["4834"] = DisputeReason.Duplicate,
        ["4841"] = DisputeReason.SubscriptionCanceled,
        ["4853"] = DisputeReason.ProductUnacceptable,
        ["4855"] = DisputeReason.ProductNotReceived,
        ["4860"] = DisputeReason.CreditNotProcessed,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, DisputeReason> Amex = new Dictionary<string, DisputeReason>
    {
        ["F10"] = DisputeReason.Fraudulent,
        ["F14"] = DisputeReason.Fraudulent,
        ["F24"] = DisputeReason.Fraudulent,
        ["F29"] = DisputeReason.Fraudulent,
        ["FR2"] = DisputeReason.Fraudulent,
        ["FR4"] = DisputeReason.Fraudulent,
        ["FR6"] = DisputeReason.Fraudulent,
        ["C02"] = DisputeReason.CreditNotProcessed,
        ["C04"] = DisputeReason.CreditNotProcessed,
        ["C05"] = DisputeReason.CreditNotProcessed,
        ["C18"] = DisputeReason.CreditNotProcessed,
        ["C08"] = DisputeReason.ProductNotReceived,
        ["C14"] = DisputeReason.Duplicate,
        ["P08"] = DisputeReason.Duplicate,
        ["C28"] = DisputeReason.SubscriptionCanceled,
        ["C31"] = DisputeReason.ProductUnacceptable,
        ["C32"] = DisputeReason.ProductUnacceptable,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, DisputeReason> Discover = new Dictionary<string, DisputeReason>
    {
        ["UA01"] = DisputeReason.Fraudulent,
        ["UA02"] = DisputeReason.Fraudulent,
        ["UA05"] = DisputeReason.Fraudulent,
        ["UA06"] = DisputeReason.Fraudulent,
        ["AP"] = DisputeReason.SubscriptionCanceled,
        ["DP"] = DisputeReason.Duplicate,
        ["RG"] = DisputeReason.ProductNotReceived,
        ["RM"] = DisputeReason.ProductUnacceptable,
        ["CR"] = DisputeReason.CreditNotProcessed,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The reason for <paramref name="code"/> of <paramref name="scheme"/>; without a scheme, the code's shape decides (Visa's are dotted, Mastercard's four digits).</summary>
    public static DisputeReason Reason(string? scheme, string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return DisputeReason.General;
        }

        code = code.Trim().ToUpperInvariant();
        var table = (scheme ?? string.Empty).Trim().ToLowerInvariant() switch
        {
            "visa" => Visa,
            "mc" or "mastercard" => Mastercard,
            "amex" or "american_express" or "americanexpress" => Amex,
            "discover" => Discover,
            _ => code.Contains('.', StringComparison.Ordinal) ? Visa : code.Length == 4 && code.All(char.IsAsciiDigit) ? Mastercard : null,
        };
        return table is not null && table.TryGetValue(code, out var reason) ? reason : DisputeReason.General;
    }
}
