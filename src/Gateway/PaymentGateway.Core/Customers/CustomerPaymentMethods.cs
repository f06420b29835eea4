using PaymentGateway.Core.Api;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Vault;

namespace PaymentGateway.Core.Customers;

/// <summary>
/// A customer's saved payment methods: attach (for on-session use; off-session use needs a customer-initiated first
/// payment, see <see cref="SavedCards"/>), list, update a saved card's expiry, and detach. Detaching erases the card:
/// the vault blob of its number (with its per-record data key) and its stored credentials are removed from the row, so
/// it can never be charged again.
/// </summary>
public sealed class CustomerPaymentMethods(ICustomerStore store, CustomerService customers, TimeProvider time)
{
    public async Task<PaymentMethodResource> AttachAsync(CallerContext caller, string customerId, AttachPaymentMethodRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var methodId = request.PaymentMethod ?? throw GatewayException.Missing("payment_method");
        for (var round = 0; ; round++)
        {
            var customer = CustomerService.RequireLive(await customers.LoadAsync(caller, customerId, ct).ConfigureAwait(false));
            var method = await LoadAsync(caller, methodId, "payment_method", ct).ConfigureAwait(false);
            EnsureAttachable(method, customer.Id);
            if (method.Customer == customer.Id)
            {
                return method.ToResource(); // already attached: attaching again changes nothing
            }

            var now = time.GetUtcNow();
            if (method.Card is { } card && Vault.CardNumbers.IsExpired(card.ExpMonth, card.ExpYear, now))
            {
                throw GatewayException.Invalid(ErrorCodes.CardExpired, "The card has expired; it cannot be saved.", "payment_method");
            }

            var changes = new CustomerChanges();
            Attach(method, customer, SavedCardRequest.OnSession, now, changes);
            if (await customers.TryCommitAsync(changes, round, ct).ConfigureAwait(false))
            {
                return method.ToResource();
            }
        }
    }

    public async Task<ListResource<PaymentMethodResource>> ListAsync(CallerContext caller, string customerId, ListQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(query);
        var customer = await customers.LoadAsync(caller, customerId, ct).ConfigureAwait(false);
        var rows = await store.ListCustomerPaymentMethodsAsync(caller.MerchantId, caller.Livemode, customer.Id, Paging.Probe(query), ct).ConfigureAwait(false);
        return Paging.ToList(rows, query, m => m.ToResource());
    }

    /// <summary>
    /// Detaches and erases a method attached to the customer (404 when it is not attached to it); clears the customer's
    /// default if it was that one.
    /// </summary>
    public Task<PaymentMethodResource> DetachAsync(CallerContext caller, string customerId, string methodId, CancellationToken ct) =>
        DetachAsync(caller, customerId, methodId, audit: null, ct);

    /// <summary>Detaches as above, writing <paramref name="audit"/> (a console detach's entry) in the same commit.</summary>
    public async Task<PaymentMethodResource> DetachAsync(CallerContext caller, string customerId, string methodId, Audit.AuditRecord? audit, CancellationToken ct)
    {
        for (var round = 0; ; round++)
        {
            var customer = await customers.LoadAsync(caller, customerId, ct).ConfigureAwait(false);
            var method = await LoadAsync(caller, methodId, "id", ct).ConfigureAwait(false);
            if (method.Customer != customer.Id)
            {
                throw new GatewayException(ErrorKind.NotFound, ErrorCodes.ResourceMissing,
                    $"Payment method '{RequestValidation.Clip(methodId, 64)}' is not attached to customer {customer.Id}.", "id");
            }

            var now = time.GetUtcNow();
            var changes = new CustomerChanges();
            Erase(method, now);
            changes.UpdatedPaymentMethods.Add(method);
            changes.Events.Add(CustomerEvents.For(method, EventTypes.PaymentMethodDetached, now));
            if (customer.DefaultPaymentMethod == method.Id)
            {
                customer.DefaultPaymentMethod = null;
                customer.Updated = now;
                changes.Events.Add(CustomerEvents.For(customer, EventTypes.CustomerUpdated, now));
            }

            changes.UpdatedCustomers.Add(customer);
            if (audit is not null)
            {
                changes.AuditRecords.Add(audit);
            }

            if (await customers.TryCommitAsync(changes, round, ct).ConfigureAwait(false))
            {
                return method.ToResource();
            }
        }
    }

    /// <summary>A saved card's new expiry or holder name (<c>payment_method.updated</c>); the expiring notice is due again for the new expiry.</summary>
    public async Task<PaymentMethodResource> UpdateAsync(CallerContext caller, string methodId, UpdatePaymentMethodRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestValidation.Text(request.HolderName, "holder_name", 200);
        if (request.ExpMonth is < 1 or > 12)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "exp_month must be 1-12.", "exp_month");
        }

        var year = request.ExpYear is { } y ? CardNumbers.NormalizeYear(y)
            ?? throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "exp_year must be a two- or four-digit year.", "exp_year") : (int?)null;
        for (var round = 0; ; round++)
        {
            var method = await LoadAsync(caller, methodId, "id", ct).ConfigureAwait(false);
            if (method.DetachedAt is not null || method.Customer is null || method.Card is not { } card)
            {
                throw new GatewayException(ErrorKind.Unprocessable, method.DetachedAt is null ? ErrorCodes.ParameterInvalid : ErrorCodes.PaymentMethodDetached,
                    "Only a card saved for a customer can be updated.", "id");
            }

            var now = time.GetUtcNow();
            var month = request.ExpMonth ?? card.ExpMonth;
            var newYear = year ?? card.ExpYear;
            if (CardNumbers.IsExpired(month, newYear, now) || newYear > now.Year + 50)
            {
                throw GatewayException.Invalid(ErrorCodes.CardExpired, "The new expiry must be in the future (at most 50 years).", "exp_year");
            }

            method.ExpiringNotified &= month == card.ExpMonth && newYear == card.ExpYear;
            method.Card = card with { ExpMonth = month, ExpYear = newYear };
            method.HolderName = request.HolderName ?? method.HolderName;
            var changes = new CustomerChanges();
            changes.UpdatedPaymentMethods.Add(method);
            changes.Events.Add(CustomerEvents.For(method, EventTypes.PaymentMethodUpdated, now));
            if (await customers.TryCommitAsync(changes, round, ct).ConfigureAwait(false))
            {
                return method.ToResource();
            }
        }
    }

    /// <summary>
    /// Attaches <paramref name="method"/> to <paramref name="customer"/> for <paramref name="usage"/> into
    /// <paramref name="changes"/> (the customer is version-checked too, so a concurrent delete wins or waits): event
    /// <c>payment_method.attached</c>, or <c>payment_method.updated</c> when an attached card's usage widens to off session.
    /// </summary>
    internal static void Attach(StoredPaymentMethod method, Customer customer, string usage, DateTimeOffset now, CustomerChanges changes)
    {
        var newlyAttached = method.Customer is null;
        var widened = !newlyAttached && usage == SavedCardRequest.OffSessionUsage && method.Usage != SavedCardRequest.OffSessionUsage;
        method.Customer = customer.Id;
        method.Usage = newlyAttached ? usage : widened ? usage : method.Usage;
        method.AttachedAt ??= now;
        if (newlyAttached)
        {
            method.ExpiringNotified = false;
        }

        changes.UpdatedPaymentMethods.Add(method);
        if (!changes.UpdatedCustomers.Contains(customer))
        {
            changes.UpdatedCustomers.Add(customer);
        }

        if (newlyAttached || widened)
        {
            changes.Events.Add(CustomerEvents.For(method, newlyAttached ? EventTypes.PaymentMethodAttached : EventTypes.PaymentMethodUpdated, now));
        }
    }

    /// <summary>Detaches and crypto-erases: the card number's vault blob (and with it the record's wrapped data key) and the stored credentials are dropped.</summary>
    public static void Erase(StoredPaymentMethod method, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(method);
        method.Customer = null;
        method.Usage = null;
        method.DetachedAt = now;
        method.EncryptedNumber = null;
        method.EncryptedCredentials = null;
    }

    /// <summary>A card that is not detached and not attached to another customer; 422 otherwise.</summary>
    internal static void EnsureAttachable(StoredPaymentMethod method, string customerId)
    {
        if (method.DetachedAt is not null)
        {
            throw new GatewayException(ErrorKind.Unprocessable, ErrorCodes.PaymentMethodDetached,
                $"Payment method {method.Id} was detached; its card is erased. Tokenize the card again.", "payment_method");
        }

        if (method.Type != "card")
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "Only card payment methods can be saved for a customer.", "payment_method");
        }

        if (method.Customer is { } owner && owner != customerId)
        {
            throw new GatewayException(ErrorKind.Unprocessable, ErrorCodes.PaymentMethodCustomerMismatch,
                $"Payment method {method.Id} is saved for another customer.", "payment_method");
        }
    }

    private async Task<StoredPaymentMethod> LoadAsync(CallerContext caller, string id, string param, CancellationToken ct) =>
        await store.GetSavedPaymentMethodAsync(caller.MerchantId, caller.Livemode, id, ct).ConfigureAwait(false)
        ?? throw new GatewayException(ErrorKind.NotFound, ErrorCodes.ResourceMissing, $"No such payment_method: '{RequestValidation.Clip(id, 64)}'.", param);
}
