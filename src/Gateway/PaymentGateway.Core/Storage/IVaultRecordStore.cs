using PaymentGateway.Core.Vault;

namespace PaymentGateway.Core.Storage;

/// <summary>
/// The rows that hold vault ciphertexts, for re-encryption under the current key and the start-up check that every key
/// id in use is configured. The engines only read and compare-and-set; what a value means is <see cref="VaultColumn"/>'s.
/// </summary>
public interface IVaultRecordStore
{
    /// <summary>Up to <paramref name="limit"/> rows with a value in <paramref name="column"/>, in key order, after <paramref name="after"/> (null: from the first).</summary>
    Task<IReadOnlyList<VaultRecordRow>> ListAsync(VaultColumn column, IReadOnlyList<string>? after, int limit, CancellationToken cancellationToken);

    /// <summary>Sets the row's value to <paramref name="replacement"/> if it is still <paramref name="expected"/>; false when it changed meanwhile (or is gone).</summary>
    Task<bool> ReplaceAsync(VaultColumn column, IReadOnlyList<string> key, string expected, string replacement, CancellationToken cancellationToken);

    /// <summary>The distinct key ids of a <see cref="VaultColumnShape.Ciphertext"/> column, computed in the database.</summary>
    Task<IReadOnlyList<string>> ListKeyIdsAsync(VaultColumn column, CancellationToken cancellationToken);

    /// <summary>The re-encryption cursor (null before the first pass).</summary>
    Task<string?> GetRewrapCursorAsync(CancellationToken cancellationToken);

    Task SaveRewrapCursorAsync(string cursor, CancellationToken cancellationToken);
}
