using Microsoft.AspNetCore.Mvc;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Disputes;

namespace PaymentGateway.Host.BackOffice.Pages.Disputes;

/// <summary>
/// One dispute: amounts, deadline, money movements, and — for owners and support while it awaits an answer — the
/// evidence form (structured fields, file upload, the file fields), submit, and accept behind a confirmation. Every
/// action goes through <see cref="ConsoleDisputeService"/> (the API's services), which checks the role and audits it.
/// </summary>
[RequestSizeLimit(MaxUploadRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxUploadRequestBytes)]
public sealed class DetailModel(ConsoleDisputeService service) : ConsolePageModel
{
    /// <summary>The largest request the page reads: the largest evidence file allowed (10 MiB) and the form around it.</summary>
    public const long MaxUploadRequestBytes = 11 * 1024 * 1024;

    private ConsoleDisputeView? _view;

    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = string.Empty;

    [BindProperty]
    public EvidenceInput Input { get; set; } = new();

    public ConsoleDisputeView View => _view ?? throw new InvalidOperationException("The dispute is not loaded.");

    public Dispute Dispute => View.Dispute;

    public bool MayRespond => ConsoleDisputeService.MayRespond(Caller, Dispute);

    public async Task OnGetAsync(string? done)
    {
        await LoadAsync();
        Notice = done switch
        {
            "evidence" => "The evidence was saved.",
            "file" => "The file was added.",
            "submit" => "The evidence was submitted to the provider.",
            "accept" => "The dispute was accepted.",
            _ => null,
        };
    }

    public async Task<IActionResult> OnPostEvidenceAsync()
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in DisputeEvidenceFields.TextFields.Concat(DisputeEvidenceFields.FileFields))
        {
            if (Request.Form.TryGetValue("Evidence." + name, out var value))
            {
                fields[name] = value.ToString();
            }
        }

        await service.UpdateEvidenceAsync(Caller, Id, fields, HttpContext.RequestAborted);
        return Done("evidence");
    }

    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file)
    {
        // The service checks the role first: a caller who may not answer is refused whether or not a file came.
        await using var content = file is { Length: > 0 } ? file.OpenReadStream() : null;
        await service.UploadAsync(Caller, Id, content, file?.ContentType, file?.FileName, HttpContext.RequestAborted);
        return Done("file");
    }

    public async Task<IActionResult> OnPostSubmitAsync()
    {
        await service.SubmitAsync(Caller, Id, HttpContext.RequestAborted);
        return Done("submit");
    }

    public async Task<IActionResult> OnPostAcceptAsync()
    {
        if (!Input.ConfirmAccept)
        {
            throw new ConsoleValidationException("ConfirmAccept", "Tick the box to confirm you accept losing this dispute.");
        }

        await service.AcceptAsync(Caller, Id, HttpContext.RequestAborted);
        return Done("accept");
    }

    public override async Task LoadAsync() => _view = await service.GetAsync(Caller, Id, HttpContext.RequestAborted);

    public string Money(long minor) => ConsolePaymentService.Display(minor, Dispute.Currency);

    /// <summary>A field's label: its name in words.</summary>
    public static string Label(string field) => char.ToUpperInvariant(field[0]) + field[1..].Replace('_', ' ');

    /// <summary>The text fields that take a paragraph rather than a line.</summary>
    public static bool IsLong(string field) => field.EndsWith("_log", StringComparison.Ordinal) || field.EndsWith("_text", StringComparison.Ordinal)
        || field.EndsWith("_explanation", StringComparison.Ordinal) || field.EndsWith("_disclosure", StringComparison.Ordinal) || field.EndsWith("_rebuttal", StringComparison.Ordinal)
        || field.EndsWith("_description", StringComparison.Ordinal) || field.EndsWith("_address", StringComparison.Ordinal);

    private LocalRedirectResult Done(string what) => LocalRedirect($"/console/disputes/{Uri.EscapeDataString(Id)}?done={what}");
}

public sealed class EvidenceInput
{
    public bool ConfirmAccept { get; set; }
}
