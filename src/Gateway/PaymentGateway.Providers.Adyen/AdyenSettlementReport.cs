using System.Globalization;

namespace PaymentGateway.Providers.Adyen;

/// <summary>
/// Adyen's Settlement details report (CSV, one file per payout batch; docs.adyen.com "Settlement details report"). Each
/// line is a journal entry: <c>Settled</c> (a capture paid out), <c>Refunded</c>, <c>Chargeback</c>…, <c>Fee</c> and
/// <c>MerchantPayout</c> (the payout itself). Gross is in the gross currency (credit − debit), net in the net currency;
/// fees are <c>Commission</c>, <c>Markup</c>, <c>Scheme Fees</c> and <c>Interchange</c> (NC). The merchant reference is
/// the gateway's payment id (what the adapter sends as <c>reference</c>); the payout id is the batch number.
/// </summary>
public sealed class AdyenSettlementReport : ISettlementSource
{
    private static readonly string[] Required =
    [
        "Psp Reference", "Merchant Reference", "Creation Date", "Type", "Modification Reference", "Gross Currency", "Gross Debit (GC)",
        "Gross Credit (GC)", "Net Currency", "Net Debit (NC)", "Net Credit (NC)", "Batch Number",
    ];

    private static readonly (string Column, string Type)[] FeeColumns =
        [("Commission (NC)", "commission"), ("Markup (NC)", "markup"), ("Scheme Fees (NC)", "scheme_fees"), ("Interchange (NC)", "interchange")];

    /// <inheritdoc />
    public string ProviderId => "adyen";

    /// <inheritdoc />
    public async Task<ProviderSettlementReport> ParseAsync(Stream content, SettlementParseOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var rows = await SettlementCsv.ReadAsync(content, Required, cancellationToken).ConfigureAwait(false);
        var lines = new List<ProviderSettlementLine>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            lines.Add(Line(rows[i], i + 2, options));
        }

        return new ProviderSettlementReport { Lines = lines };
    }

    private static ProviderSettlementLine Line(IReadOnlyDictionary<string, string> row, int number, SettlementParseOptions options)
    {
        var type = row["Type"];
        var net = SettlementCsv.CurrencyOf(row["Net Currency"], number);
        var grossCurrency = row["Gross Currency"].Length == 0 ? net : SettlementCsv.CurrencyOf(row["Gross Currency"], number);
        var gross = SettlementCsv.Minor(row["Gross Credit (GC)"], grossCurrency, number, "Gross Credit (GC)")
                    - SettlementCsv.Minor(row["Gross Debit (GC)"], grossCurrency, number, "Gross Debit (GC)");
        var netAmount = SettlementCsv.Minor(row["Net Credit (NC)"], net, number, "Net Credit (NC)")
                        - SettlementCsv.Minor(row["Net Debit (NC)"], net, number, "Net Debit (NC)");
        var fees = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (column, feeType) in FeeColumns)
        {
            if (row.TryGetValue(column, out var text) && SettlementCsv.Minor(text, net, number, column) is var fee and not 0)
            {
                fees[feeType] = fee;
            }
        }

        var kind = type switch
        {
            "Settled" or "SettledBulk" => SettlementLineType.Payment,
            "Refunded" or "RefundedBulk" or "RefundedReversed" => SettlementLineType.Refund,
            "Chargeback" or "SecondChargeback" or "ChargebackReversed" or "ChargebackReversedCorrection" => SettlementLineType.Chargeback,
            "Fee" or "MiscCosts" or "PaymentCost" or "InvoiceDeduction" => SettlementLineType.Fee,
            "MerchantPayout" => SettlementLineType.Payout,
            _ => SettlementLineType.Adjustment,
        };
        if (kind == SettlementLineType.Payout)
        {
            // The payout's Net Debit is the money sent to the bank: it leaves the balance, nothing was kept as fees.
            gross = netAmount;
        }

        var batch = row["Batch Number"] is { Length: > 0 } b ? b : options.PayoutId;
        var psp = Empty(row["Psp Reference"]);
        var modification = Empty(row["Modification Reference"]);
        var merchantReference = kind == SettlementLineType.Refund && row.TryGetValue("Modification Merchant Reference", out var refundReference) && refundReference.Length > 0
            ? refundReference
            : Empty(row["Merchant Reference"]);
        return new ProviderSettlementLine
        {
            // A journal entry is one (type, modification) of a PSP reference within a batch; fee and payout lines have no
            // PSP reference, so their row text identifies them.
            LineKey = $"{batch}|{type}|{psp ?? string.Empty}|{modification ?? string.Empty}|{(psp is null ? row["Creation Date"] + "|" + netAmount.ToString(CultureInfo.InvariantCulture) : string.Empty)}",
            Type = kind,
            ProviderType = type,
            ProviderReference = psp,
            MerchantReference = merchantReference,
            Currency = net.Code,
            Gross = grossCurrency == net ? gross : netAmount + fees.Values.Sum(),
            Fee = fees.Values.Sum(),
            Net = netAmount,
            Fees = fees,
            PayoutId = batch,
            PayoutDate = options.PayoutDate,
            BookedAt = DateTimeOffset.TryParse(row["Creation Date"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null,
        };
    }

    private static string? Empty(string value) => value.Length == 0 ? null : value;
}
