namespace PaymentGateway.Core.Storage;

/// <summary>Thrown by a store's version-checked write (<see cref="IPaymentStore.CommitAsync"/> and the like) when another writer changed a row first. Nothing was written.</summary>
public sealed class ConcurrencyConflictException(string objectId)
    : Exception($"Object {objectId} was changed by another request.")
{
    public string ObjectId { get; } = objectId;
}
