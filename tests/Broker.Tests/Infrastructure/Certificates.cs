using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Broker.Tests.Infrastructure;

/// <summary>Throwaway certificates for the TLS tests: self-signed, RSA 2048, valid from yesterday for a week.</summary>
public static class Certificates
{
    public static X509Certificate2 SelfSigned(string commonName)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
    }
}
