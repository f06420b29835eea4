using Microsoft.Playwright;
using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Browser.Tests.Infrastructure;

/// <summary>
/// One real gateway (Kestrel on loopback), one merchant site, and Debian's Chromium driven by Playwright, shared by the
/// browser tests. Screenshots go to <see cref="ScreenshotDirectory"/>.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>tests/PaymentGateway.Browser.Tests/TestResults/screenshots in the repository (found from the test binaries, never from source paths).</summary>
    public static string ScreenshotDirectory { get; } = FindScreenshotDirectory();

    public GatewayServer Gateway { get; private set; } = null!;

    public MerchantSite Merchant { get; private set; } = null!;

    public TestMerchant Keys { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Expect(...) waits as long as actions do (the 20 s below): its own 5 s default was too short for a page's
        // answer on a loaded 2-core CI run (a 3-D Secure refusal's message seen empty after 5 s).
        Assertions.SetDefaultExpectTimeout(20_000);
        if (!File.Exists(ChromiumPath))
        {
            // BrowserFact skips locally; in CI the suite must fail loudly.
            if (!IsCi)
            {
                return;
            }

            throw new InvalidOperationException($"Chromium is missing at {ChromiumPath}: install Debian's 'chromium' package (.ci/run does).");
        }

        Directory.CreateDirectory(ScreenshotDirectory);
        Console.WriteLine($"Browser test screenshots: {ScreenshotDirectory}");
        var settings = new Dictionary<string, string?>
        {
            ["PaymentGateway:Checkout:MinExpiry"] = "00:00:01", // so the expired-session scenario takes seconds
            ["PaymentGateway:Console:SignInRequestsPerMinute"] = "1000", // the console tests sign in many times from one address
            ["PaymentGateway:Simulator:DisputeDelay"] = DisputeSteps.FastSimulatorDisputes["PaymentGateway:Simulator:DisputeDelay"],
            ["PaymentGateway:Disputes:SyncInterval"] = DisputeSteps.FastSimulatorDisputes["PaymentGateway:Disputes:SyncInterval"],
            ["PaymentGateway:BankTransfers:CollectionAccount:Iban"] = BankStatementSteps.CollectionAccount["PaymentGateway:BankTransfers:CollectionAccount:Iban"],
            ["PaymentGateway:BankTransfers:CollectionAccount:Bic"] = BankStatementSteps.CollectionAccount["PaymentGateway:BankTransfers:CollectionAccount:Bic"],
            ["PaymentGateway:BankTransfers:CollectionAccount:AccountHolderName"] = BankStatementSteps.CollectionAccount["PaymentGateway:BankTransfers:CollectionAccount:AccountHolderName"],
            ["PaymentGateway:BankTransfers:CreditorId"] = BankStatementSteps.CollectionAccount["PaymentGateway:BankTransfers:CreditorId"],
        };
        // Webhook retries in fractions of a second (four attempts in all), so the webhook pages' tests see deliveries fail for good within seconds.
        settings["PaymentGateway:Webhooks:PollInterval"] = "00:00:00.200";
        settings["PaymentGateway:Webhooks:AttemptTimeout"] = "00:00:02";
        settings["PaymentGateway:Webhooks:RetryJitter"] = "0";
        settings["PaymentGateway:Webhooks:RetrySchedule:0"] = "00:00:00.200";
        settings["PaymentGateway:Webhooks:RetrySchedule:1"] = "00:00:00.200";
        settings["PaymentGateway:Webhooks:RetrySchedule:2"] = "00:00:00.200";

        Gateway = await GatewayServer.StartAsync(settings);
        Merchant = await MerchantSite.StartAsync();
        Keys = await Gateway.CreateMerchantAsync("Fine Coffee Ltd");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Merchant is not null)
        {
            await Merchant.DisposeAsync();
        }

        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }
    }

    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900, bool phone = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            IsMobile = phone,
            HasTouch = phone,
            DeviceScaleFactor = phone ? 2 : 1,
            Locale = "en-US",
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    /// <summary>Saves a full-page screenshot as a test artifact and prints where it is.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Console.WriteLine($"screenshot: {path}");
        return path;
    }

    private static string FindScreenshotDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PaymentGateway.sln")))
            {
                return Path.Combine(dir.FullName, "tests", "PaymentGateway.Browser.Tests", "TestResults", "screenshots");
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
