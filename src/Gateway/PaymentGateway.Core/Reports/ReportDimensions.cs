namespace PaymentGateway.Core.Reports;

/// <summary>
/// What a rollup row is grouped by, besides merchant, mode and time bucket. Absent values are empty strings in storage
/// (they are part of the key) and null in the API.
/// </summary>
public sealed record ReportDimensions
{
    public required string Currency { get; init; }
    public required string Provider { get; init; }
    public string ProviderAccount { get; init; } = string.Empty;
    public required string PaymentMethodType { get; init; }
    public string CardBrand { get; init; } = string.Empty;
    public string Country { get; init; } = string.Empty;

    /// <summary>The dimensions as one string (stored with a payment's report state so a later refund is counted in the same group).</summary>
    public string Encode() => string.Join('|', Currency, Provider, ProviderAccount, PaymentMethodType, CardBrand, Country);

    public static ReportDimensions? Decode(string? text)
    {
        if (text is null || text.Split('|') is not { Length: 6 } parts)
        {
            return null;
        }

        return new ReportDimensions
        {
            Currency = parts[0],
            Provider = parts[1],
            ProviderAccount = parts[2],
            PaymentMethodType = parts[3],
            CardBrand = parts[4],
            Country = parts[5],
        };
    }
}

/// <summary>The dimensions a report can be grouped or filtered by, with their wire names.</summary>
public enum ReportDimension
{
    Currency,
    Provider,
    ProviderAccount,
    PaymentMethodType,
    CardBrand,
    Country,

    /// <summary>
    /// The merchant: a rollup row's key, not one of its <see cref="ReportDimensions"/>; only the report across merchants
    /// (admin key, the console's "All my merchants") groups by it.
    /// </summary>
    Merchant,
}

public static class ReportDimensionNames
{
    /// <summary>The dimensions of a merchant's report (grouped by and filtered on, one value each).</summary>
    public static IReadOnlyList<(ReportDimension Dimension, string Name, string Column)> All { get; } =
    [
        (ReportDimension.Currency, "currency", "currency"),
        (ReportDimension.Provider, "provider", "provider"),
        (ReportDimension.ProviderAccount, "provider_account", "provider_account"),
        (ReportDimension.PaymentMethodType, "payment_method_type", "payment_method_type"),
        (ReportDimension.CardBrand, "card_brand", "card_brand"),
        (ReportDimension.Country, "country", "country"),
    ];

    /// <summary>The dimensions of the report across merchants: <c>merchant</c> first, then <see cref="All"/>.</summary>
    public static IReadOnlyList<(ReportDimension Dimension, string Name, string Column)> AcrossMerchants { get; } =
        [(ReportDimension.Merchant, "merchant", "merchant_id"), .. All];

    public static string NameOf(ReportDimension d) => AcrossMerchants.First(x => x.Dimension == d).Name;

    public static string ColumnOf(ReportDimension d) => AcrossMerchants.First(x => x.Dimension == d).Column;

    /// <summary>The dimension named <paramref name="name"/> among <paramref name="dimensions"/> (<see cref="All"/> by default), or null.</summary>
    public static ReportDimension? Parse(string name, IReadOnlyList<(ReportDimension Dimension, string Name, string Column)>? dimensions = null) =>
        (dimensions ?? All).FirstOrDefault(x => x.Name == name) is { Name: not null } found ? found.Dimension : null;

    public static string ValueOf(ReportDimensions dims, ReportDimension d) => d switch
    {
        ReportDimension.Currency => dims.Currency,
        ReportDimension.Provider => dims.Provider,
        ReportDimension.ProviderAccount => dims.ProviderAccount,
        ReportDimension.PaymentMethodType => dims.PaymentMethodType,
        ReportDimension.CardBrand => dims.CardBrand,
        ReportDimension.Country => dims.Country,
        _ => throw new ArgumentOutOfRangeException(nameof(d), d, "The merchant is a rollup row's key, not one of its dimensions."),
    };
}
