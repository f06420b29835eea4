using System.Text.Json;

namespace PaymentGateway.Providers.Http;

/// <summary>One provider call's answer: the call, the HTTP status, the parsed JSON body (default when empty or a non-JSON
/// error page), and whether any attempt may have reached the provider's processing.</summary>
public sealed record ProviderHttpAnswer(ProviderHttpCall Call, int StatusCode, bool IsSuccess, JsonElement Body, bool MayHaveProcessed);
