using Broker.DataCenters;
using Broker.Domain;
using Broker.Requests;

namespace Broker.Grains.Requests;

/// <summary>
/// The request a reservation becomes at its start: recorded allocated where the reservation booked, from the window's
/// start (its charges count from there) until its end, with the quota the reservation held handed on. From then on it
/// is an ordinary request — renewed, released, moved by a drain, ended by its data center's schedule at the window's end.
/// </summary>
public sealed partial class RequestGrain
{
    public async Task<RequestSnapshot?> AdoptAsync(AdoptCommand command)
    {
        await AwaitNegotiationAsync();
        if (_record.State == RequestState.None)
        {
            _record = new RequestRecord
            {
                State = RequestState.Allocated,
                Tenant = command.Tenant,
                HomeProvider = command.HomeProvider,
                SubmittedBy = command.By,
                Spec = command.Spec,
                CreatedAt = command.Start,
                DecidedAt = command.Start,
                LeaseExpiresAt = command.End,
                Allocation = command.Allocation,
                QuotaHeld = command.QuotaHeld,
                Trace = command.Allocation.Parts.Select(p => p.DataCenter).Distinct(StringComparer.Ordinal)
                    .Select(dc => new TraceEntry(dc, command.Allocation.Provider, TraceOutcome.Won, $"reserved by {command.Reservation}", null)).ToArray(),
            };
            Audit.Add(RequestAuditEvents.Decided(Id, _record));
            await _commit.CommitAsync();
            _decided.TrySetResult();
        }
        else
        {
            await CatchUpAsync();
        }

        if (_record.State == RequestState.Allocated)
        {
            foreach (var dataCenter in DataCentersOfAllocation())
            {
                GrainFactory.Reference<IDataCenterGrain>(dataCenter).AcknowledgeAsync(Id).Ignore();
            }
        }

        await Audit.SendAsync();
        return _saved;
    }
}
