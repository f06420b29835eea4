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

    public override void Process(TagHelperContext context, TagHelperOutput output) =>
        ConsoleFieldTagHelper.Render(output, ViewContext, Name, Label, Type, Value, Hint, Autocomplete, Inputmode, required: false, autofocus: false);
}
