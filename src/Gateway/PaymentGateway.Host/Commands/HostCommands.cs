using Microsoft.Extensions.Options;
using PaymentGateway.Core;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Storage;
using PaymentGateway.Host.Infrastructure;
using PaymentGateway.Host.Startup;

namespace PaymentGateway.Host.Commands;

/// <summary>
/// Operator commands run with the gateway's own configuration and database instead of starting the server:
/// <c>PaymentGateway.Host host create-owner --email you@example.com</c> prints a one-time link that sets up a platform
/// owner (production never creates a user by itself); <c>host audit verify</c> walks the audit hash chain and exits 1
/// if it is broken; <c>host check-config</c> runs the start-up checks without starting; <c>host migrate</c>,
/// <c>host backup --to DIR</c> and <c>host restore --from DIR</c> are in <see cref="DatabaseCommands"/>, <c>host vault rewrap</c> in <see cref="VaultCommands"/>. Other arguments (<c>--PaymentGateway:Storage:Engine=postgres</c>, …) configure as usual.
/// </summary>
public static class HostCommands
{
    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] == "host";

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null)
    {
        var console = output ?? Console.Out;
        var words = args.Skip(1).TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        var rest = args.Skip(1 + words.Count).ToList();
        string[] named = ["--email", "--to", "--from", "--batch-size", "--batches"];
        var email = Option(rest, "--email");
        var configuration = rest.Where((a, i) => !named.Contains(a) && (i == 0 || !named.Contains(rest[i - 1]))).ToArray();
        switch (words)
        {
            case ["create-owner"] when email is not null:
                return await WithGatewayAsync(configuration, async services =>
                {
                    var team = services.GetRequiredService<ConsoleTeamService>();
                    var store = services.GetRequiredService<IConsoleStore>();
                    if (await store.FindUserByEmailAsync(email, CancellationToken.None) is { Status: not ConsoleUserStatus.Removed })
                    {
                        await console.WriteLineAsync($"A console user with email {email} exists already.");
                        return 1;
                    }

                    try
                    {
                        var (link, token) = await team.CreateOwnerSetupLinkAsync(email, AuditActor.System, CancellationToken.None);
                        var baseUrl = (services.GetRequiredService<IOptions<GatewayOptions>>().Value.PublicBaseUrl ?? "http://127.0.0.1:5080").TrimEnd('/');
                        await console.WriteLineAsync($"Open this link once, before {link.ExpiresAt:u}, to set the password of the platform owner {email}:");
                        await console.WriteLineAsync($"  {baseUrl}/console/join?token={token}");
                        return 0;
                    }
                    catch (ConsoleValidationException e)
                    {
                        await console.WriteLineAsync(e.Message);
                        return 2;
                    }
                });
            case ["audit", "verify"]:
                return await WithGatewayAsync(configuration, async services =>
                {
                    var result = await services.GetRequiredService<AuditService>().VerifyAsync(CancellationToken.None);
                    await console.WriteLineAsync(result.Valid
                        ? $"audit chain valid: {result.Entries} entries, head {result.HeadHash}"
                        : $"audit chain BROKEN at position {result.BrokenAt} ({result.BrokenId}): {result.Problem}. {result.Entries} entries before it are valid.");
                    return result.Valid ? 0 : 1;
                });
            case ["check-config"]:
                return await CheckConfigAsync(configuration, console);
            case ["migrate"]:
                return await DatabaseCommands.MigrateAsync(configuration, console);
            case ["backup"] when Option(rest, "--to") is { } to:
                return await DatabaseCommands.BackupAsync(configuration, to, console);
            case ["restore"] when Option(rest, "--from") is { } from:
                return await DatabaseCommands.RestoreAsync(configuration, from, console);
            case ["vault", "rewrap"]:
                return await VaultCommands.RewrapAsync(configuration, Option(rest, "--batch-size"), Option(rest, "--batches"), console);
            default:
                await console.WriteLineAsync("""
                    Usage: PaymentGateway.Host host <command> [--PaymentGateway:Setting=value ...]
                      create-owner --email <address>   print a one-time link that sets up a platform owner of the console
                      audit verify                     check the audit trail's hash chain (exit 1 when broken)
                      check-config                     validate configuration and environment without starting (exit 1 with one line when wrong)
                      migrate                          apply pending schema migrations and print the versions (exit 1 with one line when it cannot)
                      backup --to <directory>          online consistent copy of the SQLite database and the vault key file into a new directory
                      restore --from <directory>       put such a backup into an empty data directory
                      vault rewrap [--batch-size N] [--batches N]
                                                       re-encrypt every stored secret under the active vault key (resumable)
                    """);
                return 2;
        }
    }

    /// <summary>
    /// The start-up checks and options validation, without taking the data directory's lock, migrating or listening:
    /// safe beside a running gateway. Exit 0 with "configuration OK", or 1 with the same line start-up would print.
    /// </summary>
    private static async Task<int> CheckConfigAsync(string[] configuration, TextWriter console)
    {
        var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", .. configuration]);
        builder.Logging.ClearProviders();
        try
        {
            (await StartupChecks.RunAsync(builder.Configuration, builder.Environment, takeWriterLock: false, CancellationToken.None))?.Dispose();
            builder.AddPaymentGateway();
            await using var app = builder.Build();
            _ = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
            foreach (var validator in app.Services.GetServices<IStartupValidator>())
            {
                validator.Validate();
            }
        }
        catch (Exception e) when (StartupFailure.Describe(e) is { } line)
        {
            await Console.Error.WriteLineAsync(line);
            return 1;
        }

        await console.WriteLineAsync($"configuration OK ({builder.Environment.EnvironmentName}, storage {builder.Configuration[StorageEngines.EngineKey] ?? "sqlite"})");
        return 0;
    }

    private static string? Option(List<string> args, string name)
    {
        var i = args.IndexOf(name);
        return i >= 0 && i + 1 < args.Count ? args[i + 1] : null;
    }

    private static async Task<int> WithGatewayAsync(string[] configuration, Func<IServiceProvider, Task<int>> run)
    {
        var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", .. configuration]);
        builder.Logging.ClearProviders();
        builder.AddPaymentGateway();
        await using var app = builder.Build();
        await app.Services.GetRequiredService<IStoreMaintenance>().MigrateAsync(CancellationToken.None);
        return await run(app.Services);
    }
}
