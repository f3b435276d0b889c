using System.Security.Cryptography;
using System.Xml.Linq;
using Broker.Grains.Storage;
using Broker.Silo.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.Tests.Storage;

/// <summary>The data protection key ring kept as rows of the broker's store (here the embedded one).</summary>
public sealed class RowXmlRepositoryTests
{
    [Fact]
    public async Task StoreElement_ThenAgainUnderTheSameName_ReadsBackTheFirstOnce()
    {
        var rows = new MemoryRowStore();
        var service = "service-" + Guid.NewGuid().ToString("N");
        var repository = new RowXmlRepository(rows, service);
        var first = new XElement("key", new XAttribute("id", Guid.NewGuid()), new XElement("secret", "one"));
        var other = new XElement("key", new XAttribute("id", Guid.NewGuid()), new XElement("secret", "two"));

        repository.StoreElement(first, "key-a");
        repository.StoreElement(new XElement("key", new XElement("secret", "replacement")), "key-a");
        repository.StoreElement(other, "key-b");

        Assert.Equal([first.ToString(), other.ToString()], repository.GetAllElements().Select(e => e.ToString()));
        Assert.Empty(new RowXmlRepository(rows, "another-" + service).GetAllElements());
        Assert.Equal(["key-a", "key-b"], (await rows.ReadOwnerAsync(RowXmlRepository.Table, service)).Select(r => r.Key.Key));
    }

    [Fact]
    public async Task TwoSilosOfOneService_ShareTheKeyRing_AnotherServiceCannotUnprotect()
    {
        var rows = new MemoryRowStore();
        var service = "service-" + Guid.NewGuid().ToString("N");
        using var one = Silo(rows, service);
        using var two = Silo(rows, service);
        using var stranger = Silo(rows, "another-" + service);

        var payload = one.GetDataProtector("test").Protect("form token");

        Assert.Equal("form token", two.GetDataProtector("test").Unprotect(payload));
        Assert.Single((await rows.ReadOwnerAsync(RowXmlRepository.Table, service)));
        Assert.ThrowsAny<CryptographicException>(() => stranger.GetDataProtector("test").Unprotect(payload));
    }

    private static ServiceProvider Silo(IRowStore rows, string service)
    {
        var services = new ServiceCollection().AddLogging().AddSingleton(rows);
        services.AddBrokerKeyRing(new BrokerOptions { ServiceId = service });
        return services.BuildServiceProvider();
    }
}
