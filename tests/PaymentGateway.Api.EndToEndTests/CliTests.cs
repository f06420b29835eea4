using System.Text.Json;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Cli;
using PaymentGateway.Sdk.Webhooks;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary><c>pgw</c> against a real gateway on loopback: the tool's own entry point, its outputs and exit codes.</summary>
[Collection(GatewayCollection.Name)]
public sealed class CliTests(GatewayFixture fixture) : IDisposable
{
    private readonly string _config = Path.Combine(GatewayServer.TestRoot, "pgw-" + Guid.NewGuid().ToString("N"));

    private GatewayServer Server => fixture.Server;

    public void Dispose()
    {
        if (Directory.Exists(_config))
        {
            Directory.Delete(_config, recursive: true);
        }
    }

    private sealed record Run(int Exit, string Out, string Error);

    private async Task<Run> PgwAsync(IDictionary<string, string>? variables, CancellationToken ct, params string[] args)
    {
        var vars = new Dictionary<string, string>(variables ?? new Dictionary<string, string>()) { ["PGW_CONFIG_DIR"] = _config };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, new CliEnvironment(TextWriter.Synchronized(output), TextWriter.Synchronized(error), vars), ct);
        return new Run(exit, output.ToString(), error.ToString());
    }

    private Task<Run> PgwAsync(params string[] args) => PgwAsync(null, CancellationToken.None, args);

    private string BaseUrl => Server.BaseAddress.ToString().TrimEnd('/');

    [Fact]
    public async Task Login_SavesTheProfileReadableByItsOwnerOnly_AndLaterCommandsUseIt()
    {
        var merchant = await Server.CreateMerchantAsync();

        var login = await PgwAsync("login", "--api-key", merchant.SecretKey, "--base-url", BaseUrl, "--profile", "shop");
        var trigger = await PgwAsync("trigger", "payment.succeeded", "--profile", "shop");
        var list = await PgwAsync("payments", "list", "--profile", "shop", "--limit", "5");

        Assert.Equal(0, login.Exit);
        Assert.Contains("profile 'shop'", login.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(merchant.SecretKey, login.Out, StringComparison.Ordinal);
        var file = Path.Combine(_config, "config.json");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        Assert.Contains(merchant.SecretKey, await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        Assert.Equal(0, trigger.Exit);
        var paymentId = trigger.Out.Split(' ').Single(w => w.StartsWith("pay_", StringComparison.Ordinal));
        Assert.Equal(0, list.Exit);
        Assert.StartsWith(paymentId, list.Out, StringComparison.Ordinal);
        Assert.Contains("succeeded", list.Out, StringComparison.Ordinal);
    }

    [ToolFact("dbus-daemon", "gnome-keyring-daemon", "secret-tool")]
    public async Task Login_WhereASecretServiceRuns_KeepsTheKeyThere_NotInTheFile_AndLogoutRemovesIt()
    {
        var merchant = await Server.CreateMerchantAsync();
        await using var keyring = await SecretServiceSession.StartAsync(Path.Combine(_config, "home"));
        var bus = new Dictionary<string, string> { ["DBUS_SESSION_BUS_ADDRESS"] = keyring.Address };

        var login = await PgwAsync(bus, CancellationToken.None, "login", "--api-key", merchant.SecretKey, "--base-url", BaseUrl, "--profile", "shop");
        var file = await File.ReadAllTextAsync(Path.Combine(_config, "config.json"));
        var list = await PgwAsync(bus, CancellationToken.None, "payments", "list", "--profile", "shop", "--limit", "1");
        var withoutBus = await PgwAsync("payments", "list", "--profile", "shop");
        var stored = keyring.Lookup("shop");
        var logout = await PgwAsync(bus, CancellationToken.None, "logout", "--profile", "shop");

        Assert.Equal(0, login.Exit);
        Assert.Contains("secret-service key store", login.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(merchant.SecretKey, file, StringComparison.Ordinal);
        using (var saved = JsonDocument.Parse(file))
        {
            var shop = saved.RootElement.GetProperty("profiles").GetProperty("shop");
            Assert.True(shop.GetProperty("key_store").GetString() == "secret-service", file);
            Assert.False(shop.TryGetProperty("api_key", out _), file);
        }
        Assert.Equal(merchant.SecretKey, stored);
        Assert.Equal(0, list.Exit);
        Assert.Equal(ExitCodes.Authentication, withoutBus.Exit);
        Assert.Contains("not reachable here", withoutBus.Error, StringComparison.Ordinal);
        Assert.Equal(0, logout.Exit);
        Assert.Null(keyring.Lookup("shop"));
        Assert.DoesNotContain("\"shop\"", await File.ReadAllTextAsync(Path.Combine(_config, "config.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WithAWrongKey_Exits3_AndSavesNothing()
    {
        var run = await PgwAsync("login", "--api-key", "sk_test_" + new string('x', 32), "--base-url", BaseUrl);

        Assert.Equal(ExitCodes.Authentication, run.Exit);
        Assert.Contains("HTTP 401", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_config, "config.json")));
    }

    [Fact]
    public async Task PaymentsGetAndRefund_JsonIsTheApisJson_AndAnUnknownPaymentExits1WithItsCode()
    {
        var merchant = await Server.CreateMerchantAsync();
        var key = new Dictionary<string, string> { ["PGW_API_KEY"] = merchant.SecretKey, ["PGW_BASE_URL"] = BaseUrl };
        var payment = await Steps.SucceededPaymentAsync(Server, merchant, 2000);

        var refund = await PgwAsync(key, CancellationToken.None, "payments", "refund", payment, "--amount", "300", "--json");
        var get = await PgwAsync(key, CancellationToken.None, "payments", "get", payment, "--json");
        var missing = await PgwAsync(key, CancellationToken.None, "payments", "get", "pay_0000000000000000000000000");

        Assert.Equal(0, refund.Exit);
        using (var json = JsonDocument.Parse(refund.Out))
        {
            Assert.Equal("refund", json.RootElement.GetProperty("object").GetString());
            Assert.Equal(300, json.RootElement.GetProperty("amount").GetInt64());
        }
        Assert.Equal(0, get.Exit);
        using (var json = JsonDocument.Parse(get.Out))
        {
            Assert.Equal(300, json.RootElement.GetProperty("amount_refunded").GetInt64());
        }
        Assert.Equal(ExitCodes.ApiError, missing.Exit);
        Assert.Contains("HTTP 404 resource_missing", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_NoKeyExits3_UnreachableGatewayExits4_UnknownCommandExits2_TriggerWithALiveKeyExits2()
    {
        var merchant = await Server.CreateMerchantAsync(withLiveKeys: true);
        var port = ExternalProcess.FreeLoopbackPort();

        var noKey = await PgwAsync("payments", "list");
        var unreachable = await PgwAsync("payments", "list", "--api-key", merchant.SecretKey, "--base-url", $"http://127.0.0.1:{port}");
        var unknown = await PgwAsync("paymentz", "list");
        var live = await PgwAsync("trigger", "payment.succeeded", "--api-key", merchant.LiveSecretKey!, "--base-url", BaseUrl);

        Assert.Equal(ExitCodes.Authentication, noKey.Exit);
        Assert.Contains("pgw login", noKey.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Unreachable, unreachable.Exit);
        Assert.Contains("nothing was sent", unreachable.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, unknown.Exit);
        Assert.Equal(ExitCodes.Usage, live.Exit);
        Assert.Contains("test", live.Error, StringComparison.Ordinal);
        Assert.Empty(await Server.Client(merchant.LiveSecretKey).GetAsync("/v1/payments").ContinueWith(t => t.Result.EnsureStatus(200).Json.GetProperty("data").EnumerateArray().ToList()));
    }

    [Fact]
    public async Task Listen_ForwardsARealEventToALocalReceiver_SignedWithTheSecretItPrinted()
    {
        var merchant = await Server.CreateMerchantAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var key = new Dictionary<string, string> { ["PGW_API_KEY"] = merchant.SecretKey, ["PGW_BASE_URL"] = BaseUrl };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var output = new StringWriter();
        var outWriter = TextWriter.Synchronized(output);
        var vars = new Dictionary<string, string>(key) { ["PGW_CONFIG_DIR"] = _config };
        var listen = CliApp.RunAsync(["listen", "--forward-to", receiver.Url, "--events", "payment.succeeded", "--count", "1"],
            new CliEnvironment(outWriter, TextWriter.Null, vars), cts.Token);
        while (!output.ToString().Contains("Webhook signing secret", StringComparison.Ordinal) && !listen.IsCompleted)
        {
            await Task.Delay(50, cts.Token);
        }

        var trigger = await PgwAsync(key, cts.Token, "trigger", "payment.succeeded");
        var exit = await listen.WaitAsync(cts.Token);

        Assert.Equal(0, trigger.Exit);
        Assert.Equal(0, exit);
        var secret = output.ToString().Split('\n').Single(l => l.StartsWith("Webhook signing secret: ", StringComparison.Ordinal))["Webhook signing secret: ".Length..].Trim();
        var hook = Assert.Single(receiver.Received);
        var evt = new WebhookVerifier(secret).VerifyEvent(hook.Body, hook.Id, hook.Timestamp, hook.Signature);
        Assert.Equal("payment.succeeded", evt.Type);
        Assert.Equal(hook.Id, evt.Id);
        var paymentId = trigger.Out.Split(' ').Single(w => w.StartsWith("pay_", StringComparison.Ordinal));
        Assert.Contains(paymentId, hook.Body, StringComparison.Ordinal);
        Assert.Contains("<-- [200] POST", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportsCreate_FollowsTheJobWithProgressOnStderr_AndSavesTheSameBytesTheApiServes()
    {
        var merchant = await Server.CreateMerchantAsync();
        var key = new Dictionary<string, string> { ["PGW_API_KEY"] = merchant.SecretKey, ["PGW_BASE_URL"] = BaseUrl, ["PGW_POLL_MS"] = "100" };
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await Steps.SucceededPaymentAsync(Server, merchant, 700 + i));
        }
        Directory.CreateDirectory(_config);
        var file = Path.Combine(_config, "payments.csv");
        var today = DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var tomorrow = DateTimeOffset.UtcNow.AddDays(1).UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var run = await PgwAsync(key, CancellationToken.None, "exports", "create", "payments", "--from", today, "--to", tomorrow, "--status", "succeeded", "-o", file);

        Assert.True(run.Exit == 0, run.Error);
        var exportId = run.Out.Split(' ')[0];
        Assert.Matches("^rpt_[0-9a-z]{29}$", exportId);
        Assert.Contains($"3 rows", run.Out, StringComparison.Ordinal);
        Assert.Contains($"{exportId}  succeeded  100%  3 of 3 rows", run.Error, StringComparison.Ordinal);
        Assert.Contains($"{exportId}  downloading", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(file + ".part"));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/exports/{exportId}/download");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", merchant.SecretKey);
        using var served = await Server.Client(merchant.SecretKey).Http.SendAsync(request);
        var bytes = await served.Content.ReadAsByteArrayAsync();
        Assert.Equal(bytes, await File.ReadAllBytesAsync(file));
        Assert.Equal(ids, (await File.ReadAllLinesAsync(file)).Skip(1).Select(l => l.Split(',')[0]));

        var list = await PgwAsync(key, CancellationToken.None, "exports", "list", "--json");
        Assert.Equal(0, list.Exit);
        using (var json = JsonDocument.Parse(list.Out))
        {
            Assert.Contains(exportId, json.RootElement.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        }
    }

    [Fact]
    public async Task ExportsCreate_WithAnUnreadableDay_Exits2BeforeSendingAnything_AndAnUnknownExportExits1WithItsCode()
    {
        var merchant = await Server.CreateMerchantAsync();
        var key = new Dictionary<string, string> { ["PGW_API_KEY"] = merchant.SecretKey, ["PGW_BASE_URL"] = BaseUrl };

        var badDay = await PgwAsync(key, CancellationToken.None, "exports", "create", "payments", "--from", "yesterday", "--to", "2026-01-02");
        var missing = await PgwAsync(key, CancellationToken.None, "exports", "download", "rpt_00000000000000000000000000000");
        var none = await PgwAsync(key, CancellationToken.None, "exports", "list");

        Assert.Equal(ExitCodes.Usage, badDay.Exit);
        Assert.Contains("--from 'yesterday'", badDay.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.ApiError, missing.Exit);
        Assert.Contains("HTTP 404 resource_missing", missing.Error, StringComparison.Ordinal);
        Assert.Equal((0, string.Empty), (none.Exit, none.Out));
    }
}
