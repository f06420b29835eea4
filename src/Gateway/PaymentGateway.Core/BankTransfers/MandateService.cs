using System.Globalization;
using Microsoft.Extensions.Options;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.BankTransfers;

/// <summary>
/// Creates and reads SEPA Direct Debit mandates: a <c>sepa_debit</c> payment method of the merchant, a mandate reference
/// (validated, unique per merchant ignoring case, or generated), a signature date not in the future, and the creditor
/// identifier from <c>PaymentGateway:BankTransfers:CreditorId</c>.
/// </summary>
public sealed class MandateService(IPaymentStore paymentStore, IDirectDebitStore directDebitStore, IMandateStore mandateStore, IOptions<GatewayOptions> options, TimeProvider time)
{
    public async Task<MandateResource> CreateAsync(CallerContext caller, CreateMandateRequest request, CancellationToken ct)
    {
        var paymentMethodId = request.PaymentMethod ?? throw GatewayException.Missing("payment_method");
        var signature = request.SignatureDate ?? throw GatewayException.Missing("signature_date");
        if (request.Reference is { } given && !MandateReference.IsValid(given, out var problem))
        {
            throw GatewayException.Invalid(ErrorCodes.MandateReferenceInvalid, problem, "reference");
        }

        if (!DateOnly.TryParseExact(signature, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var signed))
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "signature_date must be a date as yyyy-MM-dd.", "signature_date");
        }

        var now = time.GetUtcNow();
        // A date is "in the future" only when it is after today everywhere on earth (UTC+14).
        if (signed > DateOnly.FromDateTime(now.ToOffset(TimeSpan.FromHours(14)).DateTime))
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "signature_date must not be in the future.", "signature_date");
        }

        var creditorId = CreditorIdentifier.Normalize(options.Value.BankTransfers.CreditorId);
        if (creditorId is null || !CreditorIdentifier.IsValid(creditorId))
        {
            throw new GatewayException(ErrorKind.Unprocessable, ErrorCodes.DirectDebitNotConfigured,
                "Direct debits need a valid SEPA creditor identifier in PaymentGateway:BankTransfers:CreditorId; see docs/bank-transfers.md.");
        }

        var method = await paymentStore.GetPaymentMethodAsync(caller.MerchantId, caller.Livemode, paymentMethodId, ct).ConfigureAwait(false)
                     ?? throw new GatewayException(ErrorKind.NotFound, ErrorCodes.ResourceMissing,
                         $"No such payment method: '{(paymentMethodId.Length > 64 ? paymentMethodId[..64] : paymentMethodId)}'.", "payment_method");
        if (method.Type != PaymentMethodTypes.SepaDebit || method.SepaDebit is null)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "A mandate needs a sepa_debit payment method.", "payment_method");
        }

        var mandate = new Mandate
        {
            Id = Ids.New(Ids.Mandate),
            MerchantId = caller.MerchantId,
            Livemode = caller.Livemode,
            PaymentMethodId = method.Id,
            Reference = request.Reference ?? MandateReference.Generate(),
            SignatureDate = signed.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            CreditorId = creditorId,
            Created = now,
        };
        try
        {
            await mandateStore.InsertMandateAsync(mandate, ct).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException)
        {
            throw new GatewayException(ErrorKind.Conflict, ErrorCodes.MandateReferenceTaken,
                "Another mandate of this merchant already has this reference (compared ignoring case).", "reference");
        }

        return mandate.ToResource();
    }

    public async Task<MandateResource> GetAsync(CallerContext caller, string id, CancellationToken ct) =>
        (await mandateStore.GetMandateAsync(caller.MerchantId, caller.Livemode, id, ct).ConfigureAwait(false)
         ?? throw GatewayException.NotFound("mandate", id)).ToResource();

    public async Task<ListResource<MandateResource>> ListAsync(CallerContext caller, ListQuery query, CancellationToken ct)
    {
        var rows = await directDebitStore.ListMandatesAsync(caller.MerchantId, caller.Livemode, Paging.Probe(query), ct).ConfigureAwait(false);
        return Paging.ToList(rows, query, m => m.ToResource());
    }
}
