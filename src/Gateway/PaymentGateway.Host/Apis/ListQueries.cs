using System.Globalization;
using PaymentGateway.Core;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Host.Apis;

/// <summary>Parses cursor pagination and created-range filters from the query string, with stable 400s.</summary>
internal static class ListQueries
{
    public const int MaxLimit = 100;

    /// <summary>The query parameters <see cref="Parse"/> reads, as the OpenAPI document lists them.</summary>
    public static IReadOnlyList<Infrastructure.QueryParameterAttribute> Parameters { get; } =
    [
        new("limit", Microsoft.OpenApi.JsonSchemaType.Integer, $"Page size, 1 to {MaxLimit} (default 10)."),
        new("starting_after", Microsoft.OpenApi.JsonSchemaType.String, "Cursor: the id after which the page starts (the next page)."),
        new("ending_before", Microsoft.OpenApi.JsonSchemaType.String, "Cursor: the id before which the page ends (the previous page)."),
        new("created[gte]", Microsoft.OpenApi.JsonSchemaType.String, "Created at or after: ISO 8601 timestamp or Unix seconds."),
        new("created[lt]", Microsoft.OpenApi.JsonSchemaType.String, "Created before: ISO 8601 timestamp or Unix seconds."),
    ];

    public static ListQuery Parse(HttpRequest request, string idPrefix)
    {
        var q = request.Query;
        var limit = 10;
        if (q.TryGetValue("limit", out var limitText) && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"limit must be an integer from 1 to {MaxLimit}.", "limit");
        }

        var after = Cursor(q, "starting_after", idPrefix);
        var before = Cursor(q, "ending_before", idPrefix);
        if (after is not null && before is not null)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "Pass starting_after or ending_before, not both.", "ending_before");
        }

        return new ListQuery
        {
            Limit = limit,
            StartingAfter = after,
            EndingBefore = before,
            CreatedGte = Time(q, "created[gte]"),
            CreatedLt = Time(q, "created[lt]"),
        };
    }

    private static string? Cursor(IQueryCollection q, string name, string prefix)
    {
        if (!q.TryGetValue(name, out var value))
        {
            return null;
        }

        var text = value.ToString();
        return Ids.IsValid(text, prefix)
            ? text
            : throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"{name} must be a {prefix}_ id.", name);
    }

    private static DateTimeOffset? Time(IQueryCollection q, string name)
    {
        if (!q.TryGetValue(name, out var value))
        {
            return null;
        }

        var text = value.ToString();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds < 253402300800)
        {
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            return at;
        }

        throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"{name} must be an ISO 8601 timestamp or Unix seconds.", name);
    }
}
