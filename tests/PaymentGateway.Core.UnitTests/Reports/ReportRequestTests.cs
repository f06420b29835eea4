using PaymentGateway.Core.Reports;

namespace PaymentGateway.Core.UnitTests.Reports;

public sealed class ReportRequestTests
{
    private static ReportRequest Parse(params (string Name, string Value)[] query) =>
        ReportRequest.Parse(name => query.FirstOrDefault(q => q.Name == name).Value);

    [Fact]
    public void A_full_query_parses_dimensions_filters_and_interval()
    {
        var r = Parse(("from", "2026-01-01"), ("to", "2026-04-01"), ("interval", "month"), ("group_by", "currency,card_brand,currency"),
            ("country", "nl"), ("time_zone", "America/New_York"));
        Assert.Equal(ReportInterval.Month, r.Interval);
        Assert.Equal([ReportDimension.Currency, ReportDimension.CardBrand], r.GroupBy);
        Assert.Equal("NL", r.Filters[ReportDimension.Country]);
        Assert.Equal("America/New_York", r.TimeZone);
    }

    [Theory]
    [InlineData("from", "2026-13-01", "parameter_invalid")]
    [InlineData("interval", "week", "parameter_invalid")]
    [InlineData("group_by", "merchant_secret", "parameter_invalid")]
    [InlineData("time_zone", "Mars/Olympus", "parameter_invalid")]
    public void Bad_parameters_are_400s_naming_the_parameter(string name, string value, string code)
    {
        var query = new List<(string, string)> { ("from", "2026-01-01"), ("to", "2026-01-02") };
        query.RemoveAll(q => q.Item1 == name);
        query.Add((name, value));
        var e = Assert.Throws<GatewayException>(() => Parse([.. query]));
        Assert.Equal((code, name), (e.Code, e.Param));
    }

    [Fact]
    public void Ranges_too_long_for_the_interval_and_empty_ranges_are_refused()
    {
        Assert.Equal(ErrorCodes.ReportRangeTooLarge, Assert.Throws<GatewayException>(() => Parse(("from", "2026-01-01"), ("to", "2026-03-01"), ("interval", "hour"))).Code);
        Assert.Equal("to", Assert.Throws<GatewayException>(() => Parse(("from", "2026-01-02"), ("to", "2026-01-02"))).Param);
        Assert.Equal("from", Assert.Throws<GatewayException>(() => Parse(("to", "2026-01-02"))).Param);
    }

    [Fact]
    public void Across_merchants_group_by_takes_merchant_and_a_merchant_list_and_the_mode()
    {
        var r = ReportRequest.ParseAcrossMerchants(name => name switch
        {
            "from" => "2026-01-01",
            "to" => "2026-01-02",
            "group_by" => "merchant,currency",
            "merchant" => " mer_a, mer_b,mer_a ",
            "livemode" => "true",
            _ => null,
        });
        Assert.Equal([ReportDimension.Merchant, ReportDimension.Currency], r.GroupBy);
        Assert.Equal(["mer_a", "mer_b"], r.Merchants);
        Assert.True(r.Livemode);
        Assert.Null(r.TimeZone);

        // A merchant's own report knows no merchant dimension, list or mode parameter.
        var own = Parse(("from", "2026-01-01"), ("to", "2026-01-02"), ("merchant", "mer_b"), ("livemode", "true"));
        Assert.Equal((null, false), (own.Merchants, own.Livemode));
    }

    [Theory]
    [InlineData("merchant", ",")]
    [InlineData("merchant", "101")]
    [InlineData("livemode", "yes")]
    [InlineData("group_by", "merchant_id")]
    public void Bad_parameters_across_merchants_are_400s_naming_the_parameter(string name, string value)
    {
        var text = value == "101" ? string.Join(',', Enumerable.Range(0, 101).Select(i => $"mer_{i}")) : value;
        var e = Assert.Throws<GatewayException>(() => ReportRequest.ParseAcrossMerchants(n => n switch
        {
            "from" => "2026-01-01",
            "to" => "2026-01-02",
            _ when n == name => text,
            _ => null,
        }));
        Assert.Equal((ErrorCodes.ParameterInvalid, name), (e.Code, e.Param));
    }
}
