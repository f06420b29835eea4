using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using PaymentGateway.Core;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Host.BackOffice.Pages.Events;

/// <summary>
/// An event: its type, object (a link to the payment when it is about a payment or a refund), its JSON payload as the
/// webhook carries it (indented, shown as text; events never carry a secret or a card number) and its deliveries to each
/// endpoint with their attempts. Every role reads events; the service checks the merchant (another merchant's event is 404).
/// </summary>
public sealed class DetailModel(ConsoleWebhookService service) : ConsolePageModel
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private ConsoleEventView? _view;

    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = string.Empty;

    [BindProperty(SupportsGet = true, Name = "merchant")]
    public string? MerchantId { get; set; }

    [BindProperty(SupportsGet = true, Name = "mode")]
    public string? Mode { get; set; }

    public ConsoleEventView View => _view ?? throw new InvalidOperationException("The event is not loaded.");

    public bool Livemode => Mode == "live";

    public async Task OnGetAsync()
    {
        var merchant = MerchantId is { Length: > 0 } ? MerchantId : CurrentMerchantId ?? string.Empty;
        _view = await service.GetEventAsync(Caller, merchant, Livemode, Id, HttpContext.RequestAborted);
    }

    /// <summary>The payload, indented (Razor escapes it when it is written).</summary>
    public string Payload()
    {
        try
        {
            using var document = JsonDocument.Parse(View.Event.DataJson);
            return JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            return View.Event.DataJson;
        }
    }

    /// <summary>The page of the payment this event is about (a payment, or a refund's payment when the payload names it), or null.</summary>
    public string? PaymentLink()
    {
        var e = View.Event;
        if (e.ObjectId.StartsWith(Ids.Payment + "_", StringComparison.Ordinal))
        {
            return "/console/payments/" + Uri.EscapeDataString(e.ObjectId);
        }

        if (e.ObjectId.StartsWith(Ids.Refund + "_", StringComparison.Ordinal))
        {
            try
            {
                using var document = JsonDocument.Parse(e.DataJson);
                if (document.RootElement.TryGetProperty("payment", out var payment) && payment.ValueKind == JsonValueKind.String && payment.GetString() is { } id)
                {
                    return "/console/payments/" + Uri.EscapeDataString(id);
                }
            }
            catch (JsonException)
            {
                return null;
            }
        }

        return null;
    }

    public string EndpointLink(string endpointId) =>
        $"/console/developers/webhooks/{Uri.EscapeDataString(endpointId)}?merchant={Uri.EscapeDataString(View.Event.MerchantId)}&mode={(View.Event.Livemode ? "live" : "test")}";
}
