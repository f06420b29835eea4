using System.Globalization;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Idempotency;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Webhooks;

namespace PaymentGateway.Core.BackOffice;

/// <summary>A payment as the console's detail page shows it: the payment, its card (brand and last 4 only), refunds, events and their webhook deliveries.</summary>
public sealed record ConsolePaymentView(
    Payment Payment,
    StoredCard? Card,
    IReadOnlyList<Refund> Refunds,
    IReadOnlyList<GatewayEvent> Events,
    IReadOnlyList<WebhookDelivery> Deliveries);

/// <summary>What a money action did: the payment after it, and whether this submission was a replay of one already done.</summary>
public sealed record ConsoleActionResult(string PaymentId, string? RefundId, bool Replayed);

/// <summary>The console's money actions.</summary>
public enum ConsolePaymentAction
{
    Capture,
    Cancel,
    Refund,
}

/// <summary>
/// The console's payments: search (every filter in the database), one payment with everything about it, and the money
/// actions — capture, cancel, refund — through the same services as the API. Each action is checked here against the
/// signed-in user's role on the payment's merchant and (refunds, support role) their refund limit, made idempotent by a
/// key derived from the confirmation form's one-time token (a double click or a resubmitted form runs it once), and
/// audited, also when refused.
/// </summary>
public sealed class ConsolePaymentService(
    IPaymentStore payments,
    IEventStore events,
    IWebhookStore webhooks,
    IMerchantStore merchants,
    IConsoleStore consoleStore,
    RefundService refunds,
    CardPayments cards,
    PaymentCancellation cancellation,
    IdempotencyService idempotency,
    TimeProvider time)
{
    public const string RefundedAction = "console.payment.refunded";
    public const string CapturedAction = "console.payment.captured";
    public const string CanceledAction = "console.payment.canceled";
    public const string PaymentTarget = "payment";

    /// <summary>The merchants whose payments the caller may see, by name.</summary>
    public Task<IReadOnlyList<Merchant>> MerchantsAsync(ConsoleCaller caller, CancellationToken ct) =>
        ConsoleMerchants.AllowingAsync(merchants, caller, ConsolePermission.ViewPayments, ct);

    /// <summary>One page of a merchant's payments matching the filter, newest first.</summary>
    public Task<IReadOnlyList<Payment>> SearchAsync(ConsoleCaller caller, string merchantId, bool livemode, PaymentListQuery query, CancellationToken ct)
    {
        caller.Demand(ConsolePermission.ViewPayments, merchantId);
        return payments.ListPaymentsAsync(merchantId, livemode, query, ct);
    }

    /// <summary>
    /// One page of a merchant's refunds matching the filter (status, currency, created range), newest first: the store
    /// listing <c>GET /v1/refunds</c> reads, with the filters in the database on both engines.
    /// </summary>
    public Task<IReadOnlyList<Refund>> SearchRefundsAsync(ConsoleCaller caller, string merchantId, bool livemode, RefundListQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.Demand(ConsolePermission.ViewPayments, merchantId);
        return payments.ListRefundsAsync(merchantId, livemode, null, query, ct);
    }

    public const string ExportedAction = "console.payments.exported";

    /// <summary>
    /// Streams the merchant's payments matching the filter as CSV (the reports export's columns and writer), newest
    /// first, page by page, up to <paramref name="maxRows"/>; owners and finance. The export itself is audited.
    /// </summary>
    public async Task ExportCsvAsync(ConsoleCaller caller, string merchantId, bool livemode, PaymentListQuery query, Stream output, int maxRows, CancellationToken ct)
    {
        var role = caller.Demand(ConsolePermission.ExportData, merchantId);
        var changes = new ConsoleChanges();
        changes.AuditRecords.Add(new AuditRecord
        {
            Created = time.GetUtcNow(),
            Action = ExportedAction,
            Actor = caller.Actor(role),
            MerchantId = merchantId,
            After = new Dictionary<string, string?>
            {
                ["livemode"] = livemode ? "true" : "false",
                ["status"] = query.Status?.ToWire(),
                ["currency"] = query.Currency,
                ["customer"] = query.Customer,
                ["created_gte"] = query.CreatedGte?.ToString("O", CultureInfo.InvariantCulture),
                ["created_lt"] = query.CreatedLt?.ToString("O", CultureInfo.InvariantCulture),
            },
            Context = caller.Context,
        });
        await consoleStore.CommitAsync(changes, ct).ConfigureAwait(false);

        await using var csv = new Reports.CsvExportWriter(output);
        csv.WriteRow(Reports.ExportColumns.Payments);
        var page = query with { Limit = 500, EndingBefore = null };
        var written = 0;
        while (written < maxRows)
        {
            var rows = await payments.ListPaymentsAsync(merchantId, livemode, page, ct).ConfigureAwait(false);
            foreach (var payment in rows.Take(maxRows - written))
            {
                csv.WriteRow(Reports.ExportColumns.Row(payment));
                written++;
            }

            await csv.FlushAsync().ConfigureAwait(false);
            if (rows.Count < page.Limit)
            {
                break;
            }

            page = page with { StartingAfter = rows[^1].Id };
        }
    }

    /// <summary>
    /// Where a pasted id leads: the payment it is or belongs to (<c>pay_</c>, <c>re_</c>, <c>evt_</c> of a payment or
    /// refund), or for <c>pm_</c> the payment method (the list filters by it). Null when the caller may see no such object.
    /// </summary>
    public async Task<string?> ResolvePaymentIdAsync(ConsoleCaller caller, string merchantId, bool livemode, string id, CancellationToken ct)
    {
        caller.Demand(ConsolePermission.ViewPayments, merchantId);
        if (id.StartsWith(Ids.Payment + "_", StringComparison.Ordinal))
        {
            return (await payments.GetPaymentAsync(merchantId, livemode, id, ct).ConfigureAwait(false))?.Id;
        }

        if (id.StartsWith(Ids.Refund + "_", StringComparison.Ordinal))
        {
            return (await payments.GetRefundAsync(merchantId, livemode, id, ct).ConfigureAwait(false))?.PaymentId;
        }

        if (id.StartsWith(Ids.Event + "_", StringComparison.Ordinal) && await events.GetEventAsync(merchantId, livemode, id, ct).ConfigureAwait(false) is { } found)
        {
            return found.ObjectId.StartsWith(Ids.Refund + "_", StringComparison.Ordinal)
                ? (await payments.GetRefundAsync(merchantId, livemode, found.ObjectId, ct).ConfigureAwait(false))?.PaymentId
                : found.ObjectId.StartsWith(Ids.Payment + "_", StringComparison.Ordinal) ? found.ObjectId : null;
        }

        return null;
    }

    /// <summary>A payment with its card, refunds, events and their deliveries; 404 for a payment of a merchant the caller may not see.</summary>
    public async Task<ConsolePaymentView> GetAsync(ConsoleCaller caller, string id, CancellationToken ct)
    {
        caller.DemandAnywhere(ConsolePermission.ViewPayments);
        var payment = await payments.GetPaymentByIdAsync(id, ct).ConfigureAwait(false);
        if (payment is null || !caller.Can(ConsolePermission.ViewPayments, payment.MerchantId))
        {
            throw GatewayException.NotFound("payment", id);
        }

        StoredCard? card = null;
        if (payment.PaymentMethodId is { } methodId)
        {
            card = (await payments.GetPaymentMethodAsync(payment.MerchantId, payment.Livemode, methodId, ct).ConfigureAwait(false))?.Card;
        }

        var paymentRefunds = await payments.ListRefundsAsync(payment.MerchantId, payment.Livemode, payment.Id, new ListQuery { Limit = 100 }, ct).ConfigureAwait(false);
        var timeline = new List<GatewayEvent>();
        foreach (var objectId in paymentRefunds.Select(r => r.Id).Prepend(payment.Id))
        {
            timeline.AddRange(await events.ListEventsAsync(payment.MerchantId, payment.Livemode, new EventListQuery { ObjectId = objectId, Limit = 100 }, ct).ConfigureAwait(false));
        }

        timeline.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        var deliveries = new List<WebhookDelivery>();
        foreach (var e in timeline.Take(50))
        {
            deliveries.AddRange(await webhooks.ListWebhookDeliveriesAsync(payment.MerchantId, payment.Livemode,
                new WebhookDeliveryListQuery { EventId = e.Id, Limit = 20 }, ct).ConfigureAwait(false));
        }

        return new ConsolePaymentView(payment, card, paymentRefunds, timeline, deliveries);
    }

    /// <summary>The payment for an action's confirmation page: 403 unless the caller's role allows the action on its merchant.</summary>
    public async Task<ConsolePaymentView> GetForActionAsync(ConsoleCaller caller, string id, ConsolePaymentAction action, CancellationToken ct)
    {
        var view = await GetAsync(caller, id, ct).ConfigureAwait(false);
        caller.Demand(PermissionFor(action), view.Payment.MerchantId);
        return view;
    }

    /// <summary>
    /// Reads an action's amount from the confirmation form: blank means the whole remaining amount (<paramref name="whole"/>);
    /// otherwise a positive decimal in the currency's major units with at most its minor digits.
    /// </summary>
    public static long ParseAmount(string? text, string currency, long whole)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return whole;
        }

        var digits = PaymentGateway.Providers.Currency.Get(currency).Exponent;
        if (!decimal.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var major) || major <= 0
            || decimal.Round(major, digits) != major || major > 1_000_000_000_000m)
        {
            throw new ConsoleValidationException("Amount", digits == 0
                ? "Enter a whole, positive amount, like 1200."
                : $"Enter a positive amount with at most {digits} decimals, like 12.50.");
        }

        var factor = 1L;
        for (var i = 0; i < digits; i++)
        {
            factor *= 10;
        }

        return checked((long)(major * factor));
    }

    /// <summary>Refunds <paramref name="amountText"/> (blank: everything refundable) of a payment; one refund per form token.</summary>
    public Task<ConsoleActionResult> RefundAsync(ConsoleCaller caller, string paymentId, string? amountText, string? formToken, CancellationToken ct) =>
        RunAsync(caller, ConsolePaymentAction.Refund, paymentId, amountText, formToken, ct);

    /// <summary>Captures <paramref name="amountText"/> (blank: all that is capturable) of an authorized payment.</summary>
    public Task<ConsoleActionResult> CaptureAsync(ConsoleCaller caller, string paymentId, string? amountText, string? formToken, CancellationToken ct) =>
        RunAsync(caller, ConsolePaymentAction.Capture, paymentId, amountText, formToken, ct);

    /// <summary>Cancels (voids) a payment that was not captured.</summary>
    public Task<ConsoleActionResult> CancelAsync(ConsoleCaller caller, string paymentId, string? formToken, CancellationToken ct) =>
        RunAsync(caller, ConsolePaymentAction.Cancel, paymentId, null, formToken, ct);

    /// <summary>The permission an action needs.</summary>
    public static ConsolePermission PermissionFor(ConsolePaymentAction action) => action switch
    {
        ConsolePaymentAction.Capture => ConsolePermission.CapturePayments,
        ConsolePaymentAction.Cancel => ConsolePermission.CancelPayments,
        _ => ConsolePermission.RefundPayments,
    };

    /// <summary>The amount an action would move if the form left it blank.</summary>
    public static long WholeAmount(ConsolePaymentAction action, Payment payment) => action switch
    {
        ConsolePaymentAction.Capture => payment.AmountCapturable,
        ConsolePaymentAction.Cancel => payment.AmountCapturable,
        _ => Math.Max(0, payment.AmountReceived - payment.AmountRefunded - payment.AmountDisputed),
    };

    private async Task<ConsoleActionResult> RunAsync(ConsoleCaller caller, ConsolePaymentAction action, string paymentId, string? amountText, string? formToken,
        CancellationToken ct)
    {
        var permission = PermissionFor(action);
        var actionName = action switch
        {
            ConsolePaymentAction.Capture => CapturedAction,
            ConsolePaymentAction.Cancel => CanceledAction,
            _ => RefundedAction,
        };
        var payment = await payments.GetPaymentByIdAsync(paymentId, ct).ConfigureAwait(false);
        if (payment is null || !caller.Can(ConsolePermission.ViewPayments, payment.MerchantId))
        {
            // Another merchant's payment (or none): refused and recorded, with nothing said about whether it exists.
            await AuditAsync(caller, null, actionName, payment?.MerchantId, paymentId, null, AuditOutcomes.Refused, "not_found_or_other_merchant", ct).ConfigureAwait(false);
            throw GatewayException.NotFound("payment", paymentId);
        }

        var role = await caller.DemandAuditedAsync(permission, payment.MerchantId,
            () => AuditAsync(caller, null, actionName, payment.MerchantId, paymentId, null, AuditOutcomes.Refused, "role", ct)).ConfigureAwait(false);

        if (string.IsNullOrEmpty(formToken) || formToken.Length is < 16 or > 100 || formToken.Any(ch => !char.IsAsciiLetterOrDigit(ch) && ch is not ('-' or '_')))
        {
            throw new ConsoleValidationException("Amount", "This form has expired; open the action again.");
        }

        var amount = action == ConsolePaymentAction.Cancel ? payment.AmountCapturable : ParseAmount(amountText, payment.Currency, WholeAmount(action, payment));
        if (action == ConsolePaymentAction.Refund && role == ConsoleRole.Support && caller.RefundLimit is { } limit && amount > limit)
        {
            await AuditAsync(caller, role, actionName, payment.MerchantId, paymentId, amount, AuditOutcomes.Refused, "over_refund_limit", ct).ConfigureAwait(false);
            throw new ConsoleValidationException("Amount", $"This is more than your refund limit ({Display(limit, payment.Currency)}); ask an owner.");
        }

        // One key per (user, form): a second submission of the same form meets the first one's claim and runs nothing.
        var key = $"console:{caller.UserId}:{formToken}";
        var fingerprint = IdempotencyService.Fingerprint("console." + action.ToString().ToLowerInvariant(),
            System.Text.Encoding.UTF8.GetBytes($"{payment.Id}\n{amount}"));
        IdempotencyClaim claim;
        try
        {
            claim = await idempotency.ClaimAsync(payment.MerchantId, key, fingerprint, sensitive: false, "form", ct).ConfigureAwait(false);
        }
        catch (GatewayException e) when (e.Code is ErrorCodes.IdempotencyKeyInUse or ErrorCodes.IdempotencyKeyReused)
        {
            // The same form is being (or was) submitted with this token: nothing more happens; the page shows the payment.
            return new ConsoleActionResult(payment.Id, null, Replayed: true);
        }

        if (claim.IsReplay || claim.Scope is not { } scope)
        {
            return new ConsoleActionResult(payment.Id, claim.ResponseBody is { Length: > 0 } done ? done : null, Replayed: true);
        }

        var api = new CallerContext(payment.MerchantId, payment.Livemode, ApiKeyKind.Secret);
        string? refundId = null;
        // The action's audit entry is written in the commit of the change it records (the refund, the capture, the
        // cancellation): both exist or neither does.
        var audit = Record(caller, role, actionName, payment.MerchantId, paymentId, amount, AuditOutcomes.Succeeded, null);
        try
        {
            switch (action)
            {
                case ConsolePaymentAction.Refund:
                    var refund = await refunds.CreateAsync(api, new CreateRefundRequest { Payment = payment.Id, Amount = amount, Reason = "requested_by_customer" },
                        claim.RecoverySeed, audit, ct).ConfigureAwait(false);
                    refundId = refund.Id;
                    break;
                case ConsolePaymentAction.Capture:
                    await cards.CaptureAsync(api, payment.Id, new CapturePaymentRequest { AmountToCapture = amount }, audit, ct).ConfigureAwait(false);
                    break;
                default:
                    await cancellation.CancelAsync(api, payment.Id, new CancelPaymentRequest { CancellationReason = "requested_by_customer" }, audit, ct).ConfigureAwait(false);
                    break;
            }
        }
        catch (GatewayException refused)
        {
            // The payment services refused (state, amount): nothing moved; the key is let go so a corrected form can run.
            await idempotency.FinishAsync(scope, 500, string.Empty, sensitive: false).ConfigureAwait(false);
            await AuditAsync(caller, role, actionName, payment.MerchantId, paymentId, amount, AuditOutcomes.Refused, refused.Code, ct).ConfigureAwait(false);
            throw new ConsoleValidationException("Amount", refused.Message);
        }

        await idempotency.FinishAsync(scope, 200, refundId ?? payment.Id, sensitive: false).ConfigureAwait(false);
        return new ConsoleActionResult(payment.Id, refundId, Replayed: false);
    }

    /// <summary>A refused action's entry, written on its own: nothing else was written.</summary>
    private Task AuditAsync(ConsoleCaller caller, ConsoleRole? role, string action, string? merchantId, string paymentId, long? amount, string outcome,
        string? reason, CancellationToken ct)
    {
        var changes = new ConsoleChanges();
        changes.AuditRecords.Add(Record(caller, role, action, merchantId, paymentId, amount, outcome, reason));
        return consoleStore.CommitAsync(changes, CancellationToken.None);
    }

    private AuditRecord Record(ConsoleCaller caller, ConsoleRole? role, string action, string? merchantId, string paymentId, long? amount, string outcome,
        string? reason) =>
        new()
        {
            Created = time.GetUtcNow(),
            Action = action,
            Outcome = outcome,
            Actor = caller.Actor(role),
            MerchantId = merchantId,
            TargetType = PaymentTarget,
            TargetId = paymentId,
            After = new Dictionary<string, string?>
            {
                ["amount"] = amount?.ToString(CultureInfo.InvariantCulture),
                ["reason"] = reason,
            },
            Context = caller.Context,
        };

    /// <summary>An amount in major units with its currency code, as the pages show it: <c>12.50 EUR</c>.</summary>
    public static string Display(long minor, string currency) =>
        PaymentGateway.Providers.Currency.TryFind(currency, out var c) ? c.ToDecimalString(minor) + " " + c.Code : minor.ToString(CultureInfo.InvariantCulture) + " " + currency;
}
