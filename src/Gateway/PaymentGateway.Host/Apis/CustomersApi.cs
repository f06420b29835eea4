using PaymentGateway.Core;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Customers;
using PaymentGateway.Core.Storage;
using PaymentGateway.Host.Infrastructure;

namespace PaymentGateway.Host.Apis;

/// <summary>Customers and their saved payment methods (docs/saved-cards.md). Secret key only.</summary>
public static class CustomersApi
{
    public static IEndpointRouteBuilder MapCustomersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/customers").WithTags("Customers").RequireKey(KeyRequirement.Secret);

        group.MapPost("/", async (HttpContext http, CustomerService customers, CancellationToken ct) =>
            {
                var request = JsonBody.Read(http, ApiJson.Context.CreateCustomerRequest, allowEmpty: true);
                return TypedResults.Json(await customers.CreateAsync(http.Caller(), request, http.Features.Get<IdempotencyFeature>()?.RecoverySeed, ct),
                    ApiJson.Context.CustomerResource);
            })
            .WithName("CreateCustomer").WithSummary("Create customer").WithDescription("Create a customer (email, name, phone, description, metadata).")
            .WithJsonBody<CreateCustomerRequest>(required: false).Produces<CustomerResource>().WithStandardProblems();

        group.MapGet("/", async (HttpContext http, CustomerService customers, CancellationToken ct) =>
            {
                var page = ListQueries.Parse(http.Request, Ids.Customer);
                var (key, value) = MetadataFilter(http.Request);
                var query = new CustomerListQuery
                {
                    Limit = page.Limit,
                    StartingAfter = page.StartingAfter,
                    EndingBefore = page.EndingBefore,
                    CreatedGte = page.CreatedGte,
                    CreatedLt = page.CreatedLt,
                    Email = http.Request.Query.TryGetValue("email", out var email) ? email.ToString() : null,
                    MetadataKey = key,
                    MetadataValue = value,
                };
                return TypedResults.Json(await customers.ListAsync(http.Caller(), query, ct), ApiJson.Context.ListResourceCustomerResource);
            })
            .WithListQuery().WithQueryParameter("email", Microsoft.OpenApi.JsonSchemaType.String, "Only the customer with this email address (exact, ignoring case).")
            .WithQueryParameter("metadata[key]", Microsoft.OpenApi.JsonSchemaType.String, "Only customers whose metadata has this value for key (write the key in the brackets: metadata[order]=1001); one pair at most.")
            .WithName("ListCustomers")
            .WithSummary("List customers").WithDescription("List customers, newest first (deleted ones are not listed); search with email=… (exact, ignoring case) or one metadata[key]=value.")
            .Produces<ListResource<CustomerResource>>().WithStandardProblems();

        group.MapGet("/{id}", async (string id, HttpContext http, CustomerService customers, CancellationToken ct) =>
                TypedResults.Json(await customers.GetAsync(http.Caller(), id, ct), ApiJson.Context.CustomerResource))
            .WithName("GetCustomer").WithSummary("Retrieve customer").WithDescription("Retrieve a customer; a deleted one has deleted: true and nothing else.")
            .Produces<CustomerResource>().WithStandardProblems(404);

        group.MapPatch("/{id}", async (string id, HttpContext http, CustomerService customers, CancellationToken ct) =>
            {
                var request = JsonBody.Read(http, ApiJson.Context.UpdateCustomerRequest, allowEmpty: true);
                return TypedResults.Json(await customers.UpdateAsync(http.Caller(), id, request, ct), ApiJson.Context.CustomerResource);
            })
            .WithName("UpdateCustomer")
            .WithSummary("Update customer").WithDescription("Change the fields sent (an empty string clears one); metadata replaces the metadata; default_payment_method must be attached to the customer.")
            .WithJsonBody<UpdateCustomerRequest>(required: false).Produces<CustomerResource>().WithStandardProblems(404, 409, 422);

        group.MapDelete("/{id}", async (string id, HttpContext http, CustomerService customers, CancellationToken ct) =>
                TypedResults.Json(await customers.DeleteAsync(http.Caller(), id, ct), ApiJson.Context.CustomerResource))
            .WithName("DeleteCustomer")
            .WithSummary("Delete customer").WithDescription("Delete a customer: its saved payment methods are detached and their cards erased; later charges naming it fail with customer_deleted.")
            .Produces<CustomerResource>().WithStandardProblems(404, 409);

        group.MapPost("/{id}/payment_methods", async (string id, HttpContext http, CustomerPaymentMethods methods, CancellationToken ct) =>
            {
                var request = JsonBody.Read(http, ApiJson.Context.AttachPaymentMethodRequest, allowEmpty: false);
                return TypedResults.Json(await methods.AttachAsync(http.Caller(), id, request, ct), ApiJson.Context.PaymentMethodResource);
            })
            .WithName("AttachPaymentMethod")
            .WithSummary("Attach payment method").WithDescription("Attach a card payment method to the customer for on-session use (off-session use needs a customer-initiated payment that saves it).")
            .WithJsonBody<AttachPaymentMethodRequest>().Produces<PaymentMethodResource>().WithStandardProblems(404, 409, 422);

        group.MapGet("/{id}/payment_methods", async (string id, HttpContext http, CustomerPaymentMethods methods, CancellationToken ct) =>
                TypedResults.Json(await methods.ListAsync(http.Caller(), id, ListQueries.Parse(http.Request, Ids.PaymentMethod), ct),
                    ApiJson.Context.ListResourcePaymentMethodResource))
            .WithListQuery().WithName("ListCustomerPaymentMethods").WithSummary("List customer payment methods").WithDescription("List the customer's saved payment methods, newest first.")
            .Produces<ListResource<PaymentMethodResource>>().WithStandardProblems(404);

        group.MapDelete("/{id}/payment_methods/{paymentMethodId}", async (string id, string paymentMethodId, HttpContext http, CustomerPaymentMethods methods,
                CancellationToken ct) =>
                TypedResults.Json(await methods.DetachAsync(http.Caller(), id, paymentMethodId, ct), ApiJson.Context.PaymentMethodResource))
            .WithName("DetachPaymentMethod").WithSummary("Detach payment method").WithDescription("Detach a saved payment method: its card number and stored credentials are erased; it can never be charged again.")
            .Produces<PaymentMethodResource>().WithStandardProblems(404, 409);

        app.MapGroup("/v1/payment_methods").WithTags("Customers").RequireKey(KeyRequirement.Secret)
            .MapPatch("/{id}", async (string id, HttpContext http, CustomerPaymentMethods methods, CancellationToken ct) =>
            {
                var request = JsonBody.Read(http, ApiJson.Context.UpdatePaymentMethodRequest, allowEmpty: false);
                return TypedResults.Json(await methods.UpdateAsync(http.Caller(), id, request, ct), ApiJson.Context.PaymentMethodResource);
            })
            .WithName("UpdatePaymentMethod").WithSummary("Update payment method").WithDescription("A saved card's new expiry (exp_month, exp_year) or holder_name; payment_method.expiring is due again for the new expiry.")
            .WithJsonBody<UpdatePaymentMethodRequest>().Produces<PaymentMethodResource>().WithStandardProblems(404, 409, 422);

        return app;
    }

    /// <summary>The one <c>metadata[key]=value</c> search pair, or nulls; 400 for several.</summary>
    private static (string? Key, string? Value) MetadataFilter(HttpRequest request)
    {
        var pairs = request.Query.Where(q => q.Key.StartsWith("metadata[", StringComparison.Ordinal) && q.Key.EndsWith(']')).ToList();
        if (pairs.Count > 1 || (pairs.Count == 1 && pairs[0].Value.Count != 1))
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "Search with one metadata[key]=value pair.", "metadata");
        }

        return pairs.Count == 0 ? (null, null) : (pairs[0].Key["metadata[".Length..^1], pairs[0].Value.ToString());
    }
}
