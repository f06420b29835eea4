using PaymentGateway.Host;

var builder = WebApplication.CreateBuilder(args);
builder.AddPaymentGateway();

var app = builder.Build();
await app.InitializePaymentGatewayAsync();
app.MapPaymentGateway();

await app.RunAsync();

/// <summary>Entry point; public so tests can reference the assembly.</summary>
public partial class Program;
