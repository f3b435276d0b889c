using System.Text;
using Broker.Grains.Storage;
using Npgsql;

namespace Broker.Silo.Hosting.Storage;

/// <summary>A commit waiting for its flush; its task completes once the transaction holding it has.</summary>
internal sealed class PendingCommit(RowWrite[] writes) : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), IBatchItem
{
    public RowWrite[] Writes { get; } = writes;

    public int Weight => Writes.Length;

    public void Fail(Exception error) => TrySetException(error);
}

/// <summary>A single-row read waiting to go with others in one query.</summary>
internal sealed class PendingRead(RowKey key) : TaskCompletionSource<StoredRow?>(TaskCreationOptions.RunContinuationsAsynchronously), IBatchItem
{
    public RowKey Key { get; } = key;

    public int Weight => 1;

    public void Fail(Exception error) => TrySetException(error);
}

/// <summary>
/// The SQL of the batched calls, their parameters (one array per column, one element per write or key), and what
/// may go in them: what PostgreSQL would refuse is refused before it is queued, where it could only fail a whole batch.
/// </summary>
internal static class RowBatches
{
    /// <summary>
    /// Table, owner, key and tag together, in UTF-8: they make one entry of the tag index, and an index entry
    /// holds at most about 2,700 bytes.
    /// </summary>
    public const int MaxKeyBytes = 2_048;

    /// <summary>Returns the units that failed, each with its first write whose expectation did not hold.</summary>
    public const string CommitSql =
        "SELECT failed_unit, row_tbl, row_owner, row_key, expected_version, stored_version FROM broker_commit($1, $2, $3, $4, $5, $6, $7, $8)";

    /// <summary>Returns the keys found, by their position (1-based) in the arrays.</summary>
    public const string ReadSql =
        """
        SELECT b.ord, r.payload, r.version, r.tag
          FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS b(tbl, owner, key, ord)
          JOIN broker_rows r ON r.tbl = b.tbl AND r.owner = b.owner AND r.key = b.key
        """;

    /// <summary>Every write of the batch, unit by unit, as the parameters of <see cref="CommitSql"/>.</summary>
    public static void AddCommitParameters(NpgsqlParameterCollection parameters, List<PendingCommit> batch)
    {
        var count = batch.Sum(c => c.Writes.Length);
        var units = new int[count];
        var tables = new string[count];
        var owners = new string[count];
        var keys = new string[count];
        var ops = new short[count];
        var payloads = new byte[]?[count];
        var tags = new string?[count];
        var expected = new long?[count];
        var i = 0;
        for (var unit = 0; unit < batch.Count; unit++)
        {
            foreach (var write in batch[unit].Writes)
            {
                units[i] = unit;
                (tables[i], owners[i], keys[i]) = (write.Key.Table, write.Key.Owner, write.Key.Key);
                ops[i] = (short)write.Op;
                (payloads[i], tags[i]) = write.Op == RowOp.Put ? (write.Payload, write.Tag) : (null, null);
                expected[i] = write.ExpectedVersion;
                i++;
            }
        }

        parameters.Add(new NpgsqlParameter<int[]> { TypedValue = units });
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = tables });
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = owners });
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = keys });
        parameters.Add(new NpgsqlParameter<short[]> { TypedValue = ops });
        parameters.Add(new NpgsqlParameter<byte[]?[]> { TypedValue = payloads });
        parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = tags });
        parameters.Add(new NpgsqlParameter<long?[]> { TypedValue = expected });
    }

    /// <summary>The keys of the batch as the parameters of <see cref="ReadSql"/>.</summary>
    public static void AddReadParameters(NpgsqlParameterCollection parameters, List<PendingRead> batch)
    {
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch.Select(r => r.Key.Table)] });
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch.Select(r => r.Key.Owner)] });
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch.Select(r => r.Key.Key)] });
    }

    /// <summary>Why the row cannot be stored as given, or null when it can.</summary>
    public static ArgumentException? Refusal(RowKey key, string? tag = null)
    {
        if (key.Table is null || key.Owner is null || key.Key is null)
        {
            return new ArgumentException("A row key needs a table, an owner and a key.", nameof(key));
        }

        if (!IsText(key.Table) || !IsText(key.Owner) || !IsText(key.Key) || (tag is not null && !IsText(tag)))
        {
            return new ArgumentException($"Row {key} or its tag holds a NUL character or an unpaired surrogate, which PostgreSQL text cannot store.", nameof(key));
        }

        var bytes = Encoding.UTF8.GetByteCount(key.Table) + Encoding.UTF8.GetByteCount(key.Owner) + Encoding.UTF8.GetByteCount(key.Key) + (tag is null ? 0 : Encoding.UTF8.GetByteCount(tag));
        return bytes > MaxKeyBytes
            ? new ArgumentException($"Row {key} and its tag take {bytes} bytes in UTF-8; at most {MaxKeyBytes} fit an index entry.", nameof(key))
            : null;
    }

    /// <summary>Why the write cannot be stored as given, or null when it can.</summary>
    public static ArgumentException? Refusal(RowWrite write) => write switch
    {
        null => new ArgumentException("A commit holds a null write.", nameof(write)),
        { Op: not (RowOp.Put or RowOp.Delete) } => new ArgumentException($"Write of {write.Key} has an unknown op {write.Op}.", nameof(write)),
        { Op: RowOp.Put, Payload: null } => new ArgumentException($"Put of {write.Key} has no payload.", nameof(write)),
        _ => Refusal(write.Key, write.Op == RowOp.Put ? write.Tag : null),
    };

    /// <summary>Whether PostgreSQL text can hold the string: no NUL character, and UTF-16 that encodes to UTF-8 (no unpaired surrogate).</summary>
    private static bool IsText(string value)
    {
        var rest = value.AsSpan();
        if (rest.Contains('\0'))
        {
            return false;
        }

        while (rest.IndexOfAnyInRange('\uD800', '\uDFFF') is var i and >= 0)
        {
            if (i + 1 >= rest.Length || !char.IsSurrogatePair(rest[i], rest[i + 1]))
            {
                return false;
            }

            rest = rest[(i + 2)..];
        }

        return true;
    }
}
