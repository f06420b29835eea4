using PaymentGateway.Core.Api;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.Payments;

/// <summary>
/// Turns a test payment method shortcut (<c>pm_card_visa</c>, <see cref="ITestPaymentMethods"/>) named by a payment
/// into a fresh payment method of the caller's merchant, tokenized from the shortcut's test card as if the browser had
/// sent it. Test mode only: a live key naming one is a 400 that says so. Any other id is returned as it is.
/// </summary>
public sealed class TestPaymentMethodShortcuts(ITestPaymentMethods catalog, PaymentMethodService methods, TimeProvider time)
{
    public async Task<string> ResolveAsync(CallerContext caller, string paymentMethodId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!paymentMethodId.StartsWith(TestPaymentMethod.Prefix, StringComparison.Ordinal) || catalog.Find(paymentMethodId) is not { } shortcut)
        {
            return paymentMethodId;
        }

        if (caller.Livemode)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid,
                $"'{shortcut.Id}' is a test payment method: it works only with a test secret key (sk_test_...). Live payments need a card tokenized in the browser.",
                "payment_method");
        }

        var created = await methods.CreateAsync(caller, new CreatePaymentMethodRequest
        {
            Type = "card",
            Number = shortcut.CardNumber,
            ExpMonth = 12,
            ExpYear = time.GetUtcNow().Year + 3,
            Cvc = shortcut.Cvc,
        }, reservedId: null, ct).ConfigureAwait(false);
        return created.Id;
    }
}
