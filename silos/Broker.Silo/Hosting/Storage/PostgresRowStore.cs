using Broker.Grains.Storage;
using Broker.Grains.Telemetry;
using Npgsql;

namespace Broker.Silo.Hosting.Storage;

/// <summary>
/// The cluster's row store: table broker_rows in PostgreSQL (deploy/postgres/schema/40-rows.sql), with group commit.
/// A commit queues, and a writer loop sends everything queued as one call of broker_commit: one round trip and one
/// transaction for many grains' commits. A commit's task completes only once that transaction has committed; a
/// commit whose expected version does not hold fails alone with <see cref="RowConflictException"/>; when the round
/// trip itself fails, every commit in it fails with the driver's exception (a <see cref="System.Data.Common.DbException"/>).
/// Single-row reads arriving together go as one query as well; owner reads and pages are plain, index-driven queries.
/// </summary>
/// <remarks>
/// Commits are routed to a flush lane by the (table, owner) of their first write: a lane has one flush in flight
/// and keeps its commits in order, so an owner's commits are applied in the order they were made.
/// </remarks>
public sealed partial class PostgresRowStore : IRowStore, IAsyncDisposable
{
    public const int DefaultFlushesInFlight = 1;

    /// <summary>A flush takes queued commits up to this many writes (a larger commit goes alone).</summary>
    public const int MaxWritesPerFlush = 2_000;

    public const int MaxKeysPerRead = 1_000;

    private const int ReadsInFlight = 2;

    /// <summary>The store's statements: commit, batched read, owner read and four kinds of page.</summary>
    private const int AutoPreparedStatements = 8;

    /// <summary>Sends of one flush when PostgreSQL rolled it back for a concurrent writer (nothing of it applied).</summary>
    private const int MaxAttempts = 5;

    private const string OwnerSql = "SELECT key, payload, version, tag FROM broker_rows WHERE tbl = $1 AND owner = $2 ORDER BY key";

    /// <summary>PageAsync's query by [tag given, beforeKey given]: each a range of the primary key or the tag index.</summary>
    private static readonly string[] PageSql = [PageQuery(false, false), PageQuery(false, true), PageQuery(true, false), PageQuery(true, true)];

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<PostgresRowStore> _logger;
    private readonly BrokerMetrics _metrics;
    private readonly RowBatcher<PendingCommit> _commits;
    private readonly RowBatcher<PendingRead> _reads;
    private long _flushes;
    private long _commitsSent;
    private long _readQueries;
    private uint _nextReadLane;
    private int _disposed;

    /// <summary>A store with <paramref name="flushesInFlight"/> flush lanes, each with at most one flush (and one connection) in flight.</summary>
    public PostgresRowStore(string connectionString, ILogger<PostgresRowStore> logger, BrokerMetrics metrics, int flushesInFlight = DefaultFlushesInFlight)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            // The store runs a handful of statements all the time: prepared, the flushes measured ~25% faster.
            builder.ConnectionStringBuilder.MaxAutoPrepare = AutoPreparedStatements;
        }

        _dataSource = builder.Build();
        _logger = logger;
        _metrics = metrics;
        _commits = new RowBatcher<PendingCommit>(flushesInFlight, MaxWritesPerFlush, FlushCommitsAsync);
        _reads = new RowBatcher<PendingRead>(ReadsInFlight, MaxKeysPerRead, FlushReadsAsync);
    }

    /// <summary>Round trips that carried commits (a flush PostgreSQL asked to send again counts twice).</summary>
    public long Flushes => Interlocked.Read(ref _flushes);

    /// <summary>Commits that went to PostgreSQL and came back decided: applied or refused for a conflict.</summary>
    public long Commits => Interlocked.Read(ref _commitsSent);

    /// <summary>Queries that carried single-row reads.</summary>
    public long ReadQueries => Interlocked.Read(ref _readQueries);

    public Task<StoredRow?> ReadAsync(RowKey key)
    {
        if (RowBatches.Refusal(key) is { } invalid)
        {
            return Task.FromException<StoredRow?>(invalid);
        }

        var read = new PendingRead(key);
        return _reads.TryEnqueue(read, Interlocked.Increment(ref _nextReadLane)) ? read.Task : Task.FromException<StoredRow?>(Disposed());
    }

    public async Task<IReadOnlyList<StoredRow>> ReadOwnerAsync(string table, string owner)
    {
        ThrowIfInvalid(new RowKey(table, owner, ""));
        await using var command = _dataSource.CreateCommand(OwnerSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = owner });
        return await ReadRowsAsync(command, table, owner).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StoredRow>> PageAsync(string table, string owner, string? tag, string? beforeKey, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ThrowIfInvalid(new RowKey(table, owner, beforeKey ?? ""), tag);
        if (limit == 0)
        {
            return [];
        }

        await using var command = _dataSource.CreateCommand(PageSql[(tag is null ? 0 : 2) + (beforeKey is null ? 0 : 1)]);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = owner });
        if (tag is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tag });
        }

        if (beforeKey is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = beforeKey });
        }

        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await ReadRowsAsync(command, table, owner).ConfigureAwait(false);
    }

    public Task CommitAsync(IReadOnlyList<RowWrite> writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        if (writes.Count == 0)
        {
            return Task.CompletedTask;
        }

        foreach (var write in writes)
        {
            if (RowBatches.Refusal(write) is { } invalid)
            {
                return Task.FromException(invalid);
            }
        }

        var commit = new PendingCommit([.. writes]);
        var lane = (uint)HashCode.Combine(writes[0].Key.Table, writes[0].Key.Owner);
        return _commits.TryEnqueue(commit, lane) ? commit.Task : Task.FromException(Disposed());
    }

    /// <summary>Takes no more work, waits for what is queued to be flushed, and closes the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Task.WhenAll(_commits.CompleteAsync(), _reads.CompleteAsync()).ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    private async Task FlushCommitsAsync(List<PendingCommit> batch)
    {
        _metrics.StorageFlushed(batch.Count);
        await using var command = _dataSource.CreateCommand(RowBatches.CommitSql);
        RowBatches.AddCommitParameters(command.Parameters, batch);
        var conflicts = new RowConflictException?[batch.Count];
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Array.Clear(conflicts);
                Interlocked.Increment(ref _flushes);
                await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    var key = new RowKey(reader.GetString(1), reader.GetString(2), reader.GetString(3));
                    conflicts[reader.GetInt32(0)] = new RowConflictException(key, reader.GetInt64(4), reader.IsDBNull(5) ? null : reader.GetInt64(5));
                }

                break;
            }
            catch (PostgresException error) when (error.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected && attempt < MaxAttempts)
            {
                // The whole transaction was rolled back: nothing of this flush is applied, so it can go again.
                LogFlushRetried(batch.Count, error.SqlState, attempt);
            }
            catch (Exception error)
            {
                LogFlushFailed(batch.Count, error);
                throw;
            }
        }

        Interlocked.Add(ref _commitsSent, batch.Count);
        for (var unit = 0; unit < batch.Count; unit++)
        {
            if (conflicts[unit] is { } conflict)
            {
                batch[unit].TrySetException(conflict);
            }
            else
            {
                batch[unit].TrySetResult();
            }
        }
    }

    private async Task FlushReadsAsync(List<PendingRead> batch)
    {
        var found = new StoredRow?[batch.Count];
        try
        {
            await using var command = _dataSource.CreateCommand(RowBatches.ReadSql);
            RowBatches.AddReadParameters(command.Parameters, batch);
            Interlocked.Increment(ref _readQueries);
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                var i = (int)reader.GetInt64(0) - 1;
                found[i] = new StoredRow(batch[i].Key, reader.GetFieldValue<byte[]>(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3));
            }
        }
        catch (Exception error)
        {
            LogReadFailed(batch.Count, error);
            throw;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].TrySetResult(found[i]);
        }
    }

    /// <summary>Rows of one owner as the query returns them; its columns are key, payload, version, tag.</summary>
    private static async Task<IReadOnlyList<StoredRow>> ReadRowsAsync(NpgsqlCommand command, string table, string owner)
    {
        var rows = new List<StoredRow>();
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            rows.Add(new StoredRow(new RowKey(table, owner, reader.GetString(0)), reader.GetFieldValue<byte[]>(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return rows;
    }

    private static string PageQuery(bool tagged, bool before) =>
        "SELECT key, payload, version, tag FROM broker_rows WHERE tbl = $1 AND owner = $2"
        + (tagged ? " AND tag = $3" : "")
        + (before ? $" AND key < ${(tagged ? 4 : 3)}" : "")
        + $" ORDER BY key DESC LIMIT ${2 + (tagged ? 1 : 0) + (before ? 1 : 0) + 1}";

    private static void ThrowIfInvalid(RowKey key, string? tag = null)
    {
        if (RowBatches.Refusal(key, tag) is { } invalid)
        {
            throw invalid;
        }
    }

    private static ObjectDisposedException Disposed() => new(nameof(PostgresRowStore));

    [LoggerMessage(Level = LogLevel.Warning, Message = "A flush of {Commits} commits to PostgreSQL failed; they all fail with it")]
    private partial void LogFlushFailed(int commits, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "A flush of {Commits} commits met a concurrent writer ({SqlState}) and was rolled back; sending it again (attempt {Attempt})")]
    private partial void LogFlushRetried(int commits, string sqlState, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A read of {Keys} rows from PostgreSQL failed")]
    private partial void LogReadFailed(int keys, Exception error);
}
