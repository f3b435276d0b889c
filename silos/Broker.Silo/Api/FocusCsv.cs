using System.Globalization;
using System.Text;
using Broker.Grains.Federation;
using Broker.Grains.Ledger;
using Broker.Ledger;

namespace Broker.Silo.Api;

/// <summary>
/// Charges as CSV (RFC 4180: a header row, CRLF line ends, a field quoted when it holds a comma, a quote or a line
/// break, quotes doubled) with the column names of the FinOps FOCUS specification, so that a cost tool reads a bill
/// without a mapping of its own; the broker's own facts follow in <c>x_</c> columns. One row per charge, in the order
/// the JSON answer lists them.
/// </summary>
public static class FocusCsv
{
    public const string MediaType = "text/csv";

    public const string ContentType = "text/csv; charset=utf-8; header=present";

    public static readonly string[] Columns =
    [
        "BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd",
        "BilledCost", "EffectiveCost", "ListUnitPrice", "ConsumedQuantity", "ConsumedUnit", "PricingUnit", "BillingCurrency",
        "ProviderName", "InvoiceIssuerName", "SubAccountId", "RegionId", "ResourceId", "ServiceCategory",
        "x_ChargeId", "x_Running", "x_Payer", "x_Payee", "x_ProviderId", "x_DataCenterId", "x_ResourceClass", "x_Amount",
    ];

    /// <summary>
    /// Whether the caller asked for CSV: <c>text/csv</c> (or <c>text/*</c>) ranks above JSON in its <c>Accept</c> header, each
    /// weighed by the most specific range that matches it. Without a preference (<c>*/*</c>, no header) the answer is JSON.
    /// </summary>
    public static bool IsWanted(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        return Weight(accept, "text", "csv") > Weight(accept, "application", "json");
    }

    private static double Weight(IList<Microsoft.Net.Http.Headers.MediaTypeHeaderValue> accept, string type, string subtype)
    {
        var (specificity, weight) = (-1, 0.0);
        foreach (var range in accept)
        {
            var rangeSpecificity = (range.Type.Equals(type, StringComparison.OrdinalIgnoreCase), range.SubType.Equals(subtype, StringComparison.OrdinalIgnoreCase), range.MatchesAllTypes, range.MatchesAllSubTypes) switch
            {
                (true, true, _, _) => 2,
                (true, _, _, true) => 1,
                (_, _, true, _) => 0,
                _ => -1,
            };
            if (rangeSpecificity > specificity)
            {
                (specificity, weight) = (rangeSpecificity, range.Quality ?? 1.0);
            }
        }

        return weight;
    }

    /// <summary>The CSV of <paramref name="charges"/> of <paramref name="period"/> (a <c>yyyy-MM</c> month).</summary>
    public static string Of(string period, IEnumerable<Charge> charges, FederationView federation)
    {
        var start = DateTimeOffset.ParseExact(period, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var (periodStart, periodEnd) = (Instant(start), Instant(start.AddMonths(1)));
        var csv = new StringBuilder();
        Row(csv, Columns);
        foreach (var (entry, running) in charges)
        {
            var servedBy = federation.DataCenterOwners.GetValueOrDefault(entry.DataCenter, "");
            var unit = UnitOf(entry.Resource) + "-Hours";
            var cost = Number(Money.Shown(entry.Cost));
            Row(csv,
            [
                periodStart, periodEnd, Instant(entry.From), Instant(entry.To),
                cost, cost, Number(entry.PricePerUnitHour), Number(Quantity(entry)), unit, unit, Money.Currency,
                NameOf(federation, servedBy), NameOf(federation, entry.Payee.Id), entry.Tenant, RegionOf(federation, servedBy, entry.DataCenter), entry.RequestId, CategoryOf(entry.Resource),
                entry.Id, running ? "true" : "false", entry.Payer.ToString(), entry.Payee.ToString(), servedBy, entry.DataCenter, entry.Resource, entry.Amount.ToString(CultureInfo.InvariantCulture),
            ]);
        }

        return csv.ToString();
    }

    /// <summary>Unit-hours, to six places half to even (a third of an hour has no exact decimal).</summary>
    private static decimal Quantity(LedgerEntry entry) =>
        Math.Round(entry.Amount * UsageHours(entry), Money.Places, MidpointRounding.ToEven);

    private static decimal UsageHours(LedgerEntry entry) => (decimal)(entry.To - entry.From).Ticks / TimeSpan.TicksPerHour;

    /// <summary>The pool's unit: GiB for storage and memory, cores for vCPUs (the API's units).</summary>
    private static string UnitOf(string resource) => resource switch
    {
        _ when resource.StartsWith("storage.", StringComparison.Ordinal) || resource.StartsWith("compute.memory", StringComparison.Ordinal) => "GiB",
        _ when resource.StartsWith("compute.vcpu", StringComparison.Ordinal) => "vCPU",
        _ => "Unit",
    };

    /// <summary>FOCUS's service categories the broker's classes fall in.</summary>
    private static string CategoryOf(string resource) => resource switch
    {
        _ when resource.StartsWith("storage.", StringComparison.Ordinal) => "Storage",
        _ when resource.StartsWith("compute.", StringComparison.Ordinal) => "Compute",
        _ => "Other",
    };

    private static string NameOf(FederationView federation, string provider) =>
        federation.Providers.TryGetValue(provider, out var definition) && definition.Name.Length > 0 ? definition.Name : provider;

    private static string RegionOf(FederationView federation, string provider, string dataCenter) =>
        federation.Providers.TryGetValue(provider, out var definition)
            ? Array.Find(definition.DataCenters, dc => dc.Id == dataCenter)?.Location ?? ""
            : "";

    private static string Instant(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", CultureInfo.InvariantCulture);

    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Row(StringBuilder csv, IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                csv.Append(',');
            }

            var field = fields[i];
            if (field.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                csv.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                csv.Append(field);
            }
        }

        csv.Append("\r\n");
    }
}
