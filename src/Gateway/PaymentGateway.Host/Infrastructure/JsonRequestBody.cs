using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace PaymentGateway.Host.Infrastructure;

/// <summary>
/// Endpoint metadata naming the JSON request body type, for the OpenAPI document only. Unlike <c>Accepts&lt;T&gt;</c>,
/// it adds no content-type routing constraint, so a wrong Content-Type reaches the endpoint and gets a precise 400
/// (and a bodiless POST to capture/cancel/confirm works).
/// </summary>
public sealed record JsonRequestBodyAttribute(Type BodyType, bool Required);

public static class JsonRequestBodyExtensions
{
    public static RouteHandlerBuilder WithJsonBody<T>(this RouteHandlerBuilder builder, bool required = true) =>
        builder.WithMetadata(new JsonRequestBodyAttribute(typeof(T), required));
}

/// <summary>Writes <see cref="JsonRequestBodyAttribute"/> into each operation's requestBody.</summary>
internal sealed class JsonRequestBodyTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var body = context.Description.ActionDescriptor.EndpointMetadata.OfType<JsonRequestBodyAttribute>().FirstOrDefault();
        if (body is null)
        {
            return;
        }

        var schema = await context.GetOrCreateSchemaAsync(body.BodyType, null, cancellationToken);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = body.Required,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
        };
    }
}
