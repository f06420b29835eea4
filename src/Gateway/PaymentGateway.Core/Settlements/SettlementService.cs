using System.Text.Json;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Routing;
using PaymentGateway.Core.Storage;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.Settlements;

/// <summary>
/// Imports provider settlement data (each adapter's <see cref="ISettlementSource"/> parses its own format) and matches
/// every line to a payment or refund of the merchant by the reference the gateway sent (<c>pay_…</c>, <c>re_…</c>).
/// A file is parsed whole before anything is written (a malformed one is a 400 that changes nothing); lines already
/// imported are recognized by their key and skipped, so an import can be repeated. A payout whose lines all match is
/// reconciled, with the event <c>payout.reconciled</c> in the same transaction.
/// </summary>
public sealed class SettlementService(
    ISettlementStore store, IPaymentStore payments, IRoutingStore routing, ProviderAccountService accounts, IEnumerable<ISettlementSource> sources, TimeProvider time)
{
    /// <summary>How many days after its capture a payment counts as not settled when the caller does not say.</summary>
    public const int DefaultUnsettledDays = 7;

    private readonly IReadOnlyList<ISettlementSource> _sources = [.. sources];

    public async Task<SettlementImportResource> ImportFileAsync(CallerContext caller, string? providerAccountId, Stream content, SettlementParseOptions options,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var account = await AccountAsync(caller, providerAccountId, ct).ConfigureAwait(false);
        var source = _sources.FirstOrDefault(s => s.ProviderId == account.ProviderId)
                     ?? throw Unsupported(account.ProviderId, "settlement files");
        ProviderSettlementReport report;
        try
        {
            report = await source.ParseAsync(content, options, ct).ConfigureAwait(false);
        }
        catch (SettlementFormatException e)
        {
            throw GatewayException.Invalid(ErrorCodes.SettlementFileInvalid, $"The {account.ProviderId} settlement file was refused: {e.Message} Nothing was imported.");
        }

        return await ApplyAsync(caller, account, report, ct).ConfigureAwait(false);
    }

    public async Task<SettlementImportResource> FetchAsync(CallerContext caller, FetchSettlementsRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var account = await AccountAsync(caller, request.ProviderAccount, ct).ConfigureAwait(false);
        if (_sources.FirstOrDefault(s => s.ProviderId == account.ProviderId) is not ISettlementApiSource source)
        {
            throw Unsupported(account.ProviderId, "fetching settlements from its API; import its settlement file instead");
        }

        ProviderSettlementReport report;
        try
        {
            report = await source.FetchAsync(accounts.Open(account), request.Payout, request.Since, ct).ConfigureAwait(false);
        }
        catch (SettlementFormatException e)
        {
            throw GatewayException.Invalid(ErrorCodes.SettlementFileInvalid, $"{account.ProviderId} answered something that is not settlement data: {e.Message}");
        }
        catch (Exception e) when (e is ProviderUnavailableException or ProviderOutcomeUnknownException)
        {
            throw new GatewayException(ErrorKind.ProviderUnavailable, ErrorCodes.ProviderUnavailable, $"{account.ProviderId} did not answer the settlement read; nothing was imported.");
        }

        return await ApplyAsync(caller, account, report, ct).ConfigureAwait(false);
    }

    public async Task<SettlementLineResource> GetLineAsync(CallerContext caller, string id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var line = await store.GetSettlementLineAsync(caller.MerchantId, caller.Livemode, id, ct).ConfigureAwait(false) ?? throw GatewayException.NotFound("settlement line", id);
        return line.ToResource();
    }

    public async Task<ListResource<SettlementLineResource>> ListLinesAsync(CallerContext caller, SettlementLineListQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var rows = await store.ListSettlementLinesAsync(caller.MerchantId, caller.Livemode, Paging.Probe(query), ct).ConfigureAwait(false);
        return Paging.ToList(rows, query, l => l.ToResource());
    }

    public async Task<ListResource<SettlementPayoutResource>> ListPayoutsAsync(CallerContext caller, ListQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var rows = await store.ListSettlementPayoutsAsync(caller.MerchantId, caller.Livemode, Paging.Probe(query), ct).ConfigureAwait(false);
        return Paging.ToList(rows, query, p => p.ToResource());
    }

    /// <summary>Payments captured at least <paramref name="days"/> days ago (looking back 90 days further) with no settlement line yet.</summary>
    public async Task<ListResource<PaymentResource>> ListUnsettledAsync(CallerContext caller, int days, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var before = time.GetUtcNow() - TimeSpan.FromDays(days);
        var rows = await store.ListUnsettledPaymentsAsync(caller.MerchantId, caller.Livemode, before - TimeSpan.FromDays(90), before, limit + 1, ct).ConfigureAwait(false);
        return new ListResource<PaymentResource> { Data = [.. rows.Take(limit).Select(p => p.ToResource())], HasMore = rows.Count > limit };
    }

    private async Task<Routing.ProviderAccountRecord> AccountAsync(CallerContext caller, string? id, CancellationToken ct)
    {
        if (id is not { Length: > 0 })
        {
            throw GatewayException.Missing("provider_account");
        }

        var account = await routing.GetProviderAccountAsync(id, ct).ConfigureAwait(false);
        return account is not null && account.MerchantId == caller.MerchantId && account.Livemode == caller.Livemode
            ? account
            : throw GatewayException.NotFound("provider account", id);
    }

    private static GatewayException Unsupported(string provider, string what) =>
        new(ErrorKind.Unprocessable, ErrorCodes.SettlementSourceUnsupported, $"The {provider} adapter does not support {what}.", "provider_account");

    private async Task<SettlementImportResource> ApplyAsync(CallerContext caller, Routing.ProviderAccountRecord account, ProviderSettlementReport report, CancellationToken ct)
    {
        var keys = report.Lines.Select(l => l.LineKey).Distinct(StringComparer.Ordinal).ToList();
        for (var attempt = 0; ; attempt++)
        {
            var existing = await store.FindExistingSettlementLineKeysAsync(account.Id, keys, ct).ConfigureAwait(false);
            var now = time.GetUtcNow();
            var changes = new SettlementImportChanges();
            var seen = new HashSet<string>(existing, StringComparer.Ordinal);
            foreach (var line in report.Lines)
            {
                if (seen.Add(line.LineKey))
                {
                    changes.NewLines.Add(await MatchAsync(caller, account, line, now, ct).ConfigureAwait(false));
                }
            }

            var payouts = await PayoutsAsync(caller, account, changes, now, ct).ConfigureAwait(false);
            try
            {
                await store.CommitSettlementImportAsync(changes, ct).ConfigureAwait(false);
            }
            catch (ConcurrencyConflictException) when (attempt < 2)
            {
                continue; // another import of the same file committed first: what is new is decided again
            }

            return new SettlementImportResource
            {
                ProviderAccount = account.Id,
                Lines = report.Lines.Count,
                NewLines = changes.NewLines.Count,
                DuplicateLines = report.Lines.Count - changes.NewLines.Count,
                Matched = changes.NewLines.Count(l => l.Status == SettlementLineStatus.Matched),
                Unmatched = changes.NewLines.Count(l => l.Status == SettlementLineStatus.Unmatched),
                Payouts = [.. payouts.Select(p => p.ToResource())],
            };
        }
    }

    private async Task<SettlementLine> MatchAsync(CallerContext caller, Routing.ProviderAccountRecord account, ProviderSettlementLine line, DateTimeOffset now,
        CancellationToken ct)
    {
        string? paymentId = null, refundId = null;
        var concernsPayment = line.Type is SettlementLineType.Payment or SettlementLineType.Refund or SettlementLineType.Chargeback;
        if (concernsPayment && line.MerchantReference is { } reference)
        {
            if (Ids.IsValid(reference, Ids.Refund)
                && await payments.GetRefundAsync(caller.MerchantId, caller.Livemode, reference, ct).ConfigureAwait(false) is { } refund
                && refund.Currency == line.Currency)
            {
                refundId = refund.Id;
                paymentId = refund.PaymentId;
            }
            else if (Ids.IsValid(reference, Ids.Payment)
                     && await payments.GetPaymentAsync(caller.MerchantId, caller.Livemode, reference, ct).ConfigureAwait(false) is { } payment
                     && payment.Currency == line.Currency)
            {
                paymentId = payment.Id;
            }
        }

        return new SettlementLine
        {
            Id = Ids.New(Ids.SettlementLine),
            MerchantId = caller.MerchantId,
            Livemode = caller.Livemode,
            ProviderAccountId = account.Id,
            Provider = account.ProviderId,
            LineKey = line.LineKey,
            Type = line.Type,
            ProviderType = line.ProviderType,
            Status = !concernsPayment ? SettlementLineStatus.NotApplicable : paymentId is null ? SettlementLineStatus.Unmatched : SettlementLineStatus.Matched,
            PaymentId = paymentId,
            RefundId = refundId,
            ProviderReference = line.ProviderReference,
            MerchantReference = line.MerchantReference,
            Currency = line.Currency,
            Gross = line.Gross,
            Fee = line.Fee,
            Net = line.Net,
            Fees = new Dictionary<string, long>(line.Fees, StringComparer.Ordinal),
            PayoutId = line.PayoutId,
            PayoutDate = line.PayoutDate,
            BookedAt = line.BookedAt,
            Created = now,
        };
    }

    /// <summary>Recomputes each touched payout from all its lines (stored and new); a payout reconciled now gets its event.</summary>
    private async Task<List<SettlementPayout>> PayoutsAsync(CallerContext caller, Routing.ProviderAccountRecord account, SettlementImportChanges changes,
        DateTimeOffset now, CancellationToken ct)
    {
        var touched = new List<SettlementPayout>();
        foreach (var group in changes.NewLines.Where(l => l.PayoutId is not null).GroupBy(l => l.PayoutId ?? string.Empty, StringComparer.Ordinal))
        {
            var stored = await store.ListSettlementLinesOfPayoutAsync(account.Id, group.Key, ct).ConfigureAwait(false);
            var lines = stored.Concat(group).ToList();
            var payout = await store.GetSettlementPayoutAsync(account.Id, group.Key, ct).ConfigureAwait(false);
            var isNew = payout is null;
            payout ??= new SettlementPayout
            {
                Id = Ids.New(Ids.SettlementPayout),
                MerchantId = caller.MerchantId,
                Livemode = caller.Livemode,
                ProviderAccountId = account.Id,
                Provider = account.ProviderId,
                PayoutId = group.Key,
                Created = now,
            };
            var money = lines.Where(l => l.Type != SettlementLineType.Payout).ToList();
            payout.Currency = lines.Select(l => l.Currency).FirstOrDefault();
            payout.Gross = checked(money.Sum(l => l.Gross));
            payout.Fee = checked(money.Sum(l => l.Fee));
            payout.Net = checked(money.Sum(l => l.Net));
            payout.PaidOut = lines.Where(l => l.Type == SettlementLineType.Payout).Select(l => (long?)Math.Abs(l.Net)).FirstOrDefault() ?? payout.PaidOut;
            payout.LineCount = lines.Count;
            payout.UnmatchedCount = lines.Count(l => l.Status == SettlementLineStatus.Unmatched);
            payout.PayoutDate = lines.Select(l => l.PayoutDate).FirstOrDefault(d => d is not null) ?? payout.PayoutDate;
            if (payout.UnmatchedCount == 0 && payout.Status != "reconciled")
            {
                payout.Status = "reconciled";
                payout.ReconciledAt = now;
                changes.Events.Add(new GatewayEvent
                {
                    Id = Ids.New(Ids.Event),
                    MerchantId = payout.MerchantId,
                    Livemode = payout.Livemode,
                    Type = EventTypes.PayoutReconciled,
                    ObjectId = payout.Id,
                    Created = now,
                    DataJson = JsonSerializer.Serialize(payout.ToResource(), ApiJson.Context.SettlementPayoutResource),
                });
            }
            else if (payout.UnmatchedCount > 0)
            {
                payout.Status = "open";
            }

            (isNew ? changes.NewPayouts : changes.UpdatedPayouts).Add(payout);
            touched.Add(payout);
        }

        return touched;
    }
}
