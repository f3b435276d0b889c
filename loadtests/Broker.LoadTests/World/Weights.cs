namespace Broker.LoadTests.World;

/// <summary>Bogus' weighted pick expects weights that sum to 1: raw rates or sizes would make it pick the first item nearly always.</summary>
public static class Weights
{
    public static float[] Normalised(IEnumerable<double> weights)
    {
        var all = weights.ToArray();
        var sum = all.Sum();
        return all.Select(w => (float)(w / sum)).ToArray();
    }
}
