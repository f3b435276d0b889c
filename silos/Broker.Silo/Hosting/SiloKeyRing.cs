using System.Text;
using System.Xml.Linq;
using Broker.Grains.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;

namespace Broker.Silo.Hosting;

/// <summary>
/// One data protection key ring for every silo of a service, kept in the broker's own row store (PostgreSQL when the
/// cluster runs on it, the embedded store otherwise): what one silo protects — the portal's anti-forgery tokens among
/// it — every other silo can unprotect, so a form shown by one silo may be posted to another.
/// </summary>
public static class SiloKeyRing
{
    public const string ApplicationName = "broker";

    public static IServiceCollection AddBrokerKeyRing(this IServiceCollection services, BrokerOptions broker)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);

        // AddKeyManagementOptions takes no services; this is the same option set with the row store resolved.
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(provider => new ConfigureOptions<KeyManagementOptions>(
            options => options.XmlRepository = new RowXmlRepository(provider.GetRequiredService<IRowStore>(), broker.ServiceId)));
        return services;
    }
}

/// <summary>
/// The key ring's elements as rows of table <see cref="Table"/>, owner the service id, key the element's friendly name,
/// payload the element's XML in UTF-8 — as the key manager writes it (not encrypted; see docs/operations.md).
/// Storing a name again keeps the first element: a key, once written, never changes.
/// </summary>
public sealed class RowXmlRepository(IRowStore rows, string serviceId) : IXmlRepository
{
    public const string Table = "data-protection-key";

    // The key manager calls these synchronously: at start, when its cached ring expires and when it makes a key.
    public IReadOnlyCollection<XElement> GetAllElements() =>
        rows.ReadOwnerAsync(Table, serviceId).GetAwaiter().GetResult()
            .Select(row => XElement.Parse(Encoding.UTF8.GetString(row.Payload)))
            .ToList();

    public void StoreElement(XElement element, string friendlyName)
    {
        var write = RowWrite.Put(new RowKey(Table, serviceId, friendlyName), Encoding.UTF8.GetBytes(element.ToString(SaveOptions.DisableFormatting)), expectedVersion: 0);
        try
        {
            rows.CommitAsync([write]).GetAwaiter().GetResult();
        }
        catch (RowConflictException)
        {
            // Already stored under this name: the stored element stays.
        }
    }
}
