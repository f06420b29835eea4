using PaymentGateway.Host;
using PaymentGateway.Host.Commands;
using PaymentGateway.Host.Startup;

if (HostCommands.IsCommand(args))
{
    Environment.ExitCode = await HostCommands.RunAsync(args); // host create-owner | audit verify | check-config
    return;
}

// Configuration is read once at start: no file watcher on the content root. The default data directory lives under
// the content root, and a recursive watcher there woke on every SQLite WAL write (about 12 % of the gateway's CPU
// under load, see bench/RESULTS.md). A later `--hostBuilder:reloadConfigOnChange=true` still turns it back on.
var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);

// Every configuration or environment problem ends here with exit code 1 and one line on standard error that names
// the setting or path and what to do (Startup/StartupFailure.cs); the checks run before anything is built or printed.
IDisposable? writerLock = null;
try
{
    writerLock = await StartupChecks.RunAsync(builder.Configuration, builder.Environment, takeWriterLock: true, CancellationToken.None);
    builder.AddPaymentGateway();
    var app = builder.Build();
    await app.InitializePaymentGatewayAsync();
    app.MapPaymentGateway();
    await app.RunAsync();
}
catch (Exception e) when (StartupFailure.Describe(e) is { } line)
{
    await Console.Error.WriteLineAsync(line);
    Environment.ExitCode = 1;
}
finally
{
    writerLock?.Dispose();
}

/// <summary>Entry point; public so tests can reference the assembly.</summary>
public partial class Program;
