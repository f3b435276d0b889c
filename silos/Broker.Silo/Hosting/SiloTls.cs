using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace Broker.Silo.Hosting;

/// <summary>TLS between silos (and gateways) by configuration: <c>Broker:Tls:CertificateFile</c> (PKCS#12) and its password.</summary>
public sealed class SiloTlsOptions
{
    public const string Section = "Broker:Tls";

    /// <summary>The cluster certificate with its private key, as a .pfx/.p12 file; every silo of the cluster uses the same.</summary>
    public string? CertificateFile { get; set; }

    public string? CertificatePassword { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(CertificateFile);
}

/// <summary>
/// Mutual TLS on every silo-to-silo and gateway connection. The cluster shares one certificate and a peer is
/// accepted only if it presents that very certificate (pinned by thumbprint), so nothing outside the cluster
/// can join it or listen in, whatever certificate authorities the machines trust.
/// </summary>
public static class SiloTls
{
    public static ISiloBuilder UseBrokerTls(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = configuration.GetSection(SiloTlsOptions.Section).Get<SiloTlsOptions>() ?? new SiloTlsOptions();
        if (!options.Enabled)
        {
            return silo;
        }

        var certificate = X509CertificateLoader.LoadPkcs12FromFile(options.CertificateFile!, options.CertificatePassword);
        var name = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        return silo.UseTls(certificate, tls =>
        {
            tls.LocalCertificate = certificate;
            tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.RemoteCertificateValidation = (remote, _, _) => remote is not null && remote.Thumbprint == certificate.Thumbprint;
            tls.OnAuthenticateAsClient = (_, client) => client.TargetHost = name;
        });
    }
}
