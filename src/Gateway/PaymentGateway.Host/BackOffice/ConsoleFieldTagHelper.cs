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

    public override void Process(TagHelperContext context, TagHelperOutput output) =>
        Render(output, ViewContext, For?.Name ?? string.Empty, Label, Type, For?.Model?.ToString(), Hint, Autocomplete, Inputmode, Required, Autofocus);

    /// <summary>
    /// The field's markup, shared with <see cref="ConsoleNamedFieldTagHelper"/>: the value typed last (from the model
    /// state) or else <paramref name="modelValue"/>, never for a password; the field's errors beside it.
    /// </summary>
    internal static void Render(TagHelperOutput output, ViewContext? viewContext, string name, string label, string type, string? modelValue,
        string? hint, string? autocomplete, string? inputmode, bool required, bool autofocus)
    {
        var id = TagBuilder.CreateSanitizedId(name, "_");
        var entry = viewContext is not null && viewContext.ViewData.ModelState.TryGetValue(name, out var e) ? e : null;
        var errors = entry?.Errors.Select(x => x.ErrorMessage).ToList() ?? [];
        var errorId = id + "-error";
        var hintId = id + "-hint";
        var enc = HtmlEncoder.Default;
        var describedBy = errorId + (hint is null ? string.Empty : " " + hintId);
        var value = type == "password" ? string.Empty : entry?.AttemptedValue ?? modelValue ?? string.Empty;

        output.TagName = "div";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("class", errors.Count > 0 ? "field has-error" : "field");
        var html = $"<label for=\"{enc.Encode(id)}\">{enc.Encode(label)}</label>";
        if (hint is not null)
        {
            html += $"<p class=\"hint\" id=\"{enc.Encode(hintId)}\">{enc.Encode(hint)}</p>";
        }

        html += $"<input id=\"{enc.Encode(id)}\" name=\"{enc.Encode(name)}\" type=\"{enc.Encode(type)}\" value=\"{enc.Encode(value)}\" aria-describedby=\"{enc.Encode(describedBy)}\"";
        if (autocomplete is not null)
        {
            html += $" autocomplete=\"{enc.Encode(autocomplete)}\"";
        }

        if (inputmode is not null)
        {
            html += $" inputmode=\"{enc.Encode(inputmode)}\"";
        }

        html += (required ? " required aria-required=\"true\"" : string.Empty) + (autofocus ? " autofocus" : string.Empty)
              + (errors.Count > 0 ? " aria-invalid=\"true\"" : string.Empty) + " spellcheck=\"false\">";
        html += $"<p class=\"field-error\" id=\"{enc.Encode(errorId)}\"{(errors.Count > 0 ? string.Empty : " hidden")}>{enc.Encode(string.Join(" ", errors))}</p>";
        output.Content.SetHtmlContent(html);
    }
}
