using PaymentGateway.Core.Api;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Vault;

namespace PaymentGateway.Core.Payments;

/// <summary>Tokenizes cards into the vault and returns only masked views.</summary>
public sealed partial class PaymentMethodService(IPaymentStore store, CardVault vault, CvcStore cvcs, TimeProvider time)
{
    public async Task<PaymentMethodResource> CreateAsync(CallerContext caller, CreatePaymentMethodRequest request, string? reservedId, CancellationToken ct)
    {
        var type = request.Type ?? "card";
        if (type == PaymentMethodTypes.SepaDebit)
        {
            return await CreateSepaDebitAsync(caller, request, reservedId, ct).ConfigureAwait(false);
        }

        if (type != "card")
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"Payment method type '{(type.Length > 32 ? type[..32] : type)}' is not supported.", "type");
        }

        if (request.Card is not null && (request.Number ?? (object?)request.ExpMonth ?? (object?)request.ExpYear ?? request.Cvc) is not null)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "Pass the card either flat (number, exp_month, ...) or in 'card', not both.", "card");
        }

        var prefix = request.Card is null ? string.Empty : "card.";
        var numberInput = request.Card?.Number ?? request.Number;
        var expMonth = request.Card?.ExpMonth ?? request.ExpMonth;
        var expYearInput = request.Card?.ExpYear ?? request.ExpYear;
        var cvc = request.Card?.Cvc ?? request.Cvc;

        if (numberInput is null)
        {
            throw GatewayException.Missing(prefix + "number");
        }

        var number = CardNumbers.Normalize(numberInput);
        if (number is null || !CardNumbers.IsValid(number, out var brand))
        {
            throw GatewayException.Invalid(ErrorCodes.CardNumberInvalid, "The card number is not a valid card number.", prefix + "number");
        }

        if (expMonth is null)
        {
            throw GatewayException.Missing(prefix + "exp_month");
        }

        if (expMonth is < 1 or > 12)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "exp_month must be 1-12.", prefix + "exp_month");
        }

        if (expYearInput is null)
        {
            throw GatewayException.Missing(prefix + "exp_year");
        }

        var expYear = CardNumbers.NormalizeYear(expYearInput.Value)
            ?? throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "exp_year must be a two- or four-digit year.", prefix + "exp_year");
        var now = time.GetUtcNow();
        if (CardNumbers.IsExpired(expMonth.Value, expYear, now))
        {
            throw GatewayException.Invalid(ErrorCodes.CardExpired, "The card has expired.", prefix + "exp_year");
        }

        if (expYear > now.Year + 50)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "exp_year is too far in the future.", prefix + "exp_year");
        }

        if (cvc is not null && (cvc.Length != (brand == "amex" ? 4 : 3) || !cvc.All(char.IsAsciiDigit)))
        {
            throw GatewayException.Invalid(ErrorCodes.CvcInvalid, "The CVC is not valid for this card.", prefix + "cvc");
        }

        RequestValidation.Text(request.HolderName, "holder_name", 200);

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
            Type = "card",
            Card = new StoredCard
            {
                Brand = brand,
                Last4 = number[^4..],
                ExpMonth = expMonth.Value,
                ExpYear = expYear,
                Fingerprint = vault.Fingerprint(number),
            },
            HolderName = request.HolderName,
            Created = now,
            EncryptedNumber = vault.Encrypt(id, number),
        };
        var changes = new StoreChanges();
        changes.NewPaymentMethods.Add(method);
        await store.CommitAsync(changes, ct).ConfigureAwait(false);
        if (cvc is not null)
        {
            cvcs.Put(id, cvc);
        }

        return method.ToResource();
    }

    public async Task<PaymentMethodResource> GetAsync(CallerContext caller, string id, CancellationToken ct) =>
        (await store.GetPaymentMethodAsync(caller.MerchantId, caller.Livemode, id, ct).ConfigureAwait(false)
         ?? throw GatewayException.NotFound("payment_method", id)).ToResource();
}
