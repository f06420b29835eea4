using System.Text.Json;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Stripe;

/// <summary>
/// Stripe's settlement data through its API: a payout (<c>GET /v1/payouts/{id}</c>) and the balance transactions paid
/// out in it (<c>GET /v1/balance_transactions?payout=…&amp;expand[]=data.source</c>, paged by <c>starting_after</c>).
/// Balance transactions are in minor units already (<c>amount</c>, <c>fee</c>, <c>net</c>, <c>fee_details[]</c>); the
/// expanded source's metadata carries the gateway's payment or refund id. The same list document can be imported as a file.
/// </summary>
public sealed class StripeSettlementSource(ProviderHttpClient<StripeTransport> http) : ISettlementApiSource
{
    /// <inheritdoc />
    public string ProviderId => StripeProvider.ProviderId;

    /// <inheritdoc />
    public async Task<ProviderSettlementReport> ParseAsync(Stream content, SettlementParseOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var doc = await SettlementJson.ParseAsync(content, cancellationToken).ConfigureAwait(false);
        return new ProviderSettlementReport { Lines = Lines(doc.RootElement, options.PayoutId, options.PayoutDate) };
    }

    /// <inheritdoc />
    public async Task<ProviderSettlementReport> FetchAsync(ProviderAccount account, string? payoutId, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var payouts = new List<(string Id, DateOnly? Date)>();
        if (payoutId is not null)
        {
            var payout = await GetAsync(account, $"/v1/payouts/{Uri.EscapeDataString(payoutId)}", cancellationToken).ConfigureAwait(false);
            payouts.Add((payoutId, ArrivalDate(payout)));
        }
        else
        {
            var created = since is { } s ? $"&created[gte]={s.ToUnixTimeSeconds()}" : string.Empty;
            var list = await GetAsync(account, $"/v1/payouts?limit=100&status=paid{created}", cancellationToken).ConfigureAwait(false);
            foreach (var p in SettlementJson.Array(list, "data").EnumerateArray())
            {
                payouts.Add((SettlementJson.RequiredString(p, "id", 0), ArrivalDate(p)));
            }
        }

        var lines = new List<ProviderSettlementLine>();
        foreach (var (id, date) in payouts)
        {
            string? after = null;
            do
            {
                var path = $"/v1/balance_transactions?payout={Uri.EscapeDataString(id)}&limit=100&expand[]=data.source" +
                           (after is null ? string.Empty : $"&starting_after={Uri.EscapeDataString(after)}");
                var page = await GetAsync(account, path, cancellationToken).ConfigureAwait(false);
                var pageLines = Lines(page, id, date);
                lines.AddRange(pageLines);
                after = page.TryGetProperty("has_more", out var more) && more.ValueKind == JsonValueKind.True && pageLines.Count > 0
                    ? SettlementJson.Array(page, "data")[pageLines.Count - 1].GetProperty("id").GetString()
                    : null;
            }
            while (after is not null);
        }

        return new ProviderSettlementReport { Lines = lines };
    }

    private async Task<JsonElement> GetAsync(ProviderAccount account, string path, CancellationToken ct)
    {
        var answer = await http.SendAsync(ProviderHttpCall.Get("settlement", "settlement", account, path, reference: null), ct).ConfigureAwait(false);
        return answer.IsSuccess
            ? answer.Body
            : throw new ProviderUnavailableException(StripeProvider.ProviderId, $"Stripe answered {answer.StatusCode} to the settlement read.");
    }

    private static DateOnly? ArrivalDate(JsonElement payout) =>
        payout.TryGetProperty("arrival_date", out var v) && v.ValueKind == JsonValueKind.Number
            ? DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeSeconds(v.GetInt64()).UtcDateTime)
            : null;

    /// <summary>The balance transactions of a list document (<c>{"object":"list","data":[…]}</c>).</summary>
    public static IReadOnlyList<ProviderSettlementLine> Lines(JsonElement list, string? payoutId, DateOnly? payoutDate)
    {
        var lines = new List<ProviderSettlementLine>();
        var index = 0;
        foreach (var txn in SettlementJson.Array(list, "data").EnumerateArray())
        {
            index++;
            var type = SettlementJson.RequiredString(txn, "type", index);
            var currency = SettlementCsv.CurrencyOf(SettlementJson.RequiredString(txn, "currency", index), index);
            var fees = new Dictionary<string, long>(StringComparer.Ordinal);
            if (txn.TryGetProperty("fee_details", out var details) && details.ValueKind == JsonValueKind.Array)
            {
                foreach (var d in details.EnumerateArray())
                {
                    var feeType = SettlementJson.String(d, "type") ?? "fee";
                    fees[feeType] = fees.GetValueOrDefault(feeType) + SettlementJson.Minor(d, "amount", index);
                }
            }

            var source = txn.TryGetProperty("source", out var s) ? s : default;
            var sourceId = source.ValueKind == JsonValueKind.String ? source.GetString() : SettlementJson.String(source, "id");
            var metadata = source.ValueKind == JsonValueKind.Object && source.TryGetProperty("metadata", out var m) ? m : default;
            var kind = type switch
            {
                "charge" or "payment" => SettlementLineType.Payment,
                "refund" or "payment_refund" or "payment_failure_refund" => SettlementLineType.Refund,
                "adjustment" when SettlementJson.String(source, "object") == "dispute" => SettlementLineType.Chargeback,
                "stripe_fee" or "application_fee" or "tax_fee" => SettlementLineType.Fee,
                "payout" => SettlementLineType.Payout,
                _ => SettlementLineType.Adjustment,
            };
            lines.Add(new ProviderSettlementLine
            {
                LineKey = SettlementJson.RequiredString(txn, "id", index),
                Type = kind,
                ProviderType = type,
                ProviderReference = (kind == SettlementLineType.Payment ? SettlementJson.String(source, "payment_intent") : null) ?? sourceId,
                MerchantReference = kind == SettlementLineType.Refund
                    ? SettlementJson.String(metadata, StripeTransformers.RefundIdMetadataKey)
                    : SettlementJson.String(metadata, StripeTransformers.PaymentIdMetadataKey),
                Currency = currency.Code,
                Gross = SettlementJson.Minor(txn, "amount", index),
                Fee = SettlementJson.Minor(txn, "fee", index),
                Net = SettlementJson.Minor(txn, "net", index),
                Fees = fees,
                PayoutId = payoutId,
                PayoutDate = payoutDate,
                BookedAt = txn.TryGetProperty("created", out var c) && c.ValueKind == JsonValueKind.Number ? DateTimeOffset.FromUnixTimeSeconds(c.GetInt64()) : null,
            });
        }

        return lines;
    }
}
