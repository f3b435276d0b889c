using System.Globalization;
using Orleans.Serialization;
using Orleans.Storage;

namespace Broker.Grains.Storage;

/// <summary>
/// Orleans grain state kept as rows of the broker's <see cref="IRowStore"/>: one row per grain and state name, its
/// version the ETag. So every grain's state write joins the same group commit as the broker's own rows (one round
/// trip for many grains), and a stale activation's write loses as with any ETag-checked storage.
/// </summary>
public sealed class RowGrainStorage(IRowStore rows, Serializer serializer) : IGrainStorage
{
    /// <summary>The table grain states live in.</summary>
    public const string Table = "grain";

    public static RowKey KeyOf(string stateName, GrainId grainId) => new(Table, $"{stateName}/{grainId}", "");

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var row = await rows.ReadAsync(KeyOf(stateName, grainId));
        if (row is null)
        {
            return;
        }

        grainState.State = serializer.Deserialize<T>(row.Payload);
        grainState.ETag = row.Version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var expected = ExpectedVersion(grainState.ETag);
        var key = KeyOf(stateName, grainId);
        await CommitAsync(RowWrite.Put(key, serializer.SerializeToArray(grainState.State), expectedVersion: expected), key, grainState.ETag);
        grainState.ETag = (expected + 1).ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = KeyOf(stateName, grainId);
        await CommitAsync(RowWrite.Delete(key, ExpectedVersion(grainState.ETag)), key, grainState.ETag);
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
    }

    private async Task CommitAsync(RowWrite write, RowKey key, string? etag)
    {
        try
        {
            await rows.CommitAsync([write]);
        }
        catch (RowConflictException conflict)
        {
            // Orleans' own signal for a lost ETag race: the grain steps down and the next activation reads again.
            throw new InconsistentStateException(conflict.Message, "", etag ?? "") { Source = key.ToString() };
        }
    }

    // No ETag: the state has never been written, so the row must not exist yet.
    private static long ExpectedVersion(string? etag) => etag is null ? 0 : long.Parse(etag, CultureInfo.InvariantCulture);
}
