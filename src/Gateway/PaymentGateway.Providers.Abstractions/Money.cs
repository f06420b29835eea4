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

    /// <summary>
    /// The amount counted with <paramref name="exponent"/> decimals instead of the currency's own (a provider whose
    /// table differs from ISO 4217: Stripe sends ISK with two decimals). Throws <see cref="ArgumentException"/> when the
    /// amount cannot be represented with fewer decimals and <see cref="OverflowException"/> when it does not fit.
    /// </summary>
    public long ToUnits(int exponent) => Rescale(MinorUnits, Currency.Exponent, exponent);

    /// <summary>An amount counted with <paramref name="exponent"/> decimals back to the currency's minor units (see <see cref="ToUnits"/>).</summary>
    public static Money FromUnits(long units, int exponent, Currency currency)
    {
        ArgumentNullException.ThrowIfNull(currency);
        return new Money(Rescale(units, exponent, currency.Exponent), currency);
    }

    /// <inheritdoc />
    public override string ToString() => $"{ToDecimalString()} {Currency.Code}";

    private static long Rescale(long value, int fromExponent, int toExponent)
    {
        var factor = 1L;
        for (var i = 0; i < Math.Abs(toExponent - fromExponent); i++)
        {
            factor = checked(factor * 10);
        }

        if (toExponent >= fromExponent)
        {
            return checked(value * factor);
        }

        if (value % factor != 0)
        {
            throw new ArgumentException($"The amount {value} cannot be represented with {toExponent} decimals.", nameof(value));
        }

        return value / factor;
    }

    private static void EnsureSameCurrency(Money left, Money right)
    {
        if (!ReferenceEquals(left.Currency, right.Currency) && left.Currency.Code != right.Currency.Code)
        {
            throw new InvalidOperationException($"Cannot combine {left.Currency.Code} and {right.Currency.Code}.");
        }
    }
}
