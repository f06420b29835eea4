using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace PaymentGateway.Host.BackOffice;

/// <summary>
/// <c>&lt;pg-named-field name="Input.Credentials[api_key]" label="api_key" type="password" /&gt;</c>: the same labelled input
/// as <see cref="ConsoleFieldTagHelper"/> (error beside it, <c>aria-describedby</c>, <c>aria-invalid</c>) for a field whose
/// name is only known at run time (a provider's credential or setting, a rule's target row). A password field is never
/// echoed back, whatever <see cref="Value"/> says.
/// </summary>
[HtmlTargetElement("pg-named-field", TagStructure = TagStructure.WithoutEndTag)]
public sealed class ConsoleNamedFieldTagHelper : TagHelper
{
    public string Name { get; set; } = string.Empty;

    public string Label { get; set; } = string.Empty;

    public string Type { get; set; } = "text";

    public string? Value { get; set; }

    public string? Hint { get; set; }

    public string? Autocomplete { get; set; }

    public string? Inputmode { get; set; }

    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext? ViewContext { get; set; }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var id = TagBuilder.CreateSanitizedId(Name, "_");
        var entry = ViewContext is not null && ViewContext.ViewData.ModelState.TryGetValue(Name, out var e) ? e : null;
        var errors = entry?.Errors.Select(x => x.ErrorMessage).ToList() ?? [];
        var enc = HtmlEncoder.Default;
        var errorId = id + "-error";
        var hintId = id + "-hint";
        var value = Type == "password" ? string.Empty : entry?.AttemptedValue ?? Value ?? string.Empty;

        output.TagName = "div";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("class", errors.Count > 0 ? "field has-error" : "field");
        var html = $"<label for=\"{enc.Encode(id)}\">{enc.Encode(Label)}</label>";
        if (Hint is not null)
        {
            html += $"<p class=\"hint\" id=\"{enc.Encode(hintId)}\">{enc.Encode(Hint)}</p>";
        }

        html += $"<input id=\"{enc.Encode(id)}\" name=\"{enc.Encode(Name)}\" type=\"{enc.Encode(Type)}\" value=\"{enc.Encode(value)}\""
              + $" aria-describedby=\"{enc.Encode(errorId + (Hint is null ? string.Empty : " " + hintId))}\""
              + (Autocomplete is null ? string.Empty : $" autocomplete=\"{enc.Encode(Autocomplete)}\"")
              + (Inputmode is null ? string.Empty : $" inputmode=\"{enc.Encode(Inputmode)}\"")
              + (errors.Count > 0 ? " aria-invalid=\"true\"" : string.Empty) + " spellcheck=\"false\">";
        html += $"<p class=\"field-error\" id=\"{enc.Encode(errorId)}\"{(errors.Count > 0 ? string.Empty : " hidden")}>{enc.Encode(string.Join(" ", errors))}</p>";
        output.Content.SetHtmlContent(html);
    }
}
