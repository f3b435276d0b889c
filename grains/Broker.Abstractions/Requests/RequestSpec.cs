using System.Globalization;
using System.Text;
using Broker.Domain;

namespace Broker.Requests;

/// <summary>One item of a request: an amount of a resource class, in the pool's unit.</summary>
[GenerateSerializer, Immutable, Alias("broker.request-item")]
public sealed record RequestItem([property: Id(0)] string Resource, [property: Id(1)] long Amount);

/// <summary>Hard constraints: a data center that fails any of them is never used, on any path.</summary>
[GenerateSerializer, Immutable, Alias("broker.request-constraints")]
public sealed record RequestConstraints
{
    [Id(0)] public ProtectionLevel ProtectionLevel { get; init; } = ProtectionLevel.Normal;
    [Id(1)] public string Residency { get; init; } = "DE";
    [Id(2)] public string[] AllowProviders { get; init; } = [];
    [Id(3)] public string[] DenyProviders { get; init; } = [];
    [Id(4)] public bool MembersOnly { get; init; }
    /// <summary>Upper bound in EUR per hour for the whole request; null means no bound.</summary>
    [Id(5)] public decimal? MaxHourlyCost { get; init; }
}

/// <summary>A tenant's validated ask. Two specs are the same request when their canonical forms are equal.</summary>
[GenerateSerializer, Immutable, Alias("broker.request-spec")]
public sealed record RequestSpec
{
    [Id(0)] public required RequestItem[] Items { get; init; }
    [Id(1)] public RequestConstraints Constraints { get; init; } = new();
    [Id(2)] public TimeSpan Lease { get; init; } = TimeSpan.FromDays(30);
    [Id(3)] public Priority Priority { get; init; } = Priority.Normal;
    [Id(4)] public bool Splittable { get; init; }

    /// <summary>
    /// A stable text of everything that changes the outcome, used to tell a retry (same text) from a
    /// reuse of an idempotency key for a different request (different text). Item and provider order do not matter.
    /// </summary>
    public string CanonicalForm()
    {
        var text = new StringBuilder();
        foreach (var item in Items.OrderBy(i => i.Resource, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"item:{item.Resource}={item.Amount};");
        }

        var c = Constraints;
        text.Append(CultureInfo.InvariantCulture, $"level:{c.ProtectionLevel};residency:{c.Residency};");
        text.Append("allow:").AppendJoin(',', c.AllowProviders.Order(StringComparer.Ordinal)).Append(';');
        text.Append("deny:").AppendJoin(',', c.DenyProviders.Order(StringComparer.Ordinal)).Append(';');
        // A decimal keeps the scale it was written with (10 and 10.00 print differently): "G29" prints the value
        // alone, so a retry that writes the same bound otherwise is still the same request, not a key reuse.
        text.Append(CultureInfo.InvariantCulture, $"members:{c.MembersOnly};max:{c.MaxHourlyCost?.ToString("G29", CultureInfo.InvariantCulture)};");
        text.Append(CultureInfo.InvariantCulture, $"lease:{Lease.Ticks};priority:{Priority};split:{Splittable}");
        return text.ToString();
    }
}
