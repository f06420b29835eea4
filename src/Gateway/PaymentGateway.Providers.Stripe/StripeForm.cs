using System.Text;

namespace PaymentGateway.Providers.Stripe;

/// <summary>
/// A Stripe request body: ordered <c>application/x-www-form-urlencoded</c> fields with bracketed nested keys
/// (<c>payment_method_data[card][number]</c>). Secret fields (card number, CVC) stay wrapped until
/// <see cref="ToHttpContent"/> encodes the body; <see cref="Get"/> and <see cref="ToString"/> show them as <c>***</c>.
/// </summary>
public sealed class StripeForm
{
    private readonly List<(string Name, string? Value, Secret? Secret)> _fields = [];

    /// <summary>The field names in order.</summary>
    public IReadOnlyList<string> Names => _fields.Select(f => f.Name).ToList();

    /// <summary>Adds a field; a null value is skipped.</summary>
    public StripeForm Add(string name, string? value)
    {
        if (value is not null)
        {
            _fields.Add((name, value, null));
        }

        return this;
    }

    /// <summary>Adds a number field.</summary>
    public StripeForm Add(string name, long value) =>
        Add(name, value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Adds a secret field; a null secret is skipped.</summary>
    public StripeForm AddSecret(string name, Secret? value)
    {
        if (value is not null)
        {
            _fields.Add((name, null, value));
        }

        return this;
    }

    /// <summary>The field's value (<c>***</c> for a secret), or null when absent.</summary>
    public string? Get(string name)
    {
        foreach (var field in _fields)
        {
            if (field.Name == name)
            {
                return field.Secret is not null ? field.Secret.ToString() : field.Value;
            }
        }

        return null;
    }

    /// <summary>The encoded body; the only place the secrets are revealed.</summary>
    public HttpContent ToHttpContent()
    {
        var body = new StringBuilder();
        foreach (var (name, value, secret) in _fields)
        {
            if (body.Length > 0)
            {
                body.Append('&');
            }

            body.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(secret?.Reveal() ?? value ?? string.Empty));
        }

        return new StringContent(body.ToString(), Encoding.UTF8, "application/x-www-form-urlencoded");
    }

    /// <inheritdoc />
    public override string ToString() => string.Join('&', _fields.Select(f => $"{f.Name}={(f.Secret is not null ? "***" : f.Value)}"));
}
