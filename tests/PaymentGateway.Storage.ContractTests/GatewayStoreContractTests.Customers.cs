using PaymentGateway.Core;
using PaymentGateway.Core.Customers;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Storage.ContractTests.TestData;

namespace PaymentGateway.Storage.ContractTests;

public abstract partial class GatewayStoreContractTests
{
    // ---------------------------------------------------------------- customers and saved payment methods (ICustomerStore)

    private static Customer NewCustomer(string merchant, string? email = null, bool livemode = false, DateTimeOffset? created = null, Dictionary<string, string>? metadata = null)
    {
        var at = created ?? T0;
        return new Customer
        {
            Id = Ids.New(Ids.Customer, at),
            MerchantId = merchant,
            Livemode = livemode,
            Email = email,
            Name = "Grace Hopper",
            Metadata = metadata ?? [],
            Created = at,
            Updated = at,
        };
    }

    private Task CommitCustomersAsync(Action<CustomerChanges> fill)
    {
        var changes = new CustomerChanges();
        fill(changes);
        return Store.Customers.CommitCustomerChangesAsync(changes, Ct);
    }

    [StoreFact]
    public async Task Customer_RoundTripsWithItsEvent_AndIsScopedToMerchantAndMode()
    {
        var merchant = NewMerchantId();
        var customer = NewCustomer(merchant, "grace@navy.example", metadata: new() { ["crm"] = "G-1" });
        var created = Event(merchant, customer.Id, EventTypes.CustomerCreated);
        await CommitCustomersAsync(c => { c.NewCustomers.Add(customer); c.Events.Add(created); });

        var stored = await Store.Customers.GetCustomerAsync(merchant, false, customer.Id, Ct);
        Assert.NotNull(stored);
        Assert.Equal("grace@navy.example", stored.Email);
        Assert.Equal("G-1", stored.Metadata["crm"]);
        Assert.Equal(T0, stored.Created);
        Assert.Equal(0, stored.Version);
        Assert.Null(await Store.Customers.GetCustomerAsync(merchant, true, customer.Id, Ct));
        Assert.Null(await Store.Customers.GetCustomerAsync(NewMerchantId(), false, customer.Id, Ct));
        Assert.NotNull(await Store.Events.GetEventAsync(merchant, false, created.Id, Ct));
    }

    [StoreFact]
    public async Task CustomerUpdate_IsVersionChecked_AndALostRaceWritesNothing()
    {
        var merchant = NewMerchantId();
        var customer = NewCustomer(merchant);
        await CommitCustomersAsync(c => c.NewCustomers.Add(customer));
        var first = (await Store.Customers.GetCustomerAsync(merchant, false, customer.Id, Ct))!;
        var second = (await Store.Customers.GetCustomerAsync(merchant, false, customer.Id, Ct))!;

        first.Name = "First";
        await CommitCustomersAsync(c => c.UpdatedCustomers.Add(first));
        second.Name = "Second";
        var lost = Event(merchant, customer.Id, EventTypes.CustomerUpdated);
        var conflict = await Outcome(CommitCustomersAsync(c => { c.UpdatedCustomers.Add(second); c.Events.Add(lost); }));

        Assert.IsType<ConcurrencyConflictException>(conflict);
        var stored = (await Store.Customers.GetCustomerAsync(merchant, false, customer.Id, Ct))!;
        Assert.Equal("First", stored.Name);
        Assert.Equal(1, stored.Version);
        Assert.Equal(1, first.Version);
        Assert.Null(await Store.Events.GetEventAsync(merchant, false, lost.Id, Ct));
    }

    [StoreFact]
    public async Task CustomerList_IsNewestFirst_SkipsDeleted_AndSearchesEmailAndMetadata()
    {
        var merchant = NewMerchantId();
        var a = NewCustomer(merchant, "Ann@Shop.example", created: T0, metadata: new() { ["tier"] = "gold" });
        var b = NewCustomer(merchant, "bob@shop.example", created: T0.AddSeconds(1), metadata: new() { ["tier"] = "silver" });
        var c = NewCustomer(merchant, "cy@shop.example", created: T0.AddSeconds(2), metadata: new() { ["tier"] = "gold" });
        var other = NewCustomer(NewMerchantId(), "ann@shop.example", created: T0.AddSeconds(3), metadata: new() { ["tier"] = "gold" });
        await CommitCustomersAsync(ch => ch.NewCustomers.AddRange([a, b, c, other]));

        Assert.Equal([c.Id, b.Id, a.Id], (await Store.Customers.ListCustomersAsync(merchant, false, new CustomerListQuery { Limit = 10 }, Ct)).Select(x => x.Id));
        Assert.Equal([c.Id], (await Store.Customers.ListCustomersAsync(merchant, false, new CustomerListQuery { Limit = 1 }, Ct)).Select(x => x.Id));
        Assert.Equal([a.Id], (await Store.Customers.ListCustomersAsync(merchant, false, new CustomerListQuery { Limit = 10, Email = "ann@shop.example" }, Ct)).Select(x => x.Id));
        Assert.Equal([c.Id, a.Id], (await Store.Customers.ListCustomersAsync(merchant, false,
            new CustomerListQuery { Limit = 10, MetadataKey = "tier", MetadataValue = "gold" }, Ct)).Select(x => x.Id));
        Assert.Empty(await Store.Customers.ListCustomersAsync(merchant, false, new CustomerListQuery { Limit = 10, MetadataKey = "tier", MetadataValue = "gol" }, Ct));
        Assert.Empty(await Store.Customers.ListCustomersAsync(merchant, true, new CustomerListQuery { Limit = 10 }, Ct));

        var deleted = (await Store.Customers.GetCustomerAsync(merchant, false, c.Id, Ct))!;
        deleted.DeletedAt = T0.AddMinutes(1);
        deleted.Email = null;
        deleted.Metadata = [];
        await CommitCustomersAsync(ch => ch.UpdatedCustomers.Add(deleted));

        Assert.Equal([b.Id, a.Id], (await Store.Customers.ListCustomersAsync(merchant, false, new CustomerListQuery { Limit = 10 }, Ct)).Select(x => x.Id));
        Assert.Equal([b.Id, a.Id], (await Store.Customers.ListCustomersAsync(merchant, false, new CustomerListQuery { Limit = 10, StartingAfter = c.Id }, Ct)).Select(x => x.Id));
        Assert.NotNull((await Store.Customers.GetCustomerAsync(merchant, false, c.Id, Ct))!.DeletedAt);
    }

    [StoreFact]
    public async Task SavedPaymentMethod_AttachAndErase_WriteItsColumns_AndAreVersionChecked()
    {
        var merchant = NewMerchantId();
        var customer = NewCustomer(merchant);
        var method = PaymentMethod(merchant);
        await CommitAsync(c => c.NewPaymentMethods.Add(method));
        await CommitCustomersAsync(c => c.NewCustomers.Add(customer));

        var loaded = (await Store.Customers.GetSavedPaymentMethodAsync(merchant, false, method.Id, Ct))!;
        Assert.Equal(0, loaded.Version);
        Assert.Null(loaded.Customer);
        Assert.Equal(method.EncryptedNumber, loaded.EncryptedNumber);
        Assert.Null(loaded.EncryptedCredentials);

        loaded.Customer = customer.Id;
        loaded.Usage = "off_session";
        loaded.AttachedAt = T0;
        loaded.EncryptedCredentials = "v1:k1:CREDENTIALS-BLOB:zz";
        var attached = Event(merchant, method.Id, EventTypes.PaymentMethodAttached);
        await CommitCustomersAsync(c => { c.UpdatedPaymentMethods.Add(loaded); c.Events.Add(attached); });

        var stale = (await Store.Customers.GetSavedPaymentMethodAsync(merchant, false, method.Id, Ct))!;
        Assert.Equal(1, stale.Version);
        Assert.Equal(customer.Id, stale.Customer);
        Assert.Equal("off_session", stale.Usage);
        Assert.Equal("v1:k1:CREDENTIALS-BLOB:zz", stale.EncryptedCredentials);
        Assert.Equal([method.Id], (await Store.Customers.ListCustomerPaymentMethodsAsync(merchant, false, customer.Id, new ListQuery { Limit = 10 }, Ct)).Select(m => m.Id));
        Assert.Empty(await Store.Customers.ListCustomerPaymentMethodsAsync(merchant, true, customer.Id, new ListQuery { Limit = 10 }, Ct));
        Assert.Equal(customer.Id, (await Store.Payments.GetPaymentMethodAsync(merchant, false, method.Id, Ct))!.Customer); // the payments seam sees the JSON

        CustomerPaymentMethods.Erase(loaded, T0.AddMinutes(5));
        await CommitCustomersAsync(c => c.UpdatedPaymentMethods.Add(loaded));
        stale.Usage = "on_session";
        Assert.IsType<ConcurrencyConflictException>(await Outcome(CommitCustomersAsync(c => c.UpdatedPaymentMethods.Add(stale))));

        var erased = (await Store.Customers.GetSavedPaymentMethodAsync(merchant, false, method.Id, Ct))!;
        Assert.Null(erased.EncryptedNumber);
        Assert.Null(erased.EncryptedCredentials);
        Assert.Null(erased.Customer);
        Assert.NotNull(erased.DetachedAt);
        Assert.Empty(await Store.Customers.ListCustomerPaymentMethodsAsync(merchant, false, customer.Id, new ListQuery { Limit = 10 }, Ct));
        Assert.Null((await Store.Payments.GetPaymentMethodAsync(merchant, false, method.Id, Ct))!.EncryptedNumber);
    }

    [StoreFact]
    public async Task CustomerChanges_AreAllOrNothing_WhenOneMethodLostItsRace()
    {
        var merchant = NewMerchantId();
        var customer = NewCustomer(merchant);
        var first = PaymentMethod(merchant);
        var second = PaymentMethod(merchant);
        await CommitAsync(c => c.NewPaymentMethods.AddRange([first, second]));
        await CommitCustomersAsync(c => c.NewCustomers.Add(customer));
        var a = (await Store.Customers.GetSavedPaymentMethodAsync(merchant, false, first.Id, Ct))!;
        var b = (await Store.Customers.GetSavedPaymentMethodAsync(merchant, false, second.Id, Ct))!;
        b.Version = 7; // another writer got there first
        var c = (await Store.Customers.GetCustomerAsync(merchant, false, customer.Id, Ct))!;
        c.DeletedAt = T0;
        CustomerPaymentMethods.Erase(a, T0);
        CustomerPaymentMethods.Erase(b, T0);
        var deleted = Event(merchant, customer.Id, EventTypes.CustomerDeleted);

        var conflict = await Outcome(CommitCustomersAsync(ch => { ch.UpdatedPaymentMethods.AddRange([a, b]); ch.UpdatedCustomers.Add(c); ch.Events.Add(deleted); }));

        Assert.IsType<ConcurrencyConflictException>(conflict);
        Assert.NotNull((await Store.Customers.GetSavedPaymentMethodAsync(merchant, false, first.Id, Ct))!.EncryptedNumber);
        Assert.Null((await Store.Customers.GetCustomerAsync(merchant, false, customer.Id, Ct))!.DeletedAt);
        Assert.Null(await Store.Events.GetEventAsync(merchant, false, deleted.Id, Ct));
    }

    [StoreFact]
    public async Task CustomerChanges_WriteTheirAuditEntryInTheSameCommit_OrNotAtAllWhenTheyLoseARace()
    {
        var merchant = NewMerchantId();
        var customer = NewCustomer(merchant);
        var first = PaymentMethod(merchant);
        var second = PaymentMethod(merchant);
        await CommitAsync(c => c.NewPaymentMethods.AddRange([first, second]));
        await CommitCustomersAsync(c => c.NewCustomers.Add(customer));

        var lost = (await Store.Customers.GetSavedPaymentMethodAsync(merchant, false, second.Id, Ct))!;
        lost.Version = 7; // another writer got there first
        CustomerPaymentMethods.Erase(lost, T0);
        var refusedEntry = AdminRecord("console.payment_method.detached", merchant, second.Id);
        var conflict = await Outcome(CommitCustomersAsync(c => { c.UpdatedPaymentMethods.Add(lost); c.AuditRecords.Add(refusedEntry); }));

        var detached = (await Store.Customers.GetSavedPaymentMethodAsync(merchant, false, first.Id, Ct))!;
        CustomerPaymentMethods.Erase(detached, T0);
        var entry = AdminRecord("console.payment_method.detached", merchant, first.Id);
        await CommitCustomersAsync(c => { c.UpdatedPaymentMethods.Add(detached); c.AuditRecords.Add(entry); });

        Assert.IsType<ConcurrencyConflictException>(conflict);
        Assert.Null(await Store.Audit.GetAsync(refusedEntry.Id, Ct));
        Assert.Equal([entry.Id], await AuditIdsForAsync(first.Id));
        Assert.Null((await Store.Customers.GetSavedPaymentMethodAsync(merchant, false, first.Id, Ct))!.EncryptedNumber);
    }

    [StoreFact]
    public async Task DuplicateCustomerId_IsAConflict()
    {
        var merchant = NewMerchantId();
        var customer = NewCustomer(merchant);
        await CommitCustomersAsync(c => c.NewCustomers.Add(customer));

        var twin = new Customer { Id = customer.Id, MerchantId = merchant, Livemode = false, Created = T0, Updated = T0 };
        var created = Event(merchant, customer.Id, EventTypes.CustomerCreated);

        Assert.IsType<ConcurrencyConflictException>(await Outcome(CommitCustomersAsync(c => { c.NewCustomers.Add(twin); c.Events.Add(created); })));
        Assert.Null(await Store.Events.GetEventAsync(merchant, false, created.Id, Ct));
    }

    [StoreFact]
    public async Task ExpiringPaymentMethods_AreAttachedCardsDueBeforeTheHorizon_NotYetNotified_SoonestFirst()
    {
        var merchant = NewMerchantId();
        var customer = NewCustomer(merchant);
        await CommitCustomersAsync(c => c.NewCustomers.Add(customer));
        var june = PaymentMethod(merchant);
        june.Card = june.Card! with { ExpMonth = 6, ExpYear = 2025 };
        var may = PaymentMethod(merchant);
        may.Card = may.Card! with { ExpMonth = 5, ExpYear = 2025 };
        var later = PaymentMethod(merchant);
        later.Card = later.Card! with { ExpMonth = 1, ExpYear = 2030 };
        var loose = PaymentMethod(merchant);
        loose.Card = loose.Card! with { ExpMonth = 4, ExpYear = 2025 };
        await CommitAsync(c => c.NewPaymentMethods.AddRange([june, may, later, loose]));
        foreach (var id in new[] { june.Id, may.Id, later.Id })
        {
            var m = (await Store.Customers.GetSavedPaymentMethodAsync(merchant, false, id, Ct))!;
            m.Customer = customer.Id;
            m.Usage = "off_session";
            await CommitCustomersAsync(c => c.UpdatedPaymentMethods.Add(m));
        }

        var horizon = new DateTimeOffset(2025, 7, 2, 0, 0, 0, TimeSpan.Zero); // June cards end at 1 July
        var due = await Store.Customers.ListExpiringPaymentMethodsAsync(horizon, 10, Ct);
        Assert.Equal([may.Id, june.Id], due.Select(m => m.Id));

        var notified = due[0];
        notified.ExpiringNotified = true;
        await CommitCustomersAsync(c => c.UpdatedPaymentMethods.Add(notified));
        Assert.Equal([june.Id], (await Store.Customers.ListExpiringPaymentMethodsAsync(horizon, 10, Ct)).Select(m => m.Id));
        Assert.Empty(await Store.Customers.ListExpiringPaymentMethodsAsync(new DateTimeOffset(2025, 6, 30, 0, 0, 0, TimeSpan.Zero), 10, Ct));
    }
}
