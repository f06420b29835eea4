using Microsoft.AspNetCore.Mvc.RazorPages;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Host.BackOffice;

/// <summary>
/// The base of every console page: the signed-in user and caller, the form's field prefix, and <see cref="LoadAsync"/>
/// — what the page needs to render, called again when a form was refused so the page shows the refusal next to the
/// field with everything else as it was. Pages call services; they decide nothing.
/// </summary>
public abstract class ConsolePageModel : PageModel
{
    /// <summary>Form fields bind as <c>Input.X</c>; a service's field error for <c>X</c> lands there.</summary>
    public const string InputPrefix = "Input";

    public ConsoleUser? CurrentUser => HttpContext.ConsoleUser();

    public ConsoleCaller Caller => HttpContext.ConsoleCaller();

    /// <summary>The merchant the user works on (chosen on /console/merchant and checked against their grants), or null.</summary>
    public string? CurrentMerchantId => HttpContext.ConsoleMerchantId();

    /// <summary>A one-line notice shown at the top (after a redirect, from the query).</summary>
    public string? Notice { get; set; }

    /// <summary>Loads what the page displays besides the form.</summary>
    public virtual Task LoadAsync() => Task.CompletedTask;

    public void AddFieldError(string field, string message) => ModelState.AddModelError(InputPrefix + "." + field, message);

    /// <summary>The path and query of this request, for return links.</summary>
    protected string CurrentPath => Request.Path + Request.QueryString;
}

/// <summary>A page that a signed-in user may open while their two-factor enrolment is still pending.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class AllowDuringEnrolmentAttribute : Attribute;
