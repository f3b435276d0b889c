using System.Security.Cryptography;

namespace Broker.Faults.Lab;

/// <summary>
/// A small network of this run's own: a bridge on the host with one address, and one network namespace per
/// silo joined to it by a veth pair. Every silo has its own address, so it can be cut off from the others,
/// from PostgreSQL (which listens on the bridge) and from the clients at once, by taking its link down —
/// a partition as a switch failure would make it. All names carry the run's id, so nothing else is touched.
/// </summary>
public sealed class NetworkLab : IAsyncDisposable
{
    private readonly string _id;
    private readonly int _nodes;
    private readonly int _subnet;

    private NetworkLab(string id, int nodes, int subnet)
    {
        _id = id;
        _nodes = nodes;
        _subnet = subnet;
    }

    /// <summary>The host's address on the bridge: where PostgreSQL listens for the silos.</summary>
    public string HostAddress => $"10.77.{_subnet}.1";

    /// <summary>The subnet of the bridge, as PostgreSQL's access rules name it.</summary>
    public string Subnet => $"10.77.{_subnet}.0/24";

    private string Bridge => $"bf{_id}";

    public static async Task<NetworkLab> CreateAsync(int nodes)
    {
        var used = await Shell.ExecOrThrowAsync(null, "ip", "-4", "-o", "addr", "show");
        var subnet = Enumerable.Range(1, 250).First(s => !used.Contains($"10.77.{s}.", StringComparison.Ordinal));
        var lab = new NetworkLab(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3)), nodes, subnet);
        try
        {
            await lab.BuildAsync();
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }

        return lab;
    }

    public string Namespace(int node) => $"{Bridge}-n{node}";

    public string NodeAddress(int node) => $"10.77.{_subnet}.{11 + node}";

    /// <summary>Cuts the node off from everything: its side of the wire goes dark, open connections hang.</summary>
    public Task PartitionAsync(int node) => Ip("link", "set", HostSide(node), "down");

    public Task HealAsync(int node) => Ip("link", "set", HostSide(node), "up");

    public async ValueTask DisposeAsync()
    {
        for (var node = 0; node < _nodes; node++)
        {
            await Shell.ExecAsync(null, "ip", "netns", "del", Namespace(node)); // takes its veth pair with it
        }

        await Shell.ExecAsync(null, "ip", "link", "del", Bridge);
    }

    private async Task BuildAsync()
    {
        await Ip("link", "add", Bridge, "type", "bridge");
        await Ip("addr", "add", $"{HostAddress}/24", "dev", Bridge);
        await Ip("link", "set", Bridge, "up");
        for (var node = 0; node < _nodes; node++)
        {
            var ns = Namespace(node);
            await Ip("netns", "add", ns);
            await Ip("link", "add", HostSide(node), "type", "veth", "peer", "name", NodeSide(node));
            await Ip("link", "set", NodeSide(node), "netns", ns);
            await Ip("link", "set", HostSide(node), "master", Bridge);
            await Ip("link", "set", HostSide(node), "up");
            await Ip("-n", ns, "addr", "add", $"{NodeAddress(node)}/24", "dev", NodeSide(node));
            await Ip("-n", ns, "link", "set", NodeSide(node), "up");
            await Ip("-n", ns, "link", "set", "lo", "up");
        }
    }

    private string HostSide(int node) => $"{Bridge}h{node}";

    private string NodeSide(int node) => $"{Bridge}v{node}";

    private static Task Ip(params string[] args) => Shell.ExecOrThrowAsync(null, "ip", args);
}
