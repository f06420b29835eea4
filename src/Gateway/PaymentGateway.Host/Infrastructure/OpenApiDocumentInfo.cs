using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace PaymentGateway.Host.Infrastructure;

/// <summary>Title, description and the bearer-key security scheme of the OpenAPI document.</summary>
internal sealed class OpenApiDocumentInfo : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "PaymentGateway API",
            Version = "v1",
            Description = "Self-hosted payment gateway. JSON is snake_case; amounts are integer minor units; errors are RFC 9457 problem+json with a stable `code`. Authenticate with `Authorization: Bearer <key>`; POSTs accept `Idempotency-Key`.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "sk_test_/sk_live_ secret keys, pk_test_/pk_live_ publishable keys (tokenization only), or the admin key.",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] });
        return Task.CompletedTask;
    }
}
