using PaymentGateway.Sdk;

namespace PaymentGateway.Samples.Subscriptions;

/// <summary>What a subscriber pays each month.</summary>
/// <param name="Amount">In minor units of <paramref name="Currency"/> (cents for EUR).</param>
/// <param name="Currency">ISO 4217 code.</param>
/// <param name="Description">Shown on the payments.</param>
public sealed record SubscriptionPlan(long Amount, string Currency, string Description);

/// <summary>A started subscription: the customer and the card saved on the first payment.</summary>
/// <param name="Customer">The gateway customer (<c>cus_…</c>), also the subscription's id in this sample.</param>
/// <param name="PaymentMethod">The saved card (<c>pm_…</c>).</param>
/// <param name="FirstPayment">The customer-initiated payment that saved the card.</param>
public sealed record Subscription(string Customer, string PaymentMethod, Payment FirstPayment);

/// <summary>How a month's charge ended.</summary>
public enum ChargeOutcome
{
    /// <summary>Charged.</summary>
    Paid,

    /// <summary>The provider took the charge and confirms it later (its webhook moves the payment to succeeded).</summary>
    Pending,

    /// <summary>Declined (for example the card expired since it was saved, or the customer failed to authenticate): the subscription is past due.</summary>
    Failed,
}

/// <summary>One month's charge.</summary>
/// <param name="Month">1 for the first month charged after the sign-up.</param>
/// <param name="Payment">The payment as it stands after the charge (and the customer's return, if they were asked).</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="CustomerWasAsked">Whether the issuer wanted the customer (authentication required) and they were brought back on session.</param>
public sealed record MonthlyCharge(int Month, Payment Payment, ChargeOutcome Outcome, bool CustomerWasAsked);

/// <summary>
/// A subscription on a saved card with the gateway's SDK: the first payment is customer-initiated and saves the card for
/// off-session use (<c>setup_future_usage=off_session</c>); every later month is a merchant-initiated payment
/// (<c>off_session=true</c>, <c>mit_type=recurring</c>) on the saved card with no CVC and no customer. When the issuer
/// wants the customer back (<see cref="ErrorCode.CardAuthenticationRequired"/>), the payment waits in
/// <c>requires_confirmation</c>; the merchant confirms it on session and sends the customer to authenticate. Nothing is
/// retried silently, and each month's payment has its own idempotency key, so running a month twice charges it once.
/// </summary>
/// <param name="client">A client with the merchant's secret key.</param>
/// <param name="bringCustomerBack">
/// Sends the customer to the payment's <c>next_action.redirect_to_url</c> (an e-mail link, a banner in your app) and
/// returns once they are back on your <paramref name="returnUrl"/>; the flow then reads the payment again.
/// </param>
/// <param name="returnUrl">Where the customer lands after authenticating (your site).</param>
public sealed class SubscriptionFlow(PaymentGatewayClient client, Func<Payment, CancellationToken, Task> bringCustomerBack, Uri returnUrl)
{
    /// <summary>
    /// Signs a customer up: creates the customer, then pays the first month with the card they entered (tokenized in
    /// their browser by gateway.js as <paramref name="paymentMethod"/>), saving it for off-session use. A first payment
    /// the issuer or provider wants authenticated goes through <c>bringCustomerBack</c> (the customer is there anyway).
    /// </summary>
    public async Task<Subscription> SubscribeAsync(string email, string paymentMethod, SubscriptionPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var customer = await client.Customers.CreateAsync(new CreateCustomerRequest { Email = email }, cancellationToken: cancellationToken).ConfigureAwait(false);
        var first = await client.Payments.CreateAsync(
            new CreatePaymentRequest
            {
                Amount = plan.Amount,
                Currency = plan.Currency,
                Customer = customer.Id,
                PaymentMethod = paymentMethod,
                SetupFutureUsage = SetupFutureUsage.OffSession,
                Confirm = true,
                ReturnUrl = returnUrl.ToString(),
                Description = plan.Description,
                Metadata = new Dictionary<string, string> { ["subscription"] = customer.Id, ["month"] = "0" },
            },
            new RequestOptions { IdempotencyKey = $"subscription/{customer.Id}/month/0" },
            cancellationToken).ConfigureAwait(false);
        first = await AfterCustomerAsync(first, cancellationToken).ConfigureAwait(false);
        if (OutcomeOf(first) == ChargeOutcome.Failed)
        {
            throw new InvalidOperationException($"The first payment {first.Id} ended {first.Status}: the card was not saved.");
        }

        return new Subscription(customer.Id, paymentMethod, first);
    }

    /// <summary>
    /// Charges month <paramref name="month"/> off session. Safe to call again for the same month (after a crash, from a
    /// second worker): the idempotency key makes it the same payment.
    /// </summary>
    public async Task<MonthlyCharge> ChargeMonthAsync(Subscription subscription, SubscriptionPlan plan, int month, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(plan);
        try
        {
            var payment = await client.Payments.CreateAsync(
                new CreatePaymentRequest
                {
                    Amount = plan.Amount,
                    Currency = plan.Currency,
                    Customer = subscription.Customer,
                    PaymentMethod = subscription.PaymentMethod,
                    OffSession = true,
                    MitType = MitType.Recurring,
                    Confirm = true,
                    Description = plan.Description,
                    Metadata = new Dictionary<string, string> { ["subscription"] = subscription.Customer, ["month"] = month.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                },
                new RequestOptions { IdempotencyKey = $"subscription/{subscription.Customer}/month/{month}" },
                cancellationToken).ConfigureAwait(false);
            return new MonthlyCharge(month, payment, OutcomeOf(payment), CustomerWasAsked: false);
        }
        catch (PaymentGatewayException e) when (e.Code == ErrorCode.CardAuthenticationRequired && e.Payment is { } waiting)
        {
            // The issuer wants the cardholder: the payment waits (requires_confirmation). Confirm it on session and
            // bring the customer back to authenticate; never retry it off session.
            var onSession = await client.Payments.ConfirmAsync(waiting.Id, new ConfirmPaymentRequest { OffSession = false, ReturnUrl = returnUrl.ToString() },
                new RequestOptions { IdempotencyKey = $"subscription/{subscription.Customer}/month/{month}/on-session" }, cancellationToken).ConfigureAwait(false);
            var done = await AfterCustomerAsync(onSession, cancellationToken).ConfigureAwait(false);
            return new MonthlyCharge(month, done, OutcomeOf(done), CustomerWasAsked: true);
        }
        catch (PaymentGatewayException e) when (e.Status == 402 && e.Payment is { } declined)
        {
            // Declined for good (expired card, insufficient funds): the subscription is past due; ask for a new card.
            return new MonthlyCharge(month, declined, ChargeOutcome.Failed, CustomerWasAsked: false);
        }
    }

    /// <summary>Charges months 1..<paramref name="months"/> one after the other (a billing run, no waiting between them).</summary>
    public async Task<IReadOnlyList<MonthlyCharge>> ChargeMonthsAsync(Subscription subscription, SubscriptionPlan plan, int months, CancellationToken cancellationToken = default)
    {
        var charges = new List<MonthlyCharge>(months);
        for (var month = 1; month <= months; month++)
        {
            charges.Add(await ChargeMonthAsync(subscription, plan, month, cancellationToken).ConfigureAwait(false));
        }

        return charges;
    }

    private static ChargeOutcome OutcomeOf(Payment payment) =>
        payment.Status == PaymentStatus.Succeeded || payment.Status == PaymentStatus.RequiresCapture ? ChargeOutcome.Paid
        : payment.Status == PaymentStatus.Processing ? ChargeOutcome.Pending
        : ChargeOutcome.Failed;

    /// <summary>When the payment needs the customer, sends them (<c>bringCustomerBack</c>) and reads it again once they are back.</summary>
    private async Task<Payment> AfterCustomerAsync(Payment payment, CancellationToken cancellationToken)
    {
        if (payment.Status != PaymentStatus.RequiresAction)
        {
            return payment;
        }

        await bringCustomerBack(payment, cancellationToken).ConfigureAwait(false);
        return await client.Payments.GetAsync(payment.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
