namespace PaymentGateway.Providers;

/// <summary>An amount in integer minor units of a currency. Arithmetic is checked and refuses mixed currencies.</summary>
public readonly record struct Money
{
    /// <summary>Creates an amount; the currency must come from the currency table.</summary>
    public Money(long minorUnits, Currency currency)
    {
        ArgumentNullException.ThrowIfNull(currency);
        MinorUnits = minorUnits;
        Currency = currency;
    }

    /// <summary>The amount in the currency's smallest unit (cents for EUR, yen for JPY, fils for KWD).</summary>
    public long MinorUnits { get; }

    /// <summary>The currency.</summary>
    public Currency Currency { get; }

    /// <summary>Creates an amount from minor units and a currency code.</summary>
    public static Money Of(long minorUnits, string currencyCode) => new(minorUnits, Currency.Get(currencyCode));

    /// <summary>Adds two amounts of the same currency; throws <see cref="OverflowException"/> on overflow.</summary>
    public static Money operator +(Money left, Money right)
    {
        EnsureSameCurrency(left, right);
        return new Money(checked(left.MinorUnits + right.MinorUnits), left.Currency);
    }

    /// <summary>Subtracts two amounts of the same currency; throws <see cref="OverflowException"/> on overflow.</summary>
    public static Money operator -(Money left, Money right)
    {
        EnsureSameCurrency(left, right);
        return new Money(checked(left.MinorUnits - right.MinorUnits), left.Currency);
    }

    /// <summary>The amount as an invariant decimal string with the currency's exponent ("10.50", "1000", "1.250").</summary>
    public string ToDecimalString() => Currency.ToDecimalString(MinorUnits);

    /// <inheritdoc />
    public override string ToString() => $"{ToDecimalString()} {Currency.Code}";

    private static void EnsureSameCurrency(Money left, Money right)
    {
        if (!ReferenceEquals(left.Currency, right.Currency) && left.Currency.Code != right.Currency.Code)
        {
            throw new InvalidOperationException($"Cannot combine {left.Currency.Code} and {right.Currency.Code}.");
        }
    }
}
