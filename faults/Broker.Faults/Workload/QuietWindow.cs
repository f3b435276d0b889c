namespace Broker.Faults.Workload;

/// <summary>
/// The stretch after the workload in which the final state is read: no lease the clients ask for ends inside it
/// (such a lease is asked for a day instead), so that requests, pools, bills and the trail read one after the
/// other describe the same moment. Leases still end by the hundreds during the run itself.
/// </summary>
public sealed record QuietWindow(DateTimeOffset From, DateTimeOffset Until)
{
    public const string Long = "P1D";

    public string Lease(string lease, DateTimeOffset now)
    {
        var ends = now + System.Xml.XmlConvert.ToTimeSpan(lease);
        return ends >= From && ends <= Until ? Long : lease;
    }
}
