using System.Data.Common;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Npgsql;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Core;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Vault;
using PaymentGateway.Storage.Postgres;
using PaymentGateway.Storage.Sqlite;

namespace PaymentGateway.Api.EndToEndTests.Operations;

/// <summary>
/// A database as an earlier release left it: the schema of migrations 1..<see cref="Version"/> only, and rows written
/// with that release's SQL (a merchant and its secret key, a tokenized card, a captured payment with a partial refund,
/// its events, a webhook endpoint with its vault-encrypted secret). The vault keys are the test's, so the current
/// gateway can decrypt what the earlier one encrypted.
/// </summary>
public sealed class EarlierReleaseDatabase
{
    /// <summary>The earlier release's schema: issue 7's (before the console, reports, customers and disputes).</summary>
    public const int Version = 7;

    private static readonly DateTimeOffset Written = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    private EarlierReleaseDatabase(string webhookUrl)
    {
        WebhookUrl = webhookUrl;
    }

    /// <summary>Where the earlier release's webhook endpoint sends.</summary>
    public string WebhookUrl { get; }

    public string SecretKey { get; } = "sk_test_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public string MerchantId { get; } = Ids.New("mer", Written);

    public string PaymentMethodId { get; } = Ids.New("pm", Written.AddSeconds(1));

    public string PaymentId { get; } = Ids.New("pay", Written.AddSeconds(2));

    public string RefundId { get; } = Ids.New("re", Written.AddSeconds(3));

    public string EventId { get; } = Ids.New("evt", Written.AddSeconds(2));

    public string EndpointId { get; } = Ids.New("we", Written.AddSeconds(4));

    public string WebhookSecret { get; } = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string VaultKeys { get; } = "k1:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string FingerprintKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The gateway's settings for this database: its vault keys and a strong admin key.</summary>
    public Dictionary<string, string?> Settings(Dictionary<string, string?> storage) => new(storage)
    {
        ["PaymentGateway:AdminKey"] = "adm_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
        ["PaymentGateway:Vault:Keys"] = VaultKeys,
        ["PaymentGateway:Vault:FingerprintKey"] = FingerprintKey,
        ["PaymentGateway:Webhooks:AllowPrivateNetworks"] = "true",
        ["PaymentGateway:Webhooks:PollInterval"] = "00:00:00.200",
    };

    /// <summary>Creates <c>gateway.db</c> in <paramref name="dataDirectory"/> at the earlier release's schema, with its rows.</summary>
    public static async Task<EarlierReleaseDatabase> CreateSqliteAsync(string dataDirectory, string webhookUrl)
    {
        var path = Path.Combine(dataDirectory, "gateway.db");
        await using (var database = new SqliteDatabase(path))
        {
            await new SqliteStoreMaintenance(database).MigrateAsync(Version, CancellationToken.None);
        }

        var release = new EarlierReleaseDatabase(webhookUrl);
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync();
        await release.InsertAsync(connection);
        return release;
    }

    /// <summary>Builds the earlier release's schema and rows in the (empty) PostgreSQL database <paramref name="connectionString"/>.</summary>
    public static async Task<EarlierReleaseDatabase> CreatePostgresAsync(string connectionString, string webhookUrl)
    {
        await using (var database = new PostgresDatabase(connectionString))
        {
            await new PostgresStoreMaintenance(database).MigrateAsync(Version, CancellationToken.None);
        }

        var release = new EarlierReleaseDatabase(webhookUrl);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await release.InsertAsync(connection);
        return release;
    }

    /// <summary>Marks the database as migrated by a release newer than this build (schema version <paramref name="version"/>).</summary>
    public static async Task MarkNewerAsync(DbConnection connection, int version)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO schema_migrations (version, applied_at) VALUES ({version}, 0);";
        await command.ExecuteNonQueryAsync();
    }

    private async Task InsertAsync(DbConnection connection)
    {
        var vault = new CardVault(new VaultKeyRing(
            new Dictionary<string, byte[]> { ["k1"] = Convert.FromBase64String(VaultKeys[3..]) }, "k1", Convert.FromBase64String(FingerprintKey)));
        var created = Written.ToUnixTimeMilliseconds();
        var secretId = Ids.New("wsk", Written.AddSeconds(4));
        var at = Written.ToString("O");
        string[] statements =
        [
            "INSERT INTO merchants (id, created_at, data) VALUES (@merchant, @created, @merchantData)",
            "INSERT INTO api_keys (id, merchant_id, key_hash, data) VALUES (@key, @merchant, @hash, @keyData)",
            "INSERT INTO payment_methods (id, merchant_id, livemode, encrypted_number, data) VALUES (@pm, @merchant, false, @card, @pmData)",
            "INSERT INTO payments (id, merchant_id, livemode, status, created_at, updated_at, version, data) VALUES (@payment, @merchant, false, 'succeeded', @created, @created, 2, @paymentData)",
            "INSERT INTO refunds (id, merchant_id, livemode, payment_id, status, created_at, updated_at, version, data) VALUES (@refund, @merchant, false, @payment, 'succeeded', @created, @created, 1, @refundData)",
            "INSERT INTO events (id, merchant_id, livemode, type, object_id, created_at, data, webhook_pending) VALUES (@event, @merchant, false, 'payment.succeeded', @payment, @created, @eventData, false)",
            "INSERT INTO webhook_endpoints (id, merchant_id, livemode, status, created_at, updated_at, version, data) VALUES (@endpoint, @merchant, false, 'enabled', @created, @created, 0, @endpointData)",
        ];
        var keyId = Ids.New("key", Written);
        var values = new Dictionary<string, object>
        {
            ["merchant"] = MerchantId,
            ["created"] = created,
            ["merchantData"] = $$"""{"id":"{{MerchantId}}","name":"Shop of an earlier release","created":"{{at}}"}""",
            ["key"] = keyId,
            ["hash"] = MerchantService.Hash(SecretKey),
            ["keyData"] = $$"""{"id":"{{keyId}}","merchant_id":"{{MerchantId}}","kind":"secret","livemode":false,"key_hash":"{{MerchantService.Hash(SecretKey)}}","hint":"sk_test_…{{SecretKey[^4..]}}","created":"{{at}}"}""",
            ["pm"] = PaymentMethodId,
            ["card"] = vault.Encrypt(PaymentMethodId, "4242424242424242"),
            ["pmData"] = $$"""{"id":"{{PaymentMethodId}}","merchant_id":"{{MerchantId}}","livemode":false,"type":"card","card":{"brand":"visa","last4":"4242","exp_month":12,"exp_year":2034,"fingerprint":"{{vault.Fingerprint("4242424242424242")}}"},"created":"{{at}}"}""",
            ["payment"] = PaymentId,
            ["paymentData"] = $$"""{"id":"{{PaymentId}}","merchant_id":"{{MerchantId}}","livemode":false,"status":"succeeded","amount":1234,"currency":"EUR","capture_method":"automatic","amount_capturable":0,"amount_received":1234,"amount_refunded":234,"payment_method_id":"{{PaymentMethodId}}","metadata":{"order":"A-17"},"provider":"simulator","provider_reference":"sim_earlier","attempts":[{"id":"att_earlier","provider":"simulator","idempotency_key":"{{PaymentId}}:att_earlier","payment_method_id":"{{PaymentMethodId}}","status":"captured","provider_reference":"sim_earlier","created":"{{at}}","updated":"{{at}}","sync_checks":0,"latency_ms":19}],"created":"{{at}}","updated":"{{at}}","version":2}""",
            ["refund"] = RefundId,
            ["refundData"] = $$"""{"id":"{{RefundId}}","merchant_id":"{{MerchantId}}","livemode":false,"payment_id":"{{PaymentId}}","amount":234,"currency":"EUR","status":"succeeded","metadata":{},"provider":"simulator","provider_reference":"simre_earlier","idempotency_key":"{{PaymentId}}:{{RefundId}}","created":"{{at}}","updated":"{{at}}","version":1}""",
            ["event"] = EventId,
            ["eventData"] = $$"""{"id":"{{PaymentId}}","object":"payment","livemode":false,"status":"succeeded","amount":1234,"currency":"EUR","amount_capturable":0,"amount_received":1234,"amount_refunded":0,"capture_method":"automatic","payment_method":"{{PaymentMethodId}}","metadata":{"order":"A-17"},"created":"{{at}}","updated":"{{at}}"}""",
            ["endpoint"] = EndpointId,
            ["endpointData"] = $$"""{"id":"{{EndpointId}}","merchant_id":"{{MerchantId}}","livemode":false,"url":"{{WebhookUrl}}","enabled_events":["*"],"status":"Enabled","secrets":[{"id":"{{secretId}}","encrypted":"{{vault.Encrypt(Core.Webhooks.WebhookSecret.VaultRecordId(EndpointId, secretId), WebhookSecret)}}","created":"{{at}}"}],"created":"{{at}}","updated":"{{at}}"}""",
        };
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var sql in statements)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = connection is NpgsqlConnection ? JsonbCasts(sql) : sql;
            foreach (var (name, value) in values.Where(v => sql.Contains("@" + v.Key + ",", StringComparison.Ordinal) || sql.Contains("@" + v.Key + ")", StringComparison.Ordinal)))
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value;
                command.Parameters.Add(parameter);
            }

            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    /// <summary>PostgreSQL's jsonb/json columns take the JSON text parameters with a cast.</summary>
    private static string JsonbCasts(string sql) =>
        System.Text.RegularExpressions.Regex.Replace(sql, "@(\\w+Data)\\b", m => m.Value == "@eventData" ? "@eventData::json" : m.Value + "::jsonb");
}
