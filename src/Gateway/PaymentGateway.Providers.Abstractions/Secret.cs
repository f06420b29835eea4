namespace PaymentGateway.Providers;

/// <summary>
/// A value that must never be logged or serialized by accident: card numbers, CVCs, API secrets.
/// <see cref="ToString"/> always returns <c>***</c>; read the value only where it is sent on.
/// </summary>
public sealed class Secret
{
    private readonly string _value;

    /// <summary>Wraps a sensitive value.</summary>
    public Secret(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>The clear value. Call only at the point where it is handed to the party that needs it.</summary>
    public string Reveal() => _value;

    /// <inheritdoc />
    public override string ToString() => "***";
}
