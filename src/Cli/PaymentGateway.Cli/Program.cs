using PaymentGateway.Cli;

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // Ctrl-C ends the command cleanly (listen stops forwarding and exits 0)
    stop.Cancel();
};
return await CliApp.RunAsync(args, CliEnvironment.FromProcess(), stop.Token);
