using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Customers;
using PaymentGateway.Core.Idempotency;
using PaymentGateway.Core.Routing;
using PaymentGateway.Core.Webhooks;

namespace PaymentGateway.Core.Vault;

/// <summary>How a column holds vault ciphertexts: the whole value, inside the object's JSON, or inside an XML element.</summary>
public enum VaultColumnShape
{
    Ciphertext,
    Json,
    Xml,
}

/// <summary>
/// One database column that holds vault ciphertexts (<c>v1:{key id}:…</c>), with the columns that identify its rows
/// (the cursor of a re-encryption pass) and how to re-wrap what it holds: each ciphertext's record id is bound into it,
/// so re-wrapping needs to know which record each one belongs to.
/// </summary>
public sealed partial class VaultColumn
{
    private readonly Func<IReadOnlyList<string>, string, Func<string, string, string>, string> _rewrap;

    private VaultColumn(string table, string column, string[] keyColumns, VaultColumnShape shape, Func<IReadOnlyList<string>, string, Func<string, string, string>, string> rewrap)
    {
        Table = table;
        Column = column;
        KeyColumns = keyColumns;
        Shape = shape;
        _rewrap = rewrap;
    }

    /// <summary><c>table.column</c>, for progress lines and the cursor.</summary>
    public string Name => $"{Table}.{Column}";

    public string Table { get; }

    public string Column { get; }

    /// <summary>The row's primary key columns, in order (the pass walks rows in this order).</summary>
    public IReadOnlyList<string> KeyColumns { get; }

    public VaultColumnShape Shape { get; }

    /// <summary>
    /// Every column of both engines that holds a vault ciphertext: card numbers and IBANs, saved cards' stored
    /// credentials, direct-debit files, dispute evidence files, idempotent responses that carried a secret, webhook
    /// endpoint secrets, provider credentials, console users' two-factor secrets, and the console's data-protection keys.
    /// A new encrypted column must be added here (the vault re-encryption tests scan every text column for old key ids).
    /// </summary>
    public static IReadOnlyList<VaultColumn> All { get; } =
    [
        Whole("payment_methods", "encrypted_number", key => key[0]),
        Whole("payment_methods", "credentials", key => SavedCards.CredentialsRecordId(key[0])),
        Whole("direct_debit_batches", "file", key => DirectDebitBatch.VaultRecordId(key[0])),
        Whole("dispute_files", "content", key => key[0]),
        new("idempotency_keys", "response_body", ["merchant_id", "key"], VaultColumnShape.Ciphertext,
            (key, value, rewrap) => value.StartsWith("v1:", StringComparison.Ordinal) ? rewrap(IdempotencyService.RecordId(key[0], key[1]), value) : value),
        new("webhook_endpoints", "data", ["id"], VaultColumnShape.Json, (key, value, rewrap) => RewrapJson(value, data =>
        {
            foreach (var secret in (data["secrets"] as JsonArray ?? []).OfType<JsonObject>())
            {
                Replace(secret, "encrypted", WebhookSecret.VaultRecordId(key[0], (string?)secret["id"] ?? string.Empty), rewrap);
            }
        })),
        new("provider_accounts", "data", ["id"], VaultColumnShape.Json, (key, value, rewrap) => RewrapJson(value, data =>
        {
            if (data["encrypted_credentials"] is JsonObject credentials)
            {
                foreach (var name in credentials.Select(c => c.Key).ToList())
                {
                    Replace(credentials, name, ProviderAccountRecord.VaultRecordId(key[0], name), rewrap);
                }
            }
        })),
        new("console_users", "data", ["id"], VaultColumnShape.Json, (key, value, rewrap) => RewrapJson(value, data =>
        {
            Replace(data, "totp_secret", "totp:" + key[0], rewrap);
            Replace(data, "pending_totp_secret", "totp:" + key[0], rewrap);
        })),
        new("data_protection_keys", "value", ["name"], VaultColumnShape.Xml,
            (_, value, rewrap) => XmlCiphertext().Replace(value, m => m.Groups[1].Value + rewrap(DataProtectionContext, m.Groups[2].Value) + m.Groups[3].Value)),
    ];

    /// <summary>The vault record id of the console's data-protection keys (Host's <c>VaultXmlEncryptor.Context</c>).</summary>
    public const string DataProtectionContext = "dataprotection";

    /// <summary><paramref name="value"/> with every ciphertext in it re-wrapped by <paramref name="rewrap"/> (record id, ciphertext) → ciphertext.</summary>
    public string Rewrap(IReadOnlyList<string> key, string value, Func<string, string, string> rewrap) => _rewrap(key, value, rewrap);

    /// <summary>The key ids of the ciphertexts in <paramref name="value"/>.</summary>
    public static IEnumerable<string> KeyIdsIn(string value) => KeyIdPattern().Matches(value).Select(m => m.Groups[1].Value);

    private static VaultColumn Whole(string table, string column, Func<IReadOnlyList<string>, string> recordId) =>
        new(table, column, ["id"], VaultColumnShape.Ciphertext, (key, value, rewrap) => rewrap(recordId(key), value));

    private static string RewrapJson(string json, Action<JsonObject> visit)
    {
        if (JsonNode.Parse(json) is not JsonObject data)
        {
            return json;
        }

        var before = data.ToJsonString();
        visit(data);
        var after = data.ToJsonString();
        return after == before ? json : after;
    }

    private static void Replace(JsonObject owner, string property, string recordId, Func<string, string, string> rewrap)
    {
        if (owner[property]?.GetValueKind() == System.Text.Json.JsonValueKind.String && (string?)owner[property] is { } blob && blob.StartsWith("v1:", StringComparison.Ordinal))
        {
            var rewrapped = rewrap(recordId, blob);
            if (rewrapped != blob)
            {
                owner[property] = rewrapped;
            }
        }
    }

    [GeneratedRegex("(?<![A-Za-z0-9_-])v1:([A-Za-z0-9_.-]+):")]
    private static partial Regex KeyIdPattern();

    [GeneratedRegex("(<vaultEncrypted[^>]*>)(v1:[^<]+)(</vaultEncrypted>)")]
    private static partial Regex XmlCiphertext();
}

/// <summary>One row of a <see cref="VaultColumn"/>: its key column values and the column's value.</summary>
public sealed record VaultRecordRow(IReadOnlyList<string> Key, string Value);
