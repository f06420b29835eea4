using Microsoft.AspNetCore.Http.Extensions;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Merchants;

namespace PaymentGateway.Host.BackOffice.Pages.BankTransfers;

/// <summary>
/// Bank transfers: a merchant's imported statement entries, unmatched ones by default (any status on request), newest
/// first, cursor paging; an unmatched credit links to its manual match for the roles that may match (owners and
/// finance). Every role that reads payments reads the list; the service checks the merchant.
/// </summary>
public sealed class IndexModel(ConsolePaymentService payments, ConsoleBankService bank) : ConsolePageModel
{
    public const int PageSize = 50;

    /// <summary>The status filter's value for every status.</summary>
    public const string AnyStatus = "any";

    public IReadOnlyList<Merchant> Merchants { get; private set; } = [];

    public string? MerchantId { get; private set; }

    public bool Livemode { get; private set; }

    /// <summary>The status listed; null for every status.</summary>
    public BankEntryStatus? Status { get; private set; } = BankEntryStatus.Unmatched;

    public string? StatusError { get; private set; }

    public IReadOnlyList<BankStatementEntry> Entries { get; private set; } = [];

    public string? OlderCursor { get; private set; }

    public string? NewerCursor { get; private set; }

    public bool CanMatch => MerchantId is not null && Caller.Can(ConsolePermission.MatchBankTransfers, MerchantId);

    public async Task OnGetAsync(string? merchant, string? mode, string? status, string? after, string? before, string? done, string? payment)
    {
        var ct = HttpContext.RequestAborted;
        Merchants = await payments.MerchantsAsync(Caller, ct);
        MerchantId = merchant is { Length: > 0 } ? merchant : CurrentMerchantId is { } chosen && Merchants.Any(m => m.Id == chosen) ? chosen : Merchants.FirstOrDefault()?.Id;
        Livemode = mode == "live";
        Notice = done switch
        {
            "matched" => $"The entry was credited to {payment}.",
            "again" => "This form was already sent; nothing more was done.",
            _ => null,
        };
        if (status == AnyStatus)
        {
            Status = null;
        }
        else if (status is { Length: > 0 })
        {
            if (BankEntryStatusNames.TryParse(status, out var parsed))
            {
                Status = parsed;
            }
            else
            {
                StatusError = "Choose a status from the list.";
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
        }

        if (MerchantId is null)
        {
            return;
        }

        after = after is { Length: > 0 } ? after : null;
        before = before is { Length: > 0 } && after is null ? before : null;
        var rows = await bank.ListEntriesAsync(Caller, MerchantId, Livemode, Status, after, before, PageSize + 1, ct);
        var more = rows.Count > PageSize;
        var upwards = before is not null;
        Entries = (upwards && more ? rows.Skip(1) : rows.Take(PageSize)).ToList();
        OlderCursor = Entries.Count > 0 && (more || upwards) ? Entries[^1].Id : null;
        NewerCursor = Entries.Count > 0 && (after is not null || (upwards && more)) ? Entries[0].Id : null;
    }

    /// <summary>This page's filters with a cursor, as a query string.</summary>
    public string Query(string? name = null, string? cursor = null)
    {
        var query = new QueryBuilder { { "merchant", MerchantId ?? string.Empty }, { "mode", Livemode ? "live" : "test" }, { "status", Status?.ToWire() ?? AnyStatus } };
        if (name is not null && cursor is not null)
        {
            query.Add(name, cursor);
        }

        return query.ToString();
    }

    /// <summary>The match page of an entry (its merchant and mode in the query).</summary>
    public static string MatchLink(BankStatementEntry entry) =>
        $"/console/bank-transfers/{Uri.EscapeDataString(entry.Id)}?merchant={Uri.EscapeDataString(entry.MerchantId)}&mode={(entry.Livemode ? "live" : "test")}";

    public static string Money(long minor, string currency) => ConsolePaymentService.Display(minor, currency);
}
