using Microsoft.Extensions.Options;
using PaymentGateway.Core;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Vault;

namespace PaymentGateway.Host.Background;

/// <summary>
/// Re-encrypts stored secrets under the vault's active key in the background, on whichever node holds the lease
/// <c>vault_rewrap</c>: each pass runs up to <see cref="VaultOptions.RewrapBatchesPerPass"/> batches from the saved
/// cursor (so a pass cut short by a crash or a lost lease continues on the next one, on any node) and logs its progress;
/// once a pass under the active key completed, passes do nothing until the active key changes.
/// </summary>
public sealed class VaultRewrapJob(ILeaseStore leases, VaultRewrapService rewrap, IOptions<GatewayOptions> options, TimeProvider time, ILogger<VaultRewrapJob> logger)
    : LeasedPeriodicJob(leases, time, logger)
{
    private VaultOptions Vault => options.Value.Vault;

    protected override string LeaseName => "vault_rewrap";

    protected override bool Enabled => Vault.RewrapEnabled;

    protected override TimeSpan Interval => Vault.RewrapInterval;

    protected override async Task<int> RunPassAsync(CancellationToken ct)
    {
        if (await rewrap.IsCompleteAsync(ct).ConfigureAwait(false))
        {
            return 0;
        }

        var progress = await rewrap.RunAsync(Vault.RewrapBatchSize, Vault.RewrapBatchesPerPass, progress: null, ct).ConfigureAwait(false);
        return (int)Math.Min(int.MaxValue, progress.Rewrapped);
    }
}
