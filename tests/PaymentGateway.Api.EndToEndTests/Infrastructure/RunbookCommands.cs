namespace PaymentGateway.Api.EndToEndTests.Infrastructure;

/// <summary>
/// The command lines docs/operations.md gives, as templates: the tests run them with their own paths and
/// <c>OperationsRunbookTests</c> checks the runbook prints them with its placeholders, so the two cannot drift apart.
/// </summary>
public static class RunbookCommands
{
    /// <summary>A self-signed certificate for {0} in the current directory.</summary>
    public const string SelfSignedCertificate =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 -subj /CN={0} -addext subjectAltName=DNS:{0} -keyout privkey.pem -out fullchain.pem";

    /// <summary>Checks the nginx configuration under the prefix {0}.</summary>
    public const string NginxCheck = "nginx -t -p {0} -c {0}/nginx.conf -e stderr";

    /// <summary>nginx in the foreground with the prefix {0}.</summary>
    public const string NginxForeground = "nginx -p {0} -c {0}/nginx.conf -e stderr -g 'daemon off;'";

    /// <summary>Checks the Caddyfile {0}.</summary>
    public const string CaddyValidate = "caddy validate --config {0} --adapter caddyfile";

    /// <summary>Caddy in the foreground with the Caddyfile {0}.</summary>
    public const string CaddyRun = "caddy run --config {0} --adapter caddyfile";

    /// <summary>Validates the gateway's configuration and environment without starting it; the gateway is published to {0}.</summary>
    public const string CheckConfig = "dotnet {0}/PaymentGateway.Host.dll host check-config";

    /// <summary>Applies pending schema migrations with the service's configuration; the gateway is published to {0}.</summary>
    public const string Migrate = "dotnet {0}/PaymentGateway.Host.dll host migrate";

    /// <summary>An online backup of the SQLite database and the vault key file into the new directory {0}.</summary>
    public const string Backup = "dotnet /opt/paymentgateway/PaymentGateway.Host.dll host backup --to {0}";

    /// <summary>Restores the backup in {0} into the configured (empty) data directory.</summary>
    public const string Restore = "dotnet /opt/paymentgateway/PaymentGateway.Host.dll host restore --from {0}";

    /// <summary>Re-encrypts every stored secret under the active vault key; the gateway is published to {0}.</summary>
    public const string VaultRewrap = "dotnet {0}/PaymentGateway.Host.dll host vault rewrap";

    /// <summary>A logical backup of the PostgreSQL database {0} into <c>{0}.dump</c> (server from PGHOST, PGPORT, PGUSER, PGPASSFILE).</summary>
    public const string PgDump = "pg_dump --format=custom --file={0}.dump {0}";

    /// <summary>An empty database to restore the dump of {0} into.</summary>
    public const string PgCreateRestoreTarget = "createdb {0}_restored";

    /// <summary>Restores <c>{0}.dump</c> into the database <c>{0}_restored</c>.</summary>
    public const string PgRestore = "pg_restore --exit-on-error --no-owner --dbname={0}_restored {0}.dump";

    /// <summary>Checks the Alertmanager configuration {0}.</summary>
    public const string AmtoolCheck = "amtool check-config {0}";

    /// <summary>
    /// The main configuration that runs deploy/nginx/paymentgateway.conf outside the system service: every path under
    /// the prefix {0} (nginx is started with <see cref="NginxForeground"/>).
    /// </summary>
    public const string NginxMainConfiguration = """
        worker_processes 1;
        pid {0}/nginx.pid;
        error_log stderr notice;
        events { worker_connections 256; }
        http {
            access_log {0}/access.log;
            client_body_temp_path {0}/temp/client_body;
            proxy_temp_path {0}/temp/proxy;
            fastcgi_temp_path {0}/temp/fastcgi;
            uwsgi_temp_path {0}/temp/uwsgi;
            scgi_temp_path {0}/temp/scgi;
            include {0}/paymentgateway.conf;
        }
        """;

    /// <summary>The template with <c>{0}</c> replaced by <paramref name="value"/>, as a shell prints it.</summary>
    public static string Format(string template, string value) => template.Replace("{0}", value, StringComparison.Ordinal);

    /// <summary>
    /// The program and arguments of <paramref name="template"/> filled with <paramref name="value"/>, split as a shell
    /// would split it (spaces separate, single quotes group); <paramref name="value"/> may contain no space.
    /// </summary>
    public static (string Program, string[] Arguments) Split(string template, string value)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in Format(template, value))
        {
            if (c == '\'')
            {
                quoted = !quoted;
            }
            else if (c == ' ' && !quoted)
            {
                words.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        words.Add(current.ToString());
        return (words[0], [.. words.Skip(1)]);
    }
}
