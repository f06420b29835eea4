using PaymentGateway.Core;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Host.Infrastructure;

/// <summary>
/// First start in Development: generates the admin key (unless configured) and a demo merchant with test keys, stores
/// only their hashes, and prints them once to the console — not to the log, which must never carry secrets. While the console has
/// no user it also prints the console's address and how to sign in: in development a one-time link that sets up the
/// first owner; elsewhere the command that makes one (the gateway never creates a user by itself).
/// </summary>
public static class FirstRun
{
    public static async Task BootstrapAsync(IPaymentStore paymentStore, IMerchantStore merchantStore, MerchantService merchants, GatewayOptions options, TextWriter console, CancellationToken ct,
        ConsoleTeamService? consoleTeam = null, bool development = false)
    {
        // Outside Development nothing is generated or printed: the admin key must be configured (StartupChecks) and
        // no demo merchant is made, whatever SeedDemoMerchant says.
        var createOwnerLink = development;
        string? adminKey = null;
        if (development && string.IsNullOrEmpty(options.AdminKey) && !options.NamedAdminKeysOnly && await merchantStore.GetSettingAsync(MerchantService.AdminKeySetting, ct) is null)
        {
            adminKey = MerchantService.NewSecret("admin_");
            var changes = new StoreChanges();
            changes.Settings[MerchantService.AdminKeySetting] = MerchantService.Hash(adminKey);
            await paymentStore.CommitAsync(changes, ct);
        }

        (Merchant Merchant, string SecretKey, string PublishableKey)? demo = null;
        if (development && options.SeedDemoMerchant && (await merchantStore.ListMerchantsAsync(ct)).Count == 0)
        {
            demo = await merchants.CreateDemoMerchantAsync("Demo merchant", ct);
        }

        var consoleUrl = (options.PublicBaseUrl ?? "http://127.0.0.1:5080").TrimEnd('/') + "/console";
        string? ownerLink = null;
        var consoleWithoutUsers = consoleTeam is not null && !await consoleTeam.AnyUserAsync(ct);
        if (consoleWithoutUsers && createOwnerLink && consoleTeam is not null)
        {
            var (_, token) = await consoleTeam.CreateOwnerSetupLinkAsync(null, AuditActor.System, ct);
            ownerLink = consoleUrl + "/join?token=" + token;
        }

        if (adminKey is null && demo is null && !consoleWithoutUsers)
        {
            return;
        }

        await console.WriteLineAsync();
        await console.WriteLineAsync("================================================================================");
        await console.WriteLineAsync(adminKey is not null || demo is not null
            ? " PaymentGateway first start. These keys are shown ONCE; only their hashes are stored."
            : " PaymentGateway: the console has no user yet.");
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

        if (consoleWithoutUsers)
        {
            await console.WriteLineAsync();
            await console.WriteLineAsync($"  Console:                      {consoleUrl}");
            await console.WriteLineAsync(ownerLink is not null
                ? $"  Sign in (first owner, once):  {ownerLink}"
                : "  Sign in: create the first owner with  dotnet PaymentGateway.Host.dll host create-owner --email you@example.com");
        }

        await console.WriteLineAsync("================================================================================");
        await console.FlushAsync(ct);
    }
}
