namespace Broker.Grains.Directory;

/// <summary>
/// Whether this silo has loaded the federation once. A silo is active in the cluster, and hosts new grains, a moment
/// before its first refresh: a request negotiated there before then would see an empty federation and be answered
/// <c>unsatisfiable</c>. Until the load a negotiation fails as a fault instead. (The capacity directory may still be
/// filling: data centers it has not seen are asked directly.)
/// </summary>
public sealed class ClusterViewLoad
{
    private volatile bool _loaded;

    public bool IsLoaded => _loaded;

    public void MarkLoaded() => _loaded = true;
}
