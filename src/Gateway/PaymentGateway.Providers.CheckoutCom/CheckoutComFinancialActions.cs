using System.Text.Json;

namespace PaymentGateway.Providers.CheckoutCom;

/// <summary>
/// Checkout.com's financial actions (<c>GET /financial-actions?payout_id=…</c>, and the Financial Actions by Payout ID
/// report's rows as JSON): one item per action (<c>Capture</c>, <c>Refund</c>, <c>Chargeback</c>, …) with its
/// <c>breakdown[]</c> in the holding currency (major units). The <c>Gross</c> breakdown is the gross; every other
/// breakdown (interchange, scheme, gateway fees…) is a fee, deducted as a negative amount. <c>reference</c> is what the
/// adapter sent: the gateway payment id, or the refund id for a refund.
/// </summary>
public sealed class CheckoutComFinancialActions : ISettlementSource
{
    /// <inheritdoc />
    public string ProviderId => CheckoutComProvider.ProviderId;

    /// <inheritdoc />
    public async Task<ProviderSettlementReport> ParseAsync(Stream content, SettlementParseOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var doc = await SettlementJson.ParseAsync(content, cancellationToken).ConfigureAwait(false);
        var lines = new List<ProviderSettlementLine>();
        var index = 0;
        foreach (var action in SettlementJson.Array(doc.RootElement, "data").EnumerateArray())
        {
            index++;
            var actionType = SettlementJson.RequiredString(action, "action_type", index);
            Currency? currency = null;
            long gross = 0, net = 0;
            var fees = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var part in SettlementJson.Array(action, "breakdown").EnumerateArray())
            {
                var partCurrency = SettlementCsv.CurrencyOf(SettlementJson.String(part, "holding_currency"), index);
                if (currency is not null && currency != partCurrency)
                {
                    throw new SettlementFormatException($"Item {index}: breakdown in more than one holding currency.");
                }

                currency = partCurrency;
                var amount = part.TryGetProperty("holding_currency_amount", out var a)
                    ? SettlementJson.Major(a, partCurrency, index, "holding_currency_amount")
                    : throw new SettlementFormatException($"Item {index}: 'holding_currency_amount' is missing.");
                var breakdown = SettlementJson.String(part, "breakdown_type") ?? "unknown";
                net += amount;
                if (breakdown.Equals("Gross", StringComparison.OrdinalIgnoreCase))
                {
                    gross += amount;
                }
                else
                {
                    var key = breakdown.Trim().ToLowerInvariant().Replace(' ', '_');
                    fees[key] = fees.GetValueOrDefault(key) - amount;
                }
            }

            lines.Add(new ProviderSettlementLine
            {
                LineKey = SettlementJson.RequiredString(action, "action_id", index),
                Type = actionType switch
                {
                    "Capture" => SettlementLineType.Payment,
                    "Refund" => SettlementLineType.Refund,
                    "Chargeback" or "Chargeback Reversal" => SettlementLineType.Chargeback,
                    "Payout" => SettlementLineType.Payout,
                    _ => SettlementLineType.Adjustment,
                },
                ProviderType = actionType,
                ProviderReference = SettlementJson.String(action, "payment_id"),
                MerchantReference = SettlementJson.String(action, "reference"),
                Currency = (currency ?? throw new SettlementFormatException($"Item {index}: empty breakdown.")).Code,
                Gross = gross,
                Fee = fees.Values.Sum(),
                Net = net,
                Fees = fees,
                PayoutId = SettlementJson.String(action, "payout_id") ?? options.PayoutId,
                PayoutDate = options.PayoutDate,
                BookedAt = SettlementJson.Time(action, "processed_on"),
            });
        }

        return new ProviderSettlementReport { Lines = lines };
    }
}
