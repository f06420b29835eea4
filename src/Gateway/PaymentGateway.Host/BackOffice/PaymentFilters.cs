using System.Globalization;
using PaymentGateway.Core;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Host.BackOffice;

/// <summary>The Payments page's filters as read from its query string (also by the CSV export), with a message per bad field.</summary>
public sealed record PaymentFilter(string? MerchantId, bool Livemode, string? Id, PaymentListQuery Query);

public static class PaymentFilters
{
    /// <summary>The query-string names the page keeps across paging and export.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["merchant", "mode", "status", "from", "to", "currency", "amount_min", "amount_max", "brand", "last4", "customer", "metadata", "account", "payment_method"];

    public static PaymentFilter Parse(IQueryCollection q, out Dictionary<string, string> errors)
    {
        var problems = new Dictionary<string, string>();
        errors = problems;
        string? Text(string name)
        {
            var value = q[name].ToString().Trim();
            return value.Length == 0 ? null : value.Length > 200 ? value[..200] : value;
        }

        DateTimeOffset? Date(string name, Dictionary<string, string> problems)
        {
            if (Text(name) is not { } value)
            {
                return null;
            }

            if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            }

            problems[name] = "Enter a date as YYYY-MM-DD.";
            return null;
        }

        PaymentStatus? status = null;
        if (Text("status") is { } statusText)
        {
            if (StatusNames.TryParsePaymentStatus(statusText, out var parsed))
            {
                status = parsed;
            }
            else
            {
                problems["status"] = "Choose a status from the list.";
            }
        }

        var from = Date("from", problems);
        var to = Date("to", problems);
        if (from is not null && to is not null && to < from)
        {
            problems["to"] = "The end date must be on or after the start date.";
        }

        string? currency = null;
        if (Text("currency") is { } code)
        {
            if (PaymentGateway.Providers.Currency.TryFind(code, out var known))
            {
                currency = known.Code;
            }
            else
            {
                problems["currency"] = "Enter a three-letter currency code, like EUR.";
            }
        }

        long? Amount(string name)
        {
            if (Text(name) is not { } value)
            {
                return null;
            }

            if (currency is null)
            {
                problems[name] = problems.ContainsKey("currency") ? "Fix the currency first." : "Choose a currency to filter by amount.";
                return null;
            }

            try
            {
                return ConsolePaymentService.ParseAmount(value, currency, 0);
            }
            catch (ConsoleValidationException e)
            {
                problems[name] = e.Message;
                return null;
            }
        }

        var min = Amount("amount_min");
        var max = Amount("amount_max");
        if (min is not null && max is not null && max < min)
        {
            problems["amount_max"] = "The largest amount must be at least the smallest.";
        }

        var brand = Text("brand")?.ToLowerInvariant();
        var last4 = Text("last4");
        if (last4 is not null && (last4.Length != 4 || !last4.All(char.IsAsciiDigit)))
        {
            problems["last4"] = "Enter the card's last 4 digits.";
            last4 = null;
        }

        var id = Text("q");
        if (id is not null && !(id.StartsWith(Ids.Payment + "_", StringComparison.Ordinal) || id.StartsWith(Ids.Refund + "_", StringComparison.Ordinal)
                                || id.StartsWith(Ids.PaymentMethod + "_", StringComparison.Ordinal) || id.StartsWith(Ids.Event + "_", StringComparison.Ordinal)))
        {
            problems["q"] = "Paste a payment (pay_), refund (re_), payment method (pm_) or event (evt_) id.";
        }

        return new PaymentFilter(Text("merchant"), string.Equals(Text("mode"), "live", StringComparison.Ordinal), id, new PaymentListQuery
        {
            Status = status,
            CreatedGte = from,
            CreatedLt = to?.AddDays(1),
            Currency = currency,
            AmountGte = min,
            AmountLte = max,
            CardBrand = brand,
            CardLast4 = last4,
            Customer = Text("customer"),
            MetadataValue = Text("metadata"),
            ProviderAccount = Text("account"),
            PaymentMethod = Text("payment_method"),
            StartingAfter = Text("after"),
            EndingBefore = Text("before"),
        });
    }
}
