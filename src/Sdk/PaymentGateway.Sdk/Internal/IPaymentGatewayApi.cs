using Refit;

namespace PaymentGateway.Sdk.Internal;

/// <summary>
/// The REST routes, implemented by Refit's source generator. Every method returns <see cref="IApiResponse{T}"/> so
/// errors come back as values (mapped to <see cref="PaymentGatewayException"/> in one place) and headers are readable.
/// Bodies are buffered so the resilience handler can send them again on a retry.
/// </summary>
internal interface IPaymentGatewayApi
{
    [Post("/v1/payments")]
    Task<IApiResponse<Payment>> CreatePaymentAsync(
        [Body(buffered: true)] CreatePaymentRequest body,
        [Authorize("Bearer")] string apiKey,
        [Header("Idempotency-Key")] string idempotencyKey,
        CancellationToken cancellationToken);

    [Get("/v1/payments/{id}")]
    Task<IApiResponse<Payment>> GetPaymentAsync(string id, [Authorize("Bearer")] string apiKey, CancellationToken cancellationToken);

    [Get("/v1/payments")]
    Task<IApiResponse<Page<Payment>>> ListPaymentsAsync(
        [AliasAs("limit")] int? limit,
        [AliasAs("starting_after")] string? startingAfter,
        [AliasAs("ending_before")] string? endingBefore,
        [AliasAs("status")] string? status,
        [AliasAs("created[gte]")] string? createdGte,
        [AliasAs("created[lt]")] string? createdLt,
        [Authorize("Bearer")] string apiKey,
        CancellationToken cancellationToken);

    [Post("/v1/payments/{id}/confirm")]
    Task<IApiResponse<Payment>> ConfirmPaymentAsync(
        string id,
        [Body(buffered: true)] ConfirmPaymentRequest body,
        [Authorize("Bearer")] string apiKey,
        [Header("Idempotency-Key")] string idempotencyKey,
        CancellationToken cancellationToken);

    [Post("/v1/payments/{id}/capture")]
    Task<IApiResponse<Payment>> CapturePaymentAsync(
        string id,
        [Body(buffered: true)] CapturePaymentRequest body,
        [Authorize("Bearer")] string apiKey,
        [Header("Idempotency-Key")] string idempotencyKey,
        CancellationToken cancellationToken);

    [Post("/v1/payments/{id}/cancel")]
    Task<IApiResponse<Payment>> CancelPaymentAsync(
        string id,
        [Body(buffered: true)] CancelPaymentRequest body,
        [Authorize("Bearer")] string apiKey,
        [Header("Idempotency-Key")] string idempotencyKey,
        CancellationToken cancellationToken);

    [Post("/v1/refunds")]
    Task<IApiResponse<Refund>> CreateRefundAsync(
        [Body(buffered: true)] CreateRefundRequest body,
        [Authorize("Bearer")] string apiKey,
        [Header("Idempotency-Key")] string idempotencyKey,
        CancellationToken cancellationToken);

    [Get("/v1/refunds/{id}")]
    Task<IApiResponse<Refund>> GetRefundAsync(string id, [Authorize("Bearer")] string apiKey, CancellationToken cancellationToken);

    [Get("/v1/refunds")]
    Task<IApiResponse<Page<Refund>>> ListRefundsAsync(
        [AliasAs("payment")] string? payment,
        [AliasAs("limit")] int? limit,
        [AliasAs("starting_after")] string? startingAfter,
        [AliasAs("ending_before")] string? endingBefore,
        [Authorize("Bearer")] string apiKey,
        CancellationToken cancellationToken);

    [Post("/v1/payment_methods")]
    Task<IApiResponse<PaymentMethod>> CreatePaymentMethodAsync(
        [Body(buffered: true)] CreatePaymentMethodRequest body,
        [Authorize("Bearer")] string apiKey,
        [Header("Idempotency-Key")] string idempotencyKey,
        CancellationToken cancellationToken);

    [Get("/v1/payment_methods/{id}")]
    Task<IApiResponse<PaymentMethod>> GetPaymentMethodAsync(string id, [Authorize("Bearer")] string apiKey, CancellationToken cancellationToken);

    [Get("/v1/events/{id}")]
    Task<IApiResponse<Event>> GetEventAsync(string id, [Authorize("Bearer")] string apiKey, CancellationToken cancellationToken);

    [Get("/v1/events")]
    Task<IApiResponse<Page<Event>>> ListEventsAsync(
        [AliasAs("limit")] int? limit,
        [AliasAs("starting_after")] string? startingAfter,
        [AliasAs("ending_before")] string? endingBefore,
        [Authorize("Bearer")] string apiKey,
        CancellationToken cancellationToken);
}
