using PaymentGateway.Samples.MerchantWeb;

var builder = WebApplication.CreateBuilder(args);

// Binds the "PaymentGateway" section (BaseAddress, ApiKey, MaxRetries, ...); validated when the app starts.
builder.Services.AddPaymentGatewayClient(builder.Configuration.GetSection("PaymentGateway"));
// Binds "Webhooks" (Secrets: the endpoint's whsec_ secrets, two during a rotation; Tolerance; MaxBodySize); validated at start.
builder.Services.AddPaymentGatewayWebhooks(builder.Configuration.GetSection("Webhooks"));
builder.Services.AddSingleton<ProcessedWebhooks>();

var app = builder.Build();

app.MapCheckoutApi();
app.MapWebhooks();

app.Run();
