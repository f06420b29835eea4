using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace PaymentGateway.Host.Infrastructure;

/// <summary>
/// Endpoint metadata naming a query parameter the handler reads itself (pagination and filters), for the OpenAPI
/// document only: clients and the fuzzer learn the parameters from the document.
/// </summary>
public sealed record QueryParameterAttribute(string Name, JsonSchemaType Type, string Description)
{
    public bool Required { get; init; }

    /// <summary>The values the parameter takes (a closed set), or null.</summary>
    public IReadOnlyList<string>? Enum { get; init; }

    /// <summary>A string format (<c>date</c>), or null.</summary>
    public string? Format { get; init; }
}

public static class QueryParameterExtensions
{
    public static RouteHandlerBuilder WithQueryParameter(this RouteHandlerBuilder builder, string name, JsonSchemaType type, string description) =>
        builder.WithMetadata(new QueryParameterAttribute(name, type, description));

    public static RouteHandlerBuilder WithQueryParameter(this RouteHandlerBuilder builder, QueryParameterAttribute parameter) => builder.WithMetadata(parameter);

    /// <summary>The cursor pagination and created-range filters every list reads (<see cref="Apis.ListQueries"/>).</summary>
    public static RouteHandlerBuilder WithListQuery(this RouteHandlerBuilder builder)
    {
        foreach (var parameter in Apis.ListQueries.Parameters)
        {
            builder.WithMetadata(parameter);
        }

        return builder;
    }
}

/// <summary>Writes each <see cref="QueryParameterAttribute"/> into its operation's parameters.</summary>
internal sealed class QueryParameterTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var query in context.Description.ActionDescriptor.EndpointMetadata.OfType<QueryParameterAttribute>())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = query.Name,
                In = ParameterLocation.Query,
                Required = query.Required,
                Description = query.Description,
                Schema = query.Name == "limit"
                    ? new OpenApiSchema { Type = query.Type, Minimum = "1", Maximum = Apis.ListQueries.MaxLimit.ToString(System.Globalization.CultureInfo.InvariantCulture), Default = System.Text.Json.Nodes.JsonValue.Create(10) }
                    : new OpenApiSchema
                    {
                        Type = query.Type,
                        Format = query.Format,
                        Enum = query.Enum?.Select(v => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(v)).ToList(),
                    },
            });
        }

        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<UnpagedListAttribute>().FirstOrDefault() is { } unpaged)
        {
            operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            operation.Extensions["x-unpaged-list"] = new JsonNodeExtension(System.Text.Json.Nodes.JsonValue.Create(unpaged.Reason));
        }

        return Task.CompletedTask;
    }
}

/// <summary>Endpoint metadata: a list operation that answers everything at once (no cursor), and why.</summary>
public sealed record UnpagedListAttribute(string Reason);

public static class UnpagedListExtensions
{
    /// <summary>Marks a list operation that has no cursor pagination; the OpenAPI document says so (<c>x-unpaged-list</c>).</summary>
    public static RouteHandlerBuilder WithUnpagedList(this RouteHandlerBuilder builder, string reason) =>
        builder.WithMetadata(new UnpagedListAttribute(reason));
}
