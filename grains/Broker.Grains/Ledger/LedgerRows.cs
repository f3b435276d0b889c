using Broker.Grains.Storage;
using Broker.Ledger;
using Orleans.Serialization;

namespace Broker.Grains.Ledger;

/// <summary>
/// The ledger as rows: every charge line is stored under its payer's and its payee's month (owner <c>party:period</c>),
/// keyed by the line's id, so posting it again changes nothing and a month is read without touching any other. A line
/// between two providers is stored a third time under the month of <see cref="BetweenProviders"/>, so the settlement
/// reads what providers charged each other without the tenants' lines.
/// </summary>
public static class LedgerRows
{
    public const string Table = "ledger";

    /// <summary>The party-like owner of every line one provider charges another.</summary>
    public const string BetweenProviders = "between-providers";

    public static string Owner(Party party, string period) => $"{party}:{period}";

    public static IEnumerable<RowWrite> Lines(Serializer serializer, IEnumerable<LedgerEntry> entries)
    {
        foreach (var entry in entries)
        {
            var payload = serializer.SerializeToArray(entry);
            yield return RowWrite.Put(new RowKey(Table, Owner(entry.Payer, entry.Period), entry.Id), payload);
            yield return RowWrite.Put(new RowKey(Table, Owner(entry.Payee, entry.Period), entry.Id), payload);
            if (IsBetweenProviders(entry))
            {
                yield return RowWrite.Put(new RowKey(Table, $"{BetweenProviders}:{entry.Period}", entry.Id), payload);
            }
        }
    }

    public static bool IsBetweenProviders(LedgerEntry entry) => entry.Payer.Kind == PartyKind.Provider && entry.Payee.Kind == PartyKind.Provider;

    /// <summary>Every line one party took part in during one period.</summary>
    public static Task<LedgerEntry[]> ReadAsync(IRowStore rows, Serializer serializer, Party party, string period) =>
        ReadOwnerAsync(rows, serializer, Owner(party, period));

    /// <summary>Every line between two providers in one period.</summary>
    public static Task<LedgerEntry[]> ReadBetweenProvidersAsync(IRowStore rows, Serializer serializer, string period) =>
        ReadOwnerAsync(rows, serializer, $"{BetweenProviders}:{period}");

    private static async Task<LedgerEntry[]> ReadOwnerAsync(IRowStore rows, Serializer serializer, string owner) =>
        (await rows.ReadOwnerAsync(Table, owner)).Select(r => serializer.Deserialize<LedgerEntry>(r.Payload)!).ToArray();
}
