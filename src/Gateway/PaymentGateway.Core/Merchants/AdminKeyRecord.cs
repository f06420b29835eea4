namespace PaymentGateway.Core.Merchants;

/// <summary>
/// A named admin key as stored (table <c>admin_keys</c>). Admin keys belong to no merchant; they authenticate the admin
/// API like the configured bootstrap key (<see cref="GatewayOptions.AdminKey"/>), and each can be rolled, revoked and
/// given an expiry on its own.
/// </summary>
public sealed class AdminKeyRecord : KeyRecord
{
    /// <summary>Who or what uses the key, at most 100 characters.</summary>
    public required string Name { get; init; }
}
