using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Vault;

namespace PaymentGateway.Host.BackOffice;

/// <summary>
/// ASP.NET Core's data-protection key ring (it encrypts the console's cookies, anti-forgery tokens and sign-on state)
/// kept in the database, so every node reads and writes the same keys. The key material inside each key is encrypted by
/// the card vault (<see cref="VaultXmlEncryptor"/>), so a copy of the database alone cannot forge a session.
/// </summary>
public sealed class ConsoleKeyRepository(IConsoleStore store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => store.ListDataProtectionKeysAsync().GetAwaiter().GetResult().Select(XElement.Parse).ToList();

    public void StoreElement(XElement element, string friendlyName) => store.StoreDataProtectionKeyAsync(friendlyName, element.ToString(SaveOptions.DisableFormatting)).GetAwaiter().GetResult();
}

/// <summary>Encrypts a data-protection key's secret part with the vault's active key (AES-256-GCM, envelope).</summary>
public sealed class VaultXmlEncryptor(CardVault vault) : IXmlEncryptor
{
    public const string Context = PaymentGateway.Core.Vault.VaultColumn.DataProtectionContext;

    public EncryptedXmlInfo Encrypt(XElement plaintextElement) =>
        new(new XElement("vaultEncrypted", vault.Encrypt(Context, plaintextElement.ToString(SaveOptions.DisableFormatting))), typeof(VaultXmlDecryptor));
}

/// <summary>Decrypts what <see cref="VaultXmlEncryptor"/> wrote; made by data protection's activator with the service provider.</summary>
public sealed class VaultXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) =>
        XElement.Parse(services.GetRequiredService<CardVault>().Decrypt(VaultXmlEncryptor.Context, encryptedElement.Value));
}
