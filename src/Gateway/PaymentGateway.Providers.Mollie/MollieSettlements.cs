namespace PaymentGateway.Providers.Mollie;

/// <summary>
/// Mollie settlements: the payments and refunds of one settlement (<c>GET /v2/settlements/{id}/payments</c> and
/// <c>/refunds</c>, as one document or two). Mollie states each payment's <c>settlementAmount</c> (what it added to the
/// settlement) but reports its costs per settlement period, not per payment, so a line's fee is gross − settlement
/// amount (0 for most methods). The gateway's ids travel in <c>metadata</c> (<c>gateway_payment_id</c>,
/// <c>gateway_refund_id</c>).
/// </summary>
public sealed class MollieSettlements : ISettlementSource
{
    /// <inheritdoc />
    public string ProviderId => "mollie";

    /// <inheritdoc />
    public async Task<ProviderSettlementReport> ParseAsync(Stream content, SettlementParseOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var doc = await SettlementJson.ParseAsync(content, cancellationToken).ConfigureAwait(false);
        if (!doc.RootElement.TryGetProperty("_embedded", out var embedded) || embedded.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            throw new SettlementFormatException("Expected Mollie's '_embedded' object.");
        }

        var lines = new List<ProviderSettlementLine>();
        var index = 0;
        foreach (var (name, type) in new[] { ("payments", SettlementLineType.Payment), ("refunds", SettlementLineType.Refund) })
        {
            if (!embedded.TryGetProperty(name, out _))
            {
                continue;
            }

            foreach (var item in SettlementJson.Array(embedded, name).EnumerateArray())
            {
                index++;
                var amount = item.TryGetProperty("amount", out var a) ? a : throw new SettlementFormatException($"Item {index}: 'amount' is missing.");
                var currency = SettlementCsv.CurrencyOf(SettlementJson.String(amount, "currency"), index);
                var gross = SettlementJson.Major(amount.GetProperty("value"), currency, index, "amount.value");
                var settled = item.TryGetProperty("settlementAmount", out var sa) ? SettlementJson.Major(sa.GetProperty("value"), currency, index, "settlementAmount.value") : gross;
                if (type == SettlementLineType.Refund)
                {
                    gross = -Math.Abs(gross);
                    settled = -Math.Abs(settled);
                }

                var metadata = item.TryGetProperty("metadata", out var m) ? m : default;
                var id = SettlementJson.RequiredString(item, "id", index);
                lines.Add(new ProviderSettlementLine
                {
                    LineKey = id,
                    Type = type,
                    ProviderType = SettlementJson.String(item, "resource") ?? name,
                    ProviderReference = type == SettlementLineType.Refund ? SettlementJson.String(item, "paymentId") ?? id : id,
                    MerchantReference = SettlementJson.String(metadata, type == SettlementLineType.Refund ? "gateway_refund_id" : "gateway_payment_id"),
                    Currency = currency.Code,
                    Gross = gross,
                    Fee = gross - settled,
                    Net = settled,
                    PayoutId = SettlementJson.String(item, "settlementId") ?? options.PayoutId,
                    PayoutDate = options.PayoutDate,
                    BookedAt = SettlementJson.Time(item, type == SettlementLineType.Refund ? "createdAt" : "paidAt"),
                });
            }
        }

        return new ProviderSettlementReport { Lines = lines };
    }
}
