using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace PaymentGateway.Providers;

/// <summary>
/// Optional capability of a provider adapter: reading the provider's settlement data (what was paid out, per payment,
/// with its fees) into <see cref="ProviderSettlementLine"/>s. Each adapter owns its parser in its own file and registers
/// it with its own DI extension; the gateway matches the lines to payments and refunds.
/// </summary>
public interface ISettlementSource
{
    /// <summary>The provider id (<c>adyen</c>, <c>stripe</c>, …).</summary>
    string ProviderId { get; }

    /// <summary>
    /// Parses a settlement file or document exported from the provider. A malformed file throws
    /// <see cref="SettlementFormatException"/> before anything is returned (the import then changes nothing).
    /// </summary>
    Task<ProviderSettlementReport> ParseAsync(Stream content, SettlementParseOptions options, CancellationToken cancellationToken);
}

/// <summary>A settlement source that can also fetch the data from the provider's API (Stripe's balance transactions).</summary>
public interface ISettlementApiSource : ISettlementSource
{
    /// <summary>The lines of one payout (or, without <paramref name="payoutId"/>, of the payouts since <paramref name="since"/>).</summary>
    Task<ProviderSettlementReport> FetchAsync(ProviderAccount account, string? payoutId, DateTimeOffset? since, CancellationToken cancellationToken);
}

/// <summary>What the caller knows that a file may not say.</summary>
public sealed record SettlementParseOptions
{
    /// <summary>The payout the file belongs to, when the file does not name it (Checkout.com's per-payout report, Mollie's settlement).</summary>
    public string? PayoutId { get; init; }

    /// <summary>The payout date, when the file does not carry it.</summary>
    public DateOnly? PayoutDate { get; init; }
}

/// <summary>The lines of one settlement file or API answer.</summary>
public sealed record ProviderSettlementReport
{
    /// <summary>Every line, in file order.</summary>
    public required IReadOnlyList<ProviderSettlementLine> Lines { get; init; }
}

/// <summary>The kinds of settlement line.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<SettlementLineType>))]
public enum SettlementLineType
{
    /// <summary>A captured payment paid out (gross = the payment's amount).</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("payment")]
    Payment,

    /// <summary>A refund deducted (gross negative).</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("refund")]
    Refund,

    /// <summary>A chargeback deducted, or its reversal.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("chargeback")]
    Chargeback,

    /// <summary>A fee not tied to one payment (monthly transaction fees, payout fees).</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("fee")]
    Fee,

    /// <summary>A correction or other adjustment.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("adjustment")]
    Adjustment,

    /// <summary>The payout itself (the money sent to the bank).</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("payout")]
    Payout,
}

/// <summary>
/// One settled line in minor units of <see cref="Currency"/>: gross (signed: credits positive), fees (positive, what
/// the provider kept) and net = gross − fee. <see cref="LineKey"/> is unique for the provider account, so importing the
/// same file again adds nothing.
/// </summary>
public sealed record ProviderSettlementLine
{
    /// <summary>The line's identity at the provider (a balance transaction id, a batch + journal entry).</summary>
    public required string LineKey { get; init; }

    /// <summary>What kind of line it is.</summary>
    public required SettlementLineType Type { get; init; }

    /// <summary>The provider's own type name as written in the file (<c>Settled</c>, <c>charge</c>, …).</summary>
    public required string ProviderType { get; init; }

    /// <summary>The provider's reference of the payment (PSP reference, charge or payment id).</summary>
    public string? ProviderReference { get; init; }

    /// <summary>What the gateway sent as the merchant reference (<c>pay_…</c> or <c>re_…</c>), when the provider echoes it.</summary>
    public string? MerchantReference { get; init; }
    /// <summary>The settlement currency (ISO 4217).</summary>
    public required string Currency { get; init; }

    /// <summary>Gross in minor units, signed (a refund is negative).</summary>
    public required long Gross { get; init; }

    /// <summary>What the provider kept, in minor units.</summary>
    public required long Fee { get; init; }

    /// <summary>Gross less fee: what the line added to the payout.</summary>
    public required long Net { get; init; }

    /// <summary>Fees by the provider's type (<c>interchange</c>, <c>scheme_fees</c>, <c>markup</c>, …) where the provider gives them.</summary>
    public IReadOnlyDictionary<string, long> Fees { get; init; } = new Dictionary<string, long>();
    /// <summary>The payout (batch, settlement) the line was paid out in.</summary>
    public string? PayoutId { get; init; }

    /// <summary>When the payout reached (or reaches) the bank.</summary>
    public DateOnly? PayoutDate { get; init; }

    /// <summary>When the provider booked the line.</summary>
    public DateTimeOffset? BookedAt { get; init; }
}

/// <summary>A settlement file the source cannot read: missing columns, a bad amount, an unknown currency. Nothing was imported.</summary>
public sealed class SettlementFormatException(string message) : Exception(message);

/// <summary>Reading a provider's CSV settlement file (RFC 4180, CsvHelper) with its documented header checked first.</summary>
public static class SettlementCsv
{
    /// <summary>
    /// The rows of <paramref name="content"/> as column-name lookups, after checking that the header has every column in
    /// <paramref name="required"/>; rows whose cells are all empty are skipped. Read whole before returning, so a bad
    /// file fails before any line is used.
    /// </summary>
    public static async Task<IReadOnlyList<IReadOnlyDictionary<string, string>>> ReadAsync(Stream content, IReadOnlyCollection<string> required, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(required);
        using var reader = new StreamReader(content, leaveOpen: true);
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { DetectDelimiter = false, BadDataFound = null, MissingFieldFound = null, TrimOptions = TrimOptions.Trim };
        using var csv = new CsvReader(reader, config);
        try
        {
            if (!await csv.ReadAsync().ConfigureAwait(false) || !csv.ReadHeader() || csv.HeaderRecord is not { } header)
            {
                throw new SettlementFormatException("The file is empty: expected a header line.");
            }

            var missing = required.Where(c => !header.Contains(c, StringComparer.Ordinal)).ToList();
            if (missing.Count > 0)
            {
                throw new SettlementFormatException($"The header lacks the column(s) {string.Join(", ", missing.Select(m => $"'{m}'"))}.");
            }

            var rows = new List<IReadOnlyDictionary<string, string>>();
            while (await csv.ReadAsync().ConfigureAwait(false))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var row = new Dictionary<string, string>(StringComparer.Ordinal);
                for (var i = 0; i < header.Length; i++)
                {
                    row[header[i]] = csv.TryGetField<string>(i, out var value) ? value ?? string.Empty : string.Empty;
                }

                if (row.Values.Any(v => v.Length > 0))
                {
                    rows.Add(row);
                }
            }

            return rows;
        }
        catch (CsvHelperException e)
        {
            throw new SettlementFormatException($"The file is not valid CSV (line {e.Context?.Parser?.Row}).");
        }
    }

    /// <summary>A decimal amount in major units (<c>12.34</c>, empty = 0) as minor units of <paramref name="currency"/>, exactly.</summary>
    public static long Minor(string? text, Currency currency, int row, string column)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return 0;
        }

        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw new SettlementFormatException($"Row {row}: '{column}' is not an amount.");
        }

        var scaled = value * CurrencyTable.PowersOfTen[currency.Exponent];
        if (scaled != decimal.Truncate(scaled) || Math.Abs(scaled) > long.MaxValue / 2)
        {
            throw new SettlementFormatException($"Row {row}: '{column}' has more decimals than {currency.Code} allows.");
        }

        return (long)scaled;
    }

    /// <summary>An ISO 4217 currency, or a format error naming the row.</summary>
    public static Currency CurrencyOf(string? code, int row) =>
        code is { Length: 3 } && CurrencyTable.ByCode.TryGetValue(code.ToUpperInvariant(), out var currency)
            ? currency
            : throw new SettlementFormatException($"Row {row}: '{code}' is not an ISO 4217 currency.");
}
