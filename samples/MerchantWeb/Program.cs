using PaymentGateway.Samples.MerchantWeb;

var builder = WebApplication.CreateBuilder(args);

// Binds the "PaymentGateway" section (BaseAddress, ApiKey, MaxRetries, ...); validated when the app starts.
builder.Services.AddPaymentGatewayClient(builder.Configuration.GetSection("PaymentGateway"));
builder.Services.AddWebhookVerifier(builder.Configuration.GetSection("Webhooks"));

var app = builder.Build();

app.MapCheckoutApi();
app.MapWebhooks();

app.Run();
