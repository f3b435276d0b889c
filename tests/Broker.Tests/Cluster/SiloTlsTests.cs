using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Broker.Tests.Cluster;

/// <summary>The silos of the durable cluster talk mutual TLS with the pinned cluster certificate (every cluster test runs over it).</summary>
[Collection(ClusterCollection.Name)]
public sealed class SiloTlsTests(ClusterFixture cluster)
{
    [Fact]
    public async Task SiloPort_PresentsTheClusterCertificate_AndAcceptsAPeerWithIt()
    {
        X509Certificate? presented = null;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", cluster.Silo[0].SiloPort);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, _) =>
        {
            presented = certificate;
            return true;
        });

        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "broker-cluster",
            ClientCertificates = [cluster.ClusterCertificate],
        });

        Assert.Equal(cluster.ClusterCertificate.Thumbprint, new X509Certificate2(presented!).Thumbprint);
    }

    [Fact]
    public async Task SiloPort_RefusesAPeerWithAnotherCertificate()
    {
        using var stranger = Certificates.SelfSigned("broker-cluster"); // the same name, another key
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", cluster.Silo[0].SiloPort);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);

        var refused = await Record.ExceptionAsync(async () =>
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "broker-cluster", ClientCertificates = [stranger] });
            // A server may complete the handshake and drop the connection right after: then reading fails.
            var buffer = new byte[1];
            var read = await tls.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            if (read == 0)
            {
                throw new IOException("closed by the silo");
            }
        });

        Assert.True(refused is IOException or System.Security.Authentication.AuthenticationException, $"expected the silo to refuse, got {refused?.GetType().Name ?? "a working connection"}");
    }
}
