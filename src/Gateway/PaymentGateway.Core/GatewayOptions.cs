using System.ComponentModel.DataAnnotations;

namespace PaymentGateway.Core;

/// <summary>Configuration section <c>PaymentGateway</c>.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "PaymentGateway";

    /// <summary>Where the SQLite file and the development vault key file live.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// The configured (bootstrap) admin key. When empty in Development, one is generated on first start and printed
    /// once; outside Development it must be set and strong unless <see cref="NamedAdminKeysOnly"/>.
    /// </summary>
    public string? AdminKey { get; set; }

    /// <summary>
    /// Accept only the named admin keys stored in the database (<c>/v1/admin_keys</c>): the configured
    /// <see cref="AdminKey"/> (and Development's generated one) is refused even if set, and need not be set. Start-up
    /// then requires at least one active named admin key.
    /// </summary>
    public bool NamedAdminKeysOnly { get; set; }

    /// <summary>The largest amount accepted, in minor units.</summary>
    [Range(1, long.MaxValue)]
    public long MaxAmount { get; set; } = 99_999_999;

    /// <summary>The public base URL of this gateway, used in redirect URLs (3-D Secure, checkout).</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>How long idempotency keys and their responses are kept.</summary>
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a request may hold an idempotency key before another may take it over.</summary>
    public TimeSpan IdempotencyLockTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Create a demo merchant with test keys on first start.</summary>
    public bool SeedDemoMerchant { get; set; } = true;

    /// <summary>Largest request body accepted, in bytes.</summary>
    [Range(1024, 10 * 1024 * 1024)]
    public int MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>How often an open <c>GET /v1/events/stream</c> reads the event log for new events.</summary>
    public TimeSpan EventStreamPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    public VaultOptions Vault { get; set; } = new();

    public ReconcilerOptions Reconciler { get; set; } = new();

    public BankTransfers.BankTransferOptions BankTransfers { get; set; } = new();
}

public sealed class VaultOptions
{
    /// <summary>Key-encryption keys as <c>id:base64</c> pairs separated by <c>;</c>. When empty, <see cref="KeyFile"/> is used.</summary>
    public string? Keys { get; set; }

    /// <summary>Which of <see cref="Keys"/> wraps new records.</summary>
    public string? ActiveKeyId { get; set; }

    /// <summary>The base64 key for card fingerprints; must stay the same across key rotations.</summary>
    public string? FingerprintKey { get; set; }

    /// <summary>A JSON key file (relative paths are under the data directory). Generated on first start in development.</summary>
    public string KeyFile { get; set; } = "vault-keys.json";

    /// <summary>How long a CVC is held in memory for its single use.</summary>
    public TimeSpan CvcLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Whether the leased background job re-encrypts stored secrets under the active key (vault_rewrap).</summary>
    public bool RewrapEnabled { get; set; } = true;

    /// <summary>How often the re-encryption job looks for secrets under an older key (it does nothing once a pass under the active key completed).</summary>
    public TimeSpan RewrapInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Rows per re-encryption batch (the cursor is saved after each).</summary>
    public int RewrapBatchSize { get; set; } = 500;

    /// <summary>Batches per pass of the re-encryption job, so one pass holds the lease for a bounded time.</summary>
    public int RewrapBatchesPerPass { get; set; } = 20;
}

public sealed class ReconcilerOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>How often the reconciler looks for unfinished payments.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a payment must sit in processing before the reconciler asks the provider.</summary>
    public TimeSpan MinAge { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long an attempt may stay started (its request still waiting on the provider) before the reconciler treats
    /// the request as dead and asks the provider itself. Must exceed the longest provider call.
    /// </summary>
    public TimeSpan InFlightGrace { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>After this long without an answer the payment is failed.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(3);

    /// <summary>
    /// The longest wait between two sync calls for one payment: after the n-th "still pending" answer the next call is
    /// due after min(MinAge · 2^(n-1), BackoffCap), plus up to 25 % jitter.
    /// </summary>
    public TimeSpan BackoffCap { get; set; } = TimeSpan.FromMinutes(15);
}
