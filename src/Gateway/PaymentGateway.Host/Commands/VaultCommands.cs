using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using PaymentGateway.Core;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Vault;
using PaymentGateway.Host.Startup;

namespace PaymentGateway.Host.Commands;

/// <summary>
/// <c>host vault rewrap [--batch-size N] [--batches N]</c>: re-encrypts every stored secret under the active vault key
/// (<see cref="VaultRewrapService"/>), printing a line per batch, then which key ids are still in use and which
/// configured keys can be retired. Safe beside running gateways (each row is compare-and-set) and resumable: it
/// continues from the cursor a previous run or the background job saved. <c>--batches</c> stops after that many batches.
/// </summary>
public static class VaultCommands
{
    public static async Task<int> RewrapAsync(string[] configuration, string? batchSize, string? batches, TextWriter console)
    {
        var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", .. configuration]);
        builder.Logging.ClearProviders();
        try
        {
            (await StartupChecks.RunAsync(builder.Configuration, builder.Environment, takeWriterLock: false, CancellationToken.None, checkPorts: false))?.Dispose();
            builder.AddPaymentGateway();
            await using var app = builder.Build();
            await SchemaAtStart.EnsureAsync(app.Services.GetRequiredService<IStoreMaintenance>(), app.Configuration, CancellationToken.None);
            var vault = app.Services.GetRequiredService<CardVault>();
            var options = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.Vault;
            var size = Positive(batchSize, "--batch-size") ?? options.RewrapBatchSize;
            var limit = Positive(batches, "--batches");
            var rewrap = app.Services.GetRequiredService<VaultRewrapService>();

            await console.WriteLineAsync($"re-encrypting stored secrets under the active key '{vault.KeyRing.ActiveKeyId}' in batches of {size}");
            var result = await rewrap.RunAsync(size, limit, p => console.WriteLine(
                $"  {p.Column}: {p.Examined} rows examined, {p.Rewrapped} re-wrapped so far{(p.Changed > 0 ? $", {p.Changed} changed meanwhile (left for the next run)" : string.Empty)}"), CancellationToken.None);
            if (!result.Completed)
            {
                await console.WriteLineAsync($"stopped after {limit} batches at {result.Column} ({result.Examined} examined, {result.Rewrapped} re-wrapped); run the command again to continue from there");
                return 0;
            }

            await console.WriteLineAsync($"re-encryption complete: {result.Examined} rows examined, {result.Rewrapped} re-wrapped under '{vault.KeyRing.ActiveKeyId}' in this run");
            var inUse = await rewrap.FindKeyIdsInUseAsync(CancellationToken.None);
            await console.WriteLineAsync("key ids in use: " + (inUse.Count == 0 ? "none" : string.Join("; ", inUse.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} ({string.Join(", ", k.Value)})"))));
            foreach (var retired in vault.KeyRing.KeyIds.Where(k => k != vault.KeyRing.ActiveKeyId && !inUse.ContainsKey(k)).Order(StringComparer.Ordinal))
            {
                await console.WriteLineAsync($"key '{retired}' is no longer in use: it can be removed from the key ring (keep it in your backups as long as backups made before today)");
            }

            return 0;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException && e is not VaultKeysMissingException)
        {
            await Console.Error.WriteLineAsync($"PaymentGateway could not rewrap: {e.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
        catch (Exception e) when (StartupFailure.Describe(e, "rewrap") is { } line)
        {
            await Console.Error.WriteLineAsync(line);
            return 1;
        }
    }

    private static int? Positive(string? value, string option) =>
        value is null ? null
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
        : throw new ArgumentException($"{option} must be a positive whole number, not '{value}'.");
}
