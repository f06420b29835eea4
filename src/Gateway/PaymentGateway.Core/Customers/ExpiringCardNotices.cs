using Microsoft.Extensions.Options;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Customers;

/// <summary>
/// Sends <c>payment_method.expiring</c> once per saved card and expiry, <see cref="CustomerOptions.ExpiringNoticeDays"/>
/// days before the card stops working (the end of its expiry month): the event and the card's "notified" flag are one
/// version-checked commit, so two runs (or two nodes) never send it twice. A new expiry (<c>PATCH
/// /v1/payment_methods/{id}</c>) makes the notice due again.
/// </summary>
public sealed class ExpiringCardNotices(ICustomerStore store, IOptions<CustomerOptions> options, TimeProvider time)
{
    public const int PageSize = 200;

    /// <summary>One pass over every merchant; returns how many notices it sent.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var horizon = now.AddDays(options.Value.ExpiringNoticeDays);
        var sent = 0;
        while (true)
        {
            var page = await store.ListExpiringPaymentMethodsAsync(horizon, PageSize, ct).ConfigureAwait(false);
            var sentInPage = 0;
            foreach (var method in page)
            {
                method.ExpiringNotified = true;
                var changes = new CustomerChanges();
                changes.UpdatedPaymentMethods.Add(method);
                changes.Events.Add(CustomerEvents.For(method, EventTypes.PaymentMethodExpiring, now));
                try
                {
                    await store.CommitCustomerChangesAsync(changes, ct).ConfigureAwait(false);
                    sentInPage++;
                }
                catch (ConcurrencyConflictException)
                {
                    // Detached or updated at this moment: the next pass sees its new state.
                }
            }

            sent += sentInPage;
            if (page.Count < PageSize || sentInPage == 0)
            {
                return sent;
            }
        }
    }
}
