namespace PaymentGateway.Grpc.ParityTests.Infrastructure;

/// <summary>A card to tokenize; null fields are left out of the request.</summary>
public sealed record CardInput(string? Number, int? ExpMonth = 12, int? ExpYear = 2034, string? Cvc = "123", string? HolderName = null);

/// <summary>A payment to create; null fields are left out of the request.</summary>
public sealed record PaymentInput
{
    public long? Amount { get; init; }

    public string? Currency { get; init; }

    /// <summary>REST's string; gRPC maps known values to the enum and anything else to an undefined enum number.</summary>
    public string? CaptureMethod { get; init; }

    public string? PaymentMethod { get; init; }

    public bool Confirm { get; init; }

    public string? Customer { get; init; }

    public string? Description { get; init; }

    public Dictionary<string, string>? Metadata { get; init; }

    public string? ReturnUrl { get; init; }

    /// <summary>REST's <c>mode</c> (payment, setup); gRPC's PaymentMode.</summary>
    public string? Mode { get; init; }

    public string? SetupFutureUsage { get; init; }

    public bool? OffSession { get; init; }

    public string? MitType { get; init; }
}

/// <summary>A customer to create or the fields to change; null fields are left out of the request.</summary>
public sealed record CustomerInput
{
    public string? Email { get; init; }

    public string? Name { get; init; }

    public string? Phone { get; init; }

    public Dictionary<string, string>? Metadata { get; init; }

    public string? DefaultPaymentMethod { get; init; }
}

/// <summary>The API operations as both transports offer them; a scenario written against this runs over either.</summary>
public interface IParityApi
{
    string Name { get; }

    Task<Outcome> CreatePaymentMethodAsync(string? key, CardInput card, string? idempotencyKey = null);

    Task<Outcome> GetPaymentMethodAsync(string? key, string id);

    Task<Outcome> CreatePaymentAsync(string? key, PaymentInput input, string? idempotencyKey = null);

    Task<Outcome> GetPaymentAsync(string? key, string id);

    Task<Outcome> ListPaymentsAsync(string? key, int? limit = null, string? startingAfter = null, string? endingBefore = null, string? status = null);

    Task<Outcome> ConfirmPaymentAsync(string? key, string id, string? paymentMethod, string? idempotencyKey = null, bool? offSession = null);

    Task<Outcome> CapturePaymentAsync(string? key, string id, long? amountToCapture, string? idempotencyKey = null);

    Task<Outcome> CancelPaymentAsync(string? key, string id, string? reason, string? idempotencyKey = null);

    Task<Outcome> CreateRefundAsync(string? key, string? payment, long? amount, string? reason = null, string? idempotencyKey = null);

    Task<Outcome> GetRefundAsync(string? key, string id);

    Task<Outcome> ListRefundsAsync(string? key, string? payment, int? limit = null);

    Task<Outcome> ListEventsAsync(string? key, int? limit = null, string? startingAfter = null, string? endingBefore = null);

    Task<Outcome> CreateCustomerAsync(string? key, CustomerInput input, string? idempotencyKey = null);

    Task<Outcome> GetCustomerAsync(string? key, string id);

    Task<Outcome> UpdateCustomerAsync(string? key, string id, CustomerInput input);

    Task<Outcome> DeleteCustomerAsync(string? key, string id);

    Task<Outcome> ListCustomersAsync(string? key, int? limit = null, string? email = null, string? metadataKey = null, string? metadataValue = null);

    Task<Outcome> AttachPaymentMethodAsync(string? key, string customer, string? paymentMethod, string? idempotencyKey = null);

    Task<Outcome> DetachPaymentMethodAsync(string? key, string customer, string paymentMethod);

    Task<Outcome> ListCustomerPaymentMethodsAsync(string? key, string customer, int? limit = null);
}
