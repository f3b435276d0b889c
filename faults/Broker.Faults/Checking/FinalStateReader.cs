using System.Diagnostics;
using System.Text.Json;
using Broker.Faults.History;
using Broker.Faults.Workload;
using Broker.Faults.World;

namespace Broker.Faults.Checking;

/// <summary>
/// Reads the final state through the HTTP API once the cluster is at rest: no request negotiating, no hold left,
/// no lease overdue, and the pools unchanged over several acknowledgement rounds (orphans are released then).
/// </summary>
public sealed class FinalStateReader(SiloClients silos, FaultWorld world, TextWriter log)
{
    private static readonly TimeSpan RestDeadline = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan StableFor = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan QuietPatience = TimeSpan.FromMinutes(8);

    public async Task<FinalState> ReadAsync(IEnumerable<(string Tenant, string Id)> named, PoolSampler sampler)
    {
        var (rest, restState, listing) = await WaitForRestAsync(sampler);
        log.WriteLine(rest ? $"at rest: {restState}" : $"NOT at rest after {RestDeadline.TotalSeconds} s: {restState}");
        await WaitForQuietStretchAsync(listing);
        var requests = new Dictionary<string, RequestView?>();
        using var gate = new SemaphoreSlim(16);
        var reads = named.DistinctBy(n => n.Id).Select(async n =>
        {
            await gate.WaitAsync();
            try
            {
                return (n.Id, View: await ReadRequestAsync(n.Tenant, n.Id));
            }
            finally
            {
                gate.Release();
            }
        });
        foreach (var (id, view) in await Task.WhenAll(reads))
        {
            requests[id] = view;
        }

        var listed = new List<string>();
        foreach (var tenant in world.Tenants)
        {
            listed.AddRange((await ListAsync(tenant)).Select(r => r.Id));
        }

        var pools = await sampler.SampleAsync(0) ?? throw new InvalidOperationException("the final pool sample failed");
        var months = Months(requests.Values.OfType<RequestView>().Select(r => r.CreatedAt).DefaultIfEmpty(DateTimeOffset.UtcNow).Min(), DateTimeOffset.UtcNow);
        var charges = new List<ChargeView>();
        foreach (var tenant in world.Tenants)
        {
            foreach (var month in months)
            {
                charges.AddRange(await BillAsync(tenant, month));
            }
        }

        var audit = new List<AuditView>();
        foreach (var tenant in world.Tenants)
        {
            audit.AddRange(await AuditAsync(tenant));
        }

        var verify = await GetOrThrowAsync(0, "/v1/audit/verify", world.FederationAdminToken);
        return new FinalState(requests, listed, pools, charges, audit, verify.GetProperty("valid").GetBoolean(), DateTimeOffset.UtcNow);
    }

    /// <summary>
    /// Waits for a stretch long enough to read everything in which no lease ends: a negotiation resumed after the
    /// restart starts its lease then, so a few may end right in the window the clients kept quiet. Requests, pools,
    /// bills and the trail are read one after the other and must describe the same moment.
    /// </summary>
    private async Task WaitForQuietStretchAsync(IReadOnlyList<RequestView> listing)
    {
        var margin = TimeSpan.FromSeconds(5);
        var reading = TimeSpan.FromSeconds(30 + (listing.Count / 500.0)); // measured: about 900 requests a second, with bills and the trail
        var ends = listing.Where(r => r is { State: "allocated", LeaseExpiresAt: not null }).Select(r => r.LeaseExpiresAt!.Value).Order().ToList();
        var start = DateTimeOffset.UtcNow;
        foreach (var end in ends.Where(e => e >= start - margin))
        {
            if (end < start + reading + margin)
            {
                start = end + margin;
            }
        }

        if (start > DateTimeOffset.UtcNow + QuietPatience)
        {
            log.WriteLine($"no quiet stretch of {reading.TotalSeconds:F0} s within {QuietPatience.TotalMinutes} min: reading now, leases may end meanwhile");
            return;
        }

        if (start > DateTimeOffset.UtcNow)
        {
            log.WriteLine($"waiting {(start - DateTimeOffset.UtcNow).TotalSeconds:F0} s for a stretch of {reading.TotalSeconds:F0} s in which no lease ends");
            await Task.Delay(start - DateTimeOffset.UtcNow); // until the quiet stretch begins
        }
    }

    private async Task<(bool AtRest, string State, List<RequestView> Listing)> WaitForRestAsync(PoolSampler sampler)
    {
        var clock = Stopwatch.StartNew();
        var state = "nothing read yet";
        var listed = new List<RequestView>();
        PoolView[]? previous = null;
        var previousAt = TimeSpan.Zero;
        while (clock.Elapsed < RestDeadline)
        {
            listed = [];
            foreach (var tenant in world.Tenants)
            {
                listed.AddRange(await ListAsync(tenant));
            }

            var now = DateTimeOffset.UtcNow;
            var negotiating = listed.Count(r => r.State == "negotiating");
            var overdue = listed.Count(r => r.State == "allocated" && r.LeaseExpiresAt < now - TimeSpan.FromSeconds(3));
            var pools = await sampler.SampleAsync(0);
            var held = pools?.Sum(p => p.Held) ?? -1;
            state = $"{listed.Count} requests, {negotiating} negotiating, {overdue} with an overdue lease, {held} units held";
            if (negotiating == 0 && overdue == 0 && held == 0 && pools is not null)
            {
                if (previous is not null && previous.SequenceEqual(pools) && clock.Elapsed - previousAt >= StableFor)
                {
                    return (true, state, listed);
                }

                if (previous is null || !previous.SequenceEqual(pools))
                {
                    (previous, previousAt) = (pools, clock.Elapsed);
                }
            }
            else
            {
                previous = null;
            }

            await Task.Delay(500); // polling the cluster until it is at rest, with the deadline above
        }

        return (false, state, listed);
    }

    private async Task<RequestView?> ReadRequestAsync(string tenant, string id)
    {
        for (var attempt = 0; ; attempt++)
        {
            var result = await silos.SendAsync(attempt % silos.Count, HttpMethod.Get, $"/v1/requests/{id}", world.TenantToken(tenant));
            switch (result)
            {
                case { Type: EventType.Ok, Body: { } body }:
                    return RequestView.From(body);
                case { Status: 404 }:
                    return null;
                case var _ when attempt >= 5:
                    throw new InvalidOperationException($"reading {id} failed: {result.Status} {result.Error}");
            }
        }
    }

    private Task<List<RequestView>> ListAsync(string tenant) =>
        PagesAsync("/v1/requests?limit=1000", world.TenantToken(tenant), RequestView.From);

    private async Task<IEnumerable<ChargeView>> BillAsync(string tenant, string month)
    {
        var bill = await GetOrThrowAsync(0, $"/v1/billing/tenants/{tenant}?period={month}", world.TenantToken(tenant));
        // Only posted charges: a bill also shows what still runs, accrued up to now (running: true), which is no charge yet
        // and is posted, split at month ends, when the allocation ends.
        return bill.GetProperty("requests").EnumerateArray().SelectMany(line => line.GetProperty("entries").EnumerateArray()
            .Where(e => !(e.TryGetProperty("running", out var running) && running.GetBoolean()))
            .Select(e => new ChargeView(
            tenant,
            line.GetProperty("requestId").GetString()!,
            e.GetProperty("dataCenter").GetString()!,
            e.GetProperty("resource").GetString()!,
            e.GetProperty("amount").GetInt64(),
            e.GetProperty("from").GetDateTimeOffset(),
            e.GetProperty("to").GetDateTimeOffset(),
            e.GetProperty("pricePerUnitHour").GetDecimal(),
            e.GetProperty("cost").GetDecimal()))).ToList();
    }

    private Task<List<AuditView>> AuditAsync(string tenant) =>
        PagesAsync($"/v1/audit?tenant={tenant}&limit=1000", world.FederationAdminToken, e => new AuditView(e.GetProperty("action").GetString()!, e.GetProperty("subject").GetString()!, e.GetProperty("outcome").GetString()!));

    /// <summary>Every item of a paged listing (<c>items</c>, followed through <c>next</c> as <c>after</c>).</summary>
    private async Task<List<T>> PagesAsync<T>(string path, string token, Func<JsonElement, T> read)
    {
        var all = new List<T>();
        string? after = null;
        do
        {
            var page = await GetOrThrowAsync(0, $"{path}{(after is null ? "" : $"&after={Uri.EscapeDataString(after)}")}", token);
            all.AddRange(page.GetProperty("items").EnumerateArray().Select(read));
            after = page.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (after is not null);
        return all;
    }

    private async Task<JsonElement> GetOrThrowAsync(int silo, string path, string token)
    {
        for (var attempt = 0; ; attempt++)
        {
            var result = await silos.SendAsync((silo + attempt) % silos.Count, HttpMethod.Get, path, token);
            if (result is { Type: EventType.Ok, Body: { } body })
            {
                return body;
            }

            if (attempt >= 5)
            {
                throw new InvalidOperationException($"GET {path} failed: {result.Status} {result.Error}");
            }
        }
    }

    private static List<string> Months(DateTimeOffset from, DateTimeOffset to)
    {
        var months = new List<string>();
        for (var m = new DateTimeOffset(from.Year, from.Month, 1, 0, 0, 0, TimeSpan.Zero); m <= to; m = m.AddMonths(1))
        {
            months.Add(m.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture));
        }

        return months;
    }
}
