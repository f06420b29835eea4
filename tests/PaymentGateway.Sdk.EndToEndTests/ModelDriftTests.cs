using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Sdk.EndToEndTests;

/// <summary>
/// Guards against drift between the server and the SDK: every property the gateway's OpenAPI document declares for a
/// response object must be known to the SDK's model of it, or be named here as deliberately left out.
/// </summary>
public sealed class ModelDriftTests
{
    private static readonly (string Schema, Type SdkType)[] Pairs =
    [
        ("PaymentResource", typeof(Payment)),
        ("NextActionResource", typeof(NextAction)),
        ("RedirectToUrlResource", typeof(RedirectToUrl)),
        ("PaymentErrorResource", typeof(PaymentError)),
        ("PaymentRoutingResource", typeof(PaymentRouting)),
        ("PaymentRoutingAttemptResource", typeof(PaymentRoutingAttempt)),
        ("RefundResource", typeof(Refund)),
        ("PaymentMethodResource", typeof(PaymentMethod)),
        ("CardResource", typeof(Card)),
        ("EventResource", typeof(Event)),
        ("WebhookEndpointResource", typeof(WebhookEndpoint)),
        ("WebhookDeliveryResource", typeof(WebhookDelivery)),
        ("WebhookAttemptResource", typeof(WebhookDeliveryAttempt)),
        ("DeletedResource", typeof(DeletedObject)),
        ("CheckoutSessionResource", typeof(CheckoutSession)),
        ("CheckoutLineItemResource", typeof(CheckoutLineItem)),
        ("BankStatementResource", typeof(BankStatement)),
        ("BankStatementEntryResource", typeof(BankStatementEntry)),
        ("BankTransferInstructionsResource", typeof(BankTransferInstructions)),
        ("MandateResource", typeof(Mandate)),
        ("DirectDebitBatchResource", typeof(DirectDebitBatch)),
        ("DirectDebitResource", typeof(DirectDebit)),
        ("DirectDebitLateReturnResource", typeof(DirectDebitLateReturn)),
        ("CustomerResource", typeof(Customer)),
        ("PaymentsReportResource", typeof(PaymentsReport)),
        ("PaymentsReportRowResource", typeof(PaymentsReportRow)),
        ("ReportLatencyResource", typeof(ReportLatency)),
        ("ReportAmountsResource", typeof(ReportAmounts)),
        ("DeclineReasonsReportResource", typeof(DeclineReasonsReport)),
        ("DeclineReasonResource", typeof(DeclineReason)),
        ("ReportSettingsResource", typeof(ReportSettings)),
        ("ExportResource", typeof(Export)),
        ("SettlementLineResource", typeof(SettlementLine)),
        ("SettlementPayoutResource", typeof(SettlementPayout)),
        ("SettlementImportResource", typeof(SettlementImport)),
    ];

    /// <summary>Server fields the SDK does not expose on purpose: the constant type tag of each object.</summary>
    private static readonly HashSet<string> DeliberatelyOmitted = ["object"];

    [Fact]
    public async Task EveryResponseFieldInTheOpenApiDocument_IsKnownToTheSdk()
    {
        await using var server = await GatewayServer.StartAsync();
        var document = await server.Client(null).GetAsync("/openapi/v1.json");
        document.EnsureStatus(200);
        var schemas = document.Json.GetProperty("components").GetProperty("schemas");

        var missing = new List<string>();
        foreach (var (schemaName, sdkType) in Pairs)
        {
            Assert.True(schemas.TryGetProperty(schemaName, out var schema), $"The OpenAPI document has no schema {schemaName}.");
            var known = SdkJsonNames(sdkType);
            foreach (var property in schema.GetProperty("properties").EnumerateObject())
            {
                if (!known.Contains(property.Name) && !DeliberatelyOmitted.Contains(property.Name))
                {
                    missing.Add($"{schemaName}.{property.Name} (SDK type {sdkType.Name})");
                }
            }
        }

        Assert.True(missing.Count == 0, "The SDK does not know these server fields: " + string.Join(", ", missing));
    }

    [Fact]
    public void SdkModels_HaveNoFieldTheServerDoesNotSend()
    {
        // The reverse direction, checked against the server's own resource types: an SDK field with no server
        // counterpart would always be null for users.
        var pairs = new (Type Server, Type Sdk)[]
        {
            (typeof(Core.Api.PaymentResource), typeof(Payment)),
            (typeof(Core.Api.RefundResource), typeof(Refund)),
            (typeof(Core.Api.PaymentMethodResource), typeof(PaymentMethod)),
            (typeof(Core.Api.CardResource), typeof(Card)),
            (typeof(Core.Api.EventResource), typeof(Event)),
            (typeof(Core.Api.WebhookEndpointResource), typeof(WebhookEndpoint)),
            (typeof(Core.Api.WebhookDeliveryResource), typeof(WebhookDelivery)),
            (typeof(Core.Api.WebhookAttemptResource), typeof(WebhookDeliveryAttempt)),
            (typeof(Core.Api.DeletedResource), typeof(DeletedObject)),
            (typeof(Core.Api.CheckoutSessionResource), typeof(CheckoutSession)),
            (typeof(Core.Api.CheckoutLineItemResource), typeof(CheckoutLineItem)),
            (typeof(Core.Api.BankStatementResource), typeof(BankStatement)),
            (typeof(Core.Api.BankStatementEntryResource), typeof(BankStatementEntry)),
            (typeof(Core.Api.BankTransferInstructionsResource), typeof(BankTransferInstructions)),
            (typeof(Core.Api.MandateResource), typeof(Mandate)),
            (typeof(Core.Api.DirectDebitBatchResource), typeof(DirectDebitBatch)),
            (typeof(Core.Api.DirectDebitResource), typeof(DirectDebit)),
            (typeof(Core.Api.DirectDebitLateReturnResource), typeof(DirectDebitLateReturn)),
            (typeof(Core.Api.CustomerResource), typeof(Customer)),
        };
        var extra = new List<string>();
        foreach (var (serverType, sdkType) in pairs)
        {
            var serverNames = serverType.GetProperties().Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)).ToHashSet();
            extra.AddRange(SdkJsonNames(sdkType).Where(n => !serverNames.Contains(n)).Select(n => $"{sdkType.Name}.{n}"));
        }

        Assert.True(extra.Count == 0, "SDK fields the server never sends: " + string.Join(", ", extra));
    }

    private static HashSet<string> SdkJsonNames(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is not { Condition: JsonIgnoreCondition.Always })
            .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name))
            .ToHashSet(StringComparer.Ordinal);
}
