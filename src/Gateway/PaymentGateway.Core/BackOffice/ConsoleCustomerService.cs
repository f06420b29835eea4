using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Customers;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.BackOffice;

/// <summary>A customer as the console's customer page shows it: contact details and its saved payment methods (brand, last 4, expiry only).</summary>
public sealed record ConsoleCustomerView(Customer Customer, IReadOnlyList<StoredPaymentMethod> PaymentMethods);

/// <summary>
/// The console's customers: a merchant's customers by e-mail, one customer with its saved cards, and detaching a saved
/// card (the API's detach: the card is crypto-erased and can no longer be charged). Reading needs
/// <see cref="ConsolePermission.ViewPayments"/> on the merchant, detaching <see cref="ConsolePermission.ManageCustomers"/>
/// (owners and support); both are checked here, and a detach is audited, also when refused.
/// </summary>
public sealed class ConsoleCustomerService(ICustomerStore customers, CustomerPaymentMethods methods, IConsoleStore consoleStore, TimeProvider time)
{
    public const string DetachedAction = "console.payment_method.detached";
    public const string PaymentMethodTarget = "payment_method";

    /// <summary>How many saved cards the page lists (a customer with more is shown the newest).</summary>
    public const int MaxPaymentMethods = 100;

    /// <summary>One page of a merchant's customers, newest first, optionally only those with <paramref name="email"/> (trimmed, ignoring case).</summary>
    public Task<IReadOnlyList<Customer>> SearchAsync(ConsoleCaller caller, string merchantId, bool livemode, string? email, string? startingAfter, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.Demand(ConsolePermission.ViewPayments, merchantId);
        var query = new CustomerListQuery { Email = Customer.EmailKey(email is { Length: > 512 } ? email[..512] : email), StartingAfter = startingAfter, Limit = limit };
        return customers.ListCustomersAsync(merchantId, livemode, query, ct);
    }

    /// <summary>The customer and its saved cards; null when the merchant has no such customer in that mode.</summary>
    public async Task<ConsoleCustomerView?> GetAsync(ConsoleCaller caller, string merchantId, bool livemode, string customerId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.Demand(ConsolePermission.ViewPayments, merchantId);
        if (await customers.GetCustomerAsync(merchantId, livemode, customerId, ct).ConfigureAwait(false) is not { } customer)
        {
            return null;
        }

        var saved = await customers.ListCustomerPaymentMethodsAsync(merchantId, livemode, customer.Id, new ListQuery { Limit = MaxPaymentMethods }, ct).ConfigureAwait(false);
        return new ConsoleCustomerView(customer, saved);
    }

    /// <summary>
    /// Detaches a saved card from the customer (owners and support). Refused (403) for other roles, with an audit entry.
    /// A card already detached, or not this customer's, is the API's 404 <c>resource_missing</c>/422; nothing changes.
    /// </summary>
    public async Task DetachAsync(ConsoleCaller caller, string merchantId, bool livemode, string customerId, string paymentMethodId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var role = await caller.DemandAuditedAsync(ConsolePermission.ManageCustomers, merchantId,
            () => AuditAsync(caller, null, merchantId, customerId, paymentMethodId, AuditOutcomes.Refused, ct)).ConfigureAwait(false);

        // The entry is written in the detach's own commit: no detach without its audit entry, and no entry without the detach.
        await methods.DetachAsync(new CallerContext(merchantId, livemode, ApiKeyKind.Secret), customerId, paymentMethodId,
            Record(caller, role, merchantId, customerId, paymentMethodId, AuditOutcomes.Succeeded), ct).ConfigureAwait(false);
    }

    private Task AuditAsync(ConsoleCaller caller, ConsoleRole? role, string merchantId, string customerId, string paymentMethodId, string outcome, CancellationToken ct)
    {
        var changes = new ConsoleChanges();
        changes.AuditRecords.Add(Record(caller, role, merchantId, customerId, paymentMethodId, outcome));
        return consoleStore.CommitAsync(changes, outcome == AuditOutcomes.Refused ? CancellationToken.None : ct);
    }

    private AuditRecord Record(ConsoleCaller caller, ConsoleRole? role, string merchantId, string customerId, string paymentMethodId, string outcome) =>
        new()
        {
            Created = time.GetUtcNow(),
            Action = DetachedAction,
            Outcome = outcome,
            Actor = caller.Actor(role),
            MerchantId = merchantId,
            TargetType = PaymentMethodTarget,
            TargetId = paymentMethodId,
            After = new Dictionary<string, string?> { ["customer"] = customerId },
            Context = caller.Context,
        };
}
