using PaymentGateway.Core;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Host.Infrastructure;

/// <summary>
/// First start: generates the admin key (unless configured) and a demo merchant with test keys, stores only their
/// hashes, and prints them once to the console — not to the log, which must never carry secrets.
/// </summary>
public static class FirstRun
{
    public static async Task BootstrapAsync(IPaymentStore paymentStore, IMerchantStore merchantStore, MerchantService merchants, GatewayOptions options, TextWriter console, CancellationToken ct)
    {
        string? adminKey = null;
        if (string.IsNullOrEmpty(options.AdminKey) && await merchantStore.GetSettingAsync(MerchantService.AdminKeySetting, ct) is null)
        {
            adminKey = MerchantService.NewSecret("admin_");
            var changes = new StoreChanges();
            changes.Settings[MerchantService.AdminKeySetting] = MerchantService.Hash(adminKey);
            await paymentStore.CommitAsync(changes, ct);
        }

        (Merchant Merchant, string SecretKey, string PublishableKey)? demo = null;
        if (options.SeedDemoMerchant && (await merchantStore.ListMerchantsAsync(ct)).Count == 0)
        {
            demo = await merchants.CreateDemoMerchantAsync("Demo merchant", ct);
        }

        if (adminKey is null && demo is null)
        {
            return;
        }

        await console.WriteLineAsync("""

            ================================================================================
             PaymentGateway first start. These keys are shown ONCE; only their hashes are stored.
            """);
        if (adminKey is not null)
        {
            await console.WriteLineAsync($"  Admin key:                    {adminKey}");
        }

        if (demo is { } d)
        {
            await console.WriteLineAsync($"  Demo merchant:                {d.Merchant.Id}");
            await console.WriteLineAsync($"  Demo secret key (test):       {d.SecretKey}");
            await console.WriteLineAsync($"  Demo publishable key (test):  {d.PublishableKey}");
            await console.WriteLineAsync();
            await console.WriteLineAsync($"  export PG_SK={d.SecretKey} PG_PK={d.PublishableKey}");
        }

        await console.WriteLineAsync("================================================================================");
        await console.FlushAsync(ct);
    }
}
