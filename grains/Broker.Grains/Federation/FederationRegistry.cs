using Broker.Federation;

namespace Broker.Grains.Federation;

/// <summary>
/// This silo's copy of the federation: swapped whole when a newer version arrives, read without locks
/// on every request (tokens, tenants, contracts, known resource classes).
/// </summary>
public sealed class FederationRegistry
{
    private FederationView _current = FederationView.Empty;

    public FederationView Current => Volatile.Read(ref _current);

    /// <summary>Takes <paramref name="federation"/> if it is newer than what this silo has.</summary>
    public void Apply(VersionedFederation federation)
    {
        var current = Current;
        while (federation.Version > current.Version)
        {
            var next = new FederationView(federation.Version, federation.Document);
            var seen = Interlocked.CompareExchange(ref _current, next, current);
            if (ReferenceEquals(seen, current))
            {
                return;
            }

            current = seen;
        }
    }
}
