namespace Broker;

/// <summary>
/// Grain references without Orleans 10.4's per-call type resolution: <c>IGrainFactory.GetGrain&lt;T&gt;(key)</c>
/// resolves the interface's grain type through attribute reflection and type-name formatting on every call, which
/// measured about a tenth of the broker's CPU on its hot path. Here each interface is resolved once (the answer is
/// fixed for the process: the same grain classes in every silo), then a reference is built from its id directly.
/// </summary>
public static class GrainReferences
{
    public static T Reference<T>(this IGrainFactory grains, string key)
        where T : IGrainWithStringKey
    {
        var (type, interfaceType) = Resolved<T>.Of(grains, static g => g.GetGrain<T>("resolve"));
        return (T)grains.GetGrain(GrainId.Create(type, IdSpan.Create(key)), interfaceType);
    }

    public static T Reference<T>(this IGrainFactory grains, long key)
        where T : IGrainWithIntegerKey
    {
        var (type, interfaceType) = Resolved<T>.Of(grains, static g => g.GetGrain<T>(0));
        return (T)grains.GetGrain(GrainId.Create(type, GrainIdKeyExtensions.CreateIntegerKey(key)), interfaceType);
    }

    // Per interface, computed once from one reference made the ordinary way; a race computes the same value twice.
    private static class Resolved<T>
        where T : IAddressable
    {
        private static (GrainType, GrainInterfaceType)? _types;

        public static (GrainType Type, GrainInterfaceType InterfaceType) Of(IGrainFactory grains, Func<IGrainFactory, T> probe)
        {
            if (_types is { } known)
            {
                return known;
            }

            var reference = (GrainReference)(object)probe(grains);
            var types = (reference.GrainId.Type, reference.InterfaceType);
            _types = types;
            return types;
        }
    }
}
