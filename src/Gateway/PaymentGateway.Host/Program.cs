using PaymentGateway.Host;
using PaymentGateway.Host.Commands;

if (HostCommands.IsCommand(args))
{
    Environment.ExitCode = await HostCommands.RunAsync(args); // host create-owner | host audit verify
    return;
}

// Configuration is read once at start: no file watcher on the content root. The default data directory lives under
// the content root, and a recursive watcher there woke on every SQLite WAL write (about 12 % of the gateway's CPU
// under load, see bench/RESULTS.md). A later `--hostBuilder:reloadConfigOnChange=true` still turns it back on.
var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);
builder.AddPaymentGateway();

var app = builder.Build();
await app.InitializePaymentGatewayAsync();
app.MapPaymentGateway();

await app.RunAsync();

/// <summary>Entry point; public so tests can reference the assembly.</summary>
public partial class Program;
