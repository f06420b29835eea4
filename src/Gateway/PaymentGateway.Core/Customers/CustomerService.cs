using Microsoft.Extensions.Logging;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Customers;

/// <summary>
/// Customers: create, retrieve, update, list and search (by e-mail or a metadata value), and delete. Deleting erases the
/// customer's personal data and every saved payment method attached to it (<see cref="CustomerPaymentMethods.Erase"/>),
/// in one commit with the <c>payment_method.detached</c> and <c>customer.deleted</c> events; the id stays as a tombstone
/// so a later charge naming it is refused with <c>customer_deleted</c>.
/// </summary>
public sealed partial class CustomerService(ICustomerStore store, TimeProvider time, ILogger<CustomerService> logger)
{
    private const int ConflictRetries = 3;

    public async Task<CustomerResource> CreateAsync(CallerContext caller, CreateCustomerRequest request, string? reservedId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var id = reservedId is null ? Ids.New(Ids.Customer) : $"{Ids.Customer}_{reservedId}";
        if (reservedId is not null && await store.GetCustomerAsync(caller.MerchantId, caller.Livemode, id, ct).ConfigureAwait(false) is { } existing)
        {
            return existing.ToResource(); // a retry under the same idempotency key after a crash
        }

        ValidateText(request.Email, request.Name, request.Phone, request.Description);
        RequestValidation.Metadata(request.Metadata);
        var now = time.GetUtcNow();
        var customer = new Customer
        {
            Id = id,
            MerchantId = caller.MerchantId,
            Livemode = caller.Livemode,
            Email = Blank(request.Email?.Trim()),
            Name = Blank(request.Name),
            Phone = Blank(request.Phone),
            Description = Blank(request.Description),
            Metadata = request.Metadata ?? [],
            Created = now,
            Updated = now,
        };
        var changes = new CustomerChanges();
        changes.NewCustomers.Add(customer);
        changes.Events.Add(CustomerEvents.For(customer, EventTypes.CustomerCreated, now));
        await store.CommitCustomerChangesAsync(changes, ct).ConfigureAwait(false);
        return customer.ToResource();
    }

    /// <summary>The customer; a deleted one comes back with <c>deleted: true</c>.</summary>
    public async Task<CustomerResource> GetAsync(CallerContext caller, string id, CancellationToken ct) =>
        (await LoadAsync(caller, id, ct).ConfigureAwait(false)).ToResource();

    public async Task<ListResource<CustomerResource>> ListAsync(CallerContext caller, CustomerListQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(query);
        if (query.Email is { } email && (email.Length > 512 || string.IsNullOrWhiteSpace(email)))
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "email must be 1 to 512 characters.", "email");
        }

        if ((query.MetadataKey is null) != (query.MetadataValue is null) || query.MetadataKey is { Length: 0 or > 40 } || query.MetadataValue is { Length: > 500 })
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "Search metadata with one metadata[key]=value (key 1 to 40 characters, value at most 500).", "metadata");
        }

        var normalized = query with { Email = Customer.EmailKey(query.Email) };
        var rows = await store.ListCustomersAsync(caller.MerchantId, caller.Livemode, Paging.Probe(normalized), ct).ConfigureAwait(false);
        return Paging.ToList(rows, query, c => c.ToResource());
    }

    public async Task<CustomerResource> UpdateAsync(CallerContext caller, string id, UpdateCustomerRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ValidateText(request.Email, request.Name, request.Phone, request.Description);
        RequestValidation.Metadata(request.Metadata);
        for (var round = 0; ; round++)
        {
            var customer = RequireLive(await LoadAsync(caller, id, ct).ConfigureAwait(false));
            if (request.DefaultPaymentMethod is { Length: > 0 } methodId)
            {
                var method = await store.GetSavedPaymentMethodAsync(caller.MerchantId, caller.Livemode, methodId, ct).ConfigureAwait(false);
                if (method is null || method.Customer != customer.Id)
                {
                    throw new GatewayException(ErrorKind.NotFound, ErrorCodes.ResourceMissing,
                        $"No payment method '{RequestValidation.Clip(methodId, 64)}' is attached to this customer.", "default_payment_method");
                }
            }

            var now = time.GetUtcNow();
            customer.Email = request.Email is null ? customer.Email : Blank(request.Email.Trim());
            customer.Name = request.Name is null ? customer.Name : Blank(request.Name);
            customer.Phone = request.Phone is null ? customer.Phone : Blank(request.Phone);
            customer.Description = request.Description is null ? customer.Description : Blank(request.Description);
            customer.DefaultPaymentMethod = request.DefaultPaymentMethod is null ? customer.DefaultPaymentMethod : Blank(request.DefaultPaymentMethod);
            if (request.Metadata is { } metadata)
            {
                customer.Metadata = metadata.Where(kv => kv.Value.Length > 0).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            }

            customer.Updated = now;
            var changes = new CustomerChanges();
            changes.UpdatedCustomers.Add(customer);
            changes.Events.Add(CustomerEvents.For(customer, EventTypes.CustomerUpdated, now));
            if (await TryCommitAsync(changes, round, ct).ConfigureAwait(false))
            {
                return customer.ToResource();
            }
        }
    }

    /// <summary>
    /// Deletes the customer: detaches and erases every saved payment method (card number and stored credentials), clears
    /// the personal data, and keeps the id as a tombstone. Deleting again answers the tombstone.
    /// </summary>
    public async Task<CustomerResource> DeleteAsync(CallerContext caller, string id, CancellationToken ct)
    {
        for (var round = 0; ; round++)
        {
            var customer = await LoadAsync(caller, id, ct).ConfigureAwait(false);
            if (customer.DeletedAt is not null)
            {
                return customer.ToResource();
            }

            var now = time.GetUtcNow();
            var changes = new CustomerChanges();
            string? after = null;
            while (true)
            {
                var page = await store.ListCustomerPaymentMethodsAsync(caller.MerchantId, caller.Livemode, customer.Id, new ListQuery { Limit = ListPage.MaxLimit, StartingAfter = after }, ct)
                    .ConfigureAwait(false);
                foreach (var method in page)
                {
                    CustomerPaymentMethods.Erase(method, now);
                    changes.UpdatedPaymentMethods.Add(method);
                    changes.Events.Add(CustomerEvents.For(method, EventTypes.PaymentMethodDetached, now));
                }

                if (page.Count < ListPage.MaxLimit)
                {
                    break;
                }

                after = page[^1].Id;
            }

            customer.Email = null;
            customer.Name = null;
            customer.Phone = null;
            customer.Description = null;
            customer.Metadata = [];
            customer.DefaultPaymentMethod = null;
            customer.DeletedAt = now;
            customer.Updated = now;
            changes.UpdatedCustomers.Add(customer);
            changes.Events.Add(CustomerEvents.For(customer, EventTypes.CustomerDeleted, now));
            if (await TryCommitAsync(changes, round, ct).ConfigureAwait(false))
            {
                LogDeleted(logger, customer.Id, changes.UpdatedPaymentMethods.Count);
                return customer.ToResource();
            }
        }
    }

    /// <summary>A customer of the caller's merchant and mode (deleted ones included), or 404.</summary>
    public async Task<Customer> LoadAsync(CallerContext caller, string id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(id);
        return await store.GetCustomerAsync(caller.MerchantId, caller.Livemode, id, ct).ConfigureAwait(false) ?? throw GatewayException.NotFound("customer", id);
    }

    /// <summary>The customer if it is not deleted; 422 <c>customer_deleted</c> otherwise.</summary>
    public static Customer RequireLive(Customer customer, string? param = null)
    {
        ArgumentNullException.ThrowIfNull(customer);
        return customer.DeletedAt is null
            ? customer
            : throw new GatewayException(ErrorKind.Unprocessable, ErrorCodes.CustomerDeleted,
                $"Customer {customer.Id} was deleted; its saved payment methods are erased and it cannot be charged or changed.", param);
    }

    /// <summary>Commits; on a lost race (another request changed the customer or one of its methods) false, to redo from a fresh read.</summary>
    internal async Task<bool> TryCommitAsync(CustomerChanges changes, int round, CancellationToken ct)
    {
        try
        {
            await store.CommitCustomerChangesAsync(changes, ct).ConfigureAwait(false);
            return true;
        }
        catch (ConcurrencyConflictException) when (round < ConflictRetries)
        {
            return false;
        }
        catch (ConcurrencyConflictException e)
        {
            throw new GatewayException(ErrorKind.Conflict, ErrorCodes.ConcurrentUpdate, $"{e.ObjectId} was changed by concurrent requests; try again.");
        }
    }

    private static void ValidateText(string? email, string? name, string? phone, string? description)
    {
        if (email is { Length: > 0 } && (email.Length > 512 || email.Trim().IndexOf('@', StringComparison.Ordinal) is <= 0 || email.Trim().Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
                                         || email.Trim().EndsWith('@')))
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "email must be an e-mail address of at most 512 characters.", "email");
        }

        RequestValidation.Text(name, "name", 256);
        RequestValidation.Text(phone, "phone", 64);
        RequestValidation.Text(description, "description", 1000);
    }

    private static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;

    [LoggerMessage(Level = LogLevel.Information, Message = "Customer {CustomerId} deleted; {Erased} saved payment methods erased")]
    private static partial void LogDeleted(ILogger logger, string customerId, int erased);
}
