using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Vault;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.Disputes;

/// <summary>
/// The merchant's evidence: the structured fields (<see cref="DisputeEvidenceFields"/>) and the files. A file is
/// checked by its own bytes (<see cref="EvidenceFileTypes"/>: PDF, PNG or JPEG, at most
/// <see cref="DisputeOptions.MaxEvidenceFileBytes"/>), encrypted by the vault bound to its id, and stored beside the
/// dispute; the same bytes uploaded twice are one file. Evidence can change only while the dispute awaits an answer.
/// </summary>
public sealed class DisputeEvidenceService(IDisputeStore store, IPaymentStore payments, DisputeWriter writer, CardVault vault, IOptions<DisputeOptions> options)
{
    public int MaxFileBytes => options.Value.MaxEvidenceFileBytes;

    /// <summary>Sets the given fields (an empty string clears one); writes <c>dispute.updated</c>.</summary>
    public Task<DisputeResource> UpdateAsync(CallerContext caller, string id, DisputeEvidenceResource request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return UpdateFieldsAsync(caller, id, request.ToFields(), null, ct);
    }

    /// <summary>
    /// As <see cref="UpdateAsync"/> with the fields by their wire names, and the console's audit entry
    /// (<paramref name="audit"/>) written in the change's own commit.
    /// </summary>
    public Task<DisputeResource> UpdateFieldsAsync(CallerContext caller, string id, IReadOnlyDictionary<string, string> fields, Audit.AuditRecord? audit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Count == 0)
        {
            throw GatewayException.Missing("evidence");
        }

        return DisputeWriter.RetryAsync(async token =>
        {
            var dispute = await DisputeQueries.LoadAsync(store, caller, id, token).ConfigureAwait(false);
            EnsureEditable(dispute);
            DisputeEvidenceFields.Apply(dispute.Evidence, fields, dispute.Files);
            var payment = await payments.GetPaymentByIdAsync(dispute.PaymentId, token).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Dispute {dispute.Id} has no payment.");
            var changes = new DisputeChanges();
            writer.Project(dispute, payment, [], isNew: false, changes, EventTypes.DisputeUpdated);
            if (audit is not null)
            {
                changes.AuditRecords.Add(audit);
            }

            await writer.CommitAsync(changes, token).ConfigureAwait(false);
            return dispute.ToResource();
        }, ct);
    }

    /// <summary>
    /// Stores an evidence file: reads at most the size limit (413 <c>evidence_file_too_large</c> beyond), checks its bytes
    /// against the allowed types and the declared one (400 <c>evidence_file_invalid</c>), and keeps at most
    /// <see cref="DisputeOptions.MaxEvidenceFiles"/> per dispute (422 <c>evidence_file_limit_reached</c>).
    /// </summary>
    public Task<DisputeEvidenceFileResource> UploadAsync(CallerContext caller, string id, Stream content, string? declaredType, string? fileName, CancellationToken ct) =>
        UploadAsync(caller, id, content, declaredType, fileName, null, ct);

    /// <summary>As the other overload, with the console's audit entry (given the file's id) in the commit that stores the file.</summary>
    public async Task<DisputeEvidenceFileResource> UploadAsync(CallerContext caller, string id, Stream content, string? declaredType, string? fileName, Audit.AuditRecord? audit,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        var bytes = await ReadLimitedAsync(content, MaxFileBytes, ct).ConfigureAwait(false);
        var type = Validate(bytes, declaredType);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var fileId = Ids.New(Ids.DisputeFile);
        string? encrypted = null;
        return await DisputeWriter.RetryAsync(async token =>
        {
            var dispute = await DisputeQueries.LoadAsync(store, caller, id, token).ConfigureAwait(false);
            EnsureEditable(dispute);
            if (dispute.Files.FirstOrDefault(f => f.Sha256 == sha) is { } same)
            {
                return same.ToResource(dispute.Id);
            }

            if (dispute.Files.Count >= options.Value.MaxEvidenceFiles)
            {
                throw new GatewayException(ErrorKind.Unprocessable, ErrorCodes.EvidenceFileLimitReached,
                    $"This dispute already has {dispute.Files.Count} evidence files, the most it keeps.");
            }

            var now = writer.Time.GetUtcNow();
            var file = new DisputeEvidenceFile
            {
                Id = fileId,
                FileName = EvidenceFileTypes.SafeFileName(fileName, type),
                ContentType = type,
                Size = bytes.Length,
                Sha256 = sha,
                Created = now,
            };
            encrypted ??= vault.EncryptBytes(fileId, bytes);
            dispute.Files.Add(file);
            dispute.Updated = now;
            var changes = new DisputeChanges();
            changes.NewFiles.Add(new StoredDisputeFile
            {
                Id = fileId,
                DisputeId = dispute.Id,
                MerchantId = dispute.MerchantId,
                Livemode = dispute.Livemode,
                EncryptedContent = encrypted,
                Created = now,
            });
            changes.UpdatedDisputes.Add(dispute);
            if (audit is not null)
            {
                changes.AuditRecords.Add(audit with { After = new Dictionary<string, string?>(audit.After ?? new Dictionary<string, string?>()) { ["file_id"] = fileId } });
            }

            await writer.CommitAsync(changes, token).ConfigureAwait(false);
            return file.ToResource(dispute.Id);
        }, ct).ConfigureAwait(false);
    }

    /// <summary>An evidence file's description and bytes (decrypted, checked against its SHA-256).</summary>
    public async Task<(DisputeEvidenceFileResource File, byte[] Content)> DownloadAsync(CallerContext caller, string id, string fileId, CancellationToken ct)
    {
        var dispute = await DisputeQueries.LoadAsync(store, caller, id, ct).ConfigureAwait(false);
        var file = dispute.Files.FirstOrDefault(f => f.Id == fileId) ?? throw GatewayException.NotFound("evidence file", fileId);
        return (file.ToResource(dispute.Id), await ReadAsync(dispute, file, ct).ConfigureAwait(false));
    }

    /// <summary>The files the evidence's file fields name, decrypted, for a submission to the provider.</summary>
    public async Task<IReadOnlyList<DisputeEvidenceDocument>> DocumentsAsync(Dispute dispute, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dispute);
        var documents = new List<DisputeEvidenceDocument>();
        foreach (var (field, value) in dispute.Evidence.Where(e => DisputeEvidenceFields.IsFileField(e.Key)))
        {
            if (dispute.Files.FirstOrDefault(f => f.Id == value) is { } file)
            {
                documents.Add(new DisputeEvidenceDocument
                {
                    Field = field,
                    FileName = file.FileName,
                    ContentType = file.ContentType,
                    Content = await ReadAsync(dispute, file, ct).ConfigureAwait(false),
                });
            }
        }

        return documents;
    }

    /// <summary>The content type the bytes are, when it is allowed and agrees with <paramref name="declaredType"/>; else 400.</summary>
    public static string Validate(ReadOnlySpan<byte> bytes, string? declaredType)
    {
        if (bytes.IsEmpty)
        {
            throw GatewayException.Invalid(ErrorCodes.EvidenceFileInvalid, "The evidence file is empty.", "file");
        }

        var declared = EvidenceFileTypes.Normalize(declaredType);
        if (!EvidenceFileTypes.Allowed.Contains(declared))
        {
            throw GatewayException.Invalid(ErrorCodes.EvidenceFileInvalid,
                "Send the file with Content-Type application/pdf, image/png or image/jpeg.", "content_type");
        }

        var actual = EvidenceFileTypes.Sniff(bytes)
            ?? throw GatewayException.Invalid(ErrorCodes.EvidenceFileInvalid, "The file is not a PDF, PNG or JPEG (its first bytes say otherwise).", "file");
        if (actual != declared)
        {
            throw GatewayException.Invalid(ErrorCodes.EvidenceFileInvalid, $"The file is declared as {declared} but its bytes are {actual}.", "content_type");
        }

        if (actual == EvidenceFileTypes.Pdf && EvidenceFileTypes.FindActivePdfContent(bytes) is { } marker)
        {
            throw GatewayException.Invalid(ErrorCodes.EvidenceFileInvalid, $"The PDF carries active content ({marker}); send a plain document.", "file");
        }

        return actual;
    }

    private async Task<byte[]> ReadAsync(Dispute dispute, DisputeEvidenceFile file, CancellationToken ct)
    {
        var stored = await store.GetDisputeFileAsync(dispute.Id, file.Id, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Evidence file {file.Id} of dispute {dispute.Id} has no stored content.");
        var bytes = vault.DecryptBytes(file.Id, stored.EncryptedContent);
        if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != file.Sha256)
        {
            throw new CryptographicException($"Evidence file {file.Id} does not match its checksum.");
        }

        return bytes;
    }

    private static void EnsureEditable(Dispute dispute)
    {
        if (!dispute.Status.AwaitsResponse() || dispute.Submission is { State: DisputeSubmissionState.Sending })
        {
            throw new GatewayException(ErrorKind.Conflict, ErrorCodes.DisputeStateConflict,
                $"Evidence can change only while the dispute awaits a response; this one is '{dispute.Status.ToWire()}'"
                + (dispute.Submission is { State: DisputeSubmissionState.Sending } ? " with a submission on its way." : "."));
        }
    }

    private static async Task<byte[]> ReadLimitedAsync(Stream content, int maxBytes, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new GatewayException(ErrorKind.PayloadTooLarge, ErrorCodes.EvidenceFileTooLarge, $"The evidence file is larger than {maxBytes} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
