using PaymentGateway.Core.Events;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Payments;

namespace PaymentGateway.Core.Storage;

/// <summary>
/// The one storage contract, as the seams below. Engines (SQLite, PostgreSQL) implement them and pass the same contract
/// test suite; services depend on the seams they use. Writes of payment state go through
/// <see cref="IPaymentStore.CommitAsync"/>: everything in one <see cref="StoreChanges"/> is applied atomically, updates
/// are checked against the version they were read at, and events land in the same transaction.
/// </summary>
public interface IGatewayStore : IPaymentStore, IEventStore, IMerchantStore, IIdempotencyStore, ILeaseStore, IWebhookStore,
    IBankTransferStore, IDirectDebitStore, IMandateStore, IProviderBankTransferStore, IRoutingStore, ICheckoutStore
{
    /// <summary>Creates or upgrades the schema.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);
}

/// <summary>Payments, their refunds and payment methods, and the atomic commit of payment state with its events.</summary>
public interface IPaymentStore
{
    /// <summary>Applies all changes atomically. Throws <see cref="ConcurrencyConflictException"/> when a version check fails.</summary>
    Task CommitAsync(StoreChanges changes, CancellationToken cancellationToken);

    Task<Payment?> GetPaymentAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken);

    /// <summary>Reads a payment by id alone; for background work and provider callbacks, never for API callers.</summary>
    Task<Payment?> GetPaymentByIdAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<Payment>> ListPaymentsAsync(string merchantId, bool livemode, PaymentListQuery query, CancellationToken cancellationToken);

    /// <summary>Payments in <see cref="PaymentStatus.Processing"/> not touched since <paramref name="updatedBefore"/>, oldest first.</summary>
    Task<IReadOnlyList<Payment>> ListStaleProcessingPaymentsAsync(DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken);

    Task<Refund?> GetRefundAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<Refund>> ListRefundsAsync(string merchantId, bool livemode, string? paymentId, ListQuery query, CancellationToken cancellationToken);

    Task<IReadOnlyList<Refund>> ListStalePendingRefundsAsync(DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken);

    Task<StoredPaymentMethod?> GetPaymentMethodAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken);
}

/// <summary>The event log (the outbox that webhooks fan out from).</summary>
public interface IEventStore
{
    Task<GatewayEvent?> GetEventAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<GatewayEvent>> ListEventsAsync(string merchantId, bool livemode, EventListQuery query, CancellationToken cancellationToken);
}

/// <summary>Merchants, their API keys and the gateway's settings.</summary>
public interface IMerchantStore
{
    Task<Merchant?> GetMerchantAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<Merchant>> ListMerchantsAsync(CancellationToken cancellationToken);

    Task<ApiKeyRecord?> FindApiKeyByHashAsync(string keyHash, CancellationToken cancellationToken);

    Task<string?> GetSettingAsync(string name, CancellationToken cancellationToken);
}

/// <summary>Idempotency keys: claim, complete, release and purge. The store decides, so it holds across nodes.</summary>
public interface IIdempotencyStore
{
    /// <summary>Claims or re-enters an idempotency key. The store decides, so it holds across nodes.</summary>
    Task<IdempotencyBeginResult> BeginIdempotentRequestAsync(IdempotencyBeginRequest request, CancellationToken cancellationToken);

    /// <summary>Stores the response for replay.</summary>
    Task CompleteIdempotentRequestAsync(IdempotencyCompletion completion, CancellationToken cancellationToken);

    /// <summary>Unlocks a key without a stored response (the request failed on our side); its reserved id is kept for the retry.</summary>
    Task ReleaseIdempotentRequestAsync(string merchantId, string key, CancellationToken cancellationToken);

    Task<int> PurgeIdempotencyKeysAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken);
}

/// <summary>Named leases for background work, so any number of nodes can run it.</summary>
public interface ILeaseStore
{
    /// <summary>Takes or renews a named lease for background work. True when <paramref name="holder"/> holds it now.</summary>
    Task<bool> TryAcquireLeaseAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken);
}

/// <summary>One atomic unit of writes.</summary>
public sealed class StoreChanges
{
    public List<Payment> NewPayments { get; } = [];

    /// <summary>Updated payments; each is written only if the stored version still equals its <see cref="Payment.Version"/>.</summary>
    public List<Payment> UpdatedPayments { get; } = [];

    public List<Refund> NewRefunds { get; } = [];

    public List<Refund> UpdatedRefunds { get; } = [];

    public List<StoredPaymentMethod> NewPaymentMethods { get; } = [];

    public List<GatewayEvent> Events { get; } = [];

    public List<Merchant> NewMerchants { get; } = [];

    public List<ApiKeyRecord> NewApiKeys { get; } = [];

    public Dictionary<string, string> Settings { get; } = [];

    public bool IsEmpty =>
        NewPayments.Count == 0 && UpdatedPayments.Count == 0 && NewRefunds.Count == 0 && UpdatedRefunds.Count == 0 &&
        NewPaymentMethods.Count == 0 && Events.Count == 0 && NewMerchants.Count == 0 && NewApiKeys.Count == 0 && Settings.Count == 0;
}

/// <summary>Thrown by <see cref="IGatewayStore.CommitAsync"/> when another writer changed a row first. Nothing was written.</summary>
public sealed class ConcurrencyConflictException(string objectId)
    : Exception($"Object {objectId} was changed by another request.")
{
    public string ObjectId { get; } = objectId;
}

/// <summary>Cursor pagination over id order (ids sort by creation time), newest first.</summary>
public record ListQuery
{
    public int Limit { get; init; } = 10;
    public string? StartingAfter { get; init; }
    public string? EndingBefore { get; init; }
    public DateTimeOffset? CreatedGte { get; init; }
    public DateTimeOffset? CreatedLt { get; init; }
}

public sealed record PaymentListQuery : ListQuery
{
    public PaymentStatus? Status { get; init; }
}

public sealed record EventListQuery : ListQuery
{
    public string? Type { get; init; }
    public string? ObjectId { get; init; }
}

public sealed record IdempotencyBeginRequest
{
    public required string MerchantId { get; init; }
    public required string Key { get; init; }
    public required string RequestHash { get; init; }
    public required DateTimeOffset Now { get; init; }
    public required TimeSpan LockDuration { get; init; }
}

public enum IdempotencyBeginOutcome
{
    /// <summary>This request owns the key now; go ahead.</summary>
    Started,
    /// <summary>A response is stored; send it back.</summary>
    Replay,
    /// <summary>Another request with this key is running.</summary>
    InUse,
    /// <summary>The key was used for a different request.</summary>
    Mismatch,
}

public sealed record IdempotencyBeginResult
{
    public required IdempotencyBeginOutcome Outcome { get; init; }

    /// <summary>A random value reserved for this key at first use, the same for every retry; services derive object ids from it.</summary>
    public string? RecoverySeed { get; init; }

    public int ResponseStatus { get; init; }

    public string? ResponseBody { get; init; }
}

public sealed record IdempotencyCompletion
{
    public required string MerchantId { get; init; }
    public required string Key { get; init; }
    public required int ResponseStatus { get; init; }
    public required string ResponseBody { get; init; }
}
