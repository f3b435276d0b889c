using System.Threading.Channels;

namespace Broker.Silo.Hosting.Storage;

/// <summary>Something waiting in a <see cref="RowBatcher{T}"/>: how much of a batch it takes, and how to fail it.</summary>
internal interface IBatchItem
{
    int Weight { get; }

    void Fail(Exception error);
}

/// <summary>
/// Group work: items queue on lanes, and each lane's one loop takes everything queued (up to a weight) and hands
/// it to <c>flush</c> as one batch. While a lane's batch is in flight, what arrives waits for the next one, so
/// batches grow with the load and nothing waits for a timer. A lane keeps its items in order.
/// </summary>
internal sealed class RowBatcher<T>
    where T : class, IBatchItem
{
    private readonly Channel<T>[] _lanes;
    private readonly Task[] _loops;
    private readonly int _maxWeight;
    private readonly Func<List<T>, Task> _flush;

    /// <summary>
    /// Starts <paramref name="lanes"/> loops; a batch weighs at most <paramref name="maxWeight"/> (but holds one item at least).
    /// <paramref name="flush"/> completes every item of its batch; an exception it throws fails those it left.
    /// </summary>
    public RowBatcher(int lanes, int maxWeight, Func<List<T>, Task> flush)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lanes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWeight, 1);
        _maxWeight = maxWeight;
        _flush = flush;
        _lanes = [.. Enumerable.Range(0, lanes).Select(_ => Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true }))];
        _loops = [.. _lanes.Select(lane => Task.Run(() => RunAsync(lane.Reader)))];
    }

    public int Lanes => _lanes.Length;

    /// <summary>Queues the item on lane <paramref name="lane"/> (modulo the lanes); false once completing.</summary>
    public bool TryEnqueue(T item, uint lane) => _lanes[lane % (uint)_lanes.Length].Writer.TryWrite(item);

    /// <summary>Takes no more items, flushes those queued and returns when all are done.</summary>
    public Task CompleteAsync()
    {
        foreach (var lane in _lanes)
        {
            lane.Writer.TryComplete();
        }

        return Task.WhenAll(_loops);
    }

    private async Task RunAsync(ChannelReader<T> reader)
    {
        var batch = new List<T>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            // One item heavier than the bound still goes, alone: an item is never split.
            var weight = 0;
            while (reader.TryPeek(out var next) && (batch.Count == 0 || weight + next.Weight <= _maxWeight) && reader.TryRead(out next))
            {
                batch.Add(next);
                weight += next.Weight;
            }

            try
            {
                await _flush(batch).ConfigureAwait(false);
            }
            catch (Exception error)
            {
                foreach (var item in batch)
                {
                    item.Fail(error);
                }
            }

            batch.Clear();
        }
    }
}
