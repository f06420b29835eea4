namespace PaymentGateway.Sdk;

/// <summary>One page of a list, newest first. Use the <c>ListAutoPagingAsync</c> methods to walk every page.</summary>
/// <typeparam name="T">The type of the listed objects.</typeparam>
public sealed record Page<T> : PaymentGatewayObject
{
    /// <summary>The objects on this page.</summary>
    public required IReadOnlyList<T> Data { get; init; }

    /// <summary><see langword="true"/> when more objects follow the last one on this page.</summary>
    public required bool HasMore { get; init; }
}
