namespace PaymentGateway.Core.Storage;

/// <summary>
/// A set of changes a store commits as one unit: when another writer stored one of its new objects first, the whole
/// set is refused as a conflict on <see cref="ConflictObjectId"/>; once it is committed, <see cref="MarkCommitted"/>
/// moves the updated copies to their stored versions.
/// </summary>
public interface IChangeSet
{
    /// <summary>The object a conflict names when another writer stored the same object first.</summary>
    string ConflictObjectId { get; }

    /// <summary>Called by the store once the set is committed.</summary>
    void MarkCommitted();
}
