using PaymentGateway.Sdk;

namespace PaymentGateway.Samples.Subscriptions;

/// <summary>
/// The customer's browser in test mode: opens the simulator's 3-D Secure page the payment redirects to and completes the
/// challenge, as a cardholder would by pressing "Complete authentication". In production this is your customer,
/// following the link you e-mailed them; nothing here is needed.
/// </summary>
public sealed class SimulatorCustomer : IDisposable
{
    private readonly HttpClient _browser = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Passes the challenge of <paramref name="payment"/>; use it as <see cref="SubscriptionFlow"/>'s customer.</summary>
    public async Task AuthenticateAsync(Payment payment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        var url = payment.NextAction?.RedirectToUrl?.Url ?? throw new InvalidOperationException($"Payment {payment.Id} has no page to send the customer to.");
        using var form = new FormUrlEncodedContent([new KeyValuePair<string, string>("outcome", "pass")]);
        using var answer = await _browser.PostAsync(new Uri(url), form, cancellationToken).ConfigureAwait(false);

        // The challenge page sends the customer on to the merchant's return URL (a redirect), or shows the outcome.
        if ((int)answer.StatusCode is not (302 or 303 or 200))
        {
            throw new InvalidOperationException($"The simulator's challenge page answered {(int)answer.StatusCode}.");
        }
    }

    public void Dispose() => _browser.Dispose();
}
