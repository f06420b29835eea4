using System.Globalization;

namespace PaymentGateway.Core.Reports;

/// <summary>
/// The parameters every report takes, validated with the API's stable codes: <c>from</c> and <c>to</c> (local dates,
/// <c>to</c> exclusive), <c>interval</c> (<c>hour</c> up to 31 days, <c>day</c> and <c>month</c> up to 732 days),
/// <c>time_zone</c> (IANA; default: the merchant's setting), <c>group_by</c> (comma-separated dimensions) and one
/// filter per dimension (<c>currency=EUR</c>, <c>card_brand=visa</c>, …). The report across merchants
/// (<see cref="ParseAcrossMerchants"/>) also takes <c>group_by=merchant</c>, a <c>merchant</c> filter (a list of ids)
/// and <c>livemode</c>.
/// </summary>
public sealed record ReportRequest
{
    public required DateOnly From { get; init; }
    public required DateOnly To { get; init; }
    public ReportInterval Interval { get; init; } = ReportInterval.Day;
    public string? TimeZone { get; init; }
    public IReadOnlyList<ReportDimension> GroupBy { get; init; } = [];
    public IReadOnlyDictionary<ReportDimension, string> Filters { get; init; } = new Dictionary<ReportDimension, string>();

    /// <summary>Across merchants: only these merchants' rows (null: every merchant the caller may see).</summary>
    public IReadOnlyList<string>? Merchants { get; init; }

    /// <summary>Across merchants: live or test mode (a merchant's report takes the mode of its key instead).</summary>
    public bool Livemode { get; init; }

    /// <summary>At most this many ids in the <c>merchant</c> filter.</summary>
    public const int MaxMerchants = 100;

    /// <summary>A merchant's report (<c>GET /v1/reports/payments</c>).</summary>
    public static ReportRequest Parse(Func<string, string?> query) => Parse(query, acrossMerchants: false);

    /// <summary>
    /// The report across merchants (<c>GET /v1/admin/reports/payments</c>, the console's "All my merchants"): the same
    /// parameters, plus <c>merchant</c> in <c>group_by</c>, <c>merchant=mer_a,mer_b</c> (at most
    /// <see cref="MaxMerchants"/>) and <c>livemode=true|false</c> (default false).
    /// </summary>
    public static ReportRequest ParseAcrossMerchants(Func<string, string?> query) => Parse(query, acrossMerchants: true);

    private static ReportRequest Parse(Func<string, string?> query, bool acrossMerchants)
    {
        ArgumentNullException.ThrowIfNull(query);
        var dimensions = acrossMerchants ? ReportDimensionNames.AcrossMerchants : ReportDimensionNames.All;
        var from = Date(query, "from");
        var to = Date(query, "to");
        if (to <= from)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "to must be after from.", "to");
        }

        var interval = query("interval") switch
        {
            null or "" or "day" => ReportInterval.Day,
            "hour" => ReportInterval.Hour,
            "month" => ReportInterval.Month,
            _ => throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "interval must be hour, day or month.", "interval"),
        };
        var days = to.DayNumber - from.DayNumber;
        if (days > (interval == ReportInterval.Hour ? 31 : 732))
        {
            throw GatewayException.Invalid(ErrorCodes.ReportRangeTooLarge,
                interval == ReportInterval.Hour ? "An hourly report covers at most 31 days." : "A report covers at most 732 days.", "to");
        }

        var groupBy = new List<ReportDimension>();
        if (query("group_by") is { Length: > 0 } groups)
        {
            foreach (var name in groups.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var d = ReportDimensionNames.Parse(name, dimensions)
                        ?? throw GatewayException.Invalid(ErrorCodes.ParameterInvalid,
                            $"group_by takes {string.Join(", ", dimensions.Select(x => x.Name))}; not '{Short(name)}'.", "group_by");
                if (!groupBy.Contains(d))
                {
                    groupBy.Add(d);
                }
            }
        }

        var filters = new Dictionary<ReportDimension, string>();
        foreach (var (dimension, name, _) in ReportDimensionNames.All)
        {
            if (query(name) is { } value)
            {
                if (value.Length > 64)
                {
                    throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"{name} is at most 64 characters.", name);
                }

                filters[dimension] = dimension is ReportDimension.Currency or ReportDimension.Country ? value.ToUpperInvariant() : value;
            }
        }

        var zone = query("time_zone");
        if (zone is { Length: > 0 })
        {
            _ = ResolveTimeZone(zone);
        }

        return new ReportRequest
        {
            From = from,
            To = to,
            Interval = interval,
            TimeZone = zone is { Length: > 0 } ? zone : null,
            GroupBy = groupBy,
            Filters = filters,
            Merchants = acrossMerchants ? MerchantList(query("merchant")) : null,
            Livemode = acrossMerchants && ParseLivemode(query("livemode")),
        };
    }

    private static List<string>? MerchantList(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var ids = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0 || ids.Count > MaxMerchants || ids.Any(id => id.Length > 64))
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid,
                $"merchant is a comma-separated list of 1 to {MaxMerchants} merchant ids (mer_…), each at most 64 characters.", "merchant");
        }

        return ids;
    }

    private static bool ParseLivemode(string? text) => text switch
    {
        null or "" or "false" => false,
        "true" => true,
        _ => throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "livemode must be true or false.", "livemode"),
    };

    /// <summary>An IANA time zone (<c>Europe/Amsterdam</c>), or 400 <c>parameter_invalid</c> on <c>time_zone</c>.</summary>
    public static TimeZoneInfo ResolveTimeZone(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length <= 64 && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && (zone.HasIanaId || id == "UTC"))
        {
            return zone;
        }

        throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"time_zone must be an IANA time zone such as Europe/Amsterdam; '{Short(id)}' is not one.", "time_zone");
    }

    private static DateOnly Date(Func<string, string?> query, string name) =>
        query(name) is { Length: > 0 } text
            ? DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? date
                : throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"{name} must be a date (YYYY-MM-DD).", name)
            : throw GatewayException.Missing(name);

    private static string Short(string text) => text.Length > 32 ? text[..32] + "…" : text;
}
