using Npgsql;
using NpgsqlTypes;

namespace PaymentGateway.Storage.Postgres;

/// <summary>Parameters and batch commands as the PostgreSQL stores write them (positional <c>$1</c>, <c>$2</c>, …).</summary>
internal static class PostgresSql
{
    /// <summary>The database clock, so leases do not depend on the nodes' clocks agreeing.</summary>
    public const string DbNowMs = "(extract(epoch from clock_timestamp()) * 1000)::bigint";

    public static NpgsqlParameter P(object value) => new() { Value = value };

    public static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    public static NpgsqlParameter Int(int? value) => new() { NpgsqlDbType = NpgsqlDbType.Integer, Value = (object?)value ?? DBNull.Value };

    public static NpgsqlParameter Long(long? value) => new() { NpgsqlDbType = NpgsqlDbType.Bigint, Value = (object?)value ?? DBNull.Value };

    public static NpgsqlParameter Jsonb(string json) => new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = json };

    public static NpgsqlParameter Json(string json) => new() { NpgsqlDbType = NpgsqlDbType.Json, Value = json };

    public static NpgsqlBatchCommand Cmd(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var p in parameters)
        {
            command.Parameters.Add(p);
        }

        return command;
    }
}
