using Microsoft.AspNetCore.Http.Extensions;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Host.BackOffice.Pages;

/// <summary>The audit trail: filter by action, actor, target, merchant and dates; page newest first by cursor; export CSV. Owners and finance (the service checks and scopes).</summary>
public sealed class AuditModel(AuditService audit) : ConsolePageModel
{
    private const int PageSize = 50;

    public static IReadOnlyList<string> KnownActions { get; } =
        typeof(ConsoleAudit).GetFields().Where(f => f.IsLiteral && f.FieldType == typeof(string) && ((string?)f.GetRawConstantValue())?.StartsWith("console.", StringComparison.Ordinal) == true)
            .Select(f => (string)(f.GetRawConstantValue() ?? string.Empty)).Order(StringComparer.Ordinal).ToList();

    public AuditQuery Query { get; private set; } = new();

    public Dictionary<string, string> Errors { get; private set; } = [];

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public string? OlderCursor { get; private set; }

    public string? NewerCursor { get; private set; }

    public string ExportQuery => Filters().ToString();

    public async Task OnGetAsync()
    {
        Query = AuditFilters.Parse(Request.Query, out var errors);
        Errors = errors;
        if (errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Caller.DemandAnywhere(ConsolePermission.ViewAudit);
            return;
        }

        var entries = await audit.ListAsync(Caller, Query with { Limit = PageSize + 1 }, HttpContext.RequestAborted);
        var more = entries.Count > PageSize;
        var paging = Query.EndingBefore is not null;
        Entries = (paging && more ? entries.Skip(1) : entries.Take(PageSize)).ToList();
        OlderCursor = Entries.Count > 0 && (more || paging) ? Entries[^1].Id : null;
        NewerCursor = Entries.Count > 0 && (Query.StartingAfter is not null || (paging && more)) ? Entries[0].Id : null;
    }

    public string PageQuery(string cursor, string id)
    {
        var query = Filters();
        query.Add(cursor, id);
        return query.ToString();
    }

    private QueryBuilder Filters()
    {
        var query = new QueryBuilder();
        foreach (var name in new[] { "action", "actor", "target", "merchant", "from", "to" })
        {
            if (Request.Query[name].ToString() is { Length: > 0 } value)
            {
                query.Add(name, value);
            }
        }

        return query;
    }
}
