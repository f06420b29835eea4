using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaymentGateway.Host;
using PaymentGateway.Tests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests.Infrastructure;

/// <summary>
/// The real gateway (the same composition as Program.cs) on Kestrel at 127.0.0.1, with its own data directory
/// under <see cref="TestRoot"/>, and every log line written to a file so tests can scan it for card data.
/// </summary>
public sealed partial class GatewayServer : IAsyncDisposable
{
    /// <summary>Every test gateway keeps its files under here; CI scans this folder for card data after the suite.</summary>
    public static string TestRoot { get; } = Path.Combine(Path.GetTempPath(), "paymentgateway-tests");

    private readonly WebApplication _app;

    private GatewayServer(WebApplication app, Uri baseAddress, string dataDirectory, string logFile, string adminKey, string console)
    {
        _app = app;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
        LogFile = logFile;
        AdminKey = adminKey;
        ConsoleOutput = console;
        DemoSecretKey = SecretKeyPattern().Match(console).Value;
        DemoPublishableKey = PublishableKeyPattern().Match(console).Value;
    }

    public Uri BaseAddress { get; }

    /// <summary>The plain-text HTTP/2 (h2c) gRPC address, when started with <c>withGrpcPort: true</c>.</summary>
    public Uri? GrpcAddress { get; private init; }

    public string DataDirectory { get; }

    public string LogFile { get; }

    public string AdminKey { get; }

    /// <summary>What the gateway printed on first start (the demo keys).</summary>
    public string ConsoleOutput { get; }

    public string DemoSecretKey { get; }

    public string DemoPublishableKey { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a gateway; a port found free but taken before Kestrel bound it means another try on fresh ports and a fresh data directory.</summary>
    public static Task<GatewayServer> StartAsync(IDictionary<string, string?>? settings = null, bool withGrpcPort = false) =>
        LoopbackPorts.StartAsync(() => StartOnceAsync(settings, withGrpcPort));

    private static async Task<GatewayServer> StartOnceAsync(IDictionary<string, string?>? settings, bool withGrpcPort)
    {
        var grpcAddress = withGrpcPort ? new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}") : null;
        var port = LoopbackPorts.Free();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var dataDirectory = Path.Combine(TestRoot, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var logFile = Path.Combine(dataDirectory, "gateway.log");
        var adminKey = "admin_test_" + Guid.NewGuid().ToString("N");

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Development",
            ContentRootPath = AppContext.BaseDirectory,
        });
        var config = new Dictionary<string, string?>
        {
            ["PaymentGateway:DataDirectory"] = dataDirectory,
            ["PaymentGateway:AdminKey"] = adminKey,
            ["PaymentGateway:PublicBaseUrl"] = baseAddress.ToString().TrimEnd('/'),
            ["PaymentGateway:Reconciler:Interval"] = "00:00:00.200",
            ["PaymentGateway:Reconciler:MinAge"] = "00:00:00.100",
            ["PaymentGateway:Webhooks:AllowPrivateNetworks"] = "true", // test receivers listen on 127.0.0.1
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",

            // No gRPC port unless asked for (appsettings.json opens 5081, which parallel test gateways cannot share).
            ["PaymentGateway:GrpcUrl"] = grpcAddress?.ToString().TrimEnd('/') ?? string.Empty,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(config);
        builder.WebHost.UseUrls(baseAddress.ToString());
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new FileLoggerProvider(logFile));
        builder.AddPaymentGateway();

        var app = builder.Build();
        var console = new StringWriter();
        await app.InitializePaymentGatewayAsync(console);
        app.MapPaymentGateway();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new GatewayServer(app, baseAddress, dataDirectory, logFile, adminKey, console.ToString()) { GrpcAddress = grpcAddress };
    }

    /// <summary>A client with the given bearer key (or none).</summary>
    public GatewayClient Client(string? key) => new(new HttpClient { BaseAddress = BaseAddress }, key);

    /// <summary>Creates a merchant through the admin API, with test secret and publishable keys.</summary>
    public async Task<TestMerchant> CreateMerchantAsync(string name = "Test merchant", bool withLiveKeys = false)
    {
        var admin = Client(AdminKey);
        var merchant = await admin.PostAsync("/v1/merchants", new { name });
        merchant.EnsureStatus(200);
        var id = merchant.Json.GetProperty("id").GetString() ?? throw new InvalidOperationException("no id");
        async Task<string> KeyAsync(string type, bool livemode)
        {
            var key = await admin.PostAsync($"/v1/merchants/{id}/api_keys", new { type, livemode });
            key.EnsureStatus(200);
            return key.Json.GetProperty("secret").GetString() ?? throw new InvalidOperationException("no secret");
        }

        return new TestMerchant(
            id,
            await KeyAsync("secret", false),
            await KeyAsync("publishable", false),
            withLiveKeys ? await KeyAsync("secret", true) : null,
            withLiveKeys ? await KeyAsync("publishable", true) : null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [GeneratedRegex(@"sk_test_[A-Za-z0-9]{32}")]
    private static partial Regex SecretKeyPattern();

    [GeneratedRegex(@"pk_test_[A-Za-z0-9]{32}")]
    private static partial Regex PublishableKeyPattern();
}

public sealed record TestMerchant(string Id, string SecretKey, string PublishableKey, string? LiveSecretKey, string? LivePublishableKey);

/// <summary>Writes every log entry, with its message and all structured properties, to one file.</summary>
internal sealed class FileLoggerProvider(string path) : ILoggerProvider
{
    private readonly BlockingCollection<string> _lines = [];
    private readonly object _gate = new();

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    public void Dispose() => _lines.Dispose();

    private void Write(string line)
    {
        lock (_gate)
        {
            File.AppendAllText(path, line + Environment.NewLine);
        }
    }

    private sealed class FileLogger(FileLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : string.Empty;
            owner.Write($"{DateTimeOffset.UtcNow:O} {logLevel} {category} {formatter(state, exception)} {properties} {exception}");
        }
    }
}
