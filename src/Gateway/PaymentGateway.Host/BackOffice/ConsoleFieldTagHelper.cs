using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace PaymentGateway.Host.BackOffice;

/// <summary>
/// <c>&lt;pg-field for="Input.Email" label="Email" type="email" autocomplete="username" /&gt;</c>: a labelled input with
/// its error message beside it, tied by <c>aria-describedby</c> and marked <c>aria-invalid</c> when refused. Passwords are
/// never echoed back. Every console form builds its fields with it, so they all read the same to a screen reader.
/// </summary>
[HtmlTargetElement("pg-field", TagStructure = TagStructure.WithoutEndTag)]
public sealed class ConsoleFieldTagHelper : TagHelper
{
    [HtmlAttributeName("for")]
    public ModelExpression? For { get; set; }

    public string Label { get; set; } = string.Empty;

    public string Type { get; set; } = "text";

    public string? Autocomplete { get; set; }

    public string? Hint { get; set; }

    public string? Inputmode { get; set; }

    public bool Required { get; set; }

    public bool Autofocus { get; set; }

    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext? ViewContext { get; set; }

    private string? AttemptedValue(string name) =>
        ViewContext is not null && ViewContext.ViewData.ModelState.TryGetValue(name, out var entry) ? entry?.AttemptedValue : null;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var name = For?.Name ?? string.Empty;
        var id = TagBuilder.CreateSanitizedId(name, "_");
        var errors = ViewContext is not null && ViewContext.ViewData.ModelState.TryGetValue(name, out var entry) ? entry?.Errors.Select(e => e.ErrorMessage).ToList() ?? [] : [];
        var errorId = id + "-error";
        var hintId = id + "-hint";
        var enc = HtmlEncoder.Default;
        var describedBy = errorId + (Hint is null ? string.Empty : " " + hintId);
        var value = Type == "password" ? string.Empty : AttemptedValue(name) ?? For?.Model?.ToString() ?? string.Empty;

        output.TagName = "div";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("class", errors.Count > 0 ? "field has-error" : "field");
        var html = $"<label for=\"{enc.Encode(id)}\">{enc.Encode(Label)}</label>";
        if (Hint is not null)
        {
            html += $"<p class=\"hint\" id=\"{enc.Encode(hintId)}\">{enc.Encode(Hint)}</p>";
        }

        html += $"<input id=\"{enc.Encode(id)}\" name=\"{enc.Encode(name)}\" type=\"{enc.Encode(Type)}\" value=\"{enc.Encode(value)}\" aria-describedby=\"{enc.Encode(describedBy)}\"";
        if (Autocomplete is not null)
        {
            html += $" autocomplete=\"{enc.Encode(Autocomplete)}\"";
        }

        if (Inputmode is not null)
        {
            html += $" inputmode=\"{enc.Encode(Inputmode)}\"";
        }

        html += (Required ? " required aria-required=\"true\"" : string.Empty) + (Autofocus ? " autofocus" : string.Empty)
              + (errors.Count > 0 ? " aria-invalid=\"true\"" : string.Empty) + " spellcheck=\"false\">";
        html += $"<p class=\"field-error\" id=\"{enc.Encode(errorId)}\"{(errors.Count > 0 ? string.Empty : " hidden")}>{enc.Encode(string.Join(" ", errors))}</p>";
        output.Content.SetHtmlContent(html);
    }
}
