using System.Text.Json;
using Microsoft.Extensions.Logging;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Routing;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Vault;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.Customers;

/// <summary>
/// What the card payment flows need of customers and saved cards (docs/saved-cards.md): the <c>cus_</c> reference
/// checked, a saved method's right to be charged (its merchant, mode, customer and usage), the candidates that can
/// take a setup or off-session payment, the stored-credential data sent to the provider, and, once a provider
/// authorized, the card saved for the customer with what the provider returned (network transaction id, its
/// references), encrypted per provider account.
/// </summary>
public sealed partial class SavedCards(ICustomerStore store, ProviderRegistry providers, CardVault vault, TimeProvider time, ILogger<SavedCards> logger)
{
    private const int ConflictRetries = 3;

    /// <summary>
    /// A payment's <c>customer</c>: free text as before, or, when it starts with <c>cus_</c>, a customer of the caller's
    /// merchant and mode that is not deleted (404 <c>resource_missing</c>, 422 <c>customer_deleted</c>).
    /// </summary>
    public async Task CheckCustomerAsync(CallerContext caller, string? customer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (customer is not null && SavedCardRequest.IsCustomerReference(customer))
        {
            await LoadLiveCustomerAsync(caller, customer, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The method an off-session payment without <c>payment_method</c> charges: its customer's default (400 when there is none).</summary>
    public async Task<string> DefaultPaymentMethodAsync(CallerContext caller, string customerId, CancellationToken ct)
    {
        var customer = await LoadLiveCustomerAsync(caller, customerId, ct).ConfigureAwait(false);
        return customer.DefaultPaymentMethod
            ?? throw GatewayException.Invalid(ErrorCodes.PaymentMethodRequired,
                "This off_session payment names no payment_method and the customer has no default_payment_method.", "payment_method");
    }

    /// <summary>A payment method of the caller's merchant and mode, with its saved-card state and encrypted stored credentials; 404 otherwise.</summary>
    public async Task<StoredPaymentMethod> LoadMethodAsync(CallerContext caller, string id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return await store.GetSavedPaymentMethodAsync(caller.MerchantId, caller.Livemode, id, ct).ConfigureAwait(false)
            ?? throw new GatewayException(ErrorKind.NotFound, ErrorCodes.ResourceMissing, $"No such payment_method: '{RequestValidation.Clip(id, 64)}'.", "payment_method");
    }

    /// <summary>See <see cref="StoredCredentialPolicy.Restrict"/>; decrypts the method's stored credentials for an off-session payment.</summary>
    public RoutingPlan? Restrict(Payment payment, StoredPaymentMethod method, RoutingPlan? plan)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return StoredCredentialPolicy.Restrict(payment, payment.OffSession ? Decrypt(method) : null, plan, providers);
    }

    /// <summary>See <see cref="StoredCredentialPolicy.For"/>, with the method's stored credentials decrypted.</summary>
    public StoredCredential? For(Payment payment, StoredPaymentMethod method, PaymentAttempt attempt) =>
        StoredCredentialPolicy.For(payment, method, method.Customer is null ? null : Decrypt(method), attempt, providers);

    /// <summary>
    /// After a provider authorized (or verified) <paramref name="attempt"/>: a payment that saves the card attaches it to
    /// its customer with what the provider returned (a new series: its network transaction id and this account's
    /// references); a payment on a card already saved records what an account it had not used before returned. Written
    /// version-checked with the customer; never throws: a card that cannot be saved (customer deleted meanwhile, method
    /// detached) must not undo the payment, which the caller applies next.
    /// </summary>
    public async Task RecordAsync(Payment payment, PaymentAttempt attempt, ProviderPaymentResult result, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(result);
        if (payment.Customer is not { } customerId || !SavedCardRequest.IsCustomerReference(customerId))
        {
            return; // only payments of a gateway customer save or use saved cards
        }

        try
        {
            for (var round = 0; round <= ConflictRetries; round++)
            {
                if (await TryRecordAsync(payment, customerId, attempt, result, ct).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogNotRecorded(logger, e, attempt.PaymentMethodId, payment.Id);
        }
    }

    /// <summary>The provider account key stored credentials are kept under: the account id, or the provider id when not routed.</summary>
    public static string AccountKey(PaymentAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return attempt.ProviderAccountId ?? attempt.Provider;
    }

    /// <summary>The stored credentials of a saved method, decrypted; null when it has none.</summary>
    public StoredCredentialSet? Decrypt(StoredPaymentMethod method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return method.EncryptedCredentials is { } blob
            ? JsonSerializer.Deserialize(vault.Decrypt(CredentialsRecordId(method.Id), blob), CustomerStorageJsonContext.Default.StoredCredentialSet)
            : null;
    }

    /// <summary>The vault record id the credentials are bound to (AES-GCM associated data), so a blob cannot move to another method.</summary>
    public static string CredentialsRecordId(string methodId) => $"{methodId}/stored_credentials";

    private async Task<bool> TryRecordAsync(Payment payment, string customerId, PaymentAttempt attempt, ProviderPaymentResult result, CancellationToken ct)
    {
        var method = await store.GetSavedPaymentMethodAsync(payment.MerchantId, payment.Livemode, attempt.PaymentMethodId, ct).ConfigureAwait(false);
        if (method is null || method.DetachedAt is not null || method.Type != "card")
        {
            return true;
        }

        var now = time.GetUtcNow();
        var key = AccountKey(attempt);
        var credentials = Decrypt(method) ?? new StoredCredentialSet();
        var changes = new CustomerChanges();
        if (payment.Mode == PaymentModes.Setup || payment.SetupFutureUsage is not null)
        {
            var customer = await store.GetCustomerAsync(payment.MerchantId, payment.Livemode, customerId, ct).ConfigureAwait(false);
            if (customer is null || customer.DeletedAt is not null || (method.Customer is { } owner && owner != customer.Id))
            {
                LogNotSaved(logger, method.Id, payment.Id);
                return true;
            }

            CustomerPaymentMethods.Attach(method, customer, payment.SetupFutureUsage ?? SavedCardRequest.OffSessionUsage, now, changes);
            if (result.NetworkTransactionId is { } nti)
            {
                credentials.NetworkTransactionId = nti;
                credentials.SeriesAccount = key;
            }

            credentials.Accounts[key] = new StoredAccountCredential
            {
                Provider = attempt.Provider,
                NetworkTransactionId = result.NetworkTransactionId,
                References = new Dictionary<string, string>(result.RecurringReferences ?? new Dictionary<string, string>(), StringComparer.Ordinal),
                Updated = now,
            };
        }
        else
        {
            credentials.Accounts.TryGetValue(key, out var account);
            if (method.Customer != customerId || (account is not null && (result.RecurringReferences is null || SameReferences(account.References, result.RecurringReferences))))
            {
                return true; // a one-off card, or nothing this account did not already tell us
            }

            credentials.Accounts[key] = new StoredAccountCredential
            {
                Provider = attempt.Provider,
                NetworkTransactionId = account?.NetworkTransactionId,
                References = new Dictionary<string, string>(result.RecurringReferences ?? account?.References ?? new Dictionary<string, string>(), StringComparer.Ordinal),
                Updated = now,
            };
            changes.UpdatedPaymentMethods.Add(method);
        }

        method.EncryptedCredentials = vault.Encrypt(CredentialsRecordId(method.Id), JsonSerializer.Serialize(credentials, CustomerStorageJsonContext.Default.StoredCredentialSet));
        try
        {
            await store.CommitCustomerChangesAsync(changes, ct).ConfigureAwait(false);
            return true;
        }
        catch (ConcurrencyConflictException)
        {
            return false;
        }
    }

    private async Task<Customers.Customer> LoadLiveCustomerAsync(CallerContext caller, string customerId, CancellationToken ct)
    {
        var customer = await store.GetCustomerAsync(caller.MerchantId, caller.Livemode, customerId, ct).ConfigureAwait(false)
            ?? throw new GatewayException(ErrorKind.NotFound, ErrorCodes.ResourceMissing, $"No such customer: '{RequestValidation.Clip(customerId, 64)}'.", "customer");
        return CustomerService.RequireLive(customer, "customer");
    }

    private static bool SameReferences(IReadOnlyDictionary<string, string> stored, IReadOnlyDictionary<string, string> returned) =>
        stored.Count == returned.Count && returned.All(kv => stored.TryGetValue(kv.Key, out var value) && value == kv.Value);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment method {PaymentMethodId} was not saved for payment {PaymentId}: its customer is gone or it belongs to another")]
    private static partial void LogNotSaved(ILogger logger, string paymentMethodId, string paymentId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stored credentials of payment method {PaymentMethodId} were not recorded for payment {PaymentId}")]
    private static partial void LogNotRecorded(ILogger logger, Exception exception, string paymentMethodId, string paymentId);
}
