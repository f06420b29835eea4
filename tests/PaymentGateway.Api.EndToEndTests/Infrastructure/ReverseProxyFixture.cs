namespace PaymentGateway.Api.EndToEndTests.Infrastructure;

/// <summary>
/// One gateway process configured as docs/operations.md says for a reverse proxy (REST and h2c gRPC on loopback,
/// X-Forwarded-* believed from 127.0.0.1 only), with Debian's nginx and Caddy in front of it, each terminating TLS with
/// a certificate openssl made for <see cref="HostName"/>. The proxies run deploy/nginx/paymentgateway.conf and
/// deploy/caddy/Caddyfile as they are, with only addresses, ports and certificate paths swapped (nginx by text
/// replacement, Caddy through its environment variables), each in the foreground with its own prefix and temporary
/// folders under the test root (never the system service). PublicBaseUrl is deliberately left empty, so the checkout
/// URLs the tests see come from the forwarded headers alone. Everything is stopped on dispose.
/// </summary>
public sealed class ReverseProxyFixture : IAsyncLifetime
{
    public const string HostName = "pay.example.test";

    private readonly List<IAsyncDisposable> _started = [];

    public string Directory { get; } = Path.Combine(GatewayServer.TestRoot, "reverse-proxy-" + Guid.NewGuid().ToString("N")[..12]);

    public string AdminKey { get; } = "admin_test_" + Guid.NewGuid().ToString("N");

    public GatewayProcess? Gateway { get; private set; }

    public int GrpcPort { get; private set; }

    public SelfSignedCertificate? Certificate { get; private set; }

    public int NginxPort { get; private set; }

    public int CaddyPort { get; private set; }

    public async Task InitializeAsync()
    {
        if (new[] { "nginx", "caddy", "openssl" }.Any(p => ExternalProcess.Find(p) is null) && !ToolFactAttribute.IsCi)
        {
            return; // the tests are skipped (ToolFact)
        }

        try
        {
            await StartAsync();
        }
        catch
        {
            await DisposeAsync(); // whatever started is stopped even when a later part fails
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var started in Enumerable.Reverse(_started))
        {
            await started.DisposeAsync();
        }

        _started.Clear();
    }

    private async Task StartAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        Certificate = await SelfSignedCertificate.CreateAsync(Path.Combine(Directory, "tls"), HostName);
        GrpcPort = ExternalProcess.FreeLoopbackPort();
        var secrets = await RepositoryFiles.MakeSecretsAsync(Path.Combine(Directory, "secrets"));
        Gateway = await GatewayProcess.StartAsync(new Dictionary<string, string?>
        {
            ["PaymentGateway:AdminKey"] = AdminKey,
            ["PaymentGateway:Vault:KeyFile"] = Path.Combine(secrets, "vault-keys.json"), // as compose.yaml mounts it
            ["PaymentGateway:GrpcUrl"] = $"http://127.0.0.1:{GrpcPort}",
            ["PaymentGateway:PublicBaseUrl"] = string.Empty,
            ["PaymentGateway:ForwardedHeaders:KnownProxies"] = "127.0.0.1",
        });
        _started.Add(Gateway);
        NginxPort = await StartNginxAsync(Gateway.BaseAddress.Port, Certificate);
        CaddyPort = await StartCaddyAsync(Gateway.BaseAddress.Port, Certificate);
    }

    private async Task<int> StartNginxAsync(int restPort, SelfSignedCertificate certificate)
    {
        const string file = "deploy/nginx/paymentgateway.conf";
        var prefix = Path.Combine(Directory, "nginx");
        System.IO.Directory.CreateDirectory(Path.Combine(prefix, "temp"));
        var port = ExternalProcess.FreeLoopbackPort();
        var site = RepositoryFiles.ReadDeployFile("nginx/paymentgateway.conf");
        site = RepositoryFiles.ReplaceOnce(site, "listen 443 ssl http2;", $"listen 127.0.0.1:{port} ssl http2;", file);
        site = RepositoryFiles.ReplaceOnce(site, "server_name pay.example.com;", $"server_name {HostName};", file);
        site = RepositoryFiles.ReplaceOnce(site, "/etc/ssl/paymentgateway/fullchain.pem", certificate.CertificateFile, file);
        site = RepositoryFiles.ReplaceOnce(site, "/etc/ssl/paymentgateway/privkey.pem", certificate.KeyFile, file);
        site = RepositoryFiles.ReplaceOnce(site, "server 127.0.0.1:8080;", $"server 127.0.0.1:{restPort};", file);
        site = RepositoryFiles.ReplaceOnce(site, "server 127.0.0.1:8090;", $"server 127.0.0.1:{GrpcPort};", file);
        await File.WriteAllTextAsync(Path.Combine(prefix, "paymentgateway.conf"), site);

        // The main context Debian's /etc/nginx/nginx.conf would give, with every path inside the prefix.
        await File.WriteAllTextAsync(Path.Combine(prefix, "nginx.conf"), RunbookCommands.Format(RunbookCommands.NginxMainConfiguration, prefix));

        var (check, checkArguments) = RunbookCommands.Split(RunbookCommands.NginxCheck, prefix);
        var (exitCode, output) = await ExternalProcess.RunAsync(check, checkArguments, Path.Combine(prefix, "nginx-t.log"));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"nginx -t rejected {file}:\n{output}");
        }

        var (program, arguments) = RunbookCommands.Split(RunbookCommands.NginxForeground, prefix);
        var nginx = ExternalProcess.Start(program, arguments, Path.Combine(prefix, "nginx.log"));
        _started.Add(nginx);
        await nginx.WaitForPortAsync(port);
        return port;
    }

    private async Task<int> StartCaddyAsync(int restPort, SelfSignedCertificate certificate)
    {
        var home = Path.Combine(Directory, "caddy");
        System.IO.Directory.CreateDirectory(home);
        var port = ExternalProcess.FreeLoopbackPort();
        var redirectPort = ExternalProcess.FreeLoopbackPort();

        // Global options come first in a Caddyfile: here, no admin endpoint, loopback only, ports chosen now, and
        // certificates storage inside the test folder. The site block below them is deploy/caddy/Caddyfile unchanged.
        var caddyfile = Path.Combine(home, "Caddyfile");
        await File.WriteAllTextAsync(caddyfile, $$"""
            {
            	admin off
            	default_bind 127.0.0.1
            	http_port {{redirectPort}}
            	https_port {{port}}
            	storage file_system {{home}}/storage
            }

            """ + RepositoryFiles.ReadDeployFile("caddy/Caddyfile"));
        var environment = new Dictionary<string, string>
        {
            ["PAYMENTGATEWAY_HOST"] = HostName,
            ["PAYMENTGATEWAY_TLS"] = $"{certificate.CertificateFile} {certificate.KeyFile}",
            ["PAYMENTGATEWAY_REST_UPSTREAMS"] = $"127.0.0.1:{restPort}",
            ["PAYMENTGATEWAY_GRPC_UPSTREAMS"] = $"h2c://127.0.0.1:{GrpcPort}",
            ["HOME"] = home,
            ["XDG_CONFIG_HOME"] = Path.Combine(home, "config"),
            ["XDG_DATA_HOME"] = Path.Combine(home, "data"),
        };
        var (validate, validateArguments) = RunbookCommands.Split(RunbookCommands.CaddyValidate, caddyfile);
        var (exitCode, output) = await ExternalProcess.RunAsync(validate, validateArguments, Path.Combine(home, "caddy-validate.log"), environment);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"caddy validate rejected deploy/caddy/Caddyfile:\n{output}");
        }

        var (program, arguments) = RunbookCommands.Split(RunbookCommands.CaddyRun, caddyfile);
        var caddy = ExternalProcess.Start(program, arguments, Path.Combine(home, "caddy.log"), environment);
        _started.Add(caddy);
        await caddy.WaitForPortAsync(port);
        return port;
    }
}
