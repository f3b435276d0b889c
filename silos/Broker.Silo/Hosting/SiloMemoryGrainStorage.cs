using System.Collections.Concurrent;
using System.Globalization;
using Orleans.Serialization;
using Orleans.Storage;

namespace Broker.Silo.Hosting;

/// <summary>
/// Grain state in this silo's memory, for the embedded single-silo mode: a dictionary of serialized copies
/// with optimistic concurrency by ETag. Orleans' own memory storage keeps state in storage grains, so every
/// write is a grain call and a queue on one of a few grains: many times the cost of the write itself, and
/// several writes make up one decision. Copies, not references: a grain never shares objects with its stored state.
/// </summary>
/// <remarks>State lives only in this process. Several silos would each see their own: use PostgreSQL for a cluster.</remarks>
public sealed class SiloMemoryGrainStorage(Serializer serializer) : IGrainStorage
{
    private readonly ConcurrentDictionary<(string State, GrainId Grain), Stored> _states = new();
    private long _version;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_states.TryGetValue((stateName, grainId), out var stored))
        {
            grainState.State = serializer.Deserialize<T>(stored.Bytes);
            grainState.ETag = stored.ETag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var next = new Stored(NextETag(), serializer.SerializeToArray(grainState.State));
        Swap((stateName, grainId), grainState.ETag, next);
        grainState.ETag = next.ETag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Swap((stateName, grainId), grainState.ETag, null);
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
        return Task.CompletedTask;
    }

    /// <summary>Replaces the stored copy only if it is still the one the grain last read or wrote.</summary>
    private void Swap((string, GrainId) key, string? expected, Stored? next)
    {
        while (true)
        {
            if (!_states.TryGetValue(key, out var current))
            {
                if (expected is not null)
                {
                    throw new InconsistentStateException($"state {key} was removed since ETag {expected}", "", expected);
                }

                if (next is null || _states.TryAdd(key, next))
                {
                    return;
                }

                continue;
            }

            if (current.ETag != expected)
            {
                throw new InconsistentStateException($"state {key} changed since it was read", current.ETag, expected ?? "");
            }

            var swapped = next is null
                ? _states.TryRemove(new KeyValuePair<(string, GrainId), Stored>(key, current))
                : _states.TryUpdate(key, next, current);
            if (swapped)
            {
                return;
            }
        }
    }

    private string NextETag() => Interlocked.Increment(ref _version).ToString(CultureInfo.InvariantCulture);

    private sealed record Stored(string ETag, byte[] Bytes);
}
