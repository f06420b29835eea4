using System.Text.Json.Serialization;

namespace PaymentGateway.Sdk;

/// <summary>
/// The base of every object the API returns. Besides the object's fields it carries facts about the HTTP response
/// that returned it: <see cref="RequestId"/> (quote it to support) and <see cref="IdempotentReplayed"/>.
/// </summary>
/// <remarks>
/// The response facts are set only on the top-level object a call returns (not on the items of a <see cref="Page{T}"/>
/// nor on nested objects), are never serialized, and take no part in equality: two reads of the same payment are equal.
/// </remarks>
public abstract record PaymentGatewayObject
{
    /// <summary>The <c>Request-Id</c> header of the response that returned this object, if any.</summary>
    [JsonIgnore]
    public string? RequestId { get; init; }

    /// <summary>
    /// <see langword="true"/> when the gateway replayed a stored response for a repeated <c>Idempotency-Key</c>
    /// (header <c>Idempotent-Replayed: true</c>) instead of doing the work again.
    /// </summary>
    [JsonIgnore]
    public bool IdempotentReplayed { get; init; }

    /// <summary>Compares the object's fields; response facts (<see cref="RequestId"/>, <see cref="IdempotentReplayed"/>) are ignored.</summary>
    /// <param name="other">The object to compare with.</param>
    /// <returns><see langword="true"/> when both are the same type of object with equal fields.</returns>
    public virtual bool Equals(PaymentGatewayObject? other) =>
        other is not null && EqualityContract == other.EqualityContract;

    /// <summary>A hash of the object's type; derived records add their fields.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => EqualityContract.GetHashCode();
}
