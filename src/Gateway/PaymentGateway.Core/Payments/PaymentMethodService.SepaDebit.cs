using PaymentGateway.Core.Api;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Payments;

// SEPA accounts (type sepa_debit): the IBAN is validated, encrypted in the vault like a card number, fingerprinted
// with the vault's keyed HMAC, and shown only as country + last 4.
public sealed partial class PaymentMethodService
{

    private async Task<PaymentMethodResource> CreateSepaDebitAsync(CallerContext caller, CreatePaymentMethodRequest request, string? reservedId, CancellationToken ct)
    {
        if (request.Card is not null || (request.Number ?? (object?)request.ExpMonth ?? (object?)request.ExpYear ?? request.Cvc) is not null)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "A sepa_debit payment method takes no card fields.", "card");
        }

        var details = request.SepaDebit ?? throw GatewayException.Missing("sepa_debit");
        var iban = Iban.Normalize(details.Iban ?? throw GatewayException.Missing("sepa_debit.iban"));
        if (iban is null)
        {
            throw GatewayException.Invalid(ErrorCodes.IbanInvalid, "The IBAN may contain only letters, digits and spaces.", "sepa_debit.iban");
        }

        if (!Iban.IsValid(iban, out var problem))
        {
            throw GatewayException.Invalid(ErrorCodes.IbanInvalid, "The IBAN is not valid: " + problem, "sepa_debit.iban");
        }

        string? bic = null;
        if (details.Bic is not null)
        {
            bic = Bic.Normalize(details.Bic);
            if (bic is null || !Bic.IsValid(bic))
            {
                throw GatewayException.Invalid(ErrorCodes.BicInvalid, "The BIC must be 8 or 11 characters: 4 letters bank, 2 letters country, 2 location, optional 3 branch.", "sepa_debit.bic");
            }
        }

        var holder = request.HolderName?.Trim();
        if (string.IsNullOrEmpty(holder))
        {
            throw GatewayException.Missing("holder_name");
        }

        if (holder.Length > 70 || holder.Any(char.IsControl))
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "holder_name must be at most 70 characters (the SEPA name limit) without control characters.", "holder_name");
        }

        var id = reservedId is null ? Ids.New(Ids.PaymentMethod) : $"{Ids.PaymentMethod}_{reservedId}";
        if (reservedId is not null && await store.GetPaymentMethodAsync(caller.MerchantId, caller.Livemode, id, ct).ConfigureAwait(false) is { } existing)
        {
            return existing.ToResource();
        }

        var method = new StoredPaymentMethod
        {
            Id = id,
            MerchantId = caller.MerchantId,
            Livemode = caller.Livemode,
            Type = PaymentMethodTypes.SepaDebit,
            SepaDebit = new StoredSepaDebit
            {
                Country = iban[..2],
                Last4 = iban[^4..],
                Fingerprint = vault.Fingerprint("iban:" + iban),
                Bic = bic,
            },
            HolderName = holder,
            Created = time.GetUtcNow(),
            EncryptedNumber = vault.Encrypt(id, iban),
        };
        var changes = new StoreChanges();
        changes.NewPaymentMethods.Add(method);
        await store.CommitAsync(changes, ct).ConfigureAwait(false);
        return method.ToResource();
    }
}
