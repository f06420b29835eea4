namespace PaymentGateway.Host.Apis;

/// <summary>
/// The load generator's ceiling (<c>bench/</c>): a trivial JSON endpoint on the same host and through the same outer
/// middleware, with no authentication and no database, so benchmark results can be reported as a ratio to what the
/// host can serve at all. Mapped only when <c>PaymentGateway:Bench:CeilingEndpoint</c> is true (default false), and
/// never part of the OpenAPI description.
/// </summary>
public static class BenchApi
{
    public const string CeilingSetting = "PaymentGateway:Bench:CeilingEndpoint";

    private static readonly byte[] Body = """{"object":"bench_ceiling","ok":true}"""u8.ToArray();

    public static void MapBenchCeiling(this WebApplication app)
    {
        if (!app.Configuration.GetValue(CeilingSetting, false))
        {
            return;
        }

        app.MapGet("/bench/ceiling", () => Results.Bytes(Body, "application/json")).ExcludeFromDescription();
    }
}
