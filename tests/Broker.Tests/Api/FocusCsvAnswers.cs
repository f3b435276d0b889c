using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CsvHelper;

namespace Broker.Tests.Api;

/// <summary>
/// A billing endpoint's CSV answer read by an RFC 4180 reader of its own (CsvHelper, strict: malformed quoting or a
/// row of another width fails), as a cost tool would read it, and its JSON answer beside it.
/// </summary>
internal static class FocusCsvAnswers
{
    /// <summary>The FOCUS columns the API promises, then the broker's own.</summary>
    public static readonly string[] Columns =
    [
        "BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd", "BilledCost", "EffectiveCost", "ListUnitPrice",
        "ConsumedQuantity", "ConsumedUnit", "PricingUnit", "BillingCurrency", "ProviderName", "InvoiceIssuerName", "SubAccountId", "RegionId",
        "ResourceId", "ServiceCategory", "x_ChargeId", "x_Running", "x_Payer", "x_Payee", "x_ProviderId", "x_DataCenterId", "x_ResourceClass", "x_Amount",
    ];

    /// <summary>GETs <paramref name="path"/> with <c>Accept: text/csv</c>: the raw text and its rows by column name, after checking the media type and the header.</summary>
    public static async Task<(string Text, IReadOnlyList<IReadOnlyDictionary<string, string>> Rows)> ReadAsync(HttpClient client, string path)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, path);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var response = await client.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} as CSV: {(int)response.StatusCode} {text}");
        Assert.Equal(("text/csv", "utf-8"), (response.Content.Headers.ContentType?.MediaType, response.Content.Headers.ContentType?.CharSet));

        var options = new CsvReaderOptions
        {
            Separator = ',',
            MalformedData = CsvMalformedDataHandling.Throw,
            FieldCountMismatch = CsvFieldCountHandling.Throw,
            TrimWhitespace = false,
        };
        using var reader = CsvReader.Create(Encoding.UTF8.GetBytes(text), options);
        Assert.Equal(Columns, reader.Headers);
        var rows = new List<IReadOnlyDictionary<string, string>>();
        while (reader.Read())
        {
            rows.Add(Columns.Select((c, i) => (c, reader.GetString(i))).ToDictionary(f => f.c, f => f.Item2, StringComparer.Ordinal));
        }

        return (text, rows);
    }

    /// <summary>GETs <paramref name="path"/> as JSON (the default answer).</summary>
    public static async Task<JsonElement> ReadJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var json = await Json.ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {json}");
        return json;
    }

    public static decimal Number(this IReadOnlyDictionary<string, string> row, string column) => decimal.Parse(row[column], NumberStyles.Number, CultureInfo.InvariantCulture);

    public static DateTimeOffset Instant(this IReadOnlyDictionary<string, string> row, string column) => DateTimeOffset.Parse(row[column], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    /// <summary>
    /// Row by row: each CSV row names the charge of the JSON line beside it — time, cost, price, amount, place, who pays
    /// whom, running — and the rows add up to the JSON's total.
    /// </summary>
    public static void AssertRowsMatch(IReadOnlyList<IReadOnlyDictionary<string, string>> rows, IReadOnlyList<JsonElement> lines, string requestIdProperty, decimal total)
    {
        Assert.Equal(lines.Count, rows.Count);
        foreach (var (row, line) in rows.Zip(lines))
        {
            Assert.Equal(
                (line.GetProperty(requestIdProperty).GetString(), line.GetProperty("from").GetDateTimeOffset(), line.GetProperty("to").GetDateTimeOffset(),
                 line.GetProperty("cost").GetDecimal(), line.GetProperty("cost").GetDecimal(), line.GetProperty("pricePerUnitHour").GetDecimal(), line.GetProperty("amount").GetInt64(),
                 line.GetProperty("dataCenter").GetString(), line.GetProperty("servedBy").GetString(), line.GetProperty("resource").GetString(), line.GetProperty("running").GetBoolean() ? "true" : "false"),
                (row["ResourceId"], row.Instant("ChargePeriodStart"), row.Instant("ChargePeriodEnd"),
                 row.Number("BilledCost"), row.Number("EffectiveCost"), row.Number("ListUnitPrice"), long.Parse(row["x_Amount"], CultureInfo.InvariantCulture),
                 row["x_DataCenterId"], row["x_ProviderId"], row["x_ResourceClass"], row["x_Running"]));
            // FOCUS's own quantities: unit-hours consumed at the list price per unit-hour, in EUR.
            var hours = (decimal)(line.GetProperty("to").GetDateTimeOffset() - line.GetProperty("from").GetDateTimeOffset()).Ticks / TimeSpan.TicksPerHour;
            Assert.Equal((line.GetProperty("amount").GetInt64() * hours, "EUR"), (row.Number("ConsumedQuantity"), row["BillingCurrency"]));
        }

        Assert.Equal(total, rows.Sum(r => r.Number("BilledCost")));
    }
}
