using Microsoft.Extensions.Options;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Idempotency;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Payments;

/// <summary>
/// <c>POST /v1/payments</c> for every method type: answers a retry under the same idempotency key with the payment it
/// already made, validates the request (<see cref="ValidatedPaymentRequest"/>), and hands it to the flow of its type:
/// <see cref="CardPayments"/>, <see cref="DirectDebitPayments"/>, or for a bank transfer
/// <see cref="ProviderBankTransferPayments"/> when a routing rule sends it to a provider, else <see cref="BankTransferPayments"/>.
/// </summary>
public sealed class PaymentCreation(
    IPaymentStore store, CardPayments cards, BankTransferPayments transfers, ProviderBankTransferPayments providerTransfers, DirectDebitPayments debits,
    Customers.SavedCards savedCards, IdempotencyService idempotency, IOptions<GatewayOptions> options)
{
    public async Task<PaymentResource> CreateAsync(CallerContext caller, CreatePaymentRequest request, string? reservedId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var id = reservedId is null ? Ids.New(Ids.Payment) : $"{Ids.Payment}_{reservedId}";

        // A seed made for this request cannot name an existing payment; only a retry (a key taken again) can find one.
        var retry = reservedId is not null && IdempotencyScope.Current is not { IsFirstUse: true };
        var existing = retry ? await store.GetPaymentAsync(caller.MerchantId, caller.Livemode, id, ct).ConfigureAwait(false) : null;
        if (existing is not null)
        {
            // A retry under the same idempotency key after a crash: the payment exists, never create a second one.
            return existing.ToResource();
        }

        var validated = ValidatedPaymentRequest.From(request, options.Value.MaxAmount);
        await savedCards.CheckCustomerAsync(caller, validated.Customer, ct).ConfigureAwait(false); // a cus_ reference must name a live customer
        if (validated.PaymentMethodType is not null)
        {
            // These flows write through other stores first: the key's claim is written before they start. Card payments
            // write first through the payment writer, whose first commit carries it (IdempotencyScope).
            await idempotency.EnsureClaimedAsync(ct).ConfigureAwait(false);
        }

        return validated switch
        {
            { Mandate: { } mandate } => await debits.CreateAsync(caller, id, validated, mandate, ct).ConfigureAwait(false),
            { PaymentMethodType: PaymentMethodTypes.BankTransfer } =>
                await providerTransfers.TryCreateAsync(caller, id, validated, ct).ConfigureAwait(false)
                ?? await transfers.CreateAsync(caller, id, validated, ct).ConfigureAwait(false),
            _ => await cards.CreateAsync(caller, id, validated, ct).ConfigureAwait(false),
        };
    }
}
