using Npgsql;

namespace PaymentGateway.Storage.Postgres;

/// <summary>A WHERE clause built from conditions with positional parameters ($1, $2, …).</summary>
internal sealed class SqlFilter
{
    private readonly List<string> _conditions = [];

    public List<NpgsqlParameter> Parameters { get; } = [];

    public string Where => _conditions.Count == 0 ? "true" : string.Join(" AND ", _conditions);

    /// <summary>Adds a condition; <c>{0}</c> in it becomes the parameter's placeholder.</summary>
    public void Add(string condition, NpgsqlParameter parameter) =>
        _conditions.Add(condition.Replace("{0}", Parameter(parameter), StringComparison.Ordinal));

    public string Parameter(NpgsqlParameter parameter)
    {
        Parameters.Add(parameter);
        return "$" + Parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A filter on a merchant and mode, the start of most list queries.</summary>
    public static SqlFilter Scope(string merchantId, bool livemode)
    {
        var filter = new SqlFilter();
        filter.Add("merchant_id = {0}", PostgresSql.P(merchantId));
        filter.Add("livemode = {0}", PostgresSql.P(livemode));
        return filter;
    }
}
