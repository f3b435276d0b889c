using Broker.Grains.Storage;
using Broker.Ledger;
using Orleans.Serialization;

namespace Broker.Grains.Ledger;

/// <summary>
/// The ledger as rows: every charge line is stored under its payer's and its payee's month (owner <c>party:period</c>),
/// keyed by the line's id, so posting it again changes nothing and a month is read without touching any other.
/// </summary>
public static class LedgerRows
{
    public const string Table = "ledger";

    public static string Owner(Party party, string period) => $"{party}:{period}";

    public static IEnumerable<RowWrite> Lines(Serializer serializer, IEnumerable<LedgerEntry> entries)
    {
        foreach (var entry in entries)
        {
            var payload = serializer.SerializeToArray(entry);
            yield return RowWrite.Put(new RowKey(Table, Owner(entry.Payer, entry.Period), entry.Id), payload);
            yield return RowWrite.Put(new RowKey(Table, Owner(entry.Payee, entry.Period), entry.Id), payload);
        }
    }

    /// <summary>Every line one party took part in during one period.</summary>
    public static async Task<LedgerEntry[]> ReadAsync(IRowStore rows, Serializer serializer, Party party, string period) =>
        (await rows.ReadOwnerAsync(Table, Owner(party, period))).Select(r => serializer.Deserialize<LedgerEntry>(r.Payload)!).ToArray();
}
