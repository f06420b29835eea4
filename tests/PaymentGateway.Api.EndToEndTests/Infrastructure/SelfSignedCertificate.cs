using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace PaymentGateway.Api.EndToEndTests.Infrastructure;

/// <summary>
/// A certificate for a reverse proxy under test, made at test time by openssl with the command docs/operations.md
/// gives for a trial ("A self-signed certificate"), and clients that trust exactly that certificate.
/// </summary>
public sealed class SelfSignedCertificate
{
    private SelfSignedCertificate(string hostName, string certificateFile, string keyFile, X509Certificate2 certificate)
    {
        HostName = hostName;
        CertificateFile = certificateFile;
        KeyFile = keyFile;
        Certificate = certificate;
    }

    public string HostName { get; }

    /// <summary>fullchain.pem (PEM certificate).</summary>
    public string CertificateFile { get; }

    /// <summary>privkey.pem (PEM private key, unencrypted).</summary>
    public string KeyFile { get; }

    public X509Certificate2 Certificate { get; }

    /// <summary><see cref="RunbookCommands.SelfSignedCertificate"/> for <paramref name="hostName"/>, run in <paramref name="directory"/>.</summary>
    public static async Task<SelfSignedCertificate> CreateAsync(string directory, string hostName)
    {
        Directory.CreateDirectory(directory);
        var (program, arguments) = RunbookCommands.Split(RunbookCommands.SelfSignedCertificate, hostName);
        var (exitCode, output) = await ExternalProcess.RunAsync(program, arguments, Path.Combine(directory, "openssl.log")); // runs in the log's folder
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"openssl req failed ({exitCode}):\n{output}");
        }

        var certificateFile = Path.Combine(directory, "fullchain.pem");
        return new SelfSignedCertificate(hostName, certificateFile, Path.Combine(directory, "privkey.pem"),
            X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(certificateFile)));
    }

    /// <summary>
    /// A handler for <c>https://{HostName}:{port}</c> that connects to 127.0.0.1 whatever the name (no DNS entry
    /// needed) and trusts this certificate alone, with the host name checked as any client would.
    /// </summary>
    public SocketsHttpHandler Handler() => new()
    {
        ConnectCallback = (context, ct) => LoopbackConnections.ConnectAsync(null, context.DnsEndPoint.Port, ct),
        SslOptions = new SslClientAuthenticationOptions
        {
            CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                CustomTrustStore = { Certificate },
                RevocationMode = X509RevocationMode.NoCheck,
            },
        },
        PooledConnectionLifetime = TimeSpan.FromSeconds(30),
    };
}
