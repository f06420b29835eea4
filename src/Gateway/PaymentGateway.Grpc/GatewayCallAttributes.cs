using PaymentGateway.Core.Merchants;

namespace PaymentGateway.Grpc;

/// <summary>The kind of API key a gRPC method needs (on the service class, overridden on a method).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresKeyAttribute(ApiKeyKind kind) : Attribute
{
    public ApiKeyKind Kind { get; } = kind;
}

/// <summary>
/// The method accepts an <c>idempotency-key</c>. With <see cref="ReservesId"/>, the new object's id derives from the
/// key's recovery seed, so a retry after a crash finds the object it already made.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class IdempotentAttribute : Attribute
{
    public bool ReservesId { get; init; }

    /// <summary>
    /// The method's flow makes its first write through the payment writer and answers <c>{ payment }</c> with a card
    /// payment (<see cref="Core.Payments.CardAnswer"/>): a new key's claim rides in its first commit and the response
    /// in its last (<see cref="Core.Idempotency.IdempotencyScope"/>).
    /// </summary>
    public bool FoldsPaymentAnswer { get; init; }
}
