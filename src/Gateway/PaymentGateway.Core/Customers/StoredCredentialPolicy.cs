using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Routing;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.Customers;

/// <summary>
/// The stored-credential rules as pure code (docs/saved-cards.md), table-tested: which saved method may pay which
/// payment, which provider accounts can take a setup or off-session payment (the portability rule), and the series
/// data each attempt sends. <see cref="SavedCards"/> supplies the stored objects.
/// </summary>
public static class StoredCredentialPolicy
{
    /// <summary>
    /// Whether <paramref name="method"/> may pay <paramref name="payment"/>: never once detached; a saved method only for
    /// its own customer; off session only when it was saved for off-session use. 422 with a stable code otherwise.
    /// </summary>
    public static void CheckUsable(Payment payment, StoredPaymentMethod method)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(method);
        if (method.DetachedAt is not null)
        {
            throw new GatewayException(ErrorKind.Unprocessable, ErrorCodes.PaymentMethodDetached,
                $"Payment method {method.Id} was detached (or its customer deleted); its card is erased and cannot be charged.", "payment_method");
        }

        if (method.Customer is { } owner && owner != payment.Customer)
        {
            throw new GatewayException(ErrorKind.Unprocessable, ErrorCodes.PaymentMethodCustomerMismatch,
                $"Payment method {method.Id} is saved for a customer: pass that customer with it.", "payment_method");
        }

        if ((payment.Mode == PaymentModes.Setup || payment.SetupFutureUsage is not null) && method.Type != "card")
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "Only cards can be saved for a customer.", "payment_method");
        }

        if (payment.OffSession && (method.Customer is null || method.Usage != SavedCardRequest.OffSessionUsage))
        {
            throw new GatewayException(ErrorKind.Unprocessable, ErrorCodes.OffSessionNotAllowed,
                method.Customer is null
                    ? $"Payment method {method.Id} is not saved for this customer: save it first with a customer-initiated payment (setup_future_usage=off_session or mode=setup)."
                    : $"Payment method {method.Id} was saved for on-session use only: save it again with setup_future_usage=off_session (or mode=setup) while the customer is present.",
                "off_session");
        }
    }

    /// <summary>
    /// The candidates that can take the payment: for a setup payment, adapters with a verify flow and stored
    /// credentials; for a payment that saves the card, adapters with stored credentials; off session, accounts that
    /// know the card (their references) or whose provider accepts the series' network transaction id. Other payments
    /// are unchanged. 422 <c>stored_credentials_unsupported</c> when no candidate is left.
    /// </summary>
    public static RoutingPlan? Restrict(Payment payment, StoredCredentialSet? credentials, RoutingPlan? plan, ProviderRegistry providers)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(providers);
        if (payment.Mode != PaymentModes.Setup && payment.SetupFutureUsage is null && !payment.OffSession)
        {
            return plan;
        }

        if (plan is null)
        {
            var provider = payment.Provider ?? ProviderRegistry.SimulatorId;
            return CanTake(provider, provider, payment, credentials, providers) ? null : throw Unsupported(payment);
        }

        var accounts = plan.Accounts.Where(a => CanTake(a.ProviderId, a.Id, payment, credentials, providers)).ToList();
        if (accounts.Count == 0)
        {
            throw Unsupported(payment);
        }

        return accounts.Count == plan.Accounts.Count ? plan : new RoutingPlan
        {
            Decision = plan.Decision with { ProviderAccount = accounts[0].Id, Candidates = accounts.Select(a => a.Id).ToList() },
            Accounts = accounts,
        };
    }

    /// <summary>
    /// The stored-credential data of an attempt: the first, customer-initiated payment of a series when the payment saves
    /// the card; a subsequent one (merchant-initiated when off session) on a saved card, with the account's references and
    /// the network transaction id it can use; null for a one-off payment.
    /// </summary>
    public static StoredCredential? For(Payment payment, StoredPaymentMethod method, StoredCredentialSet? credentials, PaymentAttempt attempt, ProviderRegistry providers)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(providers);
        if (ForCompletion(payment) is { Sequence: StoredCredentialSequence.First } first)
        {
            return first;
        }

        if (method.Customer is null)
        {
            return null;
        }

        var account = credentials?.Accounts.GetValueOrDefault(SavedCards.AccountKey(attempt));
        var acceptsNti = providers.IsRegistered(attempt.Provider) && providers.Get(attempt.Provider).Capabilities.AcceptsNetworkTransactionIds;
        return new StoredCredential
        {
            Initiator = payment.OffSession ? StoredCredentialInitiator.Merchant : StoredCredentialInitiator.Customer,
            Sequence = StoredCredentialSequence.Subsequent,
            MerchantInitiatedType = payment.OffSession ? MitTypeOf(payment.MitType) : null,
            NetworkTransactionId = account?.NetworkTransactionId ?? (acceptsNti ? credentials?.NetworkTransactionId : null),
            ProviderReferences = account?.References ?? new Dictionary<string, string>(),
            CustomerReference = method.Customer,
        };
    }

    /// <summary>
    /// The series data that a 3-D Secure completion repeats: whether the payment being completed started a series (and
    /// for what), or continues one on session. References are not repeated.
    /// </summary>
    public static StoredCredential? ForCompletion(Payment payment)
    {
        ArgumentNullException.ThrowIfNull(payment);
        if (payment.Mode == PaymentModes.Setup || payment.SetupFutureUsage is not null)
        {
            return new StoredCredential
            {
                Initiator = StoredCredentialInitiator.Customer,
                Sequence = StoredCredentialSequence.First,
                Usage = (payment.SetupFutureUsage ?? SavedCardRequest.OffSessionUsage) == SavedCardRequest.OffSessionUsage
                    ? StoredCredentialUsage.OffSession
                    : StoredCredentialUsage.OnSession,
                CustomerReference = payment.Customer,
            };
        }

        return SavedCardRequest.IsCustomerReference(payment.Customer)
            ? new StoredCredential
            {
                Initiator = payment.OffSession ? StoredCredentialInitiator.Merchant : StoredCredentialInitiator.Customer,
                Sequence = StoredCredentialSequence.Subsequent,
                MerchantInitiatedType = payment.OffSession ? MitTypeOf(payment.MitType) : null,
                CustomerReference = payment.Customer,
            }
            : null;
    }

    private static bool CanTake(string providerId, string accountKey, Payment payment, StoredCredentialSet? credentials, ProviderRegistry providers)
    {
        if (!providers.IsRegistered(providerId))
        {
            return false;
        }

        var provider = providers.Get(providerId);
        var capabilities = provider.Capabilities;
        if (!capabilities.StoredCredentials)
        {
            return false;
        }

        if (payment.Mode == PaymentModes.Setup)
        {
            return provider is IVerifyFlow;
        }

        return !payment.OffSession
            || (credentials is not null
                && (credentials.Accounts.ContainsKey(accountKey) || (capabilities.AcceptsNetworkTransactionIds && credentials.NetworkTransactionId is not null)));
    }

    private static GatewayException Unsupported(Payment payment) => new(ErrorKind.Unprocessable, ErrorCodes.StoredCredentialsUnsupported,
        payment.OffSession
            ? "No provider account this payment can be routed to can charge this saved card off session (none knows the card and none accepts its network transaction id)."
            : "No provider account this payment can be routed to can save cards (stored credentials).", "provider");

    private static MerchantInitiatedType MitTypeOf(string? mitType) => mitType switch
    {
        "recurring" => MerchantInitiatedType.Recurring,
        "instalment" => MerchantInitiatedType.Instalment,
        _ => MerchantInitiatedType.Unscheduled,
    };
}
