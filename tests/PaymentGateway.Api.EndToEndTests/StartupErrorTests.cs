using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Host.Startup;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>
/// Start-up errors as an operator meets them: the real gateway process, Production environment, configured by
/// environment variables. Every configuration or environment problem ends with exit code 1 and ONE line on standard
/// error naming the setting or path and what to do, and no stack trace anywhere (docs/operations.md, "Start-up errors").
/// </summary>
public sealed class StartupErrorTests
{
    private static readonly string StrongAdminKey = "adm_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static Dictionary<string, string?> Settings(string? dataDirectory = null, Dictionary<string, string?>? extra = null)
    {
        dataDirectory ??= NewDirectory();
        var settings = new Dictionary<string, string?>
        {
            ["PaymentGateway:DataDirectory"] = dataDirectory,
            ["PaymentGateway:AdminKey"] = StrongAdminKey,
            ["PaymentGateway:Vault:Keys"] = "k1:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["PaymentGateway:Vault:FingerprintKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["PaymentGateway:GrpcUrl"] = string.Empty,
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    private static string NewDirectory()
    {
        var directory = Path.Combine(GatewayServer.TestRoot, "startup-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }

    private static string FreeUrl() => $"http://127.0.0.1:{ExternalProcess.FreeLoopbackPort()}";

    private static Task<GatewayExit> StartAsync(Dictionary<string, string?> settings) => GatewayCommand.RunAsync(settings, "--urls", FreeUrl());

    /// <summary>The runbook's <c>host check-config</c> line, after the program and the dll, plus <paramref name="more"/>.</summary>
    private static string[] CheckConfigArguments(params string[] more) =>
        [.. RunbookCommands.Split(RunbookCommands.CheckConfig, "/opt/paymentgateway").Arguments.Skip(1), .. more];

    private static string AssertOneLineFailure(GatewayExit exit, params string[] mentions)
    {
        Assert.True(exit.ExitCode == 1, $"exit code {exit.ExitCode}\nstdout:\n{exit.StandardOutput}\nstderr:\n{exit.StandardError}");
        var line = Assert.Single(exit.ErrorLines);
        Assert.StartsWith("PaymentGateway could not start: ", line, StringComparison.Ordinal);
        foreach (var mention in mentions)
        {
            Assert.Contains(mention, line, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("   at ", exit.StandardOutput + exit.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", exit.StandardOutput + exit.StandardError, StringComparison.Ordinal);
        return line;
    }

    [Fact]
    public async Task Start_WeakAdminKey_Exits1NamingTheSetting()
    {
        var exit = await StartAsync(Settings(extra: new() { ["PaymentGateway:AdminKey"] = "admin-admin-admin-admin-admin-admin-admin" }));
        AssertOneLineFailure(exit, "PaymentGateway:AdminKey is too weak", "openssl rand -hex 32");
    }

    [Fact]
    public async Task Start_PlaceholderAdminKeyOfTheExampleEnvironment_Exits1NamingTheSetting()
    {
        // The value an operator copies from deploy/gateway.env.example: 39 characters, 16 different, ~150 bits by the
        // entropy estimate, so only the placeholder check stops it.
        var placeholder = File.ReadLines(RepositoryFiles.DeployPath("gateway.env.example"))
            .Single(l => l.StartsWith("PaymentGateway__AdminKey=", StringComparison.Ordinal))["PaymentGateway__AdminKey=".Length..];
        Assert.True(placeholder.Length >= 32 && StartupChecks.EstimatedBits(placeholder) >= 96, placeholder);
        var exit = await StartAsync(Settings(extra: new() { ["PaymentGateway:AdminKey"] = placeholder }));
        AssertOneLineFailure(exit, "PaymentGateway:AdminKey is a placeholder", "openssl rand -hex 32");
        Assert.DoesNotContain(placeholder, exit.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("please-replace-this-with-something-long-and-random-1")]
    [InlineData("MySuperSecretAdminValueForProduction2026!")]
    [InlineData("qwertyuiopasdfghjklzxcvbnm1234567890QWERTY")]
    public async Task CheckConfig_ObviousPlaceholderAdminKey_Exits1(string adminKey)
    {
        var exit = await GatewayCommand.RunAsync(Settings(extra: new() { ["PaymentGateway:AdminKey"] = adminKey }), CheckConfigArguments());
        AssertOneLineFailure(exit, "PaymentGateway:AdminKey is a placeholder");
    }

    [Fact]
    public async Task Start_NoAdminKeyOutsideDevelopment_Exits1WithoutGeneratingOne()
    {
        var directory = NewDirectory();
        var exit = await StartAsync(Settings(directory, new() { ["PaymentGateway:AdminKey"] = null }));
        AssertOneLineFailure(exit, "PaymentGateway:AdminKey is not set");
        Assert.False(File.Exists(Path.Combine(directory, "gateway.db")), "nothing was created before the check");
    }

    [Fact]
    public async Task Start_NamedAdminKeysOnlyWithoutAnActiveNamedKey_Exits1SayingHowToCreateOne()
    {
        var exit = await StartAsync(Settings(extra: new() { ["PaymentGateway:AdminKey"] = null, ["PaymentGateway:NamedAdminKeysOnly"] = "true" }));
        AssertOneLineFailure(exit, "PaymentGateway:NamedAdminKeysOnly is true and the database holds no active named admin key", "POST /v1/admin_keys");
    }

    [Fact]
    public async Task Start_MissingVaultKeyFile_Exits1NamingThePath()
    {
        var directory = NewDirectory();
        var keyFile = Path.Combine(directory, "secrets", "vault-keys.json");
        var exit = await StartAsync(Settings(directory, new() { ["PaymentGateway:Vault:Keys"] = null, ["PaymentGateway:Vault:FingerprintKey"] = null, ["PaymentGateway:Vault:KeyFile"] = keyFile }));
        AssertOneLineFailure(exit, keyFile, "PaymentGateway:Vault:KeyFile", "make-secrets.sh");
    }

    [Fact]
    public async Task Start_PlaceholderVaultKey_Exits1NamingTheSetting()
    {
        var exit = await StartAsync(Settings(extra: new() { ["PaymentGateway:Vault:Keys"] = "k1:CHANGE_ME" }));
        AssertOneLineFailure(exit, "PaymentGateway:Vault:Keys", "malformed", "openssl rand -base64 32");
    }

    [Fact]
    public async Task Start_MalformedVaultKeyFile_Exits1NamingThePath()
    {
        var directory = NewDirectory();
        var keyFile = Path.Combine(directory, "vault-keys.json");
        await File.WriteAllTextAsync(keyFile, "{ \"active_key_id\": \"k1\", ");
        var exit = await StartAsync(Settings(directory, new() { ["PaymentGateway:Vault:Keys"] = null, ["PaymentGateway:Vault:FingerprintKey"] = null }));
        AssertOneLineFailure(exit, keyFile, "malformed");
    }

    [Fact]
    public async Task Start_ReadOnlyDataDirectory_Exits1NamingThePath()
    {
        var directory = NewDirectory();
        var root = Environment.UserName == "root";

        // root writes through permission bits, so as root the directory is made immutable instead.
        var (program, on, off) = root ? ("chattr", new[] { "+i", directory }, new[] { "-i", directory }) : ("chmod", ["555", directory], ["755", directory]);
        Assert.Equal(0, await RunToolAsync(program, on));
        try
        {
            var exit = await StartAsync(Settings(directory));
            AssertOneLineFailure(exit, $"PaymentGateway:DataDirectory '{directory}' is not writable", "write access");
        }
        finally
        {
            await RunToolAsync(program, off);
        }
    }

    [Fact]
    public async Task Start_DataDirectoryUnderAFile_Exits1NamingThePath()
    {
        var file = Path.Combine(NewDirectory(), "not-a-directory");
        await File.WriteAllTextAsync(file, "x");
        var exit = await StartAsync(Settings(Path.Combine(file, "data")));
        AssertOneLineFailure(exit, $"PaymentGateway:DataDirectory '{Path.Combine(file, "data")}' cannot be created");
    }

    [Fact]
    public async Task Start_PortInUse_Exits1BeforeAnyBanner()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var settings = Settings();
        var exit = await GatewayCommand.RunAsync(settings, "--urls", $"http://127.0.0.1:{port}");
        AssertOneLineFailure(exit, $"Port {port} on 127.0.0.1 is already in use", "--urls");
        Assert.DoesNotContain("=====", exit.StandardOutput, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(settings["PaymentGateway:DataDirectory"] ?? string.Empty, "gateway.db")), "no database before the ports are known free");
    }

    [Fact]
    public async Task Start_GrpcPortInUse_Exits1NamingGrpcUrl()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var exit = await StartAsync(Settings(extra: new() { ["PaymentGateway:GrpcUrl"] = $"http://127.0.0.1:{port}" }));
        AssertOneLineFailure(exit, $"Port {port}", "PaymentGateway:GrpcUrl");
    }

    [Fact]
    public async Task Start_SecondGatewayOnTheSameSqliteDirectory_Exits1NamingTheLock()
    {
        var settings = Settings();
        var directory = settings["PaymentGateway:DataDirectory"] ?? string.Empty;
        await using var first = await GatewayProcess.StartAsync(settings, directory);
        var exit = await StartAsync(settings);
        AssertOneLineFailure(exit, $"Another gateway is already running on the SQLite data directory '{directory}'", "PostgreSQL");
        (await first.Client(StrongAdminKey).GetAsync("/v1/merchants")).EnsureStatus(200); // the first one is untouched
    }

    [Fact]
    public async Task Start_MalformedConnectionString_Exits1NamingTheSetting()
    {
        var exit = await StartAsync(Settings(extra: new() { ["PaymentGateway:Storage:Engine"] = "postgres", ["PaymentGateway:Storage:ConnectionString"] = "Host=127.0.0.1;Colour=blue" }));
        AssertOneLineFailure(exit, "PaymentGateway:Storage:ConnectionString is not a valid connection string");
    }

    [Fact]
    public async Task Start_UnreachablePostgres_Exits1AfterTheBoundedRetry()
    {
        var port = ExternalProcess.FreeLoopbackPort(); // nothing listens there
        var exit = await StartAsync(Settings(extra: new()
        {
            ["PaymentGateway:Storage:Engine"] = "postgres",
            ["PaymentGateway:Storage:ConnectionString"] = $"Host=127.0.0.1;Port={port};Database=gateway;Username=gateway",
            ["PaymentGateway:Storage:StartupTimeout"] = "00:00:03",
        }));
        AssertOneLineFailure(exit, $"PostgreSQL at 127.0.0.1:{port} is unreachable", "in 3 s", "PaymentGateway:Storage:StartupTimeout");
        Assert.True(exit.Elapsed >= TimeSpan.FromSeconds(3), $"retried for the whole timeout, not {exit.Elapsed}");
        Assert.True(exit.Elapsed < TimeSpan.FromSeconds(60), $"bounded: {exit.Elapsed}");
    }

    [Fact]
    public async Task CheckConfig_ValidConfiguration_Exits0WithoutCreatingTheDatabase()
    {
        var settings = Settings();
        var exit = await GatewayCommand.RunAsync(settings, CheckConfigArguments("--urls", FreeUrl()));
        Assert.True(exit.ExitCode == 0, exit.StandardOutput + exit.StandardError);
        Assert.Contains("configuration OK (Production, storage sqlite)", exit.StandardOutput, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(settings["PaymentGateway:DataDirectory"] ?? string.Empty, "gateway.db")), "check-config does not start or migrate");
    }

    [Fact]
    public async Task CheckConfig_BadPublicBaseUrl_Exits1NamingTheSetting()
    {
        var exit = await GatewayCommand.RunAsync(Settings(extra: new() { ["PaymentGateway:PublicBaseUrl"] = "pay.example.com/shop" }), CheckConfigArguments());
        Assert.Equal(1, exit.ExitCode);
        var line = Assert.Single(exit.ErrorLines);
        Assert.Contains("PaymentGateway:PublicBaseUrl must be an absolute", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckConfig_WeakAdminKey_Exits1LikeStartUp()
    {
        var exit = await GatewayCommand.RunAsync(Settings(extra: new() { ["PaymentGateway:AdminKey"] = "short" }), CheckConfigArguments());
        AssertOneLineFailure(exit, "PaymentGateway:AdminKey is too weak");
    }

    [Fact]
    public async Task Production_SeedDemoMerchantTrue_StartsWithoutDemoMerchantOrKeys()
    {
        await using var node = await GatewayProcess.StartAsync(Settings(extra: new() { ["PaymentGateway:SeedDemoMerchant"] = "true" }));
        var output = node.Output();
        Assert.DoesNotContain("Demo secret key", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Admin key:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("sk_test_", output, StringComparison.Ordinal);
        var merchants = (await node.Client(StrongAdminKey).GetAsync("/v1/merchants")).EnsureStatus(200);
        Assert.Equal(0, merchants.Json.GetProperty("data").GetArrayLength());
    }

    private static async Task<int> RunToolAsync(string program, string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { UseShellExecute = false }) ?? throw new InvalidOperationException(program);
        await process.WaitForExitAsync();
        return process.ExitCode;
    }
}
