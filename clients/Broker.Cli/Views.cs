using System.Globalization;
using Broker.Contracts;
using Spectre.Console;

namespace Broker.Cli;

/// <summary>How the CLI shows the broker's answers to people. Scripts use <c>--json</c> and never see these.</summary>
public static class Views
{
    public static void Request(IAnsiConsole console, RequestResource request)
    {
        var facts = new Grid().AddColumn().AddColumn();
        facts.AddRow(Cells("id", request.Id));
        facts.AddRow(Cells("state", Name(request.State)));
        if (request.Reason is { } reason)
        {
            facts.AddRow(Cells("reason", $"{Name(reason.Code)}: {reason.Detail}"));
        }

        if (request.Allocation is { } allocation)
        {
            facts.AddRow(Cells("tier", Name(allocation.Tier)));
            facts.AddRow(Cells("provider", allocation.Provider));
            facts.AddRow(Cells("hourly cost", Money(allocation.HourlyCost) + " EUR"));
        }

        facts.AddRow(Cells("lease ends", Time(request.LeaseExpiresAt)));
        facts.AddRow(Cells("asked for", string.Join(", ", request.Request.Items.Select(i => $"{i.Resource}={i.Amount}"))));
        console.Write(facts);
        if (request.Allocation is { Parts.Length: > 0 } parts)
        {
            var table = Table("data center", "provider", "tier", "resource", "amount", "EUR/unit/h");
            foreach (var part in parts.Parts)
            {
                table.AddRow(Cells(part.DataCenter, part.Provider, Name(part.Tier), part.Resource, Number(part.Amount), Money(part.PricePerUnitHour)));
            }

            console.Write(table);
        }
    }

    public static void Requests(IAnsiConsole console, RequestListResource page)
    {
        var table = Table("id", "state", "items", "tier", "provider", "EUR/h", "created", "lease ends");
        foreach (var r in page.Items)
        {
            table.AddRow(Cells(
                r.Id,
                Name(r.State),
                string.Join(", ", r.Request.Items.Select(i => $"{i.Resource}={i.Amount}")),
                r.Allocation is null ? "" : Name(r.Allocation.Tier),
                r.Allocation?.Provider ?? (r.Reason is { } reason ? Name(reason.Code) : ""),
                r.Allocation is null ? "" : Money(r.Allocation.HourlyCost),
                Time(r.CreatedAt),
                Time(r.LeaseExpiresAt)));
        }

        console.Write(table);
        if (page.Next is not null)
        {
            console.WriteLine("more: broker list --all");
        }
    }

    public static void Catalog(IAnsiConsole console, CatalogResource catalog)
    {
        var table = Table("resource", "provider", "kind", "data center", "location", "protection", "EUR/unit/h", "free", "renewable");
        foreach (var entry in catalog.Resources)
        {
            foreach (var offer in entry.Offers)
            {
                table.AddRow(Cells(
                    entry.Resource, offer.Provider, Name(offer.ProviderKind), offer.DataCenter, offer.Location,
                    Name(offer.ProtectionLevel), Money(offer.PricePerUnitHour), Number(offer.Free), offer.RenewableShare.ToString("P0", CultureInfo.InvariantCulture)));
            }
        }

        console.Write(table);
    }

    public static void Capacity(IAnsiConsole console, CapacityResource capacity)
    {
        var table = Table("provider", "data center", "resource", "capacity", "allocated", "held", "free", "used");
        foreach (var provider in capacity.Providers)
        {
            foreach (var dc in provider.DataCenters)
            {
                foreach (var pool in dc.Pools)
                {
                    table.AddRow(Cells(
                        provider.Provider, dc.Id, pool.Resource, Number(pool.Capacity), Number(pool.Allocated), Number(pool.Held), Number(pool.Free),
                        pool.Utilisation.ToString("P1", CultureInfo.InvariantCulture)));
                }
            }
        }

        console.Write(table);
    }

    public static void TenantBill(IAnsiConsole console, TenantBill bill)
    {
        var table = Table("request", "data center", "served by", "resource", "amount", "from", "to", "EUR");
        foreach (var line in bill.Requests)
        {
            foreach (var e in line.Entries)
            {
                table.AddRow(Cells(line.RequestId, e.DataCenter, e.ServedBy, e.Resource, Number(e.Amount), Time(e.From), Time(e.To), Money(e.Cost)));
            }
        }

        console.Write(table);
        console.WriteLine($"{bill.Tenant}, {bill.Period}: {Money(bill.Total)} EUR");
    }

    public static void Statement(IAnsiConsole console, ProviderStatement statement)
    {
        var table = Table("counterparty", "kind", "charged", "charged by", "net");
        foreach (var line in statement.Counterparties)
        {
            table.AddRow(Cells(line.Counterparty.Id, Name(line.Counterparty.Kind), Money(line.Charged), Money(line.ChargedBy), Money(line.Net)));
        }

        console.Write(table);
        console.WriteLine($"{statement.Provider}, {statement.Period}: charged {Money(statement.Charged)}, charged by others {Money(statement.ChargedBy)}, net {Money(statement.Net)} EUR");
    }

    public static void Audit(IAnsiConsole console, AuditListResource page)
    {
        var table = Table("at", "action", "actor", "subject", "outcome", "detail");
        foreach (var e in page.Items)
        {
            table.AddRow(Cells(Time(e.At), e.Action, e.Actor, e.Subject, e.Outcome, e.Detail));
        }

        console.Write(table);
        if (page.Next is not null)
        {
            console.WriteLine($"more: --after {page.Next}");
        }
    }

    public static void AuditVerification(IAnsiConsole console, AuditVerificationResource verification)
    {
        var table = Table("chain", "entries", "last hash", "holds", "first break");
        foreach (var c in verification.Chains)
        {
            table.AddRow(Cells(c.Chain.ToString(CultureInfo.InvariantCulture), Number(c.Entries), c.HeadHash, c.Valid ? "yes" : "NO",
                c.Break is { } broken ? $"entry {broken.Sequence}: {broken.Reason} ({broken.Detail})" : ""));
        }

        console.Write(table);
        console.WriteLine(verification.Valid
            ? $"The audit trail holds: {Number(verification.Entries)} entries in {verification.Chains.Length} chains."
            : "The audit trail does NOT hold: see the chains above.");
    }

    private static Table Table(params string[] headers)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in headers)
        {
            table.AddColumn(header);
        }

        return table;
    }

    public static void Drain(IAnsiConsole console, DrainResource drain)
    {
        var facts = new Grid().AddColumn().AddColumn();
        facts.AddRow(Cells("data center", drain.DataCenter));
        facts.AddRow(Cells("state", Name(drain.State)));
        facts.AddRow(Cells("reason", drain.Reason ?? ""));
        facts.AddRow(Cells("started", Time(drain.StartedAt)));
        facts.AddRow(Cells("moved / remaining", $"{Number(drain.Moved)} / {Number(drain.Remaining)}"));
        console.Write(facts);
        if (drain.Stuck.Length > 0)
        {
            var table = Table("stuck request", "why");
            foreach (var stuck in drain.Stuck)
            {
                table.AddRow(Cells(stuck.Request, stuck.Reason));
            }

            console.Write(table);
        }
    }

    private static string[] Cells(params string[] values) => values.Select(Markup.Escape).ToArray();

    private static string Name<T>(T value) where T : struct, Enum => ApiEnums.Kebab(value);

    private static string Money(decimal value) => value.ToString("0.00######", CultureInfo.InvariantCulture);

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset? value) => value?.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "";
}
