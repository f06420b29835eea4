using System.Collections.Frozen;

namespace PaymentGateway.Core.Disputes;

/// <summary>
/// The structured evidence a merchant can give (Stripe's set, which the other providers' evidence maps onto): text
/// fields, and file fields that name an evidence file uploaded to the same dispute (<c>dpf_…</c>).
/// </summary>
public static class DisputeEvidenceFields
{
    /// <summary>The combined length of every text field, as Stripe limits it.</summary>
    public const int MaxTotalTextLength = 150_000;

    /// <summary>The longest single text field.</summary>
    public const int MaxFieldLength = 20_000;

    public static IReadOnlyList<string> TextFields { get; } =
    [
        "access_activity_log", "billing_address", "cancellation_policy_disclosure", "cancellation_rebuttal", "customer_email_address",
        "customer_name", "customer_purchase_ip", "duplicate_charge_explanation", "duplicate_charge_id", "product_description",
        "refund_policy_disclosure", "refund_refusal_explanation", "service_date", "shipping_address", "shipping_carrier", "shipping_date",
        "shipping_tracking_number", "uncategorized_text",
    ];

    public static IReadOnlyList<string> FileFields { get; } =
    [
        "cancellation_policy", "customer_communication", "customer_signature", "duplicate_charge_documentation", "receipt", "refund_policy",
        "service_documentation", "shipping_documentation", "uncategorized_file",
    ];

    private static readonly FrozenSet<string> Files = FileFields.ToFrozenSet(StringComparer.Ordinal);
    private static readonly FrozenSet<string> All = TextFields.Concat(FileFields).ToFrozenSet(StringComparer.Ordinal);

    public static bool IsFileField(string name) => Files.Contains(name);

    public static bool IsKnown(string name) => All.Contains(name);

    /// <summary>
    /// Applies <paramref name="changes"/> (field → value; an empty value clears the field) to <paramref name="evidence"/>
    /// after checking every one: known fields, text lengths, file fields naming a file of <paramref name="files"/>. On a
    /// 400 nothing is applied.
    /// </summary>
    public static void Apply(SortedDictionary<string, string> evidence, IReadOnlyDictionary<string, string> changes, IReadOnlyCollection<DisputeEvidenceFile> files)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(files);
        var next = new SortedDictionary<string, string>(evidence, StringComparer.Ordinal);
        foreach (var (name, value) in changes)
        {
            if (!IsKnown(name))
            {
                throw GatewayException.Invalid(ErrorCodes.ParameterUnknown, $"Received unknown evidence field: {name}.", name);
            }

            if (value.Length == 0)
            {
                next.Remove(name);
                continue;
            }

            if (IsFileField(name))
            {
                if (!files.Any(f => f.Id == value))
                {
                    throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"{name} must name an evidence file uploaded to this dispute (dpf_…).", name);
                }
            }
            else if (value.Length > MaxFieldLength)
            {
                throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"{name} is longer than {MaxFieldLength} characters.", name);
            }

            next[name] = value;
        }

        var total = next.Where(e => !IsFileField(e.Key)).Sum(e => (long)e.Value.Length);
        if (total > MaxTotalTextLength)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"The text evidence is {total} characters together; the limit is {MaxTotalTextLength}.", "evidence");
        }

        evidence.Clear();
        foreach (var (name, value) in next)
        {
            evidence[name] = value;
        }
    }
}
