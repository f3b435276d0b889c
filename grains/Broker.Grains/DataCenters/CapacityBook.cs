using Broker.DataCenters;
using Broker.Domain;
using Broker.Federation;
using Broker.Grains.Time;
using Broker.Requests;
using Broker.Reservations;

namespace Broker.Grains.DataCenters;

/// <summary>
/// The capacity arithmetic of one data center, free of Orleans so it can be tested alone: pools,
/// durable allocations, short-lived holds and reservations for windows ahead. Every grant checks
/// <c>allocated + held + headroom ≤ floor(total × ratio)</c> (high priority may use the headroom), and time-aware:
/// whatever a grant holds until some moment, plus the most that reservations book at any moment before it, fits; a
/// reservation fits beside every allocation whose lease reaches into its window. So at every moment ahead, allocations
/// then live plus holds plus reservations then booked stay within the pool, and a reservation's start never lacks room.
/// </summary>
internal sealed class CapacityBook
{
    private readonly Dictionary<string, PoolDefinition> _pools = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredAllocation> _allocations = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, Hold> _holds = [];
    private readonly Dictionary<string, long> _allocated = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _held = new(StringComparer.Ordinal);

    // Due-time orders: what ends next is at the head, so purging costs what ended, never a pass over all.
    // Entries are not removed when a hold is confirmed or a lease renewed; a stale one is skipped when it comes up.
    private readonly PriorityQueue<Guid, DateTimeOffset> _holdEnds = new();
    private readonly PriorityQueue<string, DateTimeOffset> _leaseEnds = new();

    // Leases that ran out: no longer counted, kept until their request has recorded the end and releases them.
    private readonly Dictionary<string, StoredAllocation> _ended = new(StringComparer.Ordinal);

    // Allocations not yet acknowledged by their request, with the check round in which this book learned of them.
    private readonly Dictionary<string, long> _unacknowledged = new(StringComparer.Ordinal);
    private long _checkRound;

    // Allocations changed since the last TakeChanges: what the next write stores (null: removed).
    private readonly Dictionary<string, StoredAllocation?> _changes = new(StringComparer.Ordinal);

    // Told of every allocation that becomes or stops being live, while counting (a silo's running count of them).
    private Action<int>? _liveCount;

    // Reservations booked here for windows ahead (rows with a start), by reservation id, and their starts in due order.
    private readonly Dictionary<string, StoredAllocation> _reserved = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, DateTimeOffset> _starts = new();

    // Per class: what reservations book over time, and live allocations' units by the day their lease ends — what a
    // window is checked against, without a pass over the allocations.
    private readonly Dictionary<string, ReservedTimeline> _bookedAhead = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LeaseEndDays> _leaseEndDays = new(StringComparer.Ordinal);

    // Reservations turned into their request's allocation since the last TakeStarted.
    private List<(string Reservation, string Request)>? _started;

    // When this book last ended what was due: the start of every window a grant is checked over.
    private DateTimeOffset _now = DateTimeOffset.MinValue;

    public CapacityBook(IEnumerable<PoolDefinition> pools, IEnumerable<KeyValuePair<string, StoredAllocation>> allocations)
    {
        foreach (var pool in pools)
        {
            _pools[pool.Resource] = pool;
        }

        foreach (var (key, allocation) in allocations)
        {
            if (allocation.Start is not null)
            {
                Book(key, allocation);
            }
            else
            {
                _allocations[key] = allocation;
                _leaseEnds.Enqueue(key, allocation.LeaseExpiresAt);
                Count(allocation, +1);
            }

            if (!allocation.Acknowledged)
            {
                _unacknowledged[key] = _checkRound;
            }
        }
    }

    /// <summary>Reservations booked here whose window has not begun.</summary>
    public int ReservedCount => _reserved.Count;

    /// <summary>Live allocations (their leases have not ended).</summary>
    public IReadOnlyDictionary<string, StoredAllocation> Allocations => _allocations;

    /// <summary>Allocations whose lease ended and whose request has not released them yet.</summary>
    public IReadOnlyDictionary<string, StoredAllocation> Ended => _ended;

    public int HoldCount => _holds.Count;

    /// <summary>Entries in the lease order, stale ones included: bounded by the live allocations, not by the history.</summary>
    public int ScheduledLeaseEnds => _leaseEnds.Count;

    public IEnumerable<PoolDefinition> Pools => _pools.Values;

    /// <summary>When the next hold or lease ends, if any does.</summary>
    public DateTimeOffset? NextEnd
    {
        get
        {
            var hold = _holdEnds.TryPeek(out _, out var holdEnd) ? holdEnd : (DateTimeOffset?)null;
            var lease = _leaseEnds.TryPeek(out _, out var leaseEnd) ? leaseEnd : (DateTimeOffset?)null;
            var start = _starts.TryPeek(out _, out var starts) ? starts : (DateTimeOffset?)null;
            return new[] { hold, lease, start }.Where(t => t is not null).Min();
        }
    }

    public static long CapacityOf(PoolDefinition pool) => (long)Math.Floor(pool.Total * pool.AllocationRatio);

    /// <summary>
    /// Drops holds and ends leases that are due. Returns the requests whose lease ended now: their capacity is back,
    /// their record stays (in <see cref="Ended"/>) until the request releases it.
    /// </summary>
    public IReadOnlyList<string> PurgeExpired(DateTimeOffset now)
    {
        _now = now > _now ? now : _now;
        while (_holdEnds.TryPeek(out var holdId, out var due) && due <= now)
        {
            _holdEnds.Dequeue();
            CancelHold(holdId);
        }

        // Before lease ends: a window that began and ended while nobody ran this data center starts, then ends.
        while (_starts.TryPeek(out var reservationId, out var due) && due <= now)
        {
            _starts.Dequeue();
            if (_reserved.TryGetValue(reservationId, out var reserved) && reserved.Start == due)
            {
                Start(reservationId, reserved);
            }
        }

        List<string>? ended = null;
        while (_leaseEnds.TryPeek(out var requestId, out var due) && due <= now)
        {
            _leaseEnds.Dequeue();
            if (_allocations.TryGetValue(requestId, out var allocation) && allocation.LeaseExpiresAt == due)
            {
                _allocations.Remove(requestId);
                Count(allocation, -1);
                _liveCount?.Invoke(-1);
                _ended[requestId] = allocation;
                (ended ??= []).Add(requestId);
            }
        }

        CompactLeaseEnds();
        return ended ?? (IReadOnlyList<string>)[];
    }

    /// <summary>
    /// Released and renewed allocations leave entries behind that would only go when their old due time comes (up to
    /// a year): once stale entries outnumber live ones the order is rebuilt, so its size follows the live allocations,
    /// not the history, at an amortised constant cost per change.
    /// </summary>
    private void CompactLeaseEnds()
    {
        if (_leaseEnds.Count <= (2 * _allocations.Count) + 1024)
        {
            return;
        }

        _leaseEnds.Clear();
        foreach (var (requestId, allocation) in _allocations)
        {
            _leaseEnds.Enqueue(requestId, allocation.LeaseExpiresAt);
        }
    }

    public bool HasChanges => _changes.Count > 0;

    /// <summary>
    /// From now on tells <paramref name="count"/> of every allocation that becomes live or stops being live, beginning
    /// with those live now: a running count kept where allocations are made and ended, never a pass over them.
    /// </summary>
    public void CountLiveIn(Action<int> count)
    {
        StopCounting();
        _liveCount = count;
        count(_allocations.Count);
    }

    /// <summary>Takes this book's live allocations out of the count it tells (its grain leaves the silo) and stops telling it.</summary>
    public void StopCounting()
    {
        _liveCount?.Invoke(-_allocations.Count);
        _liveCount = null;
    }

    /// <summary>The allocations changed since the last call, for one write: each request's row, or null where it went.</summary>
    public KeyValuePair<string, StoredAllocation?>[] TakeChanges()
    {
        var changes = _changes.ToArray();
        _changes.Clear();
        return changes;
    }

    /// <summary>Holds what the request asks for, or says why not. Nothing is held unless everything fits.</summary>
    public (Hold? Hold, string? DeclineReason) TryHold(HoldRequest request, DateTimeOffset expiresAt)
    {
        if (_allocations.TryGetValue(request.RequestId, out var existing) && existing.Attempt != request.Attempt)
        {
            return (null, DeclineReasons.NegotiatedElsewhere);
        }

        // Held until its lease would end, and at least until the hold itself ends.
        var until = request.Until is { } lease && lease > expiresAt ? lease : request.Until is null ? DateTimeOffset.MaxValue : expiresAt;
        var (granted, reason) = Grant(request, until);
        if (granted is null)
        {
            return (null, reason);
        }

        var hold = new Hold(Guid.NewGuid(), request.RequestId, request.Attempt, granted, expiresAt, until);
        _holds[hold.Id] = hold;
        _holdEnds.Enqueue(hold.Id, expiresAt);
        Add(_held, hold.Items, +1);
        return (hold, null);
    }

    /// <summary>What the pools can grant of the request's items now, to hold until <paramref name="until"/> (all or nothing), or why not.</summary>
    private (RequestItem[]? Granted, string? DeclineReason) Grant(HoldRequest request, DateTimeOffset until)
    {
        var granted = new RequestItem[request.Items.Length];
        for (var i = 0; i < request.Items.Length; i++)
        {
            var item = request.Items[i];
            if (!_pools.TryGetValue(item.Resource, out var pool))
            {
                return (null, DeclineReasons.ResourceNotOffered);
            }

            var freeNow = Free(pool, request.Priority);
            var free = Math.Max(0, freeNow - BookedAhead(item.Resource, _now, until));
            var partial = request.AllowPartialStorage && ResourceClasses.IsStorage(item.Resource);
            var amount = partial ? LargestAcceptable(pool, Math.Min(item.Amount, free)) : item.Amount;
            if (!partial && !Accepts(pool, amount))
            {
                return (null, DeclineReasons.UnitMismatch);
            }

            if (amount <= 0 || amount > free)
            {
                // Say whether reservations or other requests' holds (which end within a round) are in the way.
                var freeWithoutHolds = free + _held.GetValueOrDefault(item.Resource);
                return (null, item.Amount <= freeNow && item.Amount > free ? DeclineReasons.CapacityReserved
                    : item.Amount <= freeWithoutHolds ? DeclineReasons.CapacityHeld : DeclineReasons.InsufficientCapacity);
            }

            // The pool's own string for the class: a million allocations share it instead of each keeping a copy.
            granted[i] = new RequestItem(pool.Resource, amount);
        }

        return (granted, null);
    }

    public decimal PriceOf(string resource) => _pools[resource].PricePerUnitHour;

    /// <summary>The highest utilisation among the given pools, 0..1.</summary>
    public double UtilisationOf(IEnumerable<string> resources) =>
        resources.Select(r => Utilisation(_pools[r])).DefaultIfEmpty(0).Max();

    /// <summary>
    /// Turns a live hold into an allocation. True also when the same negotiation already holds a live allocation here
    /// (a retry, or a recovery after a crash): it keeps that one, with the lease now asked for, and the hold is given
    /// back. False when another negotiation of the request holds it — two activations of one request during a
    /// membership change: neither may take over, or give back, what the other confirmed.
    /// </summary>
    public bool Confirm(Guid holdId, string requestId, Guid attempt, DateTimeOffset leaseExpiresAt)
    {
        if (!_holds.Remove(holdId, out var hold))
        {
            return _allocations.TryGetValue(requestId, out var confirmed) && confirmed.Attempt == attempt;
        }

        Add(_held, hold.Items, -1);
        if (hold.RequestId != requestId || hold.Attempt != attempt || leaseExpiresAt > hold.Until)
        {
            // A lease longer than the hold was checked for could take capacity reserved after it.
            return false;
        }

        if (_allocations.TryGetValue(requestId, out var existing))
        {
            if (existing.Attempt != attempt)
            {
                return false;
            }

            if (existing.LeaseExpiresAt != leaseExpiresAt)
            {
                Renew(requestId, leaseExpiresAt);
            }

            _unacknowledged[requestId] = _checkRound;
            return true;
        }

        // An allocation whose lease already ended here is not taken up again: the hold's capacity is allocated afresh.
        Release(requestId);
        Allocate(requestId, new StoredAllocation(hold.Items, leaseExpiresAt, Attempt: attempt));
        return true;
    }

    /// <summary>
    /// Hold and confirm in one step, for a request sure enough of this data center to skip the offer: the same checks
    /// as a hold, nothing allocated unless everything fits. A retry of the same negotiation answers as before; another
    /// negotiation of the request is told it is negotiated elsewhere.
    /// </summary>
    public (StoredAllocation? Allocation, string? DeclineReason) TryAllocate(HoldRequest request, DateTimeOffset leaseExpiresAt)
    {
        if (_allocations.TryGetValue(request.RequestId, out var existing))
        {
            if (existing.Attempt != request.Attempt)
            {
                return (null, DeclineReasons.NegotiatedElsewhere);
            }

            // A retry, or a resumed negotiation: the allocation is its again, with the lease it now asks for, and gets a
            // whole check round before anyone asks whether it is wanted.
            if (existing.LeaseExpiresAt != leaseExpiresAt)
            {
                Renew(request.RequestId, leaseExpiresAt);
            }

            _unacknowledged[request.RequestId] = _checkRound;
            return (_allocations[request.RequestId], null);
        }

        // An allocation whose lease already ended here is not handed out again: its capacity is back, it is granted afresh.
        Release(request.RequestId);

        var (granted, reason) = Grant(request, leaseExpiresAt);
        if (granted is null)
        {
            return (null, reason);
        }

        var allocation = new StoredAllocation(granted, leaseExpiresAt, Attempt: request.Attempt);
        Allocate(request.RequestId, allocation);
        return (allocation, null);
    }

    /// <summary>The request has recorded the allocation as its decision: stored with the next write, no write of its own.</summary>
    public void Acknowledge(string requestId)
    {
        if (!_unacknowledged.Remove(requestId))
        {
            return;
        }

        if (_allocations.TryGetValue(requestId, out var live))
        {
            _allocations[requestId] = live with { Acknowledged = true };
            _changes[requestId] = _allocations[requestId];
        }
        else if (_ended.TryGetValue(requestId, out var ended))
        {
            _ended[requestId] = ended with { Acknowledged = true };
            _changes[requestId] = _ended[requestId];
        }
        else if (_reserved.TryGetValue(requestId, out var reserved))
        {
            _reserved[requestId] = reserved with { Acknowledged = true };
            _changes[requestId] = _reserved[requestId];
        }
    }

    /// <summary>
    /// Starts a check round and returns the allocations still unacknowledged from before the previous round: their
    /// request had at least a whole round to decide, so it is asked whether it still wants them. Rounds, not clock
    /// time: the broker's clock may be moved by tests, the check's pace is the grain timer's.
    /// </summary>
    public IReadOnlyList<(string RequestId, long Round)> NextCheckRound()
    {
        _checkRound++;
        return _unacknowledged.Count == 0 ? [] : _unacknowledged.Where(u => u.Value <= _checkRound - 2).Select(u => (u.Key, u.Value)).ToArray();
    }

    /// <summary>
    /// Releases an allocation its request said it does not want — unless it was handed out again since the question
    /// was asked (its round moved on): then the request's retry holds it now.
    /// </summary>
    public bool ReleaseUnwanted(string requestId, long askedInRound) =>
        _unacknowledged.TryGetValue(requestId, out var round) && round == askedInRound && Release(requestId);

    private void Allocate(string requestId, StoredAllocation allocation)
    {
        _unacknowledged[requestId] = _checkRound;
        _allocations[requestId] = allocation;
        _leaseEnds.Enqueue(requestId, allocation.LeaseExpiresAt);
        Count(allocation, +1);
        _liveCount?.Invoke(+1);
        _changes[requestId] = allocation;
    }

    public bool CancelHold(Guid holdId)
    {
        if (!_holds.Remove(holdId, out var hold))
        {
            return false;
        }

        Add(_held, hold.Items, -1);
        return true;
    }

    /// <summary>
    /// Removes the allocation one negotiation confirmed here, live or ended, when it gives up on it; false when there is
    /// none, or when the allocation here is another negotiation's (that one decides about its own).
    /// </summary>
    public bool Abandon(string requestId, Guid attempt) =>
        (_allocations.TryGetValue(requestId, out var live) ? live.Attempt == attempt
            : _ended.TryGetValue(requestId, out var ended) ? ended.Attempt == attempt
            : _reserved.TryGetValue(requestId, out var reserved) && reserved.Attempt == attempt)
        && Release(requestId);

    /// <summary>Removes the request's allocation, live or ended; false when there is none.</summary>
    public bool Release(string requestId)
    {
        _unacknowledged.Remove(requestId);
        if (_allocations.Remove(requestId, out var allocation))
        {
            Count(allocation, -1);
            _liveCount?.Invoke(-1);
        }
        else if (_reserved.Remove(requestId, out var reserved))
        {
            BookAhead(reserved, -1);
        }
        else if (!_ended.Remove(requestId))
        {
            return false;
        }

        _changes[requestId] = null;
        return true;
    }

    /// <summary>Moves a live allocation's lease end; false when there is none (or its lease has ended).</summary>
    public bool Renew(string requestId, DateTimeOffset leaseExpiresAt)
    {
        if (!_allocations.TryGetValue(requestId, out var allocation))
        {
            return false;
        }

        var renewed = allocation with { LeaseExpiresAt = leaseExpiresAt };
        CountLeaseEnd(allocation, -1);
        CountLeaseEnd(renewed, +1);
        _allocations[requestId] = renewed;
        _leaseEnds.Enqueue(requestId, leaseExpiresAt);
        _changes[requestId] = renewed;
        return true;
    }

    /// <summary>
    /// Moves a live allocation's lease end later (or earlier) unless the longer lease would overlap a reserved window
    /// without room for it: the allocations whose lease reaches past the old end, the holds, the most booked at any
    /// moment of the extension and this one must fit.
    /// </summary>
    public LeaseExtension TryExtend(string requestId, DateTimeOffset leaseExpiresAt)
    {
        if (!_allocations.TryGetValue(requestId, out var allocation))
        {
            return LeaseExtension.NotHeld;
        }

        var from = allocation.LeaseExpiresAt > _now ? allocation.LeaseExpiresAt : _now;
        foreach (var item in leaseExpiresAt > from ? allocation.Items : [])
        {
            if (!_bookedAhead.TryGetValue(item.Resource, out var booked) || booked.IsEmpty || Pool(item.Resource) is not { } pool)
            {
                continue;
            }

            var others = HeldOnOrAfter(item.Resource, from) - item.Amount;
            if (others + _held.GetValueOrDefault(item.Resource) + booked.Most(from, leaseExpiresAt) + item.Amount > Limit(pool, Priority.Normal))
            {
                return LeaseExtension.CapacityReserved;
            }
        }

        Renew(requestId, leaseExpiresAt);
        return LeaseExtension.Extended;
    }

    /// <summary>
    /// Books a reservation's window, all items or none: at every moment of [start, end) the allocations whose lease
    /// reaches into it (to the day, on the safe side), the holds, the most other reservations book and this one fit.
    /// Stored with the next write, unacknowledged until the reservation has stored its decision. A retry of the same
    /// booking answers as before.
    /// </summary>
    public (StoredAllocation? Booked, string? DeclineReason) TryReserve(ReservationAsk ask)
    {
        if (_reserved.TryGetValue(ask.ReservationId, out var existing))
        {
            return existing.Attempt == ask.Attempt ? (existing, null) : (null, DeclineReasons.NegotiatedElsewhere);
        }

        if (ask.Start <= _now)
        {
            return (null, DeclineReasons.WindowStarted);
        }

        var booked = new RequestItem[ask.Items.Length];
        for (var i = 0; i < ask.Items.Length; i++)
        {
            var item = ask.Items[i];
            if (!_pools.TryGetValue(item.Resource, out var pool))
            {
                return (null, DeclineReasons.ResourceNotOffered);
            }

            if (!Accepts(pool, item.Amount))
            {
                return (null, DeclineReasons.UnitMismatch);
            }

            var inWindow = HeldOnOrAfter(item.Resource, ask.Start) + _held.GetValueOrDefault(item.Resource) + BookedAhead(item.Resource, ask.Start, ask.End);
            if (inWindow + item.Amount > Limit(pool, ask.Priority))
            {
                return (null, DeclineReasons.InsufficientCapacity);
            }

            booked[i] = new RequestItem(pool.Resource, item.Amount);
        }

        var reservation = new StoredAllocation(booked, ask.End, Attempt: ask.Attempt) { Start = ask.Start };
        Book(ask.ReservationId, reservation);
        _unacknowledged[ask.ReservationId] = _checkRound;
        _changes[ask.ReservationId] = reservation;
        return (reservation, null);
    }

    /// <summary>The earliest start of a reservation booked here whose window has not begun (stale entries of cancelled ones are dropped).</summary>
    public DateTimeOffset? NextStart()
    {
        while (_starts.TryPeek(out var reservationId, out var due))
        {
            if (_reserved.TryGetValue(reservationId, out var reserved) && reserved.Start == due)
            {
                return due;
            }

            _starts.Dequeue();
        }

        return null;
    }

    /// <summary>
    /// The reservation an ended allocation was made from while its request has not recorded it yet (the window began and
    /// ended before the reservation heard of its start, say while nobody ran this data center): the reservation's to
    /// record as its request, not the request's (which knows nothing of it) to give back.
    /// </summary>
    public string? UnrecordedReservationOf(string requestId) =>
        _unacknowledged.ContainsKey(requestId) && _ended.TryGetValue(requestId, out var ended) ? ended.Reservation : null;

    /// <summary>Whether the request's allocation made from a reservation is held here (live or ended, not yet released).</summary>
    public bool Holds(string requestId) => _allocations.ContainsKey(requestId) || _ended.ContainsKey(requestId);

    /// <summary>The reservation a row stands for: its own key while booked, the one it was made from once started, or none.</summary>
    public string? ReservationOf(string key) =>
        ReservationIds.IsReservation(key) ? key
        : (_allocations.GetValueOrDefault(key) ?? _ended.GetValueOrDefault(key))?.Reservation;

    /// <summary>The reservations turned into their request's allocation since the last call (each request is told).</summary>
    public IReadOnlyList<(string Reservation, string Request)> TakeStarted()
    {
        var started = _started ?? (IReadOnlyList<(string, string)>)[];
        _started = null;
        return started;
    }

    private void Book(string reservationId, StoredAllocation reservation)
    {
        _reserved[reservationId] = reservation;
        _starts.Enqueue(reservationId, reservation.Start!.Value);
        BookAhead(reservation, +1);
    }

    /// <summary>
    /// A reservation's start: its booking becomes its request's allocation, until the window's end, in the same write
    /// (the booking's row goes, the allocation's comes), unacknowledged until the request has recorded it. Its capacity
    /// was kept free for this moment, so nothing is checked.
    /// </summary>
    private void Start(string reservationId, StoredAllocation reservation)
    {
        _reserved.Remove(reservationId);
        BookAhead(reservation, -1);
        _changes[reservationId] = null;
        _unacknowledged.Remove(reservationId);
        var requestId = ReservationIds.RequestOf(reservationId);
        if (!_allocations.ContainsKey(requestId) && !_ended.ContainsKey(requestId))
        {
            Allocate(requestId, reservation with { Start = null, Acknowledged = false, Reservation = reservationId });
            (_started ??= []).Add((reservationId, requestId));
        }
    }

    private void BookAhead(StoredAllocation reservation, int sign)
    {
        foreach (var item in reservation.Items)
        {
            if (!_bookedAhead.TryGetValue(item.Resource, out var timeline))
            {
                _bookedAhead[item.Resource] = timeline = new ReservedTimeline();
            }

            timeline.Add(reservation.Start!.Value, reservation.LeaseExpiresAt, item.Amount, sign);
        }
    }

    /// <summary>The most units of a class reservations book at any moment of [from, to).</summary>
    private long BookedAhead(string resource, DateTimeOffset from, DateTimeOffset to) =>
        _bookedAhead.TryGetValue(resource, out var timeline) ? timeline.Most(from, to) : 0;

    private long HeldOnOrAfter(string resource, DateTimeOffset at) =>
        _leaseEndDays.TryGetValue(resource, out var days) ? days.HeldOnOrAfter(at) : 0;

    /// <summary>An allocation becomes (+1) or stops being (−1) live: its units counted now and by the day its lease ends.</summary>
    private void Count(StoredAllocation allocation, int sign)
    {
        Add(_allocated, allocation.Items, sign);
        CountLeaseEnd(allocation, sign);
    }

    private void CountLeaseEnd(StoredAllocation allocation, int sign)
    {
        foreach (var item in allocation.Items)
        {
            if (!_leaseEndDays.TryGetValue(item.Resource, out var days))
            {
                _leaseEndDays[item.Resource] = days = new LeaseEndDays();
            }

            days.Add(allocation.LeaseExpiresAt, item.Amount, sign);
        }
    }

    /// <summary>Allocated plus held units of a class.</summary>
    public long InUse(string resource) => _allocated.GetValueOrDefault(resource) + _held.GetValueOrDefault(resource);

    /// <summary>
    /// What a pool change may not go below: allocated and held units, and the most reservations book at any moment ahead
    /// (a start never checks again, so the pool must still have room for it).
    /// </summary>
    public long PromisedAtMost(string resource) => InUse(resource) + BookedAhead(resource, _now, DateTimeOffset.MaxValue);

    public bool HasPool(string resource) => _pools.ContainsKey(resource);

    public void SetPool(PoolDefinition pool) => _pools[pool.Resource] = pool;

    public PoolDefinition? Pool(string resource) => _pools.GetValueOrDefault(resource);

    public PoolSummary Summarise(PoolDefinition pool) => SummaryOf(pool, _allocated.GetValueOrDefault(pool.Resource), _held.GetValueOrDefault(pool.Resource));

    /// <summary>A pool as the directory and the capacity endpoints show it, with what is allocated and held of it.</summary>
    public static PoolSummary SummaryOf(PoolDefinition pool, long allocated, long held) => new()
    {
        Resource = pool.Resource,
        Total = pool.Total,
        Capacity = CapacityOf(pool),
        Headroom = pool.Headroom,
        Allocated = allocated,
        Held = held,
        MinUnit = pool.MinUnit,
        MaxUnit = pool.MaxUnit,
        Step = pool.Step,
        PricePerUnitHour = pool.PricePerUnitHour,
        AllocationRatio = pool.AllocationRatio,
    };

    private static bool Accepts(PoolDefinition pool, long amount) =>
        amount >= pool.MinUnit && amount <= pool.MaxUnit && amount % pool.Step == 0;

    /// <summary>The largest amount ≤ <paramref name="limit"/> the pool's unit rules admit, or 0.</summary>
    private static long LargestAcceptable(PoolDefinition pool, long limit)
    {
        var amount = Math.Min(limit, pool.MaxUnit);
        amount -= amount % pool.Step;
        return amount >= pool.MinUnit ? amount : 0;
    }

    private long Free(PoolDefinition pool, Priority priority) => Math.Max(0, Limit(pool, priority) - InUse(pool.Resource));

    /// <summary>What a pool may give a request of this priority at most: only high priority may use the headroom.</summary>
    private static long Limit(PoolDefinition pool, Priority priority) => CapacityOf(pool) - (priority == Priority.High ? 0 : pool.Headroom);

    private double Utilisation(PoolDefinition pool)
    {
        var capacity = CapacityOf(pool);
        return capacity == 0 ? 1.0 : (double)InUse(pool.Resource) / capacity;
    }

    private static void Add(Dictionary<string, long> totals, RequestItem[] items, int sign)
    {
        foreach (var item in items)
        {
            totals[item.Resource] = totals.GetValueOrDefault(item.Resource) + (sign * item.Amount);
        }
    }
}

/// <summary>
/// A hold: capacity set aside for one negotiation of a request until it confirms, cancels or the hold ends; checked
/// against the reservations ahead up to <see cref="Until"/>, the lease end it may be confirmed with at most.
/// </summary>
internal sealed record Hold(Guid Id, string RequestId, Guid Attempt, RequestItem[] Items, DateTimeOffset ExpiresAt, DateTimeOffset Until);

/// <summary>A confirmed allocation as the data center persists it.</summary>
/// <remarks>
/// <see cref="Acknowledged"/>: the request has durably recorded this allocation as its decision. Until then the data
/// center may have to ask the request whether it still wants it (its grain may have died before deciding).
/// <see cref="Attempt"/>: the negotiation that confirmed it; only that one may give it back before a decision.
/// A reservation's booking is a row of its own (keyed by the reservation) with a <see cref="Start"/>: its window is
/// [start, <see cref="LeaseExpiresAt"/>); at start it becomes the allocation of the reservation's request, which names
/// the <see cref="Reservation"/> it was made from.
/// </remarks>
[GenerateSerializer, Immutable, Alias("broker.stored-allocation")]
public sealed record StoredAllocation(
    [property: Id(0)] RequestItem[] Items,
    [property: Id(1)] DateTimeOffset LeaseExpiresAt,
    [property: Id(2)] bool Acknowledged = false,
    [property: Id(3)] Guid Attempt = default)
{
    [Id(4)] public DateTimeOffset? Start { get; init; }

    [Id(5)] public string? Reservation { get; init; }
}
