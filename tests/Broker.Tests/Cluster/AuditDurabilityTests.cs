using System.Text;
using System.Text.Json;
using Broker.Audit;
using Npgsql;

namespace Broker.Tests.Cluster;

/// <summary>
/// The audit trail on the durable cluster: entries written through one silo are read and verified through
/// the others, from PostgreSQL; and a byte changed in the database by hand is found by the verifier.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class AuditDurabilityTests(ClusterFixture cluster)
{
    [Fact]
    public async Task EntryChangedInTheDatabase_VerifierNamesTheChainAndEntry_AndHoldsAgainOnceRestored()
    {
        var world = await ClusterWorld.CreateAsync(cluster, 1_000);
        var decided = await world.SubmitAsync(0, 40, "audited");
        var id = world.IdFor("audited");
        using (var release = await world.Client(1).DeleteAsync($"/v1/requests/{id}"))
        {
            Assert.Equal(HttpStatusCode.OK, release.StatusCode);
        }

        using var admin = cluster.Client(2, cluster.FederationAdminToken);
        var entries = (await Json.ReadAsync(await admin.GetAsync($"/v1/audit?subject={id}"))).GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(("allocated", world.Tenant), (decided!.Value.Body.State(), entries.Single(e => e.GetProperty("action").GetString() == "request.decided").GetProperty("tenant").GetString()));
        Assert.Equal(["request.released", "request.decided"], entries.Select(e => e.GetProperty("action").GetString()));
        var chain = AuditChains.Of(id);
        var sequence = entries[1].GetProperty("sequence").GetInt64();
        Assert.True(ChainOf(await VerifyAsync(admin), chain).GetProperty("valid").GetBoolean());

        // What an intruder with database access does: the decision's outcome, rewritten in place.
        // A connection of its own: a pooled one may predate the database restart of the outage tests.
        await using var db = new NpgsqlConnection(cluster.ConnectionString + ";Pooling=false");
        await db.OpenAsync();
        var original = await ReadPayloadAsync(db, $"{id}/decided");
        var tampered = Replace(original, after: $"{id}/decided", "allocated", "ALLOCATED");
        await ReplacePayloadAsync(db, original, tampered);
        var broken = ChainOf(await VerifyAsync(cluster.Client(0, cluster.FederationAdminToken)), chain);
        await ReplacePayloadAsync(db, tampered, original);
        var restored = ChainOf(await VerifyAsync(admin), chain);

        Assert.False(broken.GetProperty("valid").GetBoolean());
        Assert.Equal(("hash-mismatch", sequence), (broken.GetProperty("break").GetProperty("reason").GetString(), broken.GetProperty("break").GetProperty("sequence").GetInt64()));
        Assert.True(restored.GetProperty("valid").GetBoolean(), restored.ToString());
    }

    private static async Task<JsonElement> VerifyAsync(HttpClient admin)
    {
        using var response = await admin.GetAsync("/v1/audit/verify");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json.ReadAsync(response);
    }

    private static JsonElement ChainOf(JsonElement verification, int chain) =>
        verification.GetProperty("chains").EnumerateArray().Single(c => c.GetProperty("chain").GetInt32() == chain);

    /// <summary>The bytes of the one stored state that holds the text <paramref name="marker"/>.</summary>
    private static async Task<byte[]> ReadPayloadAsync(NpgsqlConnection db, string marker)
    {
        await using var find = new NpgsqlCommand("SELECT payload FROM broker_rows WHERE position(convert_to(@marker, 'UTF8') in payload) > 0", db);
        find.Parameters.AddWithValue("marker", marker);
        await using var reader = await find.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no stored state holds '{marker}'");
        var found = (byte[])reader[0];
        Assert.False(await reader.ReadAsync(), $"more than one stored state holds '{marker}'");
        return found;
    }

    private static async Task ReplacePayloadAsync(NpgsqlConnection db, byte[] stored, byte[] replacement)
    {
        await using var update = new NpgsqlCommand("UPDATE broker_rows SET payload = @replacement WHERE payload = @stored", db);
        update.Parameters.AddWithValue("replacement", replacement);
        update.Parameters.AddWithValue("stored", stored);
        Assert.Equal(1, await update.ExecuteNonQueryAsync());
    }

    /// <summary>The payload with the first <paramref name="text"/> after <paramref name="after"/> replaced by text of the same length.</summary>
    private static byte[] Replace(byte[] payload, string after, string text, string replacement)
    {
        var start = payload.AsSpan().IndexOf(Encoding.UTF8.GetBytes(after));
        var offset = payload.AsSpan(start).IndexOf(Encoding.UTF8.GetBytes(text));
        Assert.True(start >= 0 && offset >= 0, $"'{text}' after '{after}' not found in the stored state");
        var copy = payload.ToArray();
        Encoding.UTF8.GetBytes(replacement).CopyTo(copy, start + offset);
        return copy;
    }
}
