using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Broker.Grains.Directory;
using Broker.Grains.Storage;
using Broker.Grains.Telemetry;
using Broker.Silo.Hosting.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Broker.Tests.Storage;

/// <summary>
/// The PostgreSQL row store against a real server (deploy/postgres/pg.sh, which honours BROKER_PG_PORT and BROKER_PG_DATA).
/// Every test writes under owners of its own. Where a test needs commits or reads to queue behind a flush, a second
/// connection holds a lock the flush waits for, so what goes in which round trip is certain, not timing.
/// </summary>
[Collection(PostgresRowStoreCollection.Name)]
public sealed class PostgresRowStoreTests(PostgresRowStoreFixture postgres, Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Table = "test";

    [Fact]
    public async Task CommitAsync_PutThenPutAgain_ReadReturnsPayloadTagAndNextVersion()
    {
        await using var store = Store();
        var key = Key(NewOwner(), "a");

        await store.CommitAsync([RowWrite.Put(key, [1, 2, 3], "open")]);
        var first = await store.ReadAsync(key);
        await store.CommitAsync([RowWrite.Put(key, [4], expectedVersion: 1)]);
        var second = await store.ReadAsync(key);

        Assert.Equal((key, "010203", 1L, "open"), (first!.Key, Convert.ToHexString(first.Payload), first.Version, first.Tag));
        Assert.Equal((key, "04", 2L, (string?)null), (second!.Key, Convert.ToHexString(second.Payload), second.Version, second.Tag));
        Assert.Null(await store.ReadAsync(Key(key.Owner, "missing")));
    }

    [Fact]
    public async Task CommitAsync_OneExpectedVersionFails_ThrowsAndAppliesNothingOfTheCommit()
    {
        await using var store = Store();
        var owner = NewOwner();
        await store.CommitAsync([RowWrite.Put(Key(owner, "b"), [1]), RowWrite.Put(Key(owner, "c"), [1])]);

        var stale = await Assert.ThrowsAsync<RowConflictException>(() => store.CommitAsync(
            [RowWrite.Put(Key(owner, "a"), [9], expectedVersion: 0), RowWrite.Delete(Key(owner, "c"), expectedVersion: 1), RowWrite.Put(Key(owner, "b"), [9], expectedVersion: 7)]));
        var exists = await Assert.ThrowsAsync<RowConflictException>(() => store.CommitAsync([RowWrite.Put(Key(owner, "b"), [9], expectedVersion: 0)]));

        Assert.Equal((Key(owner, "b"), $"row {Key(owner, "b")} is at version 1, expected 7"), (stale.Key, stale.Message));
        Assert.Equal($"row {Key(owner, "b")} is at version 1, expected 0", exists.Message);
        Assert.Equal([("b", 1L, (byte)1), ("c", 1L, (byte)1)], (await store.ReadOwnerAsync(Table, owner)).Select(r => (r.Key.Key, r.Version, r.Payload[0])));
    }

    [Fact]
    public async Task CommitAsync_ConflictingCommitInAFlushOfMany_OnlyThatCommitFails()
    {
        await using var store = Store();
        var owners = Enumerable.Range(0, 100).Select(_ => NewOwner()).ToArray();
        var taken = Key(NewOwner(), "taken");
        await store.CommitAsync([RowWrite.Put(taken, [1])]);
        await using var blocker = await RowBlocker.LockAsync(postgres.ConnectionString, taken);
        var flushes = store.Flushes;

        var first = store.CommitAsync([RowWrite.Put(taken, [2], expectedVersion: 1)]);
        await blocker.WaitUntilSomeoneWaitsAsync();
        var commits = owners.Select((owner, i) => i == 50
            ? store.CommitAsync([RowWrite.Put(Key(owner, "a"), [1], expectedVersion: 0), RowWrite.Put(taken, [3], expectedVersion: 1)])
            : store.CommitAsync([RowWrite.Put(Key(owner, "a"), [1], expectedVersion: 0), RowWrite.Put(Key(owner, "b"), [2], expectedVersion: 0)])).ToArray();
        await blocker.ReleaseAsync();
        await first;
        var outcomes = await Task.WhenAll(commits.Select(Outcome));

        // The queued commits went together, after the blocked one; only the commit that expected the stale version failed.
        Assert.Equal(flushes + 2, store.Flushes);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => i == 50 ? $"conflict {taken}" : "ok"), outcomes);
        Assert.Empty(await store.ReadOwnerAsync(Table, owners[50]));
        Assert.Equal(2, (await store.ReadAsync(taken))!.Version);
        foreach (var owner in owners.Where((_, i) => i != 50))
        {
            Assert.Equal([("a", 1L), ("b", 1L)], (await store.ReadOwnerAsync(Table, owner)).Select(r => (r.Key.Key, r.Version)));
        }
    }

    [Fact]
    public async Task CommitAsync_ManyConcurrentCommits_ShareOneFlushAndRecordItsSize()
    {
        await using var store = Store();
        var owner = NewOwner();
        var gate = Key(owner, "gate");
        await store.CommitAsync([RowWrite.Put(gate, [0])]);
        await using var blocker = await RowBlocker.LockAsync(postgres.ConnectionString, gate);
        using var sizes = new BatchSizes();
        var (flushes, sent) = (store.Flushes, store.Commits);

        var first = store.CommitAsync([RowWrite.Put(gate, [1])]);
        await blocker.WaitUntilSomeoneWaitsAsync();
        var queued = Enumerable.Range(0, 200).Select(i => store.CommitAsync(
            [.. Enumerable.Range(0, 3).Select(k => RowWrite.Put(Key(owner, $"r{i:D3}-{k}"), [(byte)k], expectedVersion: 0))])).ToArray();
        await blocker.ReleaseAsync();
        await first;
        await Task.WhenAll(queued);

        Assert.Equal((flushes + 2, sent + 201), (store.Flushes, store.Commits));
        Assert.Equal([1, 200], sizes.Recorded);
        Assert.Equal(601, (await store.ReadOwnerAsync(Table, owner)).Count);
    }

    [Fact]
    public async Task CommitAsync_SameRowInQueuedCommits_EachSeesTheOneBefore()
    {
        await using var store = Store();
        var key = Key(NewOwner(), "k");

        var commits = new[]
        {
            store.CommitAsync([RowWrite.Put(key, [1], expectedVersion: 0), RowWrite.Put(key, [2], expectedVersion: 1)]),
            store.CommitAsync([RowWrite.Put(key, [3], expectedVersion: 2)]),
            store.CommitAsync([RowWrite.Put(key, [4], expectedVersion: 2)]),
            store.CommitAsync([RowWrite.Delete(key, expectedVersion: 3), RowWrite.Put(key, [5], expectedVersion: 0)]),
        };
        var outcomes = await Task.WhenAll(commits.Select(Outcome));

        Assert.Equal(["ok", "ok", $"conflict {key}", "ok"], outcomes);
        var row = await store.ReadAsync(key);
        Assert.Equal((1L, (byte)5), (row!.Version, row.Payload[0]));
    }

    [Fact]
    public async Task CommitAsync_RandomQueuedCommits_SameOutcomesAndRowsAsMemoryRowStore()
    {
        await using var store = Store();
        var memory = new MemoryRowStore();
        var owner = NewOwner();
        var random = new Random(20261201);
        for (var wave = 0; wave < 10; wave++)
        {
            var commits = Enumerable.Range(0, 30).Select(_ => RandomCommit(random, owner)).ToList();
            var stored = commits.Select(store.CommitAsync).ToArray();
            var expected = new List<string>();
            foreach (var commit in commits)
            {
                expected.Add(await Outcome(memory.CommitAsync(commit)));
            }

            Assert.Equal(expected, await Task.WhenAll(stored.Select(Outcome)));
            Assert.Equal(Rows(await memory.ReadOwnerAsync(Table, owner)), Rows(await store.ReadOwnerAsync(Table, owner)));
        }

        static IEnumerable<string> Rows(IReadOnlyList<StoredRow> rows) => rows.Select(r => $"{r.Key} v{r.Version} {r.Tag} {Convert.ToHexString(r.Payload)}");
    }

    [Fact]
    public async Task ReadOwnerAsync_KeysWrittenOutOfOrder_ReturnsOnlyTheOwnersRowsOrdinalAscending()
    {
        await using var store = Store();
        var owner = NewOwner();
        string[] keys = ["b", "a9", "é", "B", "a10", "_", "Z", "ab"];
        await store.CommitAsync([.. keys.Select(k => RowWrite.Put(Key(owner, k), [1]))]);
        await store.CommitAsync([RowWrite.Put(Key(NewOwner(), "a"), [1]), RowWrite.Put(new RowKey("other", owner, "a"), [1])]);

        var rows = await store.ReadOwnerAsync(Table, owner);

        Assert.Equal(["B", "Z", "_", "a10", "a9", "ab", "b", "é"], rows.Select(r => r.Key.Key));
        Assert.All(rows, r => Assert.Equal((Table, owner), (r.Key.Table, r.Key.Owner)));
        Assert.Empty(await store.ReadOwnerAsync(Table, NewOwner()));
    }

    [Fact]
    public async Task PageAsync_TagAndBeforeKey_ReturnsMatchingRowsByKeyDescending()
    {
        await using var store = Store();
        var owner = NewOwner();
        await store.CommitAsync([.. Enumerable.Range(1, 10).Select(i => RowWrite.Put(Key(owner, $"k{i:D2}"), [(byte)i], i % 2 == 0 ? "even" : "odd"))]);
        await store.CommitAsync([RowWrite.Put(Key(owner, "k11"), [11])]);

        async Task<string> PageAsync(string? tag, string? before, int limit) =>
            string.Join(',', (await store.PageAsync(Table, owner, tag, before, limit)).Select(r => $"{r.Key.Key}:{r.Tag}"));

        Assert.Equal("k11:,k10:even,k09:odd", await PageAsync(null, null, 3));
        Assert.Equal("k07:odd,k06:even", await PageAsync(null, "k08", 2));
        Assert.Equal("k10:even,k08:even,k06:even,k04:even,k02:even", await PageAsync("even", null, 100));
        Assert.Equal("k06:even,k04:even", await PageAsync("even", "k08", 2));
        Assert.Equal("k01:odd", await PageAsync("odd", "k03", 5));
        Assert.Equal("", await PageAsync("odd", "k01", 5));
        Assert.Equal("", await PageAsync("none", null, 5));
        Assert.Equal("", await PageAsync(null, null, 0));
    }

    [Fact]
    public async Task CommitAsync_DeleteAtItsVersion_RowGoneAndAPutStartsAgainAtVersionOne()
    {
        await using var store = Store();
        var key = Key(NewOwner(), "k");
        await store.CommitAsync([RowWrite.Put(key, [1])]);
        await store.CommitAsync([RowWrite.Put(key, [2])]);

        var stale = await Outcome(store.CommitAsync([RowWrite.Delete(key, expectedVersion: 1)]));
        await store.CommitAsync([RowWrite.Delete(key, expectedVersion: 2)]);
        var gone = await store.ReadAsync(key);
        await store.CommitAsync([RowWrite.Delete(key)]);
        await store.CommitAsync([RowWrite.Put(key, [3], expectedVersion: 0)]);

        Assert.Equal($"conflict {key}", stale);
        Assert.Null(gone);
        var row = await store.ReadAsync(key);
        Assert.Equal((1L, (byte)3), (row!.Version, row.Payload[0]));
    }

    [Fact]
    public async Task ReadAsync_AnotherStoreInstance_SeesWhatTheFirstCommitted()
    {
        var owner = NewOwner();
        await using (var writer = Store())
        {
            await writer.CommitAsync([RowWrite.Put(Key(owner, "a"), [7], "t"), RowWrite.Put(Key(owner, "b"), [8])]);
            await writer.CommitAsync([RowWrite.Delete(Key(owner, "b"))]);
        }

        await using var reader = Store();
        var row = await reader.ReadAsync(Key(owner, "a"));

        Assert.Equal((1L, "t", (byte)7), (row!.Version, row.Tag, row.Payload[0]));
        Assert.Null(await reader.ReadAsync(Key(owner, "b")));
        Assert.Equal(["a"], (await reader.ReadOwnerAsync(Table, owner)).Select(r => r.Key.Key));
    }

    [Fact]
    public async Task ReadAsync_ManyReadsWhileTheTableIsLocked_ShareOneQueryPerLane()
    {
        await using var store = Store();
        var owner = NewOwner();
        await store.CommitAsync([.. Enumerable.Range(0, 150).Select(i => RowWrite.Put(Key(owner, $"k{i:D3}"), [(byte)i]))]);
        await using var blocker = await RowBlocker.LockTableAsync(postgres.ConnectionString);
        var queries = store.ReadQueries;

        // One read on each of the two read lanes waits for the table; the rest queue behind them.
        var firstReads = new[] { store.ReadAsync(Key(owner, "k000")), store.ReadAsync(Key(owner, "k001")) };
        await blocker.WaitUntilSomeoneWaitsAsync(2);
        var reads = Enumerable.Range(0, 300).Select(i => store.ReadAsync(Key(owner, $"k{i:D3}"))).ToArray();
        await blocker.ReleaseAsync();
        await Task.WhenAll(firstReads);
        var rows = await Task.WhenAll(reads);

        Assert.Equal(queries + 4, store.ReadQueries);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => i < 150 ? $"k{i:D3}:{i}" : "none"), rows.Select(r => r is null ? "none" : $"{r.Key.Key}:{r.Payload[0]}"));
    }

    [Fact]
    public async Task CommitAsync_RowCreatedConcurrentlyAfterTheCheck_SentAgainThenConflicts()
    {
        await using var store = Store();
        var key = Key(NewOwner(), "k");
        await using var blocker = await RowBlocker.InsertAsync(postgres.ConnectionString, key);
        var flushes = store.Flushes;

        // The flush finds no row, decides the commit holds, then waits on the other transaction's insert of the same key.
        var commit = store.CommitAsync([RowWrite.Put(key, [2], expectedVersion: 0)]);
        await blocker.WaitUntilSomeoneWaitsAsync();
        await blocker.CommitAsync();
        var conflict = await Assert.ThrowsAsync<RowConflictException>(() => commit);

        Assert.Equal((flushes + 2, $"row {key} is at version 1, expected 0"), (store.Flushes, conflict.Message));
        Assert.Equal(1, (await store.ReadAsync(key))!.Version);
    }

    [Fact]
    public async Task CommitAsync_TwoStoresWritingTheSameNewRowsInOppositeOrders_EveryPutCountsOnce()
    {
        await using var first = Store();
        await using var second = Store(flushesInFlight: 2);
        var owner = NewOwner();
        RowKey[] keys = [Key(owner, "a"), Key(owner, "b"), Key(owner, "c")];

        // Like two silos: concurrent transactions, each locking rows of the other, creating the same rows at first.
        await Task.WhenAll(new[] { first, second }.SelectMany(store => Enumerable.Range(0, 16).Select(c => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                var order = (c + i) % 2 == 0 ? keys : [.. keys.Reverse()];
                await store.CommitAsync([.. order.Select(k => RowWrite.Put(k, [(byte)c]))]);
            }
        }))));

        Assert.Equal([640L, 640L, 640L], (await first.ReadOwnerAsync(Table, owner)).Select(r => r.Version));
    }

    [Fact]
    public async Task CommitAsync_DatabaseUnreachable_EveryQueuedCommitFailsWithTheDriversException()
    {
        var port = FreePorts.Take(1)[0];
        await using var store = new PostgresRowStore($"Host=127.0.0.1;Port={port};Database=broker;Username=broker;Password=broker;Timeout=3", NullLogger<PostgresRowStore>.Instance, postgres.Metrics);
        var owner = NewOwner();

        var commits = Enumerable.Range(0, 5).Select(i => store.CommitAsync([RowWrite.Put(Key(owner, $"k{i}"), [1])])).ToArray();
        var errors = await Task.WhenAll(commits.Select(async c => await Record.ExceptionAsync(() => c)));
        var readError = await Record.ExceptionAsync(() => store.ReadAsync(Key(owner, "k0")));
        var pageError = await Record.ExceptionAsync(() => store.PageAsync(Table, owner, null, null, 10));

        Assert.All(errors, e => Assert.IsAssignableFrom<NpgsqlException>(e));
        Assert.All([readError, pageError], e => Assert.IsAssignableFrom<NpgsqlException>(e));
        Assert.IsAssignableFrom<DbException>(errors[0]);
    }

    [Fact]
    public async Task CommitAsync_InvalidWrite_FailsAloneWithArgumentException()
    {
        await using var store = Store();
        var owner = NewOwner();

        // Each of these would make PostgreSQL (or the driver's encoder) fail the whole flush it went in.
        var refused = new[]
        {
            store.CommitAsync([RowWrite.Put(Key(owner, "a\0b"), [1])]),
            store.CommitAsync([RowWrite.Put(Key(owner, "half \uD83D pair"), [1])]),
            store.CommitAsync([RowWrite.Put(Key(owner, "e"), [1], tag: new string('t', 3_000))]),
            store.CommitAsync([RowWrite.Put(Key(owner, "f"), [1]), new RowWrite(Key(owner, "c"), RowOp.Put, null, null, null)]),
        };
        var good = store.CommitAsync([RowWrite.Put(Key(owner, "d"), [1]), RowWrite.Put(Key(owner, "\U0001F600"), [1])]);

        foreach (var commit in refused)
        {
            await Assert.ThrowsAsync<ArgumentException>(() => commit);
        }

        await good;
        Assert.Equal(["d", "\U0001F600"], (await store.ReadOwnerAsync(Table, owner)).Select(r => r.Key.Key));
    }

    /// <summary>A figure for the record, not a limit: 64 committers of 3-row commits with 1, 2 and 4 flushes in flight.</summary>
    [Fact]
    public async Task CommitAsync_SixtyFourCommitters_ReportsCommitsPerSecond()
    {
        const int Committers = 64;
        const int CommitsEach = 40;
        foreach (var lanes in new[] { 1, 2, 4 })
        {
            await using var store = Store(lanes);
            var run = NewOwner();
            await store.CommitAsync([RowWrite.Put(Key(run, "warm-up"), [0])]);
            var flushes = store.Flushes;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, Committers).Select(c => Task.Run(async () =>
            {
                for (var version = 0L; version < CommitsEach; version++)
                {
                    await store.CommitAsync([.. Enumerable.Range(0, 3).Select(k => RowWrite.Put(Key($"{run}-{c}", $"r{k}"), new byte[200], "t", version))]);
                }
            })));
            var elapsed = clock.Elapsed;
            flushes = store.Flushes - flushes;

            const int Commits = Committers * CommitsEach;
            output.WriteLine($"{lanes} flush(es) in flight: {Commits / elapsed.TotalSeconds:F0} commits/s, {(double)Commits / flushes:F1} commits ({3.0 * Commits / flushes:F0} rows) per flush over {flushes} flushes");
            Assert.Equal([CommitsEach, CommitsEach, CommitsEach], (await store.ReadOwnerAsync(Table, $"{run}-{Committers - 1}")).Select(r => r.Version));
        }
    }

    private PostgresRowStore Store(int flushesInFlight = 1) => new(postgres.ConnectionString, NullLogger<PostgresRowStore>.Instance, postgres.Metrics, flushesInFlight);

    private static RowKey Key(string owner, string key) => new(Table, owner, key);

    private static string NewOwner() => Guid.NewGuid().ToString("N");

    private static async Task<string> Outcome(Task commit)
    {
        try
        {
            await commit;
            return "ok";
        }
        catch (RowConflictException conflict)
        {
            return $"conflict {conflict.Key}";
        }
    }

    /// <summary>1 to 4 writes on 4 keys, with every kind of expectation, now and then the same key twice.</summary>
    private static RowWrite[] RandomCommit(Random random, string owner) =>
        [.. Enumerable.Range(0, random.Next(1, 5)).Select(_ =>
        {
            var key = Key(owner, $"k{random.Next(4)}");
            long? expected = random.Next(3) switch { 0 => null, 1 => 0, _ => random.Next(1, 4) };
            return random.Next(4) == 0
                ? RowWrite.Delete(key, expected)
                : RowWrite.Put(key, [(byte)random.Next(256)], random.Next(2) == 0 ? null : "t", expected);
        })];

    /// <summary>The sizes recorded on broker.storage.batch_size while it listens.</summary>
    private sealed class BatchSizes : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<int> _recorded = [];

        public BatchSizes()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Broker" && instrument.Name == "broker.storage.batch_size")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<int>((_, size, _, _) =>
            {
                lock (_recorded)
                {
                    _recorded.Add(size);
                }
            });
            _listener.Start();
        }

        public int[] Recorded
        {
            get
            {
                lock (_recorded)
                {
                    return [.. _recorded];
                }
            }
        }

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>A transaction on its own connection that holds a lock the store's statements must wait for.</summary>
    private sealed class RowBlocker : IAsyncDisposable
    {
        private readonly string _connectionString;
        private readonly NpgsqlConnection _connection;
        private readonly NpgsqlTransaction _transaction;
        private readonly int _pid;

        private RowBlocker(string connectionString, NpgsqlConnection connection, NpgsqlTransaction transaction)
        {
            (_connectionString, _connection, _transaction) = (connectionString, connection, transaction);
            _pid = connection.ProcessID;
        }

        /// <summary>Locks an existing row, as a writer in another silo would.</summary>
        public static Task<RowBlocker> LockAsync(string connectionString, RowKey key) =>
            StartAsync(connectionString, "SELECT 1 FROM broker_rows WHERE tbl = $1 AND owner = $2 AND key = $3 FOR UPDATE", key);

        /// <summary>Inserts a row at version 1 and does not commit yet.</summary>
        public static Task<RowBlocker> InsertAsync(string connectionString, RowKey key) =>
            StartAsync(connectionString, "INSERT INTO broker_rows (tbl, owner, key, payload, version) VALUES ($1, $2, $3, '\\x01', 1)", key);

        /// <summary>Locks the whole table against reads too.</summary>
        public static Task<RowBlocker> LockTableAsync(string connectionString) =>
            StartAsync(connectionString, "LOCK TABLE broker_rows IN ACCESS EXCLUSIVE MODE", null);

        public Task WaitUntilSomeoneWaitsAsync(int waiting = 1) =>
            Eventually.ReturnsAsync(
                async () =>
                {
                    await using var probe = new NpgsqlConnection(_connectionString);
                    await probe.OpenAsync();
                    await using var query = new NpgsqlCommand("SELECT count(*)::int FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))", probe);
                    query.Parameters.Add(new NpgsqlParameter<int> { TypedValue = _pid });
                    return (int)(await query.ExecuteScalarAsync())!;
                },
                n => n >= waiting,
                $"{waiting} statement(s) wait for the blocking transaction");

        public async Task ReleaseAsync() => await _transaction.RollbackAsync();

        public async Task CommitAsync() => await _transaction.CommitAsync();

        public async ValueTask DisposeAsync()
        {
            await _transaction.DisposeAsync();
            await _connection.DisposeAsync();
        }

        private static async Task<RowBlocker> StartAsync(string connectionString, string sql, RowKey? key)
        {
            var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
            await connection.OpenAsync();
            var transaction = await connection.BeginTransactionAsync();
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            if (key is { } k)
            {
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = k.Table });
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = k.Owner });
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = k.Key });
            }

            await command.ExecuteNonQueryAsync();
            return new RowBlocker(connectionString, connection, transaction);
        }
    }
}

/// <summary>Starts PostgreSQL when it is not running (and stops it after), and gives the connection string.</summary>
public sealed class PostgresRowStoreFixture : IAsyncLifetime
{
    // The stores' instruments, as a silo's container makes them.
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().AddSingleton<CapacityDirectory>().AddSingleton<BrokerMetrics>().BuildServiceProvider();
    private bool _startedPostgres;

    public string ConnectionString { get; private set; } = "";

    public BrokerMetrics Metrics => _services.GetRequiredService<BrokerMetrics>();

    public async Task InitializeAsync()
    {
        _startedPostgres = (await Shell.RunAsync(RepoPaths.PgScript, "status")).ExitCode != 0;
        await Shell.RunOrThrowAsync(RepoPaths.PgScript, "up");
        ConnectionString = await Shell.RunOrThrowAsync(RepoPaths.PgScript, "url") + ";Timeout=5;Command Timeout=30";
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        if (_startedPostgres)
        {
            await Shell.RunAsync(RepoPaths.PgScript, "down");
        }
    }
}

/// <summary>Runs alone, after the parallel collections: the cluster tests stop and start the same server.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PostgresRowStoreCollection : ICollectionFixture<PostgresRowStoreFixture>
{
    public const string Name = "postgres-row-store";
}
