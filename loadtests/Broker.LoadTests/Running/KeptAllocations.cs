using System.Text;

namespace Broker.LoadTests.Running;

/// <summary>
/// The allocations a fill run keeps, for releasing them at the end: per allocation the ask's template index
/// and the request id, packed into large byte chunks (about 31 bytes each, against some 150 for a string and
/// a tuple). In-process the harness shares the heap with the silo, so what it holds itself is
/// <see cref="Bytes"/>, known exactly and taken off the silo's figure.
/// </summary>
public sealed class KeptAllocations
{
    private const int ChunkBytes = 1 << 20;

    private readonly List<byte[]> _chunks = [];
    private readonly Lock _lock = new();
    private int _used = ChunkBytes;
    private int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>What the store itself occupies on the heap: its chunks (the list of them is negligible).</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return (long)_chunks.Count * ChunkBytes;
            }
        }
    }

    /// <summary>Keeps one allocation and returns how many are kept with it.</summary>
    public int Add(int template, string requestId)
    {
        var length = Encoding.ASCII.GetByteCount(requestId);
        if (length is 0 or > byte.MaxValue)
        {
            throw new ArgumentException($"a request id of 1 to 255 ASCII characters, not '{requestId}'", nameof(requestId));
        }

        lock (_lock)
        {
            if (_used + 5 + length > ChunkBytes)
            {
                _chunks.Add(new byte[ChunkBytes]);
                _used = 0;
            }

            var chunk = _chunks[^1].AsSpan(_used);
            BitConverter.TryWriteBytes(chunk, template);
            chunk[4] = (byte)length;
            Encoding.ASCII.GetBytes(requestId, chunk[5..]);
            _used += 5 + length;
            return ++_count;
        }
    }

    /// <summary>Every kept allocation, in the order kept. Not while adding: the fill loop has ended by then.</summary>
    public IEnumerable<(int Template, string RequestId)> All()
    {
        byte[][] chunks;
        int used;
        lock (_lock)
        {
            chunks = [.. _chunks];
            used = _used;
        }

        for (var c = 0; c < chunks.Length; c++)
        {
            var end = c == chunks.Length - 1 ? used : ChunkBytes;
            for (var at = 0; at + 5 <= end;)
            {
                var length = chunks[c][at + 4];
                if (length == 0)
                {
                    break;
                }

                yield return (BitConverter.ToInt32(chunks[c], at), Encoding.ASCII.GetString(chunks[c], at + 5, length));
                at += 5 + length;
            }
        }
    }
}
