namespace Broker;

/// <summary>
/// A shard number from a key that is the same in every process and every run (unlike
/// <see cref="string.GetHashCode()"/>, which .NET randomises per process): FNV-1a over the UTF-16 code units.
/// </summary>
public static class StableShard
{
    public static int Of(string key, int shards)
    {
        var hash = 2166136261u;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % (uint)shards);
    }
}
