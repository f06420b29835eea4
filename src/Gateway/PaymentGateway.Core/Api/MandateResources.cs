using System.ComponentModel.DataAnnotations;
using PaymentGateway.Core.BankTransfers;

namespace PaymentGateway.Core.Api;

// SEPA Direct Debit mandates in the public API (docs/bank-transfers.md, "SEPA Direct Debit").

public sealed record CreateMandateRequest
{
    /// <summary>A <c>sepa_debit</c> payment method (<c>pm_…</c>): the debtor's account.</summary>
    [Required]
    public string? PaymentMethod { get; init; }

    /// <summary>The Unique Mandate Reference; generated when omitted.</summary>
    public string? Reference { get; init; }

    /// <summary>The date the debtor signed (yyyy-MM-dd), not in the future.</summary>
    [Required]
    public string? SignatureDate { get; init; }
}

/// <summary>A mandate's view. Carries the account's masked form only, never the IBAN.</summary>
public sealed record MandateResource
{
    public required string Id { get; init; }
    public string Object => "mandate";
    public required bool Livemode { get; init; }
    public required string PaymentMethod { get; init; }
    public required string Reference { get; init; }
    public required string SignatureDate { get; init; }
    public required string CreditorId { get; init; }
    public required DateTimeOffset Created { get; init; }
}

public static class MandateResourceMapper
{
    public static MandateResource ToResource(this Mandate m) => new()
    {
        Id = m.Id,
        Livemode = m.Livemode,
        PaymentMethod = m.PaymentMethodId,
        Reference = m.Reference,
        SignatureDate = m.SignatureDate,
        CreditorId = m.CreditorId,
        Created = m.Created,
    };
}
